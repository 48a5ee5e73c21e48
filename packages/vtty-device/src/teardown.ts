/**
 * The devices a process has open, so that a test framework without per-test teardown (jest's
 * `afterEach`, mocha's) can close whatever a failed test left behind.
 *
 * @packageDocumentation
 */

/** What the registry needs of a device. */
interface Closable {
  close(): Promise<void>;
}

const open = new Set<Closable>();

/**
 * Note a device as open.
 *
 * @param device - the device
 * @internal
 */
export function rememberDevice(device: Closable): void {
  open.add(device);
}

/**
 * Forget a device (it was closed).
 *
 * @param device - the device
 * @internal
 */
export function forgetDevice(device: Closable): void {
  open.delete(device);
}

/**
 * Close every device this process has open (for `afterEach` in jest or mocha; ava,
 * `node:test` and vitest can tie each device to its test with `DeviceOptions.teardown`).
 *
 * @returns resolves once every port is gone
 * @public
 */
export async function closeAllDevices(): Promise<void> {
  await Promise.all([...open].map((d) => d.close()));
}
