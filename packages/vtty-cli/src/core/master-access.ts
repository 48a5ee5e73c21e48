/**
 * Why the master device could not be opened, when the machine is the reason: the module is
 * not loaded, or the user may not open the device. Apart from master-device.ts because it
 * needs the binding, which `vtty list` does without.
 *
 * @packageDocumentation
 */
import { isModuleMissingError } from 'vtmx-native';
import { CliError, ExitCode, errorCode } from './errors.js';
import { moduleNotLoadedError } from './master-device.js';

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
  if (isModuleMissingError(error)) return moduleNotLoadedError(device, error);
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') {
    return new CliError(
      `cannot open ${device}: permission denied (install the module's udev rule and join the dialout group, or run as root)`,
      ExitCode.Failure,
      error,
    );
  }
  return undefined;
}
