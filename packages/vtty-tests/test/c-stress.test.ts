// vtty_stress (c/vtty_stress.c): several ports driven from both sides by processes of their
// own, for a bounded time. Here, in the ava suite, on a uniprocessor UML; where the kernel has
// two CPUs (UML 7.2, Debian's kernels in QEMU) the program runs directly, without Node. The
// verdict is the program's (every call succeeded or failed as the interface allows in the
// race, and a fresh port works afterwards) and the bench's: a clean kernel log.
//
//   VTTY_TEST_STRESS_SECONDS  how long (default 60)
//   VTTY_TEST_STRESS_PORTS    how many ports at once, three processes each (default 3)
//
// The duration is not stretched by the machine's pace, so that the suite's time stays bounded:
// a slow machine makes fewer calls in it (the program adapts its port lifetimes to that), and
// the deadline for the program to finish is what stretches.
import test from 'ava';
import { scaledDeadline } from 'vtmx-native/testing';
import { assertInsideBench } from '../src/index.js';
import { envNumber, runCProgram } from '../src/c-programs.js';

test.before(() => {
  assertInsideBench();
});

test.serial('vtty_stress: both sides of several ports hammered at once, closed in every order', async (t) => {
  const seconds = envNumber('VTTY_TEST_STRESS_SECONDS', 60);
  const ports = envNumber('VTTY_TEST_STRESS_PORTS', 3);
  // Beyond the run itself: the workers' last calls, the check of a fresh port, the report.
  const deadline = seconds * 1000 + 120_000;
  t.timeout(scaledDeadline(deadline) + 60_000);
  const stdout = await runCProgram(t, 'vtty_stress', ['--seconds', String(seconds), '--ports', String(ports)], deadline);
  if (stdout !== undefined) t.regex(stdout, /^vtty_stress: .* ops .* 0 unexpected, 0 other failures$/m);
});
