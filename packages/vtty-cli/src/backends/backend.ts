/**
 * The interface every backend implements: the "hardware" behind one or more virtual ports.
 *
 * @packageDocumentation
 */
import type { FeatureName } from 'vtmx-native';
import type { EventSink } from '../core/events.js';
import type { AppActivity, PortLink } from '../core/port.js';

/**
 * A backend: receives what applications do to the ports and drives the ports' received data
 * and input lines.
 *
 * @public
 */
export interface Backend {
  /** How many ports it needs (1 unless it wires several together). */
  readonly portCount: number;
  /**
   * The driver features it needs enabled on its ports, besides those every port has (open
   * and modem events, see PORT_FEATURES): `hwFlow` where its device has RTS/CTS, `swFlow`
   * where it carries XON/XOFF.
   */
  readonly features: readonly FeatureName[];
  /**
   * Get ready (connect, listen, spawn). The port paths are printed once this resolves.
   *
   * @param links - the ports, `portCount` of them
   * @param emit - where to report notices
   */
  start(links: readonly PortLink[], emit: EventSink): Promise<void>;
  /**
   * One thing the application on port `index` did. Awaited before the next packet is read.
   *
   * @param activity - the event
   * @param index - which port (0-based)
   */
  handle(activity: AppActivity, index: number): Promise<void> | void;
  /**
   * Resolves when the backend ends on its own (connection closed, program exited); rejects
   * with a {@link CliError} when it fails. Backends that run until stopped never settle it.
   */
  readonly done: Promise<void>;
  /** Release everything (idempotent). */
  close(): Promise<void>;
}

/**
 * A promise with its settle functions exposed.
 *
 * @internal
 */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Make a {@link Deferred}. Its promise never causes an unhandled-rejection crash on its own.
 *
 * @returns the deferred
 * @internal
 */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * A promise that never settles (for backends that run until stopped).
 *
 * @returns the promise
 * @internal
 */
export function never(): Promise<void> {
  return new Promise<void>(() => undefined);
}
