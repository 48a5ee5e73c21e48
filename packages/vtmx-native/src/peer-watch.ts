/**
 * Waiting for the other end of a pipe or socket to go away, without reading or writing it and
 * without busy polling: a thread-pool thread blocks in poll(2) with no requested events, which
 * returns only for POLLERR (a pipe's last reader closed), POLLHUP (a socket's peer or a pipe's
 * last writer closed) or POLLNVAL. A command whose stdout is a pipe uses it to learn, while it
 * has nothing to print, that the reader (`head -1`, `less`) has exited.
 *
 * @packageDocumentation
 */
import { isCancelledError } from './errors.js';
import { native, type NativeBlockingCall } from './native.js';

/** A pending {@link watchPeerGone}. @public */
export interface PeerWatch {
  /**
   * Settles with `true` once the other end has gone, with `false` after {@link PeerWatch.cancel};
   * rejects with a system error (code, syscall `poll`) if poll(2) fails.
   */
  readonly gone: Promise<boolean>;
  /** Stop watching (interrupts the pool thread); `gone` then settles with `false`. */
  cancel(): void;
}

/**
 * Watch `fd` (e.g. 1 for stdout) until its other end goes away. The watch holds a dup of
 * `fd` and one thread-pool thread, and keeps the event loop alive until it settles or is
 * cancelled.
 *
 * @param fd - a pipe or socket descriptor
 * @param path - a name for errors (default `fd <n>`)
 * @returns the pending watch
 * @public
 */
export function watchPeerGone(fd: number, path = `fd ${fd}`): PeerWatch {
  // Request 0 of BlockingCall is poll(2) on a dup of fd for the events in arg: 0 = none.
  const call: NativeBlockingCall = new native.BlockingCall(fd, 0, 0, false, path);
  const gone = call.promise.then(
    () => true,
    (error: unknown) => {
      if (isCancelledError(error)) return false;
      throw error;
    },
  );
  return {
    gone,
    cancel: () => {
      call.cancel();
    },
  };
}
