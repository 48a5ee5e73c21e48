import { ProtocolError } from './errors.js';
import { isU32 } from './bytes.js';

// Values from include/uapi/asm-generic/termios.h (identical on every TermiosArch).
/** Line enable (DSR on some hardware). @public */
export const TIOCM_LE = 0x001;
/** Data Terminal Ready (output). @public */
export const TIOCM_DTR = 0x002;
/** Request To Send (output). @public */
export const TIOCM_RTS = 0x004;
/** Secondary transmit. @public */
export const TIOCM_ST = 0x008;
/** Secondary receive. @public */
export const TIOCM_SR = 0x010;
/** Clear To Send (input). @public */
export const TIOCM_CTS = 0x020;
/** Data Carrier Detect (input). @public */
export const TIOCM_CAR = 0x040;
/** Ring Indicator (input). @public */
export const TIOCM_RNG = 0x080;
/** Data Set Ready (input). @public */
export const TIOCM_DSR = 0x100;
/** Alias of {@link TIOCM_CAR}. @public */
export const TIOCM_CD = TIOCM_CAR;
/** Alias of {@link TIOCM_RNG}. @public */
export const TIOCM_RI = TIOCM_RNG;
/** Auxiliary output 1. @public */
export const TIOCM_OUT1 = 0x2000;
/** Auxiliary output 2. @public */
export const TIOCM_OUT2 = 0x4000;
/** Loopback mode. @public */
export const TIOCM_LOOP = 0x8000;

/**
 * The modem lines as booleans, named like pyserial and the kernel (`dcd` = TIOCM_CAR/CD,
 * `ri` = TIOCM_RNG/RI).
 *
 * @public
 */
export interface ModemLines {
  /** TIOCM_LE */
  le: boolean;
  /** TIOCM_DTR — output */
  dtr: boolean;
  /** TIOCM_RTS — output */
  rts: boolean;
  /** TIOCM_ST */
  st: boolean;
  /** TIOCM_SR */
  sr: boolean;
  /** TIOCM_CTS — input */
  cts: boolean;
  /** TIOCM_CAR / TIOCM_CD — input */
  dcd: boolean;
  /** TIOCM_RNG / TIOCM_RI — input */
  ri: boolean;
  /** TIOCM_DSR — input */
  dsr: boolean;
  /** TIOCM_OUT1 — output */
  out1: boolean;
  /** TIOCM_OUT2 — output */
  out2: boolean;
  /** TIOCM_LOOP */
  loop: boolean;
}

/** The name of one modem line. @public */
export type ModemLineName = keyof ModemLines;

/**
 * Bit of each line, in the order lines are listed by {@link diffModemLines} and
 * {@link formatModemLines}.
 *
 * @public
 */
export const MODEM_LINE_BITS: Readonly<Record<ModemLineName, number>> = Object.freeze({
  dtr: TIOCM_DTR,
  rts: TIOCM_RTS,
  cts: TIOCM_CTS,
  dsr: TIOCM_DSR,
  dcd: TIOCM_CAR,
  ri: TIOCM_RNG,
  le: TIOCM_LE,
  st: TIOCM_ST,
  sr: TIOCM_SR,
  out1: TIOCM_OUT1,
  out2: TIOCM_OUT2,
  loop: TIOCM_LOOP,
});

const NAMES = Object.keys(MODEM_LINE_BITS) as readonly ModemLineName[];

/**
 * The lines a DTE (the application side of a serial port) drives: DTR, RTS, OUT1, OUT2, LOOP.
 * These are the bits the seed's `VTMX_SET_MODEM_LINES` ignores.
 *
 * @public
 */
export const TIOCM_OUTPUTS = TIOCM_DTR | TIOCM_RTS | TIOCM_OUT1 | TIOCM_OUT2 | TIOCM_LOOP;

/**
 * The lines the other end drives (CTS, DSR, DCD, RI): what a vtmx master sets with
 * `VTMX_SET_MODEM_LINES`.
 *
 * @public
 */
export const TIOCM_INPUTS = TIOCM_CTS | TIOCM_DSR | TIOCM_CAR | TIOCM_RNG;

