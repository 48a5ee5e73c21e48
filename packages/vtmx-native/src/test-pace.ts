/**
 * Deadlines for tests that run on machines of every speed. A test run measures once how much
 * slower than a quiet machine its guest is (uml/measure-pace.sh, inside the guest, before the
 * suites) and passes the factor on as `VTTY_TEST_PACE`; every deadline a test sets goes
 * through {@link scaledDeadline}, so a loaded host stretches the deadlines instead of failing
 * the tests, while a real hang still fails, only later.
 *
 * @packageDocumentation
 */

/** The environment variable that carries the measured factor. @public */
export const TEST_PACE_VARIABLE = 'VTTY_TEST_PACE';

/**
 * How many times slower than a quiet machine this run's machine is: `VTTY_TEST_PACE`, or 1
 * when it is unset.
 *
 * @returns a factor of at least 1
 * @throws Error when the variable is set to anything but a number of at least 1
 * @public
 */
export function testPace(): number {
  const raw = process.env[TEST_PACE_VARIABLE];
  if (raw === undefined || raw === '') return 1;
  const pace = Number(raw);
  if (!Number.isFinite(pace) || pace < 1) throw new Error(`${TEST_PACE_VARIABLE} must be a number of at least 1, not '${raw}'`);
  return pace;
}

/**
 * A deadline for something that takes at most `ms` on a quiet machine, stretched by
 * {@link testPace}. Only for upper bounds (how long to wait for an event before calling it a
 * hang), never for how long something must take or for a pause.
 *
 * @param ms - the deadline on a quiet machine, in milliseconds
 * @returns the deadline on this machine, in milliseconds
 * @public
 */
export function scaledDeadline(ms: number): number {
  return Math.round(ms * testPace());
}
