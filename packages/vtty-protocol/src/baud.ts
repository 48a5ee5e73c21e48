import { ProtocolError } from './errors.js';
import { isU32 } from './bytes.js';
import { BOTHER, CBAUD, CBAUDEX, CIBAUD, IBSHIFT } from './termios-flags.js';
import type { Termios2 } from './termios.js';

/**
 * The speeds of the `Bnnn` codes, indexed like the kernel's `baud_table` (codes 0–15 are
 * `B0`…`B38400`, 16–30 are `CBAUDEX | 1` … `CBAUDEX | 15`, i.e. `B57600`…`B4000000`).
 *
 * @public
 */
export const BAUD_TABLE: readonly number[] = Object.freeze([
  0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200,
  230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000,
  3500000, 4000000,
]);

const CODE_BY_RATE = new Map<number, number>(
  BAUD_TABLE.map((rate, i) => [rate, i < 16 ? i : CBAUDEX | (i - 15)]),
);

/**
 * The speed a `Bnnn` code stands for.
 *
 * @param code - a value of `c_cflag & CBAUD` (or of the CIBAUD field shifted down)
 * @returns the speed in baud, or `undefined` for `BOTHER` and codes that are not in the table
 * @public
 */
export function baudCodeToRate(code: number): number | undefined {
  if (code === BOTHER) return undefined;
  let index = code & CBAUD;
  if (index !== code) return undefined;
  if (index & CBAUDEX) index = (index & ~CBAUDEX) + 15;
  return BAUD_TABLE[index];
}

/**
 * The `Bnnn` code for a speed, when there is one.
 *
 * @param rate - speed in baud
 * @returns `B9600` for 9600 and so on, `undefined` when the speed needs `BOTHER`
 * @public
 */
export function baudRateToCode(rate: number): number | undefined {
  return CODE_BY_RATE.get(rate);
}

/**
 * The output speed, as the kernel computes it (`tty_termios_baud_rate`): `c_ospeed` when the
 * CBAUD field is `BOTHER`, otherwise the `Bnnn` table entry (0 for an invalid code).
 *
 * @param t - the termios
 * @returns speed in baud; 0 means B0 (hang up)
 * @public
 */
export function termiosOutputBaudRate(t: Termios2): number {
  const code = t.cflag & CBAUD;
  if (code === BOTHER) return t.ospeed;
  return baudCodeToRate(code) ?? 0;
}

/**
 * The input speed, as the kernel computes it (`tty_termios_input_baud_rate`): the output speed
 * when the CIBAUD field is `B0`, `c_ispeed` when it is `BOTHER`, otherwise the table entry.
 *
 * @param t - the termios
 * @returns speed in baud
 * @public
 */
export function termiosInputBaudRate(t: Termios2): number {
  const code = (t.cflag >>> IBSHIFT) & CBAUD;
  if (code === 0) return termiosOutputBaudRate(t);
  if (code === BOTHER) return t.ispeed;
  return baudCodeToRate(code) ?? 0;
}

/**
 * Return a copy of `t` with new speeds, encoded the way `cfsetospeed` + TCSETS2 callers do:
 * a `Bnnn` code when the speed is in the table, `BOTHER` otherwise; the CIBAUD field is `B0`
 * ("same as output") unless `inputRate` differs from `outputRate`. `c_ospeed` / `c_ispeed` are
 * set to the speeds, as the kernel does on every TCSETS*.
 *
 * @param t - the termios to start from (not modified)
 * @param outputRate - output speed in baud (u32)
 * @param inputRate - input speed in baud; defaults to `outputRate`
 * @returns the new termios
 * @throws {@link ProtocolError} `INVALID_VALUE` when a speed is not a u32
 * @public
 */
export function withBaudRate(t: Termios2, outputRate: number, inputRate: number = outputRate): Termios2 {
  if (!isU32(outputRate)) throw new ProtocolError('INVALID_VALUE', `baud rate must be a u32, got ${outputRate}`, 0);
  if (!isU32(inputRate)) throw new ProtocolError('INVALID_VALUE', `input baud rate must be a u32, got ${inputRate}`, 0);
  let cflag = t.cflag & ~(CBAUD | CIBAUD);
  cflag |= baudRateToCode(outputRate) ?? BOTHER;
  if (inputRate !== outputRate) {
    // Input code B0 would mean "same as output", so a differing input speed of 0 needs BOTHER.
    const inCode = inputRate === 0 ? BOTHER : (baudRateToCode(inputRate) ?? BOTHER);
    cflag |= inCode << IBSHIFT;
  }
  return { ...t, cc: t.cc.slice(), cflag: cflag >>> 0, ospeed: outputRate, ispeed: inputRate };
}
