// vtty_fuzz (c/vtty_fuzz.c): a seeded fuzz of /dev/vtmx and /dev/ttyV<n> from several processes
// at once: known and unknown ioctls, bad pointers, short buffers, random flags. The verdict is
// the program's (EFAULT for bad buffers, ENOTTY for unknown commands, well-formed packets, a
// usable port afterwards...) and the bench's: a clean kernel log.
//
// CI runs a fixed seed, so that a failure repeats. To reproduce one, or to explore:
//   VTTY_TEST_FUZZ_SEED   the seed (default 19; 'random' lets the program pick one and print it)
//   VTTY_TEST_FUZZ_OPS    calls in all (default 300000)
//   VTTY_TEST_FUZZ_PROCS  processes (default 4)
// or run the program itself, as the failure message says:
//   uml/run.sh --kernel 7.2 -- packages/vtty-tests/c/build/vtty_fuzz --seed S --procs P --ops N
// With one process a seed repeats the run exactly; with several, the same calls meet in the
// order the scheduler picks.
import test from 'ava';
import { scaledDeadline } from 'vtmx-native/testing';
import { assertInsideBench } from '../src/index.js';
import { envNumber, runCProgram } from '../src/c-programs.js';

test.before(() => {
  assertInsideBench();
});

test.serial('vtty_fuzz: a seeded fuzz of both sides leaves a clean log and a usable port', async (t) => {
  const seed = process.env.VTTY_TEST_FUZZ_SEED ?? '19';
  const ops = envNumber('VTTY_TEST_FUZZ_OPS', 300_000);
  const procs = envNumber('VTTY_TEST_FUZZ_PROCS', 4);
  const args = ['--procs', String(procs), '--ops', String(ops)];
  if (seed !== 'random') args.push('--seed', seed);
  // At 1,000 calls a second, far below what UML reaches, plus the check of a fresh port.
  const deadline = ops + 120_000;
  t.timeout(scaledDeadline(deadline) + 60_000);
  const stdout = await runCProgram(t, 'vtty_fuzz', args, deadline);
  if (stdout !== undefined) t.regex(stdout, /^vtty_fuzz: seed \d+, .* 0 unexpected, 0 other failures$/m);
});
