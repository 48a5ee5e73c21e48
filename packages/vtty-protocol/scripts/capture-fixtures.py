#!/usr/bin/env python3
"""Capture vtmx packet fixtures for vtty-protocol's tests.

Two modes:

  capture-fixtures.py [--out DIR]          (default) inside UML with the vtty module loaded:
      for every case, open /dev/vtmx (a fresh port, so cases do not influence each other), get
      the port index with TIOCGPTN, run the case's command (stty -F /dev/ttyV<n> ..., or a
      pyserial snippet) against /dev/ttyV<n> while reading vtmx, and write the packet the case
      is about as test/fixtures/<kind>/<name>.json with source "uml-vtmx".

  capture-fixtures.py --pty [--out DIR]     on any Linux host: run the stty cases against a fresh
      host pty and read the result with TCGETS2; the bytes are prefixed with the TAG_SET_TERMIOS
      tag so they look like a vtmx packet. Written with source "pty-host": provisional vectors
      for the same struct termios2 the kernel copies to vtmx, to be replaced by uml-vtmx ones.

Fixture format (one JSON object per file):
  { "name", "kind": "termios" | "modem" | "break", "command", "tool": "stty" | "pyserial",
    "arch": platform.machine() mapped to process.arch, "kernel": uname -r, "source",
    "hex": the packet (tag byte + payload) as lower-case hex, "packets": every packet read,
    "expected": { ... what the command asked for; see the CASES table } }

Requires python3 (and python3-serial for the pyserial cases, which are skipped without it).
"""
import argparse
import fcntl
import json
import os
import platform
import select
import shlex
import struct
import subprocess
import sys
import time

TIOCGPTN = 0x80045430
TCGETS2 = 0x802C542A
TERMIOS2_SIZE = 44
TAG_UART_RX, TAG_SET_TERMIOS, TAG_SET_MODEM, TAG_BREAK_CTL = 0, 1, 2, 3

ARCH = {'x86_64': 'x64', 'i686': 'ia32', 'i386': 'ia32', 'aarch64': 'arm64', 'armv7l': 'arm',
        'riscv64': 'riscv64', 's390x': 's390x', 'loongarch64': 'loong64'}

