import test from 'ava';
import { DeviceRecorder } from '../src/cli-device.js';
import { startVtty, stopAllVtty } from '../src/cli-harness.js';
import { spawn } from 'node:child_process';
import { assertInsideBench, debianPython, pollUntil, PYTHON_PACE } from '../src/index.js';

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

  // Two programs: A opens first at 57600, B second at 9600 (ignored while A is open).
  const script = `
import serial, sys, time
a = serial.Serial(sys.argv[1], 57600, timeout=3 * PACE)
time.sleep(0.6 * PACE)
b = serial.Serial(sys.argv[2], 19200, timeout=3 * PACE)
time.sleep(0.6 * PACE)
print('ready', flush=True)
sys.stdin.readline()
print(a.read(6).decode(), b.read(6).decode(), flush=True)
a.write(b'[from a]')
time.sleep(0.2 * PACE)
b.write(b'[from b]')
time.sleep(0.2 * PACE)
a.close()
time.sleep(1 * PACE)
print('a closed', flush=True)
sys.stdin.readline()
b.close()
`;
  const py = spawn(debianPython, ['-c', PYTHON_PACE + script, a ?? '', b ?? ''], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => py.kill('SIGKILL'));
  let out = '';
  py.stdout.setEncoding('utf8');
  py.stdout.on('data', (d: string) => (out += d));
  const until = async (text: string): Promise<void> => {
    await pollUntil(() => out.includes(text), 10_000, 100);
    t.true(out.includes(text), `python printed ${text}: ${out}`);
  };
  await until('ready');
  const owner = await p.waitForEvent((e) => e.code === 'owner');
  t.is(owner.port, a);
  await p.waitForEvent((e) => e.code === 'settings-ignored' && e.port === b);
  t.deepEqual([...new Set(device.settings().map((s) => s.baudRate))].filter((r) => r !== 9600), [57600], `only the owner's speed reached the device: ${p.stdout}`);

  await device.master.write('shared');
  py.stdin.write('\n');
  await until('shared shared');
  await device.waitForData('[from a]');
  await device.waitForData('[from b]');

  await until('a closed');
  const second = await p.waitForEvent((e) => e.code === 'owner' && e.port === b);
  t.truthy(second);
  await device.waitFor('19200 applied after the owner closed', () => device.settings().find((s) => s.baudRate === 19200));
  py.stdin.write('\n');
  await new Promise((r) => py.on('close', r));
  t.is((await p.stop()).code, 0);
});
