/**
 * How error messages and replay reports show bytes that differ from what was expected.
 *
 * @packageDocumentation
 */
import { escapeBytes } from 'vtty-protocol';

/** Bytes shown on each side of the first difference. */
const CONTEXT = 24;

/**
 * Two byte strings one above the other, escaped, from a little before their first difference,
 * with a caret under it:
 *
 * ```
 *   expected:    "ATI\r"
 *   application: "ATZ\r"
 *                    ^ byte 2
 * ```
 *
 * @param expected - what should have come
 * @param actual - what came (may be shorter: the rest has not come)
 * @param labels - the two line labels (default `expected`, `application`)
 * @returns the lines, without newlines; empty when the two are equal
 * @public
 */
export function byteDiff(expected: Uint8Array, actual: Uint8Array, labels: readonly [string, string] = ['expected', 'application']): string[] {
  const at = firstDifference(expected, actual);
  if (at < 0) return [];
  const from = Math.max(0, at - CONTEXT);
  const cut = (b: Uint8Array): string => (from > 0 ? '…' : '') + escapeBytes(b.subarray(from, at + CONTEXT)) + (b.length > at + CONTEXT ? '…' : '');
  const width = Math.max(labels[0].length, labels[1].length) + 2;
  // The caret goes under the first differing byte: the escaped text of the bytes before it,
  // plus the opening quote and any ellipsis.
  const lead = (from > 0 ? 1 : 0) + escapeBytes(expected.subarray(from, at)).length - 1;
  const what = at >= actual.length ? `byte ${at}: the application sent nothing more` : `byte ${at}`;
  return [`${`${labels[0]}:`.padEnd(width)}${cut(expected)}`, `${`${labels[1]}:`.padEnd(width)}${cut(actual)}`, `${' '.repeat(width + lead)}^ ${what}`];
}

/**
 * Where two byte strings first differ.
 *
 * @param a - bytes
 * @param b - bytes
 * @returns the index of the first difference (the shorter one's length when one is a prefix of
 * the other), or -1 when they are equal
 * @public
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