LS = 'lineSettings'
# name, tool, args (stty arguments, or python statements using `serial` and `PORT`), kind, expected
CASES = [
    ('stty-115200-8n1', 'stty', '115200 cs8 -cstopb -parenb -crtscts -ixon -ixoff', 'termios',
     {LS: {'baudRate': 115200, 'dataBits': 8, 'parity': 'none', 'stopBits': 1, 'rtscts': False, 'xon': False, 'xoff': False},
      'format': '115200 8N1'}),
    ('stty-9600-7e2-xonxoff', 'stty', '9600 cs7 parenb -parodd cstopb ixon ixoff -crtscts', 'termios',
     {LS: {'baudRate': 9600, 'dataBits': 7, 'parity': 'even', 'stopBits': 2, 'xon': True, 'xoff': True, 'rtscts': False},
      'format': '9600 7E2 xonxoff'}),
    ('stty-19200-8o1-rtscts', 'stty', '19200 cs8 parenb parodd -cstopb crtscts -ixon -ixoff', 'termios',
     {LS: {'baudRate': 19200, 'dataBits': 8, 'parity': 'odd', 'stopBits': 1, 'rtscts': True}, 'format': '19200 8O1 rtscts'}),
    ('stty-9600-8n2-xonxoff', 'stty', '9600 cstopb ixon ixoff -crtscts', 'termios',
     {LS: {'baudRate': 9600, 'dataBits': 8, 'parity': 'none', 'stopBits': 2, 'xon': True, 'xoff': True, 'rtscts': False},
      'format': '9600 8N2 xonxoff'}),
    ('stty-19200-rtscts', 'stty', '19200 crtscts -ixon -ixoff', 'termios',
     {LS: {'baudRate': 19200, 'rtscts': True, 'xon': False, 'xoff': False}}),
    ('stty-57600-5n1', 'stty', '57600 cs5 -parenb -cstopb -ixon', 'termios',
     {LS: {'baudRate': 57600, 'dataBits': 5, 'parity': 'none', 'stopBits': 1}}),
    ('stty-38400-6m1', 'stty', '38400 cs6 parenb parodd cmspar -cstopb', 'termios',
     {LS: {'baudRate': 38400, 'dataBits': 6, 'parity': 'mark', 'stopBits': 1}}),
    ('stty-4800-8s1', 'stty', '4800 cs8 parenb -parodd cmspar', 'termios',
     {LS: {'baudRate': 4800, 'dataBits': 8, 'parity': 'space'}}),
    ('stty-921600-raw', 'stty', '921600 raw -echo', 'termios', {LS: {'baudRate': 921600, 'dataBits': 8, 'parity': 'none'}}),
    ('stty-4000000', 'stty', '4000000', 'termios', {LS: {'baudRate': 4000000}}),
    ('stty-1200-clocal-nohupcl', 'stty', '1200 clocal -hupcl', 'termios', {LS: {'baudRate': 1200, 'clocal': True, 'hupcl': False}}),
    ('stty-230400-nocread', 'stty', '230400 -cread', 'termios', {LS: {'baudRate': 230400, 'cread': False}}),
    ('stty-ixon-ixany', 'stty', '2400 ixon ixany -ixoff -crtscts', 'termios',
     {LS: {'baudRate': 2400, 'xon': True, 'xany': True, 'xoff': False}}),
    ('stty-hangup-b0', 'stty', '0', 'termios', {LS: {'baudRate': 0}}),
    ('stty-50', 'stty', '50 cs8 -parenb', 'termios', {LS: {'baudRate': 50}}),
    ('stty-sane', 'stty', 'sane', 'termios', {LS: {'cread': True}}),
    ('stty-split-speed', 'stty', 'ispeed 9600 ospeed 115200', 'termios', {}),
    ('pyserial-250000-bother', 'pyserial', "s = serial.Serial(PORT, 250000); s.close()", 'termios',
     {LS: {'baudRate': 250000, 'dataBits': 8, 'parity': 'none', 'stopBits': 1}}),
    ('pyserial-115200-7e2-rtscts', 'pyserial',
     "s = serial.Serial(PORT, 115200, bytesize=7, parity='E', stopbits=2, rtscts=True); s.close()", 'termios',
     {LS: {'baudRate': 115200, 'dataBits': 7, 'parity': 'even', 'stopBits': 2, 'rtscts': True}}),
    ('pyserial-9600-8m1', 'pyserial', "s = serial.Serial(PORT, 9600, parity='M'); s.close()", 'termios',
     {LS: {'baudRate': 9600, 'parity': 'mark'}}),
    ('pyserial-9600-8s1', 'pyserial', "s = serial.Serial(PORT, 9600, parity='S'); s.close()", 'termios',
     {LS: {'baudRate': 9600, 'parity': 'space'}}),
    ('pyserial-xonxoff', 'pyserial', "s = serial.Serial(PORT, 38400, xonxoff=True); s.close()", 'termios',
     {LS: {'baudRate': 38400, 'xon': True, 'xoff': True}}),
    ('pyserial-1000000', 'pyserial', "s = serial.Serial(PORT, 1000000); s.close()", 'termios', {LS: {'baudRate': 1000000}}),
    ('pyserial-dtr-off-rts-on', 'pyserial', "s = serial.Serial(PORT, 9600); s.dtr = False; s.rts = True; import time; time.sleep(0.1); s.close()",
     'modem', {'first': True, 'lines': {'dtr': True, 'rts': True}}),
    ('pyserial-break-on', 'pyserial', "s = serial.Serial(PORT, 9600); s.break_condition = True; s.break_condition = False; s.close()",
     'break', {'first': True, 'state': {'kind': 'on'}}),
]


def hexs(b):
    return b.hex()


def ttyname_for(vtmx_fd):
    n = struct.unpack('I', fcntl.ioctl(vtmx_fd, TIOCGPTN, b'\0' * 4))[0]
    return n, '/dev/ttyV%d' % n


