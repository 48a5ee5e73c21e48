#!/usr/bin/env bash
# Runs inside UML for `pnpm demo`: a virtual port backed by `vtty monitor --
# echo` (a loopback plug that prints every event), used by pyserial, a real
# serial client. Prints what the client saw, then what the monitor saw.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
FORCE_COLOR=${FORCE_COLOR:-0} node packages/vtty-cli/dist/bin/vtty.js monitor -- echo >"$log" &
monitor=$!
for _ in $(seq 100); do [ -s "$log" ] && break; sleep 0.1; done
port=$(head -1 "$log")
echo "vtty monitor -- echo created $port; pyserial uses it:"
/usr/bin/python3 - "$port" <<'PY'
import serial, sys
with serial.Serial(sys.argv[1], baudrate=115200, rtscts=True, timeout=2) as port:
    print('  CTS=%s DSR=%s DCD=%s (echo mirrors RTS and DTR)' % (port.cts, port.dsr, port.cd))
    port.write(b'hello, vtty\n')
    print('  read back %r' % port.readline())
    port.rts = False
    port.send_break(0.25)
    print('  after RTS off: CTS=%s' % port.cts)
PY
kill -INT "$monitor"
wait "$monitor" || true
echo
echo "what the monitor printed:"
sed 's/^/  /' "$log"
rm -f "$log"
