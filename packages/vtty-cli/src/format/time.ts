/**
 * Timestamps of printed events.
 *
 * @packageDocumentation
 */

/**
 * Local wall-clock time with milliseconds, `HH:MM:SS.mmm`.
 *
 * @param d - the time
 * @returns the text
 * @public
 */
export function clockTime(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
