import { randomBytes } from 'node:crypto';

/** Random payload for transfer tests: every byte value, no pattern to hide a reordering. */
export function randomPayload(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

/** Joins chunks into one buffer. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Index of the first byte where two buffers differ, or -1 when equal. A
 * failed transfer test reports where it went wrong, not just that it did.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return i;
  }
  return a.length === b.length ? -1 : length;
}
