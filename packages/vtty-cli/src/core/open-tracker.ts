/**
 * Noticing applications opening and closing ttyV ports, by polling /proc (the driver sends
 * no open/close events).
 *
 * @packageDocumentation
 */
import { findOpeners } from './port-scan.js';

/** Default polling interval. @public */
export const OPEN_POLL_MS = 250;

/**
 * Polls which of a set of device paths some process has open and reports changes.
 *
 * @public
 */
export class OpenTracker {
  readonly #paths: ReadonlySet<string>;
  readonly #onChange: (open: ReadonlySet<string>) => void;
  #open = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  /**
   * @param paths - the devices to watch
   * @param onChange - called with the set of open ones whenever it changes
   */
  constructor(paths: Iterable<string>, onChange: (open: ReadonlySet<string>) => void) {
    this.#paths = new Set(paths);
    this.#onChange = onChange;
  }

  /**
   * Poll once now, then every `intervalMs`.
   *
   * @param intervalMs - polling interval
   */
  async start(intervalMs = OPEN_POLL_MS): Promise<void> {
    await this.poll();
    this.#timer = setInterval(() => {
      void this.poll();
    }, intervalMs);
  }

  /** Poll now. */
  async poll(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const { openers } = await findOpeners(this.#paths);
      const open = new Set(openers.keys());
      const changed = open.size !== this.#open.size || [...open].some((p) => !this.#open.has(p));
      this.#open = open;
      if (changed) this.#onChange(open);
    } finally {
      this.#busy = false;
    }
  }

  /** Stop polling. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
  }
}
