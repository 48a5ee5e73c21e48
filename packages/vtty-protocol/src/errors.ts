/**
 * What went wrong, as a stable machine-readable string.
 *
 * - `EMPTY` — a packet of zero bytes (no tag byte).
 * - `UNKNOWN_TAG` — the tag byte is not one this version of the library knows.
 * - `SHORT_PAYLOAD` — the payload ends before the structure the tag announces is complete.
 * - `TRAILING_BYTES` — bytes follow a complete fixed-size payload.
 * - `UNSUPPORTED_ARCH` — the architecture's `struct termios2` layout is not the asm-generic one
 *   (alpha, mips, powerpc, sparc, parisc flag values, …) or the name is not an architecture.
 * - `INVALID_VALUE` — a value outside its domain: a negative break duration other than -1 on
 *   decode, a field that is not a u32 / i32 / byte on encode, an unknown enum member, …
 * - `INVALID_SYNTAX` — text given to a parser (for example {@link parseLineSettings}) is not in
 *   the expected form.
 * - `PROTOCOL_VIOLATION` — a stream (Telnet / RFC 2217) broke its framing rules.
 *
 * @public
 */
export type ProtocolErrorCode =
  | 'EMPTY'
  | 'UNKNOWN_TAG'
  | 'SHORT_PAYLOAD'
  | 'TRAILING_BYTES'
  | 'UNSUPPORTED_ARCH'
  | 'INVALID_VALUE'
  | 'INVALID_SYNTAX'
  | 'PROTOCOL_VIOLATION';

/**
 * The one error type this library throws for bad input.
 *
 * `offset` is the byte offset in the input (when decoding) or in the output (when encoding) at
 * which the problem was found — for `SHORT_PAYLOAD` the offset of the first missing byte, for
 * `TRAILING_BYTES` the offset of the first extra byte, for text parsers the character index.
 *
 * @example
 * ```ts
 * try {
 *   decodePacket(bytes);
 * } catch (err) {
 *   if (err instanceof ProtocolError && err.code === 'UNKNOWN_TAG') skip();
 *   else throw err;
 * }
 * ```
 * @public
 */
export class ProtocolError extends Error {
  /** Machine-readable reason, see {@link ProtocolErrorCode}. */
  readonly code: ProtocolErrorCode;
  /** Byte (or character) offset where the problem was found. */
  readonly offset: number;

  /**
   * @param code - the reason
   * @param message - a human-readable explanation (the offset is appended)
   * @param offset - where in the input or output the problem is
   */
  constructor(code: ProtocolErrorCode, message: string, offset: number) {
    super(`${message} (${code} at offset ${offset})`);
    this.name = 'ProtocolError';
    this.code = code;
    this.offset = offset;
  }
}

/**
 * Type guard for {@link ProtocolError}, optionally for one code.
 *
 * @param value - anything caught
 * @param code - when given, also require this code
 * @returns whether `value` is a ProtocolError (with that code)
 * @public
 */
export function isProtocolError(value: unknown, code?: ProtocolErrorCode): value is ProtocolError {
  return value instanceof ProtocolError && (code === undefined || value.code === code);
}
