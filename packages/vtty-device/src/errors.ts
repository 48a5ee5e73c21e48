/**
 * The one error a scripted device's waits fail with, and why.
 *
 * @packageDocumentation
 */

/**
 * Why a wait of a {@link Device} failed:
 *
 * - `'timeout'`: the application did not do it in time;
 * - `'mismatch'`: an anchored expect saw bytes that cannot start the expected ones;
 * - `'data-first'`: a wait with `beforeData` saw the application send data first;
 * - `'closed'`: the application closed the port (its last open file) during the wait;
 * - `'device-closed'`: the device itself was closed (the test ended) during the wait;
 * - `'aborted'`: the caller's AbortSignal fired.
 *
 * @public
 */
export type WaitFailure = 'timeout' | 'mismatch' | 'data-first' | 'closed' | 'device-closed' | 'aborted';

/** Fields of a {@link DeviceWaitError}. @public */
export interface DeviceWaitErrorFields {
  /** Why the wait failed. */
  readonly reason: WaitFailure;
  /** What was waited for, as the message says it (`"OK\r\n"`, `DTR low`). */
  readonly waitedFor: string;
  /** The application's side when the wait ended, as the message says it. */
  readonly seen: string;
  /** The bytes the application had sent that nothing consumed. */
  readonly received: Uint8Array;
  /** The deadline in milliseconds. */
  readonly timeout: number;
  /** Extra lines for the message (a byte diff). */
  readonly details?: readonly string[];
  /** The underlying error (of the master device). */
  readonly cause?: unknown;
}

/**
 * A wait of a {@link Device} ended without what it waited for. The message says what was
 * expected and what the application did instead.
 *
 * @public
 */
export class DeviceWaitError extends Error {
  override readonly name = 'DeviceWaitError';
  /** Why the wait failed. */
  readonly reason: WaitFailure;
  /** What was waited for. */
  readonly waitedFor: string;
  /** The bytes the application had sent that nothing consumed. */
  readonly received: Uint8Array;

  /** @param f - the fields */
  constructor(f: DeviceWaitErrorFields) {
    const head = headline(f);
    super(f.details === undefined || f.details.length === 0 ? head : `${head}\n${f.details.map((l) => `  ${l}`).join('\n')}`, f.cause === undefined ? undefined : { cause: f.cause });
    this.reason = f.reason;
    this.waitedFor = f.waitedFor;
    this.received = f.received;
  }
}

function headline(f: DeviceWaitErrorFields): string {
  switch (f.reason) {
    case 'timeout':
      return `timed out after ${f.timeout} ms waiting for ${f.waitedFor}; ${f.seen}`;
    case 'mismatch':
      return `expected ${f.waitedFor}, but ${f.seen}`;
    case 'data-first':
      return `${f.seen} before ${f.waitedFor}`;
    case 'closed':
      return `the application closed the port while the device waited for ${f.waitedFor}; ${f.seen}`;
    case 'device-closed':
      return `the device was closed while waiting for ${f.waitedFor}`;
    case 'aborted':
      return `the wait for ${f.waitedFor} was aborted; ${f.seen}`;
  }
}

/**
 * Is this a {@link DeviceWaitError}, optionally for this reason?
 *
 * @param error - anything
 * @param reason - the reason to look for
 * @returns true when it is
 * @public
 */
export function isDeviceWaitError(error: unknown, reason?: WaitFailure): error is DeviceWaitError {
  return error instanceof DeviceWaitError && (reason === undefined || error.reason === reason);
}
