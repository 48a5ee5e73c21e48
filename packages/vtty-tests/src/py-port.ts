import { VTMX_GET_VTTY_NUM, VTMX_SET_MODEM_LINES } from 'vtty-protocol';
import { python } from './run.js';
import { RX_BOUND, RX_FLOOR } from './rx-bound.js';

/**
 * Python that the master-side tests put in front of their scripts (after `PACE`, which
 * {@link python} defines): vtty-protocol's numbers and {@link RX_BOUND}, and the few calls every
 * such script makes.
 *
 * - `open_master(flags)` opens /dev/vtmx and returns `(fd, index)`;
 *   `open_app(index, flags)` opens /dev/ttyV<index> raw, as a serial application does (at once:
 *   Python's default, TCSAFLUSH, would discard what the master wrote before the open).
 * - `raw_write(fd, data)` is one write(2) as C makes it: the count, or minus errno. Python's
 *   own `os.write` retries EINTR (PEP 475), which would hide exactly what the tests look at.
 * - `write_with_alarm(fd, data, seconds)` is `raw_write` ended by SIGALRM after `seconds`
 *   (scaled by PACE). Python installs its handlers without SA_RESTART, so the signal ends the
 *   system call instead of restarting it.
 * - `write_nonblocking(fd, data)` is one write with O_NONBLOCK (the count, or minus errno);
 *   `fill(fd, payload)` makes such writes of 4 KiB until the port takes no more, and returns
 *   `(bytes taken, the last write's result)`.
 * - `read_exactly(fd, size, seconds)` reads until `size` bytes came, or nothing came for
 *   `seconds` (scaled); `read_quiet(fd, seconds)` reads whatever comes until then.
 */
export const PYTHON_PORT = `
import ctypes, errno, fcntl, json, os, select, signal, struct, sys, termios, threading, time, tty
VTMX_GET_VTTY_NUM = ${VTMX_GET_VTTY_NUM}
VTMX_SET_MODEM_LINES = ${VTMX_SET_MODEM_LINES}
RX_BOUND = ${RX_BOUND}
RX_FLOOR = ${RX_FLOOR}

def open_master(flags=0):
    fd = os.open('/dev/vtmx', os.O_RDWR | os.O_NOCTTY | flags)
    index = struct.unpack('I', fcntl.ioctl(fd, VTMX_GET_VTTY_NUM, b'\\0' * 4))[0]
    return fd, index

def open_app(index, flags=0):
    fd = os.open('/dev/ttyV%d' % index, os.O_RDWR | os.O_NOCTTY | flags)
    tty.setraw(fd, termios.TCSANOW)
    return fd

_libc = ctypes.CDLL(None, use_errno=True)
_libc.write.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t]
_libc.write.restype = ctypes.c_ssize_t

def raw_write(fd, data):
    n = _libc.write(fd, bytes(data), len(data))
    return n if n >= 0 else -ctypes.get_errno()

signal.signal(signal.SIGALRM, lambda signum, frame: None)

def write_with_alarm(fd, data, seconds):
    signal.setitimer(signal.ITIMER_REAL, seconds * PACE)
    try:
        return raw_write(fd, data)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)

def set_blocking(fd, blocking):
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, (flags & ~os.O_NONBLOCK) if blocking else (flags | os.O_NONBLOCK))

def write_nonblocking(fd, data):
    set_blocking(fd, False)
    try:
        return raw_write(fd, data)
    finally:
        set_blocking(fd, True)

def fill(fd, payload):
    taken = 0
    while taken < len(payload):
        n = write_nonblocking(fd, payload[taken:taken + 4096])
        if n <= 0:
            return taken, n
        taken += n
    return taken, 0

def read_exactly(fd, size, seconds=5):
    got = bytearray()
    while len(got) < size:
        if not select.select([fd], [], [], seconds * PACE)[0]:
            break
        got += os.read(fd, size - len(got))
    return bytes(got)

def read_quiet(fd, seconds):
    got = bytearray()
    while select.select([fd], [], [], seconds * PACE)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        got += chunk
    return bytes(got)
`;

/**
 * Runs a script after {@link PYTHON_PORT} and returns what its last line of output says, as
 * JSON (the scripts report their measurements that way, and the test asserts on them).
 */
export async function portScript(script: string, args: readonly string[] = [], timeoutMs = 60_000): Promise<unknown> {
  const output = (await python(PYTHON_PORT + script, args, timeoutMs)).trim();
  const last = output.slice(output.lastIndexOf('\n') + 1);
  try {
    return JSON.parse(last) as unknown;
  } catch (error: unknown) {
    throw new Error(`the script did not end with a JSON line: ${output}`, { cause: error });
  }
}
