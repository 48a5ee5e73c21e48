/**
 * Bytes as a person reads them in one line: what monitors print for `--text` and what error
 * messages quote.
 *
 * @packageDocumentation
 */

const ESCAPES: Readonly<Record<number, string>> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x5c: '\\\\', 0x22: '\\"', 0x00: '\\0' };

/**
 * Bytes as a quoted, escaped string: printable ASCII as is, `\r \n \t \0 \\ \"`, any other
 * byte `\xNN`. Every byte is one escape or one character, so two such strings line up byte
 * for byte where the bytes are printable.
 *
 * @param data - bytes
 * @returns the quoted text, e.g. `"AT\r"`
 * @public
 */
export function escapeBytes(data: Uint8Array): string {
  let s = '"';
  for (const b of data) {
    const e = ESCAPES[b];
    if (e !== undefined) s += e;
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${s}"`;
}
