/**
 * The master devices (`/dev/vtmx`, `/dev/vtmx-hotplug`) and what to tell a user when one is
 * missing: the one place that says how to load the vtty module. It needs no native binding
 * (`vtty list` loads it, and works without the addon).
 *
 * @packageDocumentation
 */
import { DEFAULT_VTMX_PATH, HOTPLUG_VTMX_PATH } from 'vtty-protocol';
import { CliError, ExitCode } from './errors.js';

/**
 * The master device: `$VTTY_VTMX`, or `/dev/vtmx`.
 *
 * @returns its path
 * @public
 */
export function masterDevice(): string {
  return process.env.VTTY_VTMX ?? DEFAULT_VTMX_PATH;
}

/**
 * The master device of ports that start unplugged (those given an identity, an index or a
 * name): `$VTTY_VTMX_HOTPLUG`, or `/dev/vtmx-hotplug`.
 *
 * @returns its path
 * @public
 */
export function hotplugMasterDevice(): string {
  return process.env.VTTY_VTMX_HOTPLUG ?? HOTPLUG_VTMX_PATH;
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
