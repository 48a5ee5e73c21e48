// Internal helpers: bounds-checked integer access without DataView allocation.

/** @internal */
export function readU32(b: Uint8Array, o: number, le: boolean): number {
  // Callers check bounds first; the `?? 0` only satisfies noUncheckedIndexedAccess.
  const b0 = b[o] ?? 0;
  const b1 = b[o + 1] ?? 0;
  const b2 = b[o + 2] ?? 0;
  const b3 = b[o + 3] ?? 0;
  return le
    ? (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0
    : ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
}

/** @internal */
export function writeU32(b: Uint8Array, o: number, v: number, le: boolean): void {
  if (le) {
    b[o] = v & 0xff;
    b[o + 1] = (v >>> 8) & 0xff;
    b[o + 2] = (v >>> 16) & 0xff;
    b[o + 3] = (v >>> 24) & 0xff;
  } else {
    b[o] = (v >>> 24) & 0xff;
    b[o + 1] = (v >>> 16) & 0xff;
    b[o + 2] = (v >>> 8) & 0xff;
    b[o + 3] = v & 0xff;
  }
}

/** @internal */
export function isU32(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

/** @internal */
export function isByte(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xff;
}

/** @internal */
export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
