import { ProtocolError } from './errors.js';
import { isByte, isU32, readU32, writeU32 } from './bytes.js';
import { type ArchName, NCCS, termiosLayout } from './termios-layout.js';
import {
  B38400,
  CREAD,
  CS8,
  ECHO,
  ECHOCTL,
  ECHOE,
  ECHOK,
  ECHOKE,
  HUPCL,
  ICANON,
  ICRNL,
  IEXTEN,
  ISIG,
  IXON,
  ONLCR,
  OPOST,
  VDISCARD,
  VEOF,
  VERASE,
  VINTR,
  VKILL,
  VLNEXT,
  VMIN,
  VQUIT,
  VREPRINT,
  VSTART,
  VSTOP,
  VSUSP,
  VWERASE,
} from './termios-flags.js';

/**
 * `struct termios2` as the kernel reports it (TCGETS2, and the `TAG_SET_TERMIOS` packet).
 *
 * All numeric fields are unsigned 32-bit values (`c_line` a byte); `cc` holds the
 * {@link NCCS} = 19 control characters indexed by `VINTR` … `VEOL2`.
 *
 * @public
 */
export interface Termios2 {
  /** `c_iflag`: input modes (`IGNBRK`, `ICRNL`, `IXON`, …). */
  iflag: number;
  /** `c_oflag`: output modes (`OPOST`, `ONLCR`, …). */
  oflag: number;
  /** `c_cflag`: control modes (`CBAUD`, `CSIZE`, `PARENB`, `CRTSCTS`, …). */
  cflag: number;
  /** `c_lflag`: local modes (`ICANON`, `ECHO`, `ISIG`, …). */
  lflag: number;
  /** `c_line`: line discipline number (0 = N_TTY). */
  line: number;
  /** `c_cc`: control characters, length {@link NCCS}. */
  cc: Uint8Array;
  /** `c_ispeed`: input speed in baud (meaningful with BOTHER in CIBAUD; the kernel fills it in always). */
  ispeed: number;
  /** `c_ospeed`: output speed in baud (meaningful with BOTHER; the kernel fills it in always). */
  ospeed: number;
}

/** Options of the termios2 codec. @public */
export interface TermiosOptions {
  /** Architecture whose layout to use; defaults to the host's (`process.arch`). */
  arch?: ArchName;
}

/**
 * Decode a `struct termios2`.
 *
 * `bytes` must be exactly {@link termios2Size} bytes long. `cc` is a copy, so the result stays
 * valid when the caller reuses its read buffer (small copies share an internal pool
 * `ArrayBuffer`, as Node's `Buffer.allocUnsafe` does; `cc.slice()` if you need a buffer of your own).
 *
 * @param bytes - the raw structure
 * @param arch - architecture (layout and byte order), defaults to the host's
 * @returns the decoded structure
 * @throws {@link ProtocolError} `SHORT_PAYLOAD`, `TRAILING_BYTES`, `UNSUPPORTED_ARCH`
 * @public
 */
export function decodeTermios2(bytes: Uint8Array, arch?: ArchName): Termios2 {
  return decodeTermios2At(bytes, 0, arch);
}

/** @internal Decode the termios2 starting at `start` and ending exactly at `bytes.length`. */
export function decodeTermios2At(bytes: Uint8Array, start: number, arch?: ArchName): Termios2 {
  const l = termiosLayout(arch);
  const end = start + l.size;
  if (bytes.length < end) {
    throw new ProtocolError(
      'SHORT_PAYLOAD',
      `termios2 needs ${l.size} bytes, got ${bytes.length - start}`,
      bytes.length,
    );
  }
  if (bytes.length > end) {
    throw new ProtocolError('TRAILING_BYTES', `${bytes.length - end} bytes after termios2`, end);
  }
  const le = l.littleEndian;
  return {
    iflag: readU32(bytes, start + l.iflag, le),
    oflag: readU32(bytes, start + l.oflag, le),
    cflag: readU32(bytes, start + l.cflag, le),
    lflag: readU32(bytes, start + l.lflag, le),
    line: bytes[start + l.line] ?? 0,
    cc: copyCc(bytes, start + l.cc, l.nccs),
    ispeed: readU32(bytes, start + l.ispeed, le),
    ospeed: readU32(bytes, start + l.ospeed, le),
  };
}

// Small copies come from a shared pool, as Node's Buffer does: allocating a fresh ArrayBuffer
// for 19 bytes would cost more than decoding the rest of the structure.
const POOL_SIZE = 8192;
let pool = new Uint8Array(POOL_SIZE);
let poolOffset = 0;

