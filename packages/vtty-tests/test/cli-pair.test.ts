import test from 'ava';
import { startVtty, stopAllVtty } from '../src/cli-harness.js';
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
