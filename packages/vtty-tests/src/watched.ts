import { scaledDeadline } from 'vtmx-native/testing';

/** Why a wait gave up, for the error a test fails with. */
export interface WaitContext {
  /** What is being watched, at the head of the message (`vtty`, `device /dev/ttyV1`). */
  readonly subject: string;
  /** The state seen so far, at the end of the message. */
  readonly seen: () => string;
  /** When no change can come any more (the process exited), a word saying so. */
  readonly ended?: () => string | undefined;
}

/**
 * Something that changes as the test runs (a child process's output, the packets a master
 * read). A test waits for a condition on it; each change wakes the waiters to look again, so a
 * wait ends as soon as its condition holds, not at the next tick of a clock. The deadline is
 * only for a hang, and it is stretched by the machine's measured pace.
 */
export class Watched {
  readonly #waiters = new Set<() => void>();

  constructor(readonly context: WaitContext) {}

  /** To be called after every change. */
  changed(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  /**
   * Resolves with the first value of `check` other than undefined. Fails when the watched
   * thing ends first, or after `timeoutMs` (on a quiet machine; scaled to this one), saying
   * what it waited for and what it saw.
   */
  async waitFor<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
    const limit = scaledDeadline(timeoutMs);
    const deadline = Date.now() + limit;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      const ended = this.context.ended?.();
      if (ended !== undefined) throw new Error(`${this.context.subject} ${ended} while waiting for ${what}; ${this.context.seen()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.context.subject}: timed out after ${limit} ms waiting for ${what}; ${this.context.seen()}`);
      await new Promise<void>((resolve) => {
        const waiters = this.#waiters;
        const timer = setTimeout(wake, left);
        function wake(): void {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        }
        waiters.add(wake);
      });
    }
  }
}
