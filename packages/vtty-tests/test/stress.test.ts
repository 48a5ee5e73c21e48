import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { assertInsideBench, CommandError, run } from '../src/index.js';
import { describeHolders, portHolders } from '../src/port-holders.js';

const script = fileURLToPath(new URL('../../scripts/stress.py', import.meta.url));

/** The /dev/ttyV<n> nodes that exist now. */
function existingPorts(): string[] {
  return readdirSync('/dev').filter((name) => /^ttyV\d+$/.test(name));
}

/** The ports that exist now, and who holds a vtty device: for a message that names the culprit. */
function portsAndHolders(): string {
  const ports = existingPorts();
  const holders = portHolders();
  return `ports: ${ports.join(' ') || 'none'}; ` + (holders.length > 0 ? `held by:\n${describeHolders(holders)}` : 'no process holds a vtty device');
}

test.before(() => {
  assertInsideBench();
});

// The kernel side is judged by the bench: lockdep, KASAN and kmemleak run
// under this test, and any report fails the whole run.
test.serial('10,000 open/close iterations from 4 processes racing on both sides leave nothing behind', async (t) => {
  // The test counts the ports left at the end, so it must start with none: a port here was
  // left by something else, and the message says what holds it.
  t.deepEqual(existingPorts(), [], `ports exist before the stress test starts; ${portsAndHolders()}`);
  const seed = Number(process.env.VTTY_TEST_SEED ?? Date.now() % 100_000);
  t.log(`seed ${seed} (VTTY_TEST_SEED=${seed} repeats this run)`);
  let stdout: string;
  try {
    ({ stdout } = await run('/usr/bin/python3', [script, '4', '2500', String(seed)], 20 * 60_000));
  } catch (error) {
    if (error instanceof CommandError && error.stdout.includes('ports left behind')) {
      t.fail(`${error.stdout.trim()}; ${portsAndHolders()}`);
      return;
    }
    throw error;
  }
  t.regex(stdout, /^stress: 10000 iterations, \d+ cross opens, 0 unexpected errors$/m);
  const cross = Number(/(\d+) cross opens/.exec(stdout)?.[1]);
  t.true(cross > 100, `only ${cross} opens of another process's port: the race was hardly exercised`);
});