function copyCc(src: Uint8Array, from: number, n: number): Uint8Array {
  if (poolOffset + n > POOL_SIZE) {
    pool = new Uint8Array(POOL_SIZE);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += (n + 7) & ~7;
  for (let i = 0; i < n; i++) out[i] = src[from + i] ?? 0;
  return out;
}

/**
 * Encode a `struct termios2`.
 *
 * @param t - the structure; every numeric field must be a u32 (`line` a byte) and `cc` exactly
 *   {@link NCCS} bytes
 * @param arch - architecture (layout and byte order), defaults to the host's
 * @returns a new buffer of {@link termios2Size} bytes
 * @throws {@link ProtocolError} `INVALID_VALUE`, `UNSUPPORTED_ARCH`
 * @public
 */
export function encodeTermios2(t: Termios2, arch?: ArchName): Uint8Array {
  const l = termiosLayout(arch);
  const out = new Uint8Array(l.size);
  encodeTermios2Into(t, out, 0, arch);
  return out;
}

/** @internal Write `t` at `start` of `out` (which has room). */
export function encodeTermios2Into(t: Termios2, out: Uint8Array, start: number, arch?: ArchName): void {
  const l = termiosLayout(arch);
  const le = l.littleEndian;
  const words = [
    ['iflag', l.iflag],
    ['oflag', l.oflag],
    ['cflag', l.cflag],
    ['lflag', l.lflag],
    ['ispeed', l.ispeed],
    ['ospeed', l.ospeed],
  ] as const;
  for (const [name, off] of words) {
    const v = t[name];
    if (!isU32(v)) {
      throw new ProtocolError('INVALID_VALUE', `termios2.${name} must be a u32, got ${String(v)}`, start + off);
    }
    writeU32(out, start + off, v, le);
  }
  if (!isByte(t.line)) {
    throw new ProtocolError('INVALID_VALUE', `termios2.line must be a byte, got ${String(t.line)}`, start + l.line);
  }
  out[start + l.line] = t.line;
  if (!(t.cc instanceof Uint8Array) || t.cc.length !== l.nccs) {
    throw new ProtocolError('INVALID_VALUE', `termios2.cc must be a Uint8Array of ${l.nccs} bytes`, start + l.cc);
  }
  out.set(t.cc, start + l.cc);
}

/**
 * The kernel's default termios for a newly registered tty (`tty_std_termios` in
 * `drivers/tty/tty_io.c`, control characters from `INIT_C_CC`): 38400 8N1, CREAD, HUPCL,
 * ICRNL, IXON, OPOST, ONLCR, canonical mode with echo.
 *
 * @returns a fresh, mutable copy
 * @public
 */
export function defaultTermios2(): Termios2 {
  const cc = new Uint8Array(NCCS);
  cc[VINTR] = 0x03;
  cc[VQUIT] = 0x1c;
  cc[VERASE] = 0x7f;
  cc[VKILL] = 0x15;
  cc[VEOF] = 0x04;
  cc[VSTART] = 0x11;
  cc[VSTOP] = 0x13;
  cc[VSUSP] = 0x1a;
  cc[VREPRINT] = 0x12;
  cc[VDISCARD] = 0x0f;
  cc[VWERASE] = 0x17;
  cc[VLNEXT] = 0x16;
  cc[VMIN] = 1;
  return {
    iflag: ICRNL | IXON,
    oflag: OPOST | ONLCR,
    cflag: B38400 | CS8 | CREAD | HUPCL,
    lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    line: 0,
    cc,
    ispeed: 38400,
    ospeed: 38400,
  };
}

/**
 * A deep copy of a termios2 (the `cc` array is copied).
 *
 * @param t - the structure to copy
 * @returns the copy
 * @public
 */
export function cloneTermios2(t: Termios2): Termios2 {
  return { ...t, cc: t.cc.slice() };
}

/**
 * Field-by-field equality of two termios2 structures.
 *
 * @param a - first structure
 * @param b - second structure
 * @returns true when all fields and all control characters are equal
 * @public
 */
export function termios2Equal(a: Termios2, b: Termios2): boolean {
  if (
    a.iflag !== b.iflag ||
    a.oflag !== b.oflag ||
    a.cflag !== b.cflag ||
    a.lflag !== b.lflag ||
    a.line !== b.line ||
    a.ispeed !== b.ispeed ||
    a.ospeed !== b.ospeed ||
    a.cc.length !== b.cc.length
  ) {
    return false;
  }
  for (let i = 0; i < a.cc.length; i++) if (a.cc[i] !== b.cc[i]) return false;
  return true;
}
