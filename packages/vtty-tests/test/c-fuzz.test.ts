// vtty_fuzz (c/vtty_fuzz.c): a seeded fuzz of /dev/vtmx and /dev/ttyV<n> from several processes
// at once: known and unknown ioctls, bad pointers, short buffers, random flags. The verdict is
// the program's (EFAULT for bad buffers, ENOTTY for unknown commands, well-formed packets, a
// usable port afterwards...) and the bench's: a clean kernel log.
//
// CI runs a fixed seed, so that a failure repeats. To reproduce one, or to explore:
//   VTTY_TEST_FUZZ_SEED     the seed (default 19; 'random': the program picks one and prints it)
//   VTTY_TEST_FUZZ_OPS      operations in all (default 300000: about 100 s on a quiet machine)
//   VTTY_TEST_FUZZ_SECONDS  at most this long (default 180), whatever the count reached; the
//                           program prints the count
//   VTTY_TEST_FUZZ_PROCS    processes (default 4)
// or run the program itself, as the failure message says:
//   uml/run.sh --kernel 7.2 -- packages/vtty-tests/c/build/vtty_fuzz --seed S --procs P --ops N
// With one process a seed repeats the run exactly; with several, the same calls meet in the
// order the scheduler picks. A run the time limit stopped is the start of the run without it.
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
  const seconds = envNumber('VTTY_TEST_FUZZ_SECONDS', 180);
  const procs = envNumber('VTTY_TEST_FUZZ_PROCS', 4);
  const args = ['--procs', String(procs), '--ops', String(ops), '--seconds', String(seconds)];
  if (seed !== 'random') args.push('--seed', seed);
  // Beyond the time limit: the calls under way, the check of a fresh port, the report.
  const deadline = seconds * 1000 + 120_000;
  t.timeout(scaledDeadline(deadline) + 60_000);
  const stdout = await runCProgram(t, 'vtty_fuzz', args, deadline);
  if (stdout !== undefined) t.regex(stdout, /^vtty_fuzz: seed \d+, .* 0 unexpected, 0 other failures$/m);
});
