import test from 'ava';
import { openTty, Vtmx, type Tty } from 'vtmx-native';
import {
  TAG_SET_MODEM,
  TAG_UART_RX,
  TIOCM_RTS,
  VTTY_FEAT_HW_FLOW,
  VTTY_FEAT_MODEM_EVENTS,
  VTTY_FEAT_SW_FLOW,
} from 'vtty-protocol';
import { assertInsideBench, pollUntil, firstDifference, randomPayload, sleep, stty, writeUntilFull } from '../src/index.js';
import { setFeatures, splitRaw } from '../src/ext-vtty.js';

const MiB = 1024 * 1024;
const SIZE = Number(process.env.VTTY_FLOW_MIB ?? '16') * MiB;
const XON = 0x11;
const XOFF = 0x13;

test.before(() => {
  assertInsideBench();
});

/** Writes all of data from the application, in 64 KiB pieces. */
async function appWrite(app: Tty, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length; off += 65536) await app.write(data.subarray(off, Math.min(data.length, off + 65536)));
}

/** Reads exactly size bytes on the application side, optionally slowly. */
async function appRead(app: Tty, size: number, pauseEvery = 0, pauseMs = 0): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let filled = 0;
  let sincePause = 0;
  while (filled < size) {
    const chunk = await app.read(Math.min(65536, size - filled));
    if (chunk.length === 0) throw new Error(`end of file after ${filled}`);
    out.set(chunk, filled);
    filled += chunk.length;
    sincePause += chunk.length;
    if (pauseEvery && sincePause >= pauseEvery) {
      sincePause = 0;
      await sleep(pauseMs);
    }
  }
  return out;
}

/** Random generator with a fixed seed, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Where the next hold of output starts: 64 to 448 KiB further into the stream. Counted in bytes,
 * not packets, because a packet carries whatever the driver's output queue held.
 */
function nextHold(random: () => number, filled: number): number {
  return filled + Math.floor((64 + random() * 384) * 1024);
}

test.serial('16 MiB each way without flow control, fast readers, seed master (no features)', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, 'raw', '-echo');
  const app = openTty(master.path);
  const out = randomPayload(SIZE);
  const received = new Uint8Array(SIZE);
  let filled = 0;
  const reading = (async () => {
    while (filled < SIZE) {
      const raw = await master.readRaw();
      if (raw[0] !== TAG_UART_RX) continue;
      received.set(raw.subarray(1), filled);
      filled += raw.length - 1;
    }
  })();
  await appWrite(app, out);
  await reading;
  t.is(firstDifference(received, out), -1);

  const inbound = randomPayload(SIZE);
  const got = appRead(app, SIZE);
  await master.write(inbound);
  t.is(firstDifference(await got, inbound), -1);
  await app.close();
  await master.close();
});

test.serial('CRTSCTS: 16 MiB byte-exact while the master toggles CTS at random; CTS low holds output, TIOCOUTQ honest', async (t) => {
  const master = await Vtmx.open();
  setFeatures(master, VTTY_FEAT_HW_FLOW);
  await stty(master.path, 'raw', '-echo', 'crtscts');
  const app = openTty(master.path);
  const out = randomPayload(SIZE);
  const random = rng(1);
  master.setModemLines({ cts: true });
  const writing = appWrite(app, out);
  const received = new Uint8Array(SIZE);
  let filled = 0;
  let holds = 0;
  let verifiedHolds = 0;
  let holdAt = nextHold(random, 0);
  while (filled < SIZE) {
    if (filled >= holdAt) {
      holdAt = nextHold(random, filled);
      master.setModemLines({ cts: false });
      holds++;
      // Packets the binding read ahead before CTS fell still count; after that, nothing moves.
      await sleep(20);
      const q1 = app.outputQueue();
      await sleep(30 + Math.floor(random() * 50));
      const q2 = app.outputQueue();
      if (q1 > 0) {
        t.is(q2, q1, 'output moved while CTS was low');
        verifiedHolds++;
      }
      master.setModemLines({ cts: true });
    }
    const raw = await master.readRaw();
    if (raw[0] !== TAG_UART_RX) continue;
    received.set(raw.subarray(1), filled);
    filled += raw.length - 1;
  }
  await writing;
  t.is(firstDifference(received, out), -1);
  t.true(holds >= SIZE / MiB && verifiedHolds >= SIZE / MiB / 2, `${holds} holds, ${verifiedHolds} verified`);
  t.is(app.outputQueue(), 0);
  await app.close();
  await master.close();
});

test.serial('CRTSCTS: a full input drops RTS (modem packet) and the master cannot write until the application reads; 16 MiB byte-exact', async (t) => {
  const master = await Vtmx.open();
  setFeatures(master, VTTY_FEAT_HW_FLOW | VTTY_FEAT_MODEM_EVENTS);
  await stty(master.path, 'raw', '-echo', 'crtscts');
  const app = openTty(master.path);
  const modem: number[] = [];
  const flags = { stopReading: false };
  const packets = (async () => {
    while (!flags.stopReading) {
      let raw: Uint8Array;
      try {
        raw = await master.readRaw();
      } catch {
        return;
      }
      const p = splitRaw(raw);
      if (p.tag === TAG_SET_MODEM) modem.push(p.u32);
    }
  })();
  const inbound = randomPayload(SIZE);
  // Nobody reads yet: the master can store only about the line discipline's 4 KiB plus one chunk.
  const stored = writeUntilFull(master, inbound, 0);
  // Without the feature the flip buffer would take about 1.1 MiB.
  t.true(stored < 512 * 1024, `stored ${stored} bytes before RTS held the master`);
  await sleep(200);
  t.is(master.tryWrite(inbound.subarray(stored, stored + 4096)), 0, 'the master can write while RTS is low');
  t.is(app.getModemLines() & TIOCM_RTS, 0, 'RTS is low while throttled');
  t.true(modem.some((lines) => (lines & TIOCM_RTS) === 0), 'the master saw RTS drop');
  const got = appRead(app, SIZE, 256 * 1024, 5);
  await master.write(inbound.subarray(stored));
  t.is(firstDifference(await got, inbound), -1);
  t.true(modem.filter((lines) => (lines & TIOCM_RTS) === 0).length >= 2, 'RTS dropped repeatedly');
  t.not(app.getModemLines() & TIOCM_RTS, 0, 'RTS high again once read');
  flags.stopReading = true;
  await app.close();
  await master.close();
  await packets;
});

