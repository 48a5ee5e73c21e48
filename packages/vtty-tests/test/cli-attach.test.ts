import test from 'ava';
import { TIOCM_DTR, TIOCM_RTS, formatLineSettings } from 'vtty-protocol';
import { DeviceRecorder } from '../src/cli-device.js';
import { startVtty, stopAllVtty } from '../src/cli-harness.js';
import { PythonSession } from '../src/cli-python.js';
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
  // DTR and RTS rose when the application opened the port (the real port starts with them low,
  // as no application has it open), then fell as it dropped them.
  const both = TIOCM_DTR | TIOCM_RTS;
  const raised = await device.waitForModem('DTR and RTS raised', (lines) => (lines & both) === both);
  const rtsOff = await device.waitForModem('then RTS dropped', (lines) => (lines & both) === TIOCM_DTR, raised);
  await device.waitForModem('then DTR dropped', (lines) => (lines & both) === 0, rtsOff);
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

test.serial('vtty attach passes on the breaks, parity and framing errors and \\377 bytes the real port receives', async (t) => {
  const device = await DeviceRecorder.open();
  t.teardown(() => device.close());
  const p = startVtty(['attach', device.path]);
  const port = await p.firstLine();
  const py = new PythonSession(`
import array, fcntl, os, sys, termios
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
attrs = termios.tcgetattr(fd)
attrs[0] = (attrs[0] | termios.PARMRK | termios.INPCK) & ~(termios.IGNBRK | termios.BRKINT | termios.ISTRIP | termios.IGNPAR | termios.ICRNL | termios.IXON)
attrs[3] &= ~(termios.ICANON | termios.ECHO | termios.ISIG | termios.IEXTEN)
termios.tcsetattr(fd, termios.TCSANOW, attrs)
print('ready', flush=True)
got = b''
while len(got) < 13:
    got += os.read(fd, 13 - len(got))
# struct serial_icounter_struct: cts dsr rng dcd rx tx frame overrun parity brk ...
counts = array.array('i', [0] * 20)
fcntl.ioctl(fd, termios.TIOCGICOUNT, counts)
print('got', got.hex(), 'frame', counts[6], 'parity', counts[8], 'brk', counts[9], flush=True)
`, [port]);
  t.teardown(() => {
    py.kill();
  });
  await py.waitForLine(/^ready$/);
  // What the device sends: a, a \\377 byte, a break, an A with a parity error, a B with a
  // framing error, z.
  await device.master.write(Uint8Array.of(0x61, 0xff));
  await device.master.injectRx('break');
  await device.master.injectRx('parity', 0x41);
  await device.master.injectRx('frame', 0x42);
  await device.master.write('z');
  // The application (PARMRK, INPCK) reads them marked: \\377 doubled, \\377 \\0 \\0, \\377 \\0 A,
  // \\377 \\0 B; its counters tell the framing error from the parity error, as the real port's did.
  t.is((await py.waitForLine(/^got .*$/))[0], 'got 61ffffff0000ff0041ff00427a frame 1 parity 1 brk 1');
  t.is(await py.exited, 0);
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
