import test from 'ava';
import { TIOCM_DTR, TIOCM_RTS, formatLineSettings } from 'vtty-protocol';
import { DeviceRecorder } from '../src/cli-device.js';
import { startVtty, stopAllVtty } from '../src/cli-harness.js';
import { assertInsideBench, python } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.afterEach.always(stopAllVtty);

test.serial('vtty attach mirrors a real tty (a second ttyV standing in for /dev/ttyUSB0)', async (t) => {
  const device = await DeviceRecorder.open();
  t.teardown(() => device.close());
  const p = startVtty(['attach', device.path, '--json']);
  const port = await p.firstLine();
  await p.waitForEvent((e) => e.code === 'attached');

  // The real port starts with the virtual port's settings, raw.
  await device.waitFor('initial 9600 8N1', () => device.settings().find((s) => formatLineSettings(s) === '9600 8N1'));

  device.master.setModemLines({ cts: true, dsr: false, dcd: true, ri: false });
  const script = `
import serial, sys, time, termios
p = serial.Serial(sys.argv[1], 115200, bytesize=7, parity='E', rtscts=True, timeout=3 * PACE)
time.sleep(0.5 * PACE)
print(int(p.cts), int(p.dsr), int(p.cd), int(p.ri))
p.write(b'to device')
print(p.read(11).decode())
p.rts = False
time.sleep(0.2 * PACE)
p.dtr = False
time.sleep(0.2 * PACE)
termios.tcsendbreak(p.fd, 0)
time.sleep(0.2 * PACE)
`;
  const run = python(script, [port]);
  await device.waitForData('to device');
  await device.master.write('from device');
  const out = (await run).trim().split('\n');
  t.deepEqual(out, ['1 0 1 0', 'from device']);

  const settings = await device.waitFor('115200 7E1 rtscts', () => device.settings().find((s) => s.baudRate === 115200));
  t.like(settings, { baudRate: 115200, dataBits: 7, parity: 'even', stopBits: 1, rtscts: true });
  t.false(settings.xon, 'XON/XOFF stays with the virtual port');
  const rtsOff = await device.waitForPacket('RTS dropped', (pk) => pk.type === 'modem' && (pk.lines & TIOCM_RTS) === 0);
  t.truthy(rtsOff);
  await device.waitForPacket('DTR dropped', (pk) => pk.type === 'modem' && (pk.lines & (TIOCM_DTR | TIOCM_RTS)) === 0);
  const brk = await device.waitForPacket('break', (pk) => pk.type === 'break');
  t.deepEqual(brk.type === 'break' ? brk.state : undefined, { kind: 'timed', ms: 250 });

  // Input lines keep following the real port.
  device.master.setModemLines({ cts: false, dsr: true, dcd: false, ri: true });
  const later = await python(`
import serial, sys, time
p = serial.Serial(sys.argv[1], timeout=1 * PACE)
time.sleep(0.3 * PACE)
print(int(p.cts), int(p.dsr), int(p.cd), int(p.ri))
`, [port]);
  t.is(later.trim(), '0 1 0 1');
  t.is((await p.stop()).code, 0);
});

test.serial('vtty attach ends with status 0 when the real port hangs up', async (t) => {
  const device = await DeviceRecorder.open();
  const p = startVtty(['attach', device.path]);
  await p.firstLine();
  await device.close();
  const exit = await p.exited;
  t.is(exit.code, 0, exit.stderr);
  t.regex(exit.stderr, /hung up/);
});

test.serial('vtty attach to a missing device fails with status 1', async (t) => {
  const p = startVtty(['attach', '/dev/ttyNOPE']);
  const exit = await p.exited;
  t.is(exit.code, 1);
  t.regex(exit.stderr, /cannot open \/dev\/ttyNOPE/);
});
