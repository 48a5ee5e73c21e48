import test from 'ava';
import { DeviceRecorder } from '../src/cli-device.js';
import { startVtty, stopAllVtty } from '../src/cli-harness.js';
import { PythonSession } from '../src/cli-python.js';
import { assertInsideBench } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.afterEach.always(stopAllVtty);

test.serial('vtty split: input fanned out, output merged, settings from the first port opened', async (t) => {
  const device = await DeviceRecorder.open();
  t.teardown(() => device.close());
  const p = startVtty(['split', device.path, '--count', '2', '--json']);
  const [a, b] = (await p.firstLine()).split(' ');
  t.regex(a ?? '', /^\/dev\/ttyV\d+$/);
  t.regex(b ?? '', /^\/dev\/ttyV\d+$/);

  // Two programs: A opens first at 57600, B second at 19200 (ignored while A is open). Each
  // step waits for what vtty reports, not for time to pass.
  const py = new PythonSession(`
import serial, sys
a = serial.Serial(sys.argv[1], 57600, timeout=3 * PACE)
print('a open', flush=True)
sys.stdin.readline()
b = serial.Serial(sys.argv[2], 19200, timeout=3 * PACE)
print('b open', flush=True)
sys.stdin.readline()
print('read', a.read(6).decode(), b.read(6).decode(), flush=True)
a.write(b'[from a]')
b.write(b'[from b]')
a.flush()
a.close()
print('a closed', flush=True)
sys.stdin.readline()
b.close()
`, [a ?? '', b ?? '']);
  t.teardown(() => {
    py.kill();
  });
  await py.waitForLine(/^a open$/);
  t.like(await p.waitForEvent((e) => e.code === 'owner'), { port: a });
  await device.waitFor('57600 applied', () => device.settings().find((s) => s.baudRate === 57600));
  py.next();
  await py.waitForLine(/^b open$/);
  await p.waitForEvent((e) => e.code === 'settings-ignored' && e.port === b);
  t.deepEqual([...new Set(device.settings().map((s) => s.baudRate))].filter((r) => r !== 9600), [57600], `only the owner's speed reached the device: ${p.stdout}`);

  await device.master.write('shared');
  py.next();
  await py.waitForLine(/^read shared shared$/);
  await device.waitForData('[from a]');
  await device.waitForData('[from b]');

  await py.waitForLine(/^a closed$/);
  t.like(await p.waitForEvent((e) => e.code === 'owner' && e.port === b), { port: b });
  await device.waitFor('19200 applied after the owner closed', () => device.settings().find((s) => s.baudRate === 19200));
  py.next();
  t.is(await py.exited, 0);
  t.is((await p.stop()).code, 0);
});

test.serial('vtty split reports an open at once, by a program that only opens the port, and its close', async (t) => {
  const device = await DeviceRecorder.open();
  t.teardown(() => device.close());
  const p = startVtty(['split', device.path, '--count', '2', '--json', '--monitor']);
  const [a, b] = (await p.firstLine()).split(' ');
  // No termios, no write: only the open (which /proc polling saw late, if at all).
  const py = new PythonSession(`
import os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
print('opened', flush=True)
got = b''
while not got.endswith(b'\\n'):
    got += os.read(fd, 100)
print('got', got.decode().strip(), flush=True)
sys.stdin.readline()
os.close(fd)
print('closed', flush=True)
`, [a ?? '']);
  t.teardown(() => {
    py.kill();
  });
  await py.waitForLine(/^opened$/);
  t.like(await p.waitForEvent((e) => e.event === 'open' && e.port === a), { dir: 'tx', count: 1, previous: 0 });
  t.like(await p.waitForEvent((e) => e.code === 'owner'), { port: a });
  // Delivered as soon as the open is known: nothing is lost to a polling interval.
  await device.master.write('hello\n');
  await py.waitForLine(/^got hello$/);
  py.next();
  await py.waitForLine(/^closed$/);
  t.like(await p.waitForEvent((e) => e.event === 'open' && e.port === a && e.count === 0), { previous: 1 });
  t.is(await py.exited, 0);
  t.false(p.events().some((e) => e.event === 'open' && e.port === b), `${b ?? ''} was never opened: ${p.stdout}`);
  t.is((await p.stop()).code, 0);
});
