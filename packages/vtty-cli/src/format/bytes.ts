/**
 * Data as a person reads it: hex dump with ASCII, or escaped text.
 *
 * @packageDocumentation
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Lowercase hex of bytes, no separators.
 *
 * @param data - bytes
 * @returns hex text
 * @public
 */
export function toHex(data: Uint8Array): string {
  let s = '';
  for (const b of data) s += HEX[b] ?? '';
  return s;
}

/**
 * Hex dump lines, 16 bytes each: `0000  68 65 6c 6c 6f              |hello|`.
 *
 * @param data - bytes
 * @returns one string per 16 bytes
 * @public
 */
export function hexDumpLines(data: Uint8Array): string[] {
  const lines: string[] = [];
  for (let off = 0; off < data.length; off += 16) {
    const row = data.subarray(off, off + 16);
    const hex: string[] = [];
    let ascii = '';
    for (const b of row) {
      hex.push(HEX[b] ?? '');
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const cols = `${left.padEnd(23)}  ${right.padEnd(23)}`;
    lines.push(`${off.toString(16).padStart(4, '0')}  ${cols}  |${ascii}|`);
  }
  return lines;
}

/**
 * Bytes as a quoted, escaped string (vtty-protocol's `escapeBytes`, under the name the
 * formatters use).
 *
 * @public
 */
export { escapeBytes as escapeText } from 'vtty-protocol';
