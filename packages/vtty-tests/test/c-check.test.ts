// vtty_check (c/vtty_check.c), the C conformance program: every check of it, in one run.
import test from 'ava';
import { assertInsideBench } from '../src/index.js';
import { runCProgram } from '../src/c-programs.js';

test.before(() => {
  assertInsideBench();
});

test.serial('vtty_check all: the C conformance checks pass', async (t) => {
  // Its last check unloads the module and loads it again from VTTY_MODULE (the bench sets it);
  // without it the module would stay unloaded for every later test.
  if (!process.env.VTTY_MODULE) {
    t.fail('VTTY_MODULE does not name vtty.ko: vtty_check all would leave the module unloaded');
    return;
  }
  const stdout = await runCProgram(t, 'vtty_check', ['all'], 5 * 60_000);
  if (stdout !== undefined) t.regex(stdout, /^0 failure\(s\)$/m);
});
