// vtty-device's Device from ava: a scripted device behind a real port, with pyserial as the
// application. (test/device-node-test.test.ts runs the same kind of script under node:test.)
import test from 'ava';
import { existsSync } from 'node:fs';
import { scaledDeadline } from 'vtmx-native/testing';
import { frameBits } from 'vtty-protocol';
import { closeAllDevices, Device, DeviceWaitError, type DeviceOptions } from 'vtty-device';
import { assertInsideBench, python } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

// No afterEach(closeAllDevices) here: each device is tied to its test by ava's teardown, which
// is what 'the port of a scripted device is gone' checks.

/** A device whose port goes away when the test ends (ava's teardown). */
function openDevice(t: { teardown(fn: () => Promise<void>): void }, options: DeviceOptions = {}): Promise<Device> {
  return Device.open({
    timeout: scaledDeadline(10_000),
    teardown: (close) => {
      t.teardown(close);
    },
    ...options,
  });
}

let modemPort: string | undefined;

test.serial('a scripted modem: pyserial sends AT\\r and gets OK\\r\\n, then a DTR drop resets the modem while the port is open', async (t) => {
  const modem = await openDevice(t);
  modemPort = modem.path;
  const app = python(
    `
import serial, sys, json
p = serial.Serial(sys.argv[1], 115200, timeout=5 * PACE)
p.write(b'AT\\r')
answer = p.read_until(b'OK\\r\\n')
p.dtr = False
reset = p.read_until(b'RESET\\r\\n')
print(json.dumps({'answer': answer.decode('latin1'), 'reset': reset.decode('latin1')}))
`,
    [modem.path],
  );
  await modem.expect('AT\r');
  t.is(modem.settings.baudRate, 115200);
  t.like(modem.settings, { dataBits: 8, parity: 'none', stopBits: 1 });
  await modem.send('OK\r\n');
  await modem.waitLines({ dtr: false });
  // The application is still there to read this: the drop was its own, not its close's.
  t.true(modem.openCount > 0);
  await modem.send('RESET\r\n');
  t.deepEqual(JSON.parse(await app), { answer: 'OK\r\n', reset: 'RESET\r\n' });
  await modem.waitClose();
});

test.serial('the port of a scripted device is gone once its test has ended', (t) => {
  if (modemPort === undefined) {
    t.fail('the test before did not create its port');
    return;
  }
  t.false(existsSync(modemPort), `${modemPort} still exists`);
});

test.serial('a failed expect says what the application sent instead: a diff at once when anchored, the bytes after a timeout', async (t) => {
  const device = await openDevice(t);
  const app = python(
    `
import serial, sys
p = serial.Serial(sys.argv[1], 115200, timeout=10 * PACE)
p.write(b'ATZ\\r')
p.read(1)
`,
    [device.path],
  );
  // Anchored: the third byte contradicts the pattern, so it fails as soon as that byte came.
  const mismatch = await t.throwsAsync(device.expect('ATI\r', { anchored: true }), { instanceOf: DeviceWaitError });
  t.is(mismatch.reason, 'mismatch');
  t.regex(mismatch.message, /^expected "ATI\\r", but the application sent "ATZ\\r"/);
  t.regex(mismatch.message, /\^ byte 2/);
  // Not anchored: it waits for the pattern anywhere, and its deadline says what came instead.
  const timeout = await t.throwsAsync(device.expect(/ATI\r/, { timeout: 300 }), { instanceOf: DeviceWaitError });
  t.is(timeout.reason, 'timeout');
  t.regex(timeout.message, /timed out after 300 ms waiting for \/ATI\\r\/; the application sent "ATZ\\r"/);
  t.deepEqual(Buffer.from(timeout.received).toString('latin1'), 'ATZ\r');
  const found = await device.expect(/AT(.)\r/);
  t.is(found.groups[1], 'Z');
  await device.send('x');
  await app;
});

/** The start of esptool's SYNC command in its SLIP frame: END, direction 0, command 0x08. */
const SYNC = Buffer.from([0xc0, 0x00, 0x08]);

