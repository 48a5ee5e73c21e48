import { fileURLToPath } from 'node:url';
import test from 'ava';
import { assertInsideBench, run } from '../src/index.js';

const script = fileURLToPath(new URL('../../scripts/stress.py', import.meta.url));

test.before(() => {
  assertInsideBench();
});

// The kernel side is judged by the bench: lockdep, KASAN and kmemleak run
// under this test, and any report fails the whole run.
test.serial('10,000 open/close iterations from 4 processes racing on both sides leave nothing behind', async (t) => {
  const seed = Number(process.env.VTTY_TEST_SEED ?? Date.now() % 100_000);
  t.log(`seed ${seed} (VTTY_TEST_SEED=${seed} repeats this run)`);
  const { stdout } = await run('/usr/bin/python3', [script, '4', '2500', String(seed)], 20 * 60_000);
  t.regex(stdout, /^stress: 10000 iterations, \d+ cross opens, 0 unexpected errors$/m);
  const cross = Number(/(\d+) cross opens/.exec(stdout)?.[1]);
  t.true(cross > 100, `only ${cross} opens of another process's port: the race was hardly exercised`);
});
