/**
 * The master device (`/dev/vtmx`) and what to tell a user when it is missing: the one place
 * that says how to load the vtty module.
 *
 * @packageDocumentation
 */
import { CliError, ExitCode } from './errors.js';

/**
 * The master device: `$VTTY_VTMX`, or `/dev/vtmx`.
 *
 * @returns its path
 * @public
 */
export function masterDevice(): string {
  return process.env.VTTY_VTMX ?? '/dev/vtmx';
}

/**
 * The error for a missing master device: the vtty module is not loaded.
 *
 * @param device - the master device that is missing
 * @param cause - the underlying error, if any
 * @returns the error (exit status 1)
 * @public
 */
export function moduleNotLoadedError(device: string, cause?: unknown): CliError {
  return new CliError(
    `cannot open ${device}: the vtty kernel module is not loaded: run \`sudo modprobe vtty\`, or \`sudo insmod kernel/vtty.ko\` from a vtty source tree`,
    ExitCode.Failure,
    cause,
  );
}
