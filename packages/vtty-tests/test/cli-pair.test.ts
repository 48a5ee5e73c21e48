import test from 'ava';
import { startVtty, stopAllVtty } from '../src/cli-harness.js';
import { PythonSession } from '../src/cli-python.js';
import { assertInsideBench, python, stty } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.afterEach.always(stopAllVtty);

test.serial('vtty pair: a null-modem cable between two pyserial programs', async (t) => {
  const p = startVtty(['pair', '--json', '--monitor']);
  const [a, b] = (await p.firstLine()).split(' ');
  t.regex(a ?? '', /^\/dev\/ttyV\d+$/);
  t.regex(b ?? '', /^\/dev\/ttyV\d+$/);
  const script = `
import serial, sys, time
a = serial.Serial(sys.argv[1], 115200, timeout=3 * PACE)
b = serial.Serial(sys.argv[2], 115200, timeout=3 * PACE)
a.write(b'A to B')
print(b.read(6).decode())
b.write(b'B to A')
print(a.read(6).decode())
def show():
    time.sleep(0.3 * PACE)
    print(int(b.cts), int(b.dsr), int(b.cd), int(a.cts), int(a.dsr), int(a.cd))
show()
a.rts = False
show()
a.dtr = False
show()
b.rts = False
show()
a.rts = True; a.dtr = True; b.rts = True
show()
import termios
termios.tcsendbreak(a.fd, 0)
print(b.read(1).hex())
`;
  const out = (await python(script, [a ?? '', b ?? ''])).trim().split('\n');
  t.deepEqual(out, ['A to B', 'B to A', '1 1 1 1 1 1', '0 1 1 1 1 1', '0 0 0 1 1 1', '0 0 0 0 1 1', '1 1 1 1 1 1', '00']);
  t.like(await p.waitForEvent((e) => e.event === 'break' && e.dir === 'rx'), { port: b, state: 'timed', ms: 250 });
  t.is((await p.stop()).code, 0);
});

test.serial('vtty pair warns when the two sides disagree on line settings', async (t) => {
  const p = startVtty(['pair', '--json']);
  const [a, b] = (await p.firstLine()).split(' ');
  await stty(a ?? '', '115200');
  const warning = await p.waitForEvent((e) => e.event === 'warning' && e.code === 'settings-mismatch');
  t.regex(String(warning.message), /115200 8N1.*9600 8N1/);
  await stty(b ?? '', '115200');
  await p.waitForEvent((e) => e.event === 'info' && e.code === 'settings-match');
  await stty(b ?? '', 'cs7', 'parenb');
  const second = await p.waitForEvent((e) => e.event === 'warning' && String(e.message).includes('7E1'));
  t.is(second.code, 'settings-mismatch');
  t.is((await p.stop()).code, 0);
});

test.serial('vtty pair (human): the warning goes to stderr, --monitor prints both ports', async (t) => {
  const p = startVtty(['pair', '--monitor', '--text']);
  const [a, b] = (await p.firstLine()).split(' ');
  await stty(a ?? '', '57600');
  await p.waitForStderr(/warning .*line settings disagree/);
  await p.waitForLine(new RegExp(`${a ?? ''} tx termios 57600 8N1`));
  await python(`
import serial, sys
a = serial.Serial(sys.argv[1], 57600, timeout=2 * PACE)
b = serial.Serial(sys.argv[2], 57600, timeout=2 * PACE)
a.write(b'x')
b.read(1)
`, [a ?? '', b ?? '']);
  await p.waitForLine(new RegExp(`${a ?? ''} tx "x"`));
  await p.waitForLine(new RegExp(`${b ?? ''} rx "x"`));
  t.is((await p.stop()).code, 0);
});

