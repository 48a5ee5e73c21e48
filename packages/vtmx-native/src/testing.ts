/**
 * Test helpers (subpath `vtmx-native/testing`): not part of the stable API.
 *
 * @packageDocumentation
 */
import { constants } from './constants.js';
import { native, type NativeBlockingCall } from './native.js';

export { openPtyPair, type PtyPair } from './pty.js';

/** A cancellable wait on the thread pool. @public */
export interface PendingWait {
  /** Settles when the wait ends; rejects with code 'ECANCELED' after cancel(). */
  promise: Promise<void>;
  /** Interrupt the pool thread. */
  cancel(): void;
}

/**
 * Block a thread-pool thread in poll(2) on a dup of `fd` until it is readable: exercises the
 * same cancellation machinery as TIOCMIWAIT and tcdrain on hosts where no tty ioctl blocks.
 *
 * @param fd - descriptor to wait on
 * @param path - its path, for errors
 * @returns the pending wait
 * @public
 */
export function waitReadableOnThreadPool(fd: number, path: string): PendingWait {
  const call: NativeBlockingCall = new native.BlockingCall(fd, 0, 1 /* POLLIN */, false, path);
  return {
    promise: call.promise,
    cancel: () => {
      call.cancel();
    },
  };
}

export { openFdCount } from './proc.js';
export { TEST_PACE_VARIABLE, scaledDeadline, testPace } from './test-pace.js';

/** The TIOCM_* value of "all four input lines". @public */
export const TIOCM_ALL_INPUTS: number = constants.TIOCM_CTS | constants.TIOCM_DSR | constants.TIOCM_CAR | constants.TIOCM_RNG;
