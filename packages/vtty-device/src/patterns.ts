/**
 * What a scripted device waits for in the application's data: a string, bytes or a regular
 * expression, found in (or, anchored, at the start of) the bytes not yet consumed.
 *
 * @packageDocumentation
 */
import { escapeBytes } from 'vtty-protocol';

/**
 * What {@link Device.expect} waits for: a string (its UTF-8 bytes), bytes, or a RegExp, which
 * is matched against the data read as latin1, one character per byte (so `/\xff/` is the byte
 * 0xff, and match offsets are byte offsets).
 *
 * @public
 */
export type Pattern = string | Uint8Array | RegExp;

/** What {@link Device.expect} found. @public */
export interface ExpectMatch {
  /** The bytes the application sent before the match (skipped; empty when anchored). */
  readonly before: Uint8Array;
  /** The matching bytes. */
  readonly match: Uint8Array;
  /** A RegExp's capture groups as latin1 text (index 0 is the whole match); empty otherwise. */
  readonly groups: readonly (string | undefined)[];
}

/** The outcome of looking for a pattern in the pending bytes. */
export type Search =
  | { readonly found: ExpectMatch; readonly end: number }
  | { readonly mismatchAt: number }
  | undefined;

/**
 * The bytes of a string or byte pattern.
 *
 * @param pattern - a string (UTF-8) or bytes
 * @returns the bytes
 * @internal
 */
export function patternBytes(pattern: string | Uint8Array): Uint8Array {
  return typeof pattern === 'string' ? Buffer.from(pattern, 'utf8') : pattern;
}

/**
 * A pattern as an error message quotes it.
 *
 * @param pattern - the pattern
 * @returns e.g. `"AT\r"` or `/OK\r\n/`
 * @internal
 */
export function describePattern(pattern: Pattern): string {
  return pattern instanceof RegExp ? String(pattern) : escapeBytes(patternBytes(pattern));
}

/**
 * Look for `pattern` in `pending`.
 *
 * @param pending - the bytes the application sent that nothing consumed yet
 * @param pattern - what to look for
 * @param anchored - the pattern must be at the very start
 * @returns the match and where it ends; for an anchored string or byte pattern that the
 * pending bytes already contradict, the offset of the first differing byte; undefined while
 * the pattern may still come
 * @internal
 */
export function search(pending: Uint8Array, pattern: Pattern, anchored: boolean): Search {
  if (pattern instanceof RegExp) return searchRegExp(pending, pattern, anchored);
  const bytes = patternBytes(pattern);
  const buffer = Buffer.from(pending.buffer, pending.byteOffset, pending.byteLength);
  if (anchored) {
    const n = Math.min(bytes.length, buffer.length);
    for (let i = 0; i < n; i++) if (buffer[i] !== bytes[i]) return { mismatchAt: i };
    if (buffer.length < bytes.length) return undefined;
    return { found: { before: new Uint8Array(0), match: pending.slice(0, bytes.length), groups: [] }, end: bytes.length };
  }
  const at = buffer.indexOf(bytes);
  if (at < 0) return undefined;
  return { found: { before: pending.slice(0, at), match: pending.slice(at, at + bytes.length), groups: [] }, end: at + bytes.length };
}

function searchRegExp(pending: Uint8Array, pattern: RegExp, anchored: boolean): Search {
  // A fresh RegExp each time: a caller's /g or /y one keeps lastIndex between calls.
  const flags = pattern.flags.replace(/[gy]/g, '') + (anchored ? 'y' : '');
  const re = new RegExp(pattern.source, flags);
  const text = Buffer.from(pending.buffer, pending.byteOffset, pending.byteLength).toString('latin1');
  const m = re.exec(text);
  if (m === null) return undefined;
  const end = m.index + m[0].length;
  return {
    found: { before: pending.slice(0, m.index), match: pending.slice(m.index, end), groups: [...m] },
    end,
  };
}
