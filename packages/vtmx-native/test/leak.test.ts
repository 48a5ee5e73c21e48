// 10,000 open/close cycles with no descriptor or memory growth (/proc/self/fd, RSS).
import test from 'ava';
import { Vtmx, openTty } from 'vtmx-native';
import { openFdCount, openPtyPair } from 'vtmx-native/testing';
import { HAVE_VTMX, collectGarbage, delay, rss, warnIfNoVtmx } from './helpers/env.js';

warnIfNoVtmx('leak.test');
const vtest = HAVE_VTMX ? test.serial : test.skip;
const CYCLES = Number(process.env.VTTY_TEST_CYCLES ?? 10_000);
const RSS_SLACK = 16 * 1024 * 1024;

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await delay(20);
  }
}

vtest(`${CYCLES} Vtmx open/close cycles (half with a pending read) leak no fd and no memory`, async (t) => {
  const cycle = async (i: number): Promise<void> => {
    const vtmx = await Vtmx.open();
    if (i % 2 === 0) {
      const pending = vtmx.read().catch(() => undefined);
      await vtmx.close();
      await pending;
    } else {
      await vtmx.close();
    }
  };
  // Warm up long enough for V8's heap and malloc arenas to reach their working size.
  for (let i = 0; i < 2000; i++) await cycle(i);
  await settle();
  const fdsBefore = openFdCount();
  const rssBefore = rss();
  const started = Date.now();
  for (let i = 0; i < CYCLES / 2; i++) await cycle(i);
  await settle();
  const rssHalf = rss();
  for (let i = CYCLES / 2; i < CYCLES; i++) await cycle(i);
  await settle();
  const fdsAfter = openFdCount();
  const rssAfter = rss();
  const mib = (n: number): string => (n / 1048576).toFixed(1);
  t.log(`${CYCLES} cycles in ${Date.now() - started} ms; fds ${fdsBefore} -> ${fdsAfter}; RSS ${mib(rssBefore)} -> ${mib(rssHalf)} -> ${mib(rssAfter)} MiB`);
  t.is(fdsAfter, fdsBefore);
  t.true(rssAfter - rssBefore < RSS_SLACK, `RSS grew by ${rssAfter - rssBefore} bytes`);
  // A steady leak shows in the second half too; heap growth to a working size does not.
  t.true(rssAfter - rssHalf < RSS_SLACK / 2, `RSS grew by ${rssAfter - rssHalf} bytes in the second half`);
});

vtest(`${CYCLES} ttyV open/close cycles with termios calls leak nothing`, async (t) => {
  const vtmx = await Vtmx.open();
  t.teardown(() => vtmx.close());
  const cycle = async (): Promise<void> => {
    const tty = openTty(vtmx.path);
    tty.getAttr();
    await tty.close();
  };
  for (let i = 0; i < 200; i++) await cycle();
  await settle();
  const fdsBefore = openFdCount();
  const rssBefore = rss();
  for (let i = 0; i < CYCLES; i++) await cycle();
  await settle();
  t.is(openFdCount(), fdsBefore);
  const grown = rss() - rssBefore;
  t.log(`RSS growth ${(grown / 1048576).toFixed(2)} MiB`);
  t.true(grown < RSS_SLACK);
});

test.serial('pty pair open/close cycles leak no fd (host)', async (t) => {
  const cycle = async (): Promise<void> => {
    const { master, slave } = openPtyPair();
    const pending = slave.read().catch(() => undefined);
    await slave.close();
    await master.close();
    await pending;
  };
  for (let i = 0; i < 100; i++) await cycle();
  await settle();
  const fdsBefore = openFdCount();
  const rssBefore = rss();
  const n = Math.min(CYCLES, 2000);
  for (let i = 0; i < n; i++) await cycle();
  await settle();
  t.is(openFdCount(), fdsBefore);
  t.true(rss() - rssBefore < RSS_SLACK);
});

test.serial('objects dropped without close() release their fds when collected', async (t) => {
  if ((globalThis as { gc?: unknown }).gc === undefined) {
    t.pass('needs --expose-gc');
    return;
  }
  await settle();
  const before = openFdCount();
  for (let i = 0; i < 50; i++) openPtyPair();
  await settle();
  await settle();
  t.is(openFdCount(), before);
});