def command_for(tool, args, port):
    if tool == 'stty':
        return ['stty', '-F', port] + shlex.split(args), 'stty -F %s %s' % (port, args)
    code = 'import serial\nPORT = %r\n%s\n' % (port, args)
    return [sys.executable, '-c', code], 'python3 -c "import serial; PORT=%r; %s"' % (port, args)


def read_packets(fd, proc, quiet_after=0.3, limit=10.0):
    """Read vtmx packets while the command runs (the driver blocks the application until the
    master has read each out-of-band packet), and until it has been quiet for a while after."""
    packets = []
    deadline = time.monotonic() + limit
    last = time.monotonic()
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                pkt = os.read(fd, 4096)
            except BlockingIOError:
                pkt = b''
            if pkt:
                packets.append(pkt)
                last = time.monotonic()
                continue
        if proc.poll() is not None and time.monotonic() - last > quiet_after:
            break
    return packets


def pick(kind, expected, packets):
    tag = {'termios': TAG_SET_TERMIOS, 'modem': TAG_SET_MODEM, 'break': TAG_BREAK_CTL}[kind]
    matching = [p for p in packets if p and p[0] == tag]
    if not matching:
        return None
    return matching[0] if expected.get('first') else matching[-1]


def have_pyserial():
    try:
        import serial  # noqa: F401
        return True
    except ImportError:
        return False


def write(out, fixture):
    d = os.path.join(out, fixture['kind'])
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fixture['name'] + '.json'), 'w') as fh:
        json.dump(fixture, fh, indent=2, sort_keys=False)
        fh.write('\n')


def base(name, tool, kind, command, expected, source):
    return {'name': name, 'kind': kind, 'command': command, 'tool': tool,
            'arch': ARCH.get(platform.machine(), platform.machine()), 'kernel': platform.release(),
            'source': source, 'hex': '', 'packets': [], 'expected': expected}


def capture_vtmx(out):
    pyser = have_pyserial()
    for name, tool, args, kind, expected in CASES:
        if tool == 'pyserial' and not pyser:
            print('skip %s: python3-serial not installed' % name, file=sys.stderr)
            continue
        fd = os.open('/dev/vtmx', os.O_RDWR | os.O_NONBLOCK)
        try:
            _, port = ttyname_for(fd)
            argv, shown = command_for(tool, args, port)
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            packets = read_packets(fd, proc)
            _, err = proc.communicate(timeout=10)
            if proc.returncode != 0:
                print('FAIL %s: %s' % (name, err.decode(errors='replace').strip()), file=sys.stderr)
                continue
            pkt = pick(kind, expected, packets)
            if pkt is None:
                print('FAIL %s: no %s packet among %d' % (name, kind, len(packets)), file=sys.stderr)
                continue
            fx = base(name, tool, kind, shown.replace(port, '/dev/ttyV0'), expected, 'uml-vtmx')
            fx['hex'] = hexs(pkt)
            fx['packets'] = [hexs(p) for p in packets]
            write(out, fx)
            print('ok %s (%d packets)' % (name, len(packets)))
        finally:
            os.close(fd)


def capture_pty(out):
    for name, tool, args, kind, expected in CASES:
        if tool != 'stty' or kind != 'termios':
            continue
        master, slave = os.openpty()
        try:
            port = os.ttyname(slave)
            argv, shown = command_for(tool, args, port)
            res = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if res.returncode != 0:
                print('FAIL %s: %s' % (name, res.stderr.decode(errors='replace').strip()), file=sys.stderr)
                continue
            raw = fcntl.ioctl(slave, TCGETS2, b'\0' * TERMIOS2_SIZE)
            pkt = bytes([TAG_SET_TERMIOS]) + raw
            fx = base(name, tool, kind, shown.replace(port, '/dev/ttyV0'), expected, 'pty-host')
            fx['hex'] = hexs(pkt)
            fx['packets'] = [hexs(pkt)]
            write(out, fx)
            print('ok %s' % name)
        finally:
            os.close(master)
            os.close(slave)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--pty', action='store_true', help='capture provisional vectors from a host pty')
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures'))
    a = ap.parse_args()
    (capture_pty if a.pty else capture_vtmx)(a.out)


if __name__ == '__main__':
    main()
