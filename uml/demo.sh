#!/usr/bin/env bash
# pnpm demo: boots UML (6.1, debug flavor), loads vtty.ko and runs
# uml/demo-guest.sh: `vtty monitor -- echo` creates a port, pyserial opens it,
# sets 115200 with RTS/CTS, writes and reads back, drops RTS, sends a break;
# then the monitor's view of the same session is shown.
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"
ensure_packages python3-serial
pnpm run build
exec "$UML_DIR/run.sh" --timeout 300 -- bash "$UML_DIR/demo-guest.sh"
