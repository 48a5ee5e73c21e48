/**
 * Naming the receive conditions PARMRK marks alike, from the real port's error counters.
 *
 * @packageDocumentation
 */
import type { Icount } from 'vtmx-native';
import type { LineError } from '../core/events.js';
import type { MarkedInput } from './parmrk-decoder.js';

/** What the real port received: data, a break, or a character with a named receive error. @public */
export type ReceivedInput =
  | { readonly kind: 'data'; readonly data: Uint8Array }
  | { readonly kind: 'break' }
  | { readonly kind: 'error'; readonly condition: LineError; readonly byte: number };

/** The counters that tell the marks apart. */
type Counts = Pick<Icount, 'brk' | 'frame' | 'parity'>;

/**
 * PARMRK marks a parity error and a framing error alike (\377 \0 c), and a NUL with either as
 * a break (\377 \0 \0). The tty's TIOCGICOUNT counters say which it was: each counter's rise
 * since the last look is a credit, spent on the marks in the order they are read. Where the
 * counters are missing (a tty without TIOCGICOUNT) or say nothing, a mark is what it looks
 * like: a break, or a parity error. When errors of both kinds are pending at once, each is
 * still passed on, but which character had which is a guess (framing first).
 *
 * @public
 */
export class ReceiveErrorNamer {
  readonly #read: () => Counts | undefined;
  #last: Counts | undefined;
  readonly #credit = { brk: 0, frame: 0, parity: 0 };

  /** @param read - reads the real port's counters (undefined when it has none) */
  constructor(read: () => Counts | undefined) {
    this.#read = read;
    this.#last = read();
  }

  /**
   * Name the marks of one chunk's decoded input.
   *
   * @param inputs - the decoder's output for one read
   * @returns the same input, with breaks and errors named
   */
  name(inputs: readonly MarkedInput[]): ReceivedInput[] {
    if (inputs.every((i) => i.kind === 'data')) return inputs as ReceivedInput[];
    this.#refresh();
    return inputs.map((i) => {
      if (i.kind === 'data') return i;
      if (i.kind === 'break') {
        if (this.#spend('brk')) return i;
        const condition = this.#spendError();
        return condition === undefined ? i : { kind: 'error', condition, byte: 0 };
      }
      return { kind: 'error', condition: this.#spendError() ?? 'parity', byte: i.byte };
    });
  }

  /** Spend a framing or parity credit, if any; says which. */
  #spendError(): LineError | undefined {
    if (this.#spend('frame')) return 'frame';
    if (this.#spend('parity')) return 'parity';
    return undefined;
  }

  #spend(counter: keyof Counts): boolean {
    if (this.#credit[counter] <= 0) return false;
    this.#credit[counter]--;
    return true;
  }

  #refresh(): void {
    const now = this.#read();
    const last = this.#last;
    this.#last = now;
    if (now === undefined || last === undefined) return;
    for (const counter of ['brk', 'frame', 'parity'] as const) this.#credit[counter] += Math.max(0, now[counter] - last[counter]);
  }
}