/**
 * Decode a TIOCM bitmask.
 *
 * @param bits - the mask (e.g. from a `modem` packet or TIOCMGET); unknown bits are ignored
 * @returns every line as a boolean
 * @public
 */
export function modemLinesFromBits(bits: number): ModemLines {
  return {
    le: (bits & TIOCM_LE) !== 0,
    dtr: (bits & TIOCM_DTR) !== 0,
    rts: (bits & TIOCM_RTS) !== 0,
    st: (bits & TIOCM_ST) !== 0,
    sr: (bits & TIOCM_SR) !== 0,
    cts: (bits & TIOCM_CTS) !== 0,
    dcd: (bits & TIOCM_CAR) !== 0,
    ri: (bits & TIOCM_RNG) !== 0,
    dsr: (bits & TIOCM_DSR) !== 0,
    out1: (bits & TIOCM_OUT1) !== 0,
    out2: (bits & TIOCM_OUT2) !== 0,
    loop: (bits & TIOCM_LOOP) !== 0,
  };
}

/**
 * Encode modem lines as a TIOCM bitmask. Lines not given are off.
 *
 * @param lines - some or all lines
 * @returns the mask
 * @public
 */
export function modemLinesToBits(lines: Partial<ModemLines>): number {
  let bits = 0;
  for (const name of NAMES) if (lines[name] === true) bits |= MODEM_LINE_BITS[name];
  return bits;
}

/**
 * What changed between two modem states.
 *
 * @public
 */
export interface ModemLinesDiff {
  /** Lines whose state differs, in {@link MODEM_LINE_BITS} order. */
  changed: ModemLineName[];
  /** Lines that went from off to on. */
  raised: ModemLineName[];
  /** Lines that went from on to off. */
  dropped: ModemLineName[];
  /** The changed lines as a TIOCM mask (`before ^ after`, restricted to known lines). */
  changedBits: number;
}

/**
 * Compare two modem states.
 *
 * @param before - old state, as lines or a TIOCM mask
 * @param after - new state, as lines or a TIOCM mask
 * @returns the changed, raised and dropped lines
 * @example
 * ```ts
 * diffModemLines(TIOCM_DTR, TIOCM_DTR | TIOCM_CTS).changed; // ['cts']
 * ```
 * @public
 */
export function diffModemLines(before: ModemLines | number, after: ModemLines | number): ModemLinesDiff {
  const a = typeof before === 'number' ? before : modemLinesToBits(before);
  const b = typeof after === 'number' ? after : modemLinesToBits(after);
  const diff: ModemLinesDiff = { changed: [], raised: [], dropped: [], changedBits: 0 };
  for (const name of NAMES) {
    const bit = MODEM_LINE_BITS[name];
    if ((a & bit) === (b & bit)) continue;
    diff.changed.push(name);
    diff.changedBits |= bit;
    if (b & bit) diff.raised.push(name);
    else diff.dropped.push(name);
  }
  return diff;
}

/**
 * The lines that are on, upper-case, space-separated: `"DTR RTS CTS"` (empty string when none).
 *
 * @param lines - lines or a TIOCM mask
 * @returns the text
 * @public
 */
export function formatModemLines(lines: ModemLines | number): string {
  const bits = typeof lines === 'number' ? lines : modemLinesToBits(lines);
  return NAMES.filter((n) => (bits & MODEM_LINE_BITS[n]) !== 0)
    .map((n) => n.toUpperCase())
    .join(' ');
}

/**
 * A change as monitors print it: `"+DTR -RTS"` (empty string when nothing changed).
 *
 * @param diff - from {@link diffModemLines}
 * @returns the text
 * @public
 */
export function formatModemDiff(diff: ModemLinesDiff): string {
  return diff.changed.map((n) => (diff.raised.includes(n) ? '+' : '-') + n.toUpperCase()).join(' ');
}

/** @internal */
export function checkModemBits(bits: number, offset: number): number {
  if (!isU32(bits)) throw new ProtocolError('INVALID_VALUE', `modem lines must be a u32, got ${String(bits)}`, offset);
  return bits;
}
