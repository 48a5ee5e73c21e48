import test from 'ava';
import { OperationCancelledError, openTty, Vtmx } from 'vtmx-native';
import { TIOCM_CAR, TIOCM_CTS, TIOCM_DSR, TIOCM_RNG } from 'vtty-protocol';
import { assertInsideBench, pollUntil, readData, sleep, stty } from '../src/index.js';
import { settledWithin } from '../src/ext-vtty.js';

test.before(() => {
  assertInsideBench();
});

const LINES: readonly [string, number, 'cts' | 'dsr' | 'dcd' | 'ri'][] = [
  ['CTS', TIOCM_CTS, 'cts'],
  ['DSR', TIOCM_DSR, 'dsr'],
  ['DCD', TIOCM_CAR, 'dcd'],
  ['RI', TIOCM_RNG, 'ri'],
];

for (const [name, bit, key] of LINES) {
  test.serial(`TIOCMIWAIT on ${name} sleeps until the master changes ${name}, both edges`, async (t) => {
    const master = await Vtmx.open();
    const app = openTty(master.path);
    for (const level of [true, false]) {
      const wait = app.waitModemChange(bit);
      t.false(await settledWithin(wait, 150), `woke before ${name} changed`);
      // Changing every other line does not wake it.
      const others = LINES.filter(([, b]) => b !== bit).map(([, , k]) => k);
      const state = { cts: false, dsr: false, dcd: false, ri: false, [key]: !level };
      for (const other of others) {
        state[other] = !state[other];
        master.setModemLines(state);
      }
      t.false(await settledWithin(wait, 150), `woke on another line's change`);
      master.setModemLines({ cts: false, dsr: false, dcd: false, ri: false, [key]: level });
      await wait;
      t.is(Boolean(app.getModemLines() & bit), level);
    }
    await app.close();
    await master.close();
  });
}

test.serial('TIOCMIWAIT with a mask of several lines wakes on any of them', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  const wait = app.waitModemChange(TIOCM_CTS | TIOCM_RNG);
  t.false(await settledWithin(wait, 150));
  master.setModemLines({ ri: true });
  await wait;
  t.pass();
  await app.close();
  await master.close();
});

test.serial('a signal interrupts TIOCMIWAIT (EINTR, no restart) and the port stays usable', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  const controller = new AbortController();
  const wait = app.waitModemChange(TIOCM_CTS, controller.signal);
  t.false(await settledWithin(wait, 150));
  controller.abort();
  await t.throwsAsync(wait, { instanceOf: OperationCancelledError });
  const again = app.waitModemChange(TIOCM_CTS);
  // Let the thread pool enter the ioctl before the change it waits for.
  t.false(await settledWithin(again, 150));
  master.setModemLines({ cts: true });
  await again;
  await app.close();
  await master.close();
});

test.serial('the master closing ends a blocked TIOCMIWAIT with EIO', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  const wait = app.waitModemChange(TIOCM_CTS | TIOCM_DSR);
  t.false(await settledWithin(wait, 150));
  await master.close();
  await t.throwsAsync(wait, { code: 'EIO' });
  await app.close();
});

test.serial('a carrier hangup (DCD falls without CLOCAL) ends a blocked TIOCMIWAIT with EIO', async (t) => {
  const master = await Vtmx.open();
  master.setModemLines({ dcd: true });
  await stty(master.path, '-clocal');
  const app = openTty(master.path);
  const wait = app.waitModemChange(TIOCM_CTS);
  t.false(await settledWithin(wait, 150));
  master.setModemLines({ dcd: false });
  await t.throwsAsync(wait, { code: 'EIO' });
  await app.close();
  await master.close();
});

test.serial('TIOCGICOUNT counts every master-side line change and the bytes both ways', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  app.makeRaw();
  const before = app.getIcount();
  t.like(before, { cts: 0, dsr: 0, rng: 0, dcd: 0, rx: 0, tx: 0, frame: 0, overrun: 0, parity: 0, brk: 0, bufOverrun: 0 });
  // cts: 5 edges, dsr: 2, ri: 4, dcd: 1.
  const states = [
    { cts: true, dsr: true, ri: true, dcd: false },
    { cts: false, dsr: true, ri: false, dcd: false },
    { cts: true, dsr: true, ri: true, dcd: false },
    { cts: false, dsr: true, ri: false, dcd: true },
    { cts: true, dsr: false, ri: false, dcd: true },
  ];
  for (const s of states) master.setModemLines(s);
  await master.write(new Uint8Array(1000).fill(0x41));
  await app.write(new Uint8Array(777).fill(0x42));
  await readData(master, 777);
  let got = new Uint8Array(0);
  while (got.length < 1000) got = new Uint8Array([...got, ...(await app.read())]);
  t.like(app.getIcount(), { cts: 5, dsr: 2, rng: 4, dcd: 2 - 1, rx: 1000, tx: 777, frame: 0, overrun: 0, parity: 0, brk: 0 });
  await app.close();
  await master.close();
});

test.serial('pyserial cts, dsr, ri and cd follow the master while the port stays open', async (t) => {
  const master = await Vtmx.open();
  const script = `
import serial, sys
port = serial.Serial(sys.argv[1])
sys.stdout.write("ready\\n"); sys.stdout.flush()
for line in sys.stdin:
    print(int(port.cts), int(port.dsr), int(port.ri), int(port.cd), flush=True)
port.close()
`;
  const { spawn } = await import('node:child_process');
  const child = spawn('/usr/bin/python3', ['-c', script, master.path], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
  });
  const nextLine = async (): Promise<string> => {
    await pollUntil(() => lines.length > 0, 5000, 25);
    const line = lines.shift();
    if (line === undefined) throw new Error('pyserial said nothing');
    return line;
  };
  t.is(await nextLine(), 'ready');
  const cases: [Parameters<Vtmx['setModemLines']>[0], string][] = [
    [{ cts: true, dsr: false, ri: false, dcd: false }, '1 0 0 0'],
    [{ cts: false, dsr: true, ri: false, dcd: false }, '0 1 0 0'],
    [{ cts: false, dsr: false, ri: true, dcd: false }, '0 0 1 0'],
    [{ cts: false, dsr: false, ri: false, dcd: true }, '0 0 0 1'],
    [{ cts: true, dsr: true, ri: true, dcd: true }, '1 1 1 1'],
  ];
  for (const [lines_, expected] of cases) {
    master.setModemLines(lines_);
    child.stdin.write('?\n');
    t.is(await nextLine(), expected);
  }
  child.stdin.end();
  await new Promise((resolve) => child.on('exit', resolve));
  await master.close();
});

test.serial('TIOCMIWAIT from Python (fcntl.ioctl) sleeps until the master changes DSR', async (t) => {
  const master = await Vtmx.open();
  const script = `
import fcntl, os, sys, termios, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
print("waiting", flush=True)
t0 = time.monotonic()
fcntl.ioctl(fd, termios.TIOCMIWAIT, termios.TIOCM_DSR)
print(round((time.monotonic() - t0) * 1000), flush=True)
`;
  const { spawn } = await import('node:child_process');
  const child = spawn('/usr/bin/python3', ['-c', script, master.path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  while (!out.includes('waiting')) await sleep(20);
  await sleep(400);
  master.setModemLines({ dsr: true });
  t.is(await exited, 0);
  const ms = Number(out.split('\n')[1]);
  t.true(ms >= 350, `returned after ${ms} ms`);
  await master.close();
});
