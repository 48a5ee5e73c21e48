// Runs test/node-test/scripted-device.ts with Node's own runner (`node --test`), so that the
// suite shows vtty-device working outside ava: its tests must all pass, none skipped.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { assertInsideBench, run } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

const script = fileURLToPath(new URL('node-test/scripted-device.js', import.meta.url));

test.serial('a scripted device under node:test: its two tests pass', async (t) => {
  const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', script], 120_000);
  t.regex(stdout, /^# pass 2$/m, stdout);
  t.regex(stdout, /^# fail 0$/m, stdout);
  t.regex(stdout, /^# skipped 0$/m, stdout);
});
