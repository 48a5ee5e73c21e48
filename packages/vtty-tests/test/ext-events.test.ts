import test from 'ava';
import { spawn } from 'node:child_process';
import { FEATURE_NAMES, featureBits, openTty, Vtmx } from 'vtmx-native';
import {
  TAG_FLUSH,
  TAG_OPEN_COUNT,
  TAG_SET_MODEM,
  TAG_SET_TERMIOS,
  TIOCM_DTR,
  TIOCM_RTS,
  VTMX_GET_ENABLED,
  VTMX_REQUEST_STATE,
  VTTY_FEAT_FLUSH_EVENTS,
  VTTY_FEAT_MODEM_EVENTS,
  VTTY_FEAT_OPEN_EVENTS,
  VTTY_FLUSH_INPUT,
  VTTY_FLUSH_OUTPUT,
  VTTY_RX_BREAK,
  VTTY_RX_FRAME,
  VTTY_RX_NORMAL,
  VTTY_RX_OVERRUN,
  VTTY_RX_PARITY,
} from 'vtty-protocol';
import { assertInsideBench, pollUntil, python, sleep, stty } from '../src/index.js';
import { collectRawUntilQuiet, getFeatures, injectRx, setFeatures, splitRaw, waitRaw } from '../src/ext-vtty.js';

test.before(() => {
  assertInsideBench();
});

test.serial('VTMX_GET_FEATURES lists the extensions; SET_FEATURES refuses unknown bits', (t) => {
  const master = Vtmx.openSync();
  t.is(getFeatures(master), featureBits(FEATURE_NAMES), 'every feature vtty-protocol has a bit for');
  t.is(master.ioctlInt(VTMX_GET_ENABLED, -1), 0);
  t.throws(() => { setFeatures(master, 0x100); }, { code: 'EINVAL' });
  setFeatures(master, VTTY_FEAT_OPEN_EVENTS | VTTY_FEAT_FLUSH_EVENTS);
  t.is(master.ioctlInt(VTMX_GET_ENABLED, 0), VTTY_FEAT_OPEN_EVENTS | VTTY_FEAT_FLUSH_EVENTS);
  t.throws(() => { master.ioctlInt(VTMX_REQUEST_STATE, 1); }, { code: 'EINVAL' });
  void master.close();
});

test.serial('open-count events on open, open, close, close', async (t) => {
  const master = await Vtmx.open();
  setFeatures(master, VTTY_FEAT_OPEN_EVENTS);
  const a = openTty(master.path);
  t.is((await waitRaw(master, (p) => p.tag === TAG_OPEN_COUNT)).packet.u32, 1);
  const b = openTty(master.path);
  t.is((await waitRaw(master, (p) => p.tag === TAG_OPEN_COUNT)).packet.u32, 2);
  await a.close();
  t.is((await waitRaw(master, (p) => p.tag === TAG_OPEN_COUNT)).packet.u32, 1);
  await b.close();
  t.is((await waitRaw(master, (p) => p.tag === TAG_OPEN_COUNT)).packet.u32, 0);
  await master.close();
});

test.serial('modem events: DTR/RTS rise on open and fall on the last close with HUPCL (pyserial open/close)', async (t) => {
  const master = await Vtmx.open();
  setFeatures(master, VTTY_FEAT_MODEM_EVENTS);
  await python('import serial, sys\nserial.Serial(sys.argv[1]).close()', [master.path]);
  const modem = (await collectRawUntilQuiet(master)).filter((p) => p.tag === TAG_SET_MODEM).map((p) => p.u32 & (TIOCM_DTR | TIOCM_RTS));
  t.is(modem[0], TIOCM_DTR | TIOCM_RTS, 'raised on open');
  t.is(modem[modem.length - 1], 0, 'dropped on close');
  await master.close();
});

test.serial('without features the same open/close/tcflush sequence gives only the seed packets', async (t) => {
  const master = await Vtmx.open();
  const script = `
import os, sys, termios
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
termios.tcflush(fd, termios.TCIOFLUSH)
os.close(fd)
`;
  await python(script, [master.path]);
  t.deepEqual((await collectRawUntilQuiet(master)).map((p) => p.tag), []);
  await master.close();
});

test.serial('flush events: tcflush input, output, both', async (t) => {
  const master = await Vtmx.open();
  setFeatures(master, VTTY_FEAT_FLUSH_EVENTS);
  const script = `
import os, sys, termios
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
termios.tcflush(fd, termios.TCIFLUSH)
termios.tcflush(fd, termios.TCOFLUSH)
termios.tcflush(fd, termios.TCIOFLUSH)
`;
  await python(script, [master.path]);
  const flushes = (await collectRawUntilQuiet(master)).filter((p) => p.tag === TAG_FLUSH).map((p) => p.u32);
  t.deepEqual(flushes, [VTTY_FLUSH_INPUT, VTTY_FLUSH_OUTPUT, VTTY_FLUSH_INPUT | VTTY_FLUSH_OUTPUT]);
  await master.close();
});