test.serial('vtty pair delivers a real break: PARMRK reads it as \\377 \\0 \\0 and TIOCGICOUNT counts it', async (t) => {
  const p = startVtty(['pair', '--json']);
  const [a, b] = (await p.firstLine()).split(' ');
  const out = await python(`
import serial, sys, termios, fcntl, array
a = serial.Serial(sys.argv[1], 115200, timeout=3 * PACE)
b = serial.Serial(sys.argv[2], 115200, timeout=3 * PACE)
attrs = termios.tcgetattr(b.fd)
attrs[0] = (attrs[0] | termios.PARMRK) & ~(termios.IGNBRK | termios.BRKINT | termios.ISTRIP)
termios.tcsetattr(b.fd, termios.TCSANOW, attrs)
def breaks():
    # struct serial_icounter_struct: cts dsr rng dcd rx tx frame overrun parity brk ...
    counts = array.array('i', [0] * 20)
    fcntl.ioctl(b.fd, termios.TIOCGICOUNT, counts)
    return counts[9]
before = breaks()
a.write(b'x\\xff')
termios.tcsendbreak(a.fd, 0)
a.write(b'y')
print(b.read(7).hex())
print(breaks() - before)
`, [a ?? '', b ?? '']);
  // x, the \\377 doubled by PARMRK, the marked break, y.
  t.deepEqual(out.trim().split('\n'), ['78ffffff000079', '1']);
  t.is((await p.stop()).code, 0);
});

test.serial('vtty pair: RTS/CTS flow control across the cable stops the writer while the reader does not read, loses nothing', async (t) => {
  const p = startVtty(['pair']);
  const [a, b] = (await p.firstLine()).split(' ');
  const py = new PythonSession(`
import serial, sys, os, select, time, fcntl, termios, struct
a = serial.Serial(sys.argv[1], 115200, rtscts=True, timeout=5 * PACE)
b = serial.Serial(sys.argv[2], 115200, rtscts=True, timeout=5 * PACE)
def lines(fd):
    return struct.unpack('I', fcntl.ioctl(fd, termios.TIOCMGET, struct.pack('I', 0)))[0]
# b's RTS reaches a's CTS through vtty: wait for it (an event no call announces).
while not a.cts:
    select.select([], [], [], 0.01)
print('cts', int(a.cts), flush=True)
# b does not read: a writes until its writes stop, and sees why.
os.set_blocking(a.fd, False)
sent = bytearray()
chunk = bytes(range(256)) * 16
while True:
    if select.select([], [a.fd], [], 0.05 * PACE)[1]:
        try:
            sent += chunk[:os.write(a.fd, chunk)]
            continue
        except BlockingIOError:
            pass
    if not a.cts:
        break
print('stopped', len(sent), int(a.cts), int(bool(lines(b.fd) & termios.TIOCM_RTS)), flush=True)
sys.stdin.readline()
# b reads again: everything a wrote arrives, and a may write again.
got = b.read(len(sent))
print('received', len(got), int(got == bytes(sent)), flush=True)
os.set_blocking(a.fd, True)
a.write(b'after')
print('then', b.read(5).decode(), int(a.cts), flush=True)
`, [a ?? '', b ?? '']);
  t.teardown(() => {
    py.kill();
  });
  await py.waitForLine(/^cts 1$/);
  const stopped = await py.waitForLine(/^stopped (\d+) (\d) (\d)$/, 60_000);
  const sent = Number(stopped[1]);
  t.log(`a was held after ${sent} bytes`);
  t.true(sent > 4096, `a wrote ${sent} bytes before it was held`);
  t.is(stopped[2], '0', "a's CTS is low: b's RTS dropped across the cable");
  t.is(stopped[3], '0', "b's RTS is low: its input is throttled");
  py.next();
  t.is((await py.waitForLine(/^received \d+ \d$/, 60_000))[0], `received ${sent} 1`);
  t.is((await py.waitForLine(/^then .*$/))[0], 'then after 1');
  t.is(await py.exited, 0);
  t.is((await p.stop()).code, 0);
});
