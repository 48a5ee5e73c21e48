/**
 * One kind of state the application changes (its lines, its settings, its open count), kept
 * as the value a script last looked at plus the changes since, so that a wait sees every
 * change in order, however quickly they came: a DTR pulse is still a pulse when the script
 * looks after it ended.
 *
 * @packageDocumentation
 */

/** A value and the sequence number of the packet that brought it. */
export interface Sequenced<T> {
  readonly seq: number;
  readonly value: T;
}

/** The value last taken and the changes since. @internal */
export class ChangeLog<T> {
  #seen: Sequenced<T>;
  #changes: Sequenced<T>[] = [];

  /** @param initial - the value before any change */
  constructor(initial: T) {
    this.#seen = { seq: -1, value: initial };
  }

  /** The latest value. */
  get current(): T {
    return (this.#changes[this.#changes.length - 1] ?? this.#seen).value;
  }

  /**
   * A change.
   *
   * @param seq - the packet's sequence number
   * @param value - the new value
   */
  push(seq: number, value: T): void {
    this.#changes.push({ seq, value });
  }

  /**
   * Forget the changes: `value` is the one seen (a new port's state, as the driver reported it).
   *
   * @param value - the value
   */
  reset(value: T): void {
    this.#seen = { seq: -1, value };
    this.#changes = [];
  }

  /**
   * The first value since the last take that satisfies `matches`: the one taken last (with
   * sequence number -1: it is not news), or a later change, which becomes the one taken.
   *
   * @param matches - the condition
   * @returns the value and its packet's sequence number, or undefined
   */
  take(matches: (value: T) => boolean): Sequenced<T> | undefined {
    if (matches(this.#seen.value)) return { seq: -1, value: this.#seen.value };
    const i = this.#changes.findIndex((c) => matches(c.value));
    const found = this.#changes[i];
    if (found === undefined) return undefined;
    this.#seen = found;
    this.#changes = this.#changes.slice(i + 1);
    return found;
  }
}
