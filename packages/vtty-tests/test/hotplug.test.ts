// Unplugging a port and plugging it in again (VTMX_UNPLUG, VTMX_PLUG) while applications hold
// it, with the real udev daemon and the shipped rules: what pulling a USB adapter out and
// putting it back does to pyserial and node-serialport 13, and a thousand times over to an
// application that reopens the port in a loop.
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { SerialPort } from 'serialport';
import { scaledDeadline } from 'vtmx-native/testing';
import { assertInsideBench, debianPython, PYTHON_PACE } from '../src/index.js';
import { HwRig, type RigPort } from '../src/hw-rig.js';
import { LineProcess } from '../src/line-process.js';
import { settle, startUdev, stopUdev } from '../src/udev.js';

test.before(async () => {
  assertInsideBench();
  await startUdev();
});

test.after.always(async () => {
  await stopUdev();
});

/** Resolves with what `promise` gives, or rejects saying what was awaited after `ms` (scaled). */
async function within<T>(what: string, promise: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`${what}: not within ${String(ms)} ms (scaled)`)); }, scaledDeadline(ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function acmPort(rig: HwRig, name: string): Promise<{ port: RigPort; path: string }> {
  let port = await rig.open();
  port = await rig.setIdentity(port, { kind: 'usb-acm', usbId: { vendorId: 0x2341, productId: 0x0043 }, manufacturer: 'Arduino', product: 'Uno', serialNumber: name });
  await rig.setName(port, name);
  await rig.plug(port);
  return { port, path: await rig.path(port) };
}

// pyserial holds the port across the unplug: it reports what its read and write raise, then,
// told the port is back, opens the same path again and sends a line through the echo.
const PYSERIAL_ACROSS_UNPLUG = `
import json, sys, serial
path = sys.argv[1]
def say(**kw):
    print(json.dumps(kw), flush=True)
s = serial.Serial(path, 115200, timeout=None)
say(event='ready')
for what, call in (('read', lambda: s.read(1)), ('write', lambda: s.write(b'x'))):
    try:
        call()
        say(event=what, error=None)
    except serial.SerialException as e:
        say(event=what, error=str(e))
s.close()
sys.stdin.readline()
s = serial.Serial(path, 115200, timeout=10 * PACE)
s.write(b'hello')
say(event='reopened', got=s.read(5).decode())
s.close()
`;

test.serial('unplugging while pyserial and node-serialport hold the port: both see a disconnect; plugged in again, the same path moves data both ways', async (t) => {
  const rig = new HwRig();
  let app: LineProcess | undefined;
  try {
    const { port, path } = await acmPort(rig, 'reconnect-1');
    await rig.echo(port);
    await settle();
    const link = '/dev/serial/by-vtty/reconnect-1';
    t.is(realpathSync(link), path);

    app = new LineProcess(debianPython, ['-c', PYTHON_PACE + PYSERIAL_ACROSS_UNPLUG, path]);
    await app.event('ready');
    const node = new SerialPort({ path, baudRate: 115200 });
    await within('node-serialport open', once(node, 'open'));
    // The failed write is an 'error' too, and the stream's own destruction a plain 'close':
    // the application's disconnect handler looks for the close that says so.
    const errors: Error[] = [];
    node.on('error', (error) => errors.push(error));
    const disconnected = within(
      'node-serialport close with a disconnect',
      new Promise<Error>((resolve) => {
        node.on('close', (error: (Error & { disconnected?: boolean }) | null) => {
          if (error?.disconnected === true) resolve(error);
        });
      }),
    );

    await rig.unplug(port);
    t.false(existsSync(path), 'the node outlived the unplug');
    // pyserial: its blocked read ends (no data from a hung-up tty), its write fails.
    t.regex(String((await app.event('read')).error), /returned no data|device disconnected/);
    t.regex(String((await app.event('write')).error), /Input\/output error/);
    // node-serialport reads 0 from the hung-up tty as from a pulled adapter, and learns of the
    // disconnect from its next write (EIO).
    node.write('x');
    t.regex((await disconnected).message, /Input\/output error|EIO/);
    t.log(`node-serialport errors: ${errors.map(String).join('; ')}`);
    await settle();
    t.false(existsSync(link), 'the by-vtty link outlived the unplug');
    t.false(existsSync(`/sys/devices/vtty/${path.slice(5)}`), 'the parent outlived the unplug');

    await rig.plug(port);
    t.is(await rig.path(port), path, 'plugged in again under another name');
    await settle();
    t.is(realpathSync(link), path);
    app.send('go');
    t.is((await app.event('reopened')).got, 'hello');
    t.is(await within('pyserial exit', app.exit()), 0);

    const again = new SerialPort({ path, baudRate: 115200 });
    await within('node-serialport open after the plug', once(again, 'open'));
    const echoed = within('node-serialport echo', once(again, 'data') as Promise<[Buffer]>);
    again.write('ping');
    t.is((await echoed)[0].toString(), 'ping');
    await new Promise<void>((resolve, reject) => {
      again.close((error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  } finally {
    await app?.stop();
    await rig.end();
  }
});

test.serial('an application kept open across the unplug gets a fresh tty when it opens the port again', async (t) => {
  const rig = new HwRig();
  try {
    const { port, path } = await acmPort(rig, 'reconnect-2');
    await rig.echo(port);
    // The application sets 115200 raw and keeps that file while the port is unplugged.
    const app = new LineProcess(debianPython, [
      '-c',
      `
import json, os, sys, termios, tty
path = sys.argv[1]
old = os.open(path, os.O_RDWR | os.O_NOCTTY)
tty.setraw(old)
termios.tcsetattr(old, termios.TCSANOW, termios.tcgetattr(old)[:4] + [termios.B115200, termios.B115200] + termios.tcgetattr(old)[6:])
print(json.dumps({'event': 'set'}), flush=True)
sys.stdin.readline()
new = os.open(path, os.O_RDWR | os.O_NOCTTY)
a = termios.tcgetattr(new)
print(json.dumps({'event': 'new', 'speed': a[5], 'icanon': bool(a[3] & termios.ICANON), 'b9600': termios.B9600}), flush=True)
`,
      path,
    ]);
    await app.event('set');
    await rig.unplug(port);
    await rig.plug(port);
    app.send('go');
    const fresh = await app.event('new');
    t.is(fresh.speed, fresh.b9600, 'the reopened tty kept the old settings');
    t.true(fresh.icanon);
    t.is(await within('application exit', app.exit()), 0);
  } finally {
    await rig.end();
  }
});

// An application with reconnect logic: it opens the port, sends a byte, reads the answer, and
// when anything fails closes and opens again at once, until told to stop. Whether the port is
// there is what it tries; it counts its opens and its answered bytes.
const REOPEN_LOOP = `
import json, os, sys, serial, termios
path, stop = sys.argv[1], sys.argv[2]
opens = answered = failures = 0
errors = {}
while not os.path.exists(stop):
    try:
        with serial.Serial(path, 115200, timeout=10 * PACE) as s:
            opens += 1
            s.write(b'x')
            if s.read(1) == b'x':
                answered += 1
    # An unplug in the middle of pyserial's open fails its tcsetattr() with termios.error.
    except (serial.SerialException, OSError, termios.error) as e:
        failures += 1
        kind = str(e).split(':')[0][:60]
        errors[kind] = errors.get(kind, 0) + 1
print(json.dumps({'event': 'done', 'opens': opens, 'answered': answered, 'failures': failures, 'errors': errors}), flush=True)
`;

test.serial('1,000 unplug and plug cycles with an application reopening in a loop', async (t) => {
  const cycles = 1000;
  // Minutes on a debug kernel with udev handling four uevents a cycle: past ava's default.
  t.timeout(scaledDeadline(60 * 60_000), 'the 1,000 cycles');
  const rig = new HwRig();
  const dir = mkdtempSync(join(tmpdir(), 'vtty-hotplug-'));
  const stop = join(dir, 'stop');
  const apps: LineProcess[] = [];
  try {
    let port = await rig.open();
    port = await rig.setIdentity(port, { kind: 'usb-serial', usbId: { vendorId: 0x1a86, productId: 0x7523 }, product: 'USB Serial' });
    await rig.setIndex(port, 42);
    const path = '/dev/ttyUSBV42';
    const app = new LineProcess(debianPython, ['-c', PYTHON_PACE + REOPEN_LOOP, path, stop]);
    apps.push(app);
    // Each cycle waits for the application's byte: every one of them is a reopen that worked.
    const done = rig.cycles(port, cycles, 60 * 60_000);
    await done.catch(() => undefined);
    writeFileSync(stop, '');
    t.log(`application: ${JSON.stringify(await app.event('done', 60_000))}`);
    t.is(await done, cycles);
    const report = await app.event('done', 60_000);
    t.true(Number(report.opens) >= cycles);
    t.true(Number(report.answered) >= 1);
    await settle();
    t.false(existsSync(path));
  } finally {
    writeFileSync(stop, '');
    for (const app of apps) await app.stop();
    await rig.end();
    rmSync(dir, { recursive: true, force: true });
  }
});
