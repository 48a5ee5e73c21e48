/**
 * Reading a tty's input marked by PARMRK: data, breaks and characters with a receive error.
 *
 * @packageDocumentation
 */

/** One thing a marked input holds. @public */
export type MarkedInput =
  /** Plain received bytes (a \377 in them arrived doubled and is single again here). */
  | { readonly kind: 'data'; readonly data: Uint8Array }
  /** A break (\377 \0 \0). */
  | { readonly kind: 'break' }
  /** A character received with a parity or framing error (\377 \0 c): PARMRK marks both alike (see receive-errors.ts). */
  | { readonly kind: 'error'; readonly byte: number };

const MARK = 0xff;

/**
 * Decodes the input of a tty read with PARMRK (and INPCK, without IGNPAR, IGNBRK, BRKINT and
 * ISTRIP): a \377 byte arrives as \377 \377, a break as \377 \0 \0, a character c with a
 * parity or framing error as \377 \0 c (a NUL with a receive error reads as a break). A sequence may be split across reads: the decoder
 * keeps its place between chunks.
 *
 * @public
 */
export class ParmrkDecoder {
  /** Bytes of a mark seen so far: 0 none, 1 \377, 2 \377 \0. */
  #marked = 0;

  /**
   * Decode the next chunk read.
   *
   * @param chunk - bytes as read from the tty
   * @returns what they hold, in order
   */
  feed(chunk: Uint8Array): MarkedInput[] {
    const out: MarkedInput[] = [];
    // One more than the chunk: a \377 held from the previous chunk may come out with it.
    const data = new Uint8Array(chunk.length + 1);
    let n = 0;
    const flush = (): void => {
      if (n > 0) out.push({ kind: 'data', data: data.slice(0, n) });
      n = 0;
    };
    for (const byte of chunk) {
      if (this.#marked === 0) {
        if (byte === MARK) this.#marked = 1;
        else data[n++] = byte;
      } else if (this.#marked === 1) {
        if (byte === 0) {
          this.#marked = 2;
          continue;
        }
        // \377 \377 is a \377 of data; anything else cannot follow a mark, and is kept as it came.
        if (byte !== MARK) data[n++] = MARK;
        data[n++] = byte;
        this.#marked = 0;
      } else {
        flush();
        out.push(byte === 0 ? { kind: 'break' } : { kind: 'error', byte });
        this.#marked = 0;
      }
    }
    flush();
    return out;
  }
}
