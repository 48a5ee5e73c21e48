/**
 * Byte input normalisation.
 *
 * @internal
 * @packageDocumentation
 */

/**
 * Bytes to write: strings are UTF-8 encoded.
 *
 * @param data - bytes or text
 * @returns a Uint8Array
 * @internal
 */
export function toBytes(data: Uint8Array | string): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array or a string');
  return data;
}
