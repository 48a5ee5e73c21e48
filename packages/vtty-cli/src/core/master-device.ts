/**
 * The master device (`/dev/vtmx`) and what to tell a user when it is missing: the one place
 * that says how to load the vtty module.
 *
 * @packageDocumentation
 */
import { CliError, ExitCode, errorCode } from './errors.js';

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

/** Codes that mean the master device is missing: the module is not loaded. */
const MODULE_MISSING = new Set(['ENOENT', 'ENODEV', 'ENXIO']);

/**
 * What to tell a user whose open of the master device failed because of the machine: the
 * module is not loaded, or the user may not open the device. Other errors are the caller's
 * to word.
 *
 * @param device - the master device
 * @param error - what the open threw
 * @returns the error (exit status 1), or undefined for another cause
 * @public
 */
export function masterAccessError(device: string, error: unknown): CliError | undefined {
  const code = errorCode(error);
  if (code !== undefined && MODULE_MISSING.has(code)) return moduleNotLoadedError(device, error);
  if (code === 'EACCES' || code === 'EPERM') {
    return new CliError(
      `cannot open ${device}: permission denied (install the module's udev rule and join the dialout group, or run as root)`,
      ExitCode.Failure,
      error,
    );
  }
  return undefined;
}