test.serial('IXON: 16 MiB byte-exact while the master sends XOFF/XON at random; XOFF holds output', async (t) => {
  const master = await Vtmx.open();
  setFeatures(master, VTTY_FEAT_SW_FLOW);
  await stty(master.path, 'raw', '-echo', 'ixon', '-ixany');
  const app = openTty(master.path);
  const out = randomPayload(SIZE);
  const random = rng(2);
  const writing = appWrite(app, out);
  const received = new Uint8Array(SIZE);
  let filled = 0;
  let holds = 0;
  let verifiedHolds = 0;
  let holdAt = nextHold(random, 0);
  while (filled < SIZE) {
    if (filled >= holdAt) {
      holdAt = nextHold(random, filled);
      await master.write(new Uint8Array([XOFF]));
      holds++;
      await sleep(30);
      const q1 = app.outputQueue();
      await sleep(30 + Math.floor(random() * 50));
      const q2 = app.outputQueue();
      if (q1 > 0) {
        t.is(q2, q1, 'output moved after XOFF');
        verifiedHolds++;
      }
      await master.write(new Uint8Array([XON]));
    }
    const raw = await master.readRaw();
    if (raw[0] !== TAG_UART_RX) continue;
    received.set(raw.subarray(1), filled);
    filled += raw.length - 1;
  }
  await writing;
  t.is(firstDifference(received, out), -1);
  t.true(holds >= SIZE / MiB && verifiedHolds >= SIZE / MiB / 2, `${holds} holds, ${verifiedHolds} verified`);
  // The flow characters were consumed, not delivered.
  t.is(app.inputQueue(), 0);
  await app.close();
  await master.close();
});

test.serial('IXOFF: a slowly reading application makes the driver send XOFF/XON ahead of output; 16 MiB byte-exact', async (t) => {
  const master = await Vtmx.open();
  setFeatures(master, VTTY_FEAT_SW_FLOW);
  await stty(master.path, 'raw', '-echo', 'ixoff', '-ixon');
  const app = openTty(master.path);
  const inbound = randomPayload(SIZE);
  const flow = { stopped: false, done: false };
  let xoffs = 0;
  let xons = 0;
  let written = 0;
  let maxAfterXoff = 0;
  let sinceXoff = 0;
  const unexpected: number[] = [];
  const got = appRead(app, SIZE, 128 * 1024, 2);
  const reader = (async () => {
    while (!flow.done) {
      let raw: Uint8Array;
      try {
        raw = await master.readRaw();
      } catch {
        return;
      }
      if (raw[0] !== TAG_UART_RX) continue;
      for (const b of raw.subarray(1)) {
        if (b === XOFF) {
          xoffs++;
          flow.stopped = true;
          sinceXoff = 0;
        } else if (b === XON) {
          xons++;
          flow.stopped = false;
        } else {
          unexpected.push(b);
        }
      }
    }
  })();
  while (written < SIZE) {
    if (flow.stopped) {
      await sleep(1);
      continue;
    }
    const n = master.tryWrite(inbound.subarray(written, written + 4096));
    if (n === 0) {
      await sleep(1);
      continue;
    }
    written += n;
    sinceXoff += n;
    maxAfterXoff = Math.max(maxAfterXoff, sinceXoff);
  }
  t.is(firstDifference(await got, inbound), -1);
  flow.done = true;
  t.deepEqual(unexpected.slice(0, 20), [], `${unexpected.length} bytes other than XON/XOFF`);
  t.true(xoffs > 0, 'no XOFF seen');
  // Every XOFF the master saw is followed by an XON once the application caught up.
  await pollUntil(() => xons >= xoffs, 2000);
  t.is(xons, xoffs, `${xoffs} XOFF, ${xons} XON`);
  await app.close();
  await master.close();
  await reader.catch(() => undefined);
});

for (const withFeature of [true, false]) {
  test.serial(`tcflow(TCIOFF): XOFF goes ${withFeature ? 'ahead of' : 'behind (seed master)'} queued output`, async (t) => {
    const master = await Vtmx.open();
    if (withFeature) setFeatures(master, VTTY_FEAT_SW_FLOW);
    await stty(master.path, 'raw', '-echo');
    // Drain the stty packet.
    await master.readRaw();
    const script = `
import os, sys, termios
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
os.write(fd, b"hello")
termios.tcflow(fd, termios.TCIOFF)
`;
    const { python } = await import('../src/index.js');
    await python(script, [master.path]);
    const bytes: number[] = [];
    while (bytes.length < 6) {
      const raw = await master.readRaw();
      if (raw[0] === TAG_UART_RX) bytes.push(...raw.subarray(1));
    }
    const hello = [...Buffer.from('hello')];
    t.deepEqual(bytes, withFeature ? [XOFF, ...hello] : [...hello, XOFF]);
    await master.close();
  });
}