test.serial("esptool's reset dance: the device sees DTR and RTS change in order, even looking after the pulses ended", async (t) => {
  const chip = await openDevice(t);
  // esptool's classic reset, without its pauses: IO0 high and EN low (reset), then IO0 low and
  // EN high (boot into the bootloader), then IO0 high; then its SYNC command.
  const app = python(
    `
import serial, sys
p = serial.Serial(sys.argv[1], 115200, timeout=5 * PACE)
p.dtr = False
p.rts = True
p.dtr = True
p.rts = False
p.dtr = False
p.write(b'\\xc0\\x00\\x08\\x24\\x00\\x00\\x00\\x00\\x00\\x07\\x07\\x12\\x20' + b'\\x55' * 32 + b'\\xc0')
print(p.read_until(b'waiting for download\\r\\n').decode('latin1'))
`,
    [chip.path],
  );
  // Only once the SYNC came does the device look at the lines: the pulses are over by then,
  // and each change must still be there, in order.
  await chip.expect(SYNC);
  t.deepEqual(chip.lines, { dtr: false, rts: false });
  await chip.waitLines({ dtr: false, rts: true }, { timeout: 0 });
  await chip.waitLines({ dtr: true, rts: false }, { timeout: 0 });
  await chip.waitLines({ dtr: false, rts: false }, { timeout: 0 });
  await chip.send('waiting for download\r\n');
  t.is((await app).trim(), 'waiting for download');
});

test.serial("the device reads the application's settings and breaks, and gives it input lines and a break", async (t) => {
  const device = await openDevice(t, { lines: { dsr: true } });
  const app = python(
    `
import serial, sys, termios, json
p = serial.Serial(sys.argv[1], 19200, parity=serial.PARITY_EVEN, timeout=5 * PACE)
attrs = termios.tcgetattr(p.fd)
attrs[0] = (attrs[0] | termios.PARMRK) & ~(termios.IGNBRK | termios.BRKINT | termios.ISTRIP)
termios.tcsetattr(p.fd, termios.TCSANOW, attrs)
p.send_break(0.25)
got = p.read(3)
print(json.dumps({'got': got.hex(), 'cts': p.cts, 'dsr': p.dsr, 'cd': p.cd, 'ri': p.ri}))
`,
    [device.path],
  );
  const settings = await device.waitSettings({ baudRate: 19200, parity: 'even' });
  t.is(settings.dataBits, 8);
  t.deepEqual(await device.expectBreak(), { kind: 'timed', ms: 100 });
  device.setLines({ cts: true, dcd: true });
  await device.sendBreak();
  // A break under PARMRK: \377 \0 \0.
  t.deepEqual(JSON.parse(await app), { got: 'ff0000', cts: true, dsr: true, cd: true, ri: false });
});

/** An NMEA sentence with its checksum, as the README's GPS example makes it. */
function nmea(body: string): string {
  let sum = 0;
  for (const c of body) sum ^= c.charCodeAt(0);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}\r\n`;
}

test.serial('a paced GPS at 9600 baud: its NMEA sentences reach pyserial no faster than a 9600 8N1 line carries them', async (t) => {
  const gps = await openDevice(t, { paced: true, lines: { dsr: true, dcd: true } });
  const sentences = [0, 1, 2, 3, 4].map((s) => nmea(`GPGGA,12000${String(s)}.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,`));
  const size = sentences.join('').length;
  const app = python(
    `
import serial, sys, time, json
p = serial.Serial(sys.argv[1], 9600, timeout=5 * PACE)
p.write(b'go')
first = p.read(1)
start = time.monotonic()
rest = p.read(int(sys.argv[2]) - 1)
print(json.dumps({'text': (first + rest).decode('latin1'), 'seconds': time.monotonic() - start}))
`,
    [gps.path, String(size)],
  );
  await gps.expect('go');
  t.is(gps.settings.baudRate, 9600);
  for (const sentence of sentences) await gps.send(sentence);
  const got = JSON.parse(await app) as { text: string; seconds: number };
  t.is(got.text, sentences.join(''));
  // The line time of all but the first few bytes (the first slice of 20 ms goes at once, and
  // the application's clock starts at its first byte): a lower bound, which a slow machine
  // cannot break; unpaced, the whole burst comes at once.
  const lineTime = ((size - 40) * frameBits(gps.settings)) / 9600;
  t.true(got.seconds >= lineTime, `${size} bytes in ${got.seconds.toFixed(3)} s, less than their line time ${lineTime.toFixed(3)} s`);
});

test.serial('closeAllDevices removes the ports of devices opened without a teardown', async (t) => {
  const device = await Device.open();
  t.true(existsSync(device.path));
  await closeAllDevices();
  t.true(device.closed);
  t.false(existsSync(device.path));
});