test.serial('VTMX_REQUEST_STATE gives a late master the current termios, lines and open count', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  await stty(master.path, '57600', 'cs7', 'parenb');
  app.setModemLines(TIOCM_DTR);
  // The packets an earlier master would have read: up to the modem packet with DTR.
  await waitRaw(master, (p) => p.tag === TAG_SET_MODEM && (p.u32 & TIOCM_DTR) !== 0);
  setFeatures(master, VTTY_FEAT_OPEN_EVENTS);
  master.ioctlInt(VTMX_REQUEST_STATE, 0);
  const termios = splitRaw(await master.readRaw());
  t.is(termios.tag, TAG_SET_TERMIOS);
  const view = new DataView(termios.payload.buffer, termios.payload.byteOffset);
  t.is(view.getUint32(40, true), 57600, 'c_ospeed');
  const modem = splitRaw(await master.readRaw());
  t.is(modem.tag, TAG_SET_MODEM);
  t.is(modem.u32 & (TIOCM_DTR | TIOCM_RTS), TIOCM_DTR);
  const open = splitRaw(await master.readRaw());
  t.deepEqual([open.tag, open.u32], [TAG_OPEN_COUNT, 1]);
  await app.close();
  await master.close();
});

async function injectAndRead(settings: string[], inject: [number, number][], expectBytes: number): Promise<number[]> {
  const master = await Vtmx.open();
  await stty(master.path, 'raw', '-echo', ...settings);
  const app = openTty(master.path);
  for (const [byte, cond] of inject) injectRx(master, byte, cond);
  const got: number[] = [];
  await pollUntil(() => app.inputQueue() >= expectBytes, 1000);
  await sleep(100);
  if (app.inputQueue() > 0) got.push(...(await app.read()));
  await app.close();
  await master.close();
  return got;
}

const A = 0x41;
test.serial('injected parity/framing errors and breaks follow PARMRK, INPCK, IGNPAR, IGNBRK', async (t) => {
  t.deepEqual(await injectAndRead(['parenb', 'inpck', 'parmrk', '-ignpar'], [[A, VTTY_RX_PARITY], [0x42, VTTY_RX_NORMAL], [A, VTTY_RX_FRAME], [0, VTTY_RX_BREAK]], 11),
    [0xff, 0, A, 0x42, 0xff, 0, A, 0xff, 0, 0]);
  t.deepEqual(await injectAndRead(['parenb', 'inpck', '-parmrk', '-ignpar', '-brkint', '-ignbrk'], [[A, VTTY_RX_PARITY], [0x42, VTTY_RX_NORMAL], [0, VTTY_RX_BREAK]], 3), [0, 0x42, 0]);
  t.deepEqual(await injectAndRead(['parenb', 'inpck', 'ignpar', 'ignbrk'], [[A, VTTY_RX_PARITY], [0x42, VTTY_RX_NORMAL], [A, VTTY_RX_FRAME], [0, VTTY_RX_BREAK]], 1), [0x42]);
  t.deepEqual(await injectAndRead(['parenb', '-inpck', '-parmrk'], [[A, VTTY_RX_PARITY], [0x42, VTTY_RX_NORMAL]], 2), [A, 0x42]);
  // An overrun keeps the byte, then a TTY_OVERRUN marker: n_tty only notes it ...
  t.deepEqual(await injectAndRead(['parenb', 'inpck'], [[A, VTTY_RX_OVERRUN], [0x42, VTTY_RX_NORMAL]], 2), [A, 0x42]);
  // ... except in real raw mode, where, as on a serial_core UART, the marker arrives as a 0 byte.
  t.deepEqual(await injectAndRead([], [[A, VTTY_RX_OVERRUN], [0x42, VTTY_RX_NORMAL]], 3), [A, 0, 0x42]);
});

test.serial('TIOCGICOUNT counts injected conditions', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  app.makeRaw();
  for (const [byte, cond] of [[A, VTTY_RX_PARITY], [A, VTTY_RX_PARITY], [A, VTTY_RX_FRAME], [0, VTTY_RX_BREAK], [A, VTTY_RX_OVERRUN], [A, VTTY_RX_NORMAL]] as const) injectRx(master, byte, cond);
  t.throws(() => { injectRx(master, A, 5); }, { code: 'EINVAL' });
  t.like(app.getIcount(), { parity: 2, frame: 1, brk: 1, overrun: 1, rx: 6 });
  await app.close();
  await master.close();
});

test.serial('BRKINT: an injected break sends SIGINT to the foreground process group (pyserial-free Python reader)', async (t) => {
  const master = await Vtmx.open();
  const script = `
import os, signal, sys, termios, time
got = []
signal.signal(signal.SIGINT, lambda s, f: got.append(s))
os.setsid()
fd = os.open(sys.argv[1], os.O_RDWR)  # becomes the controlling tty
a = termios.tcgetattr(fd)
a[0] = (a[0] | termios.BRKINT) & ~(termios.IGNBRK | termios.PARMRK)
a[3] |= termios.ISIG
termios.tcsetattr(fd, termios.TCSANOW, a)
print("ready", flush=True)
deadline = time.monotonic() + 5
while not got and time.monotonic() < deadline:
    time.sleep(0.02)
print("sigint" if got else "nothing", flush=True)
`;
  const child = spawn('/usr/bin/python3', ['-c', script, master.path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  while (!out.includes('ready')) await sleep(20);
  injectRx(master, 0, VTTY_RX_BREAK);
  t.is(await exited, 0);
  t.is(out.trim().split('\n').pop(), 'sigint');
  await master.close();
});
