/**
 * The modem input lines a master sets with VTMX_SET_MODEM_LINES.
 *
 * @packageDocumentation
 */
import { constants } from './constants.js';

/**
 * Input lines as seen by the application on the ttyV (what the master controls). A line left
 * out is low: VTMX_SET_MODEM_LINES sets the whole state at once.
 *
 * @public
 */
export interface ModemInputLines {
  /** Clear To Send (TIOCM_CTS). */
  cts?: boolean;
  /** Data Set Ready (TIOCM_DSR). */
  dsr?: boolean;
  /** Data Carrier Detect (TIOCM_CAR / TIOCM_CD). */
  dcd?: boolean;
  /** Ring Indicator (TIOCM_RNG / TIOCM_RI). */
  ri?: boolean;
}

/**
 * Convert {@link ModemInputLines} (or a TIOCM_* bitmask, passed through) to a bitmask.
 *
 * @param lines - the lines
 * @returns TIOCM_* bits
 * @public
 */
export function modemInputBits(lines: ModemInputLines | number): number {
  if (typeof lines === 'number') {
    if (!Number.isInteger(lines) || lines < 0 || lines > 0xffffffff) {
      throw new RangeError(`modem lines must be a u32 bitmask, got ${lines}`);
    }
    return lines;
  }
  let bits = 0;
  if (lines.cts === true) bits |= constants.TIOCM_CTS;
  if (lines.dsr === true) bits |= constants.TIOCM_DSR;
  if (lines.dcd === true) bits |= constants.TIOCM_CAR;
  if (lines.ri === true) bits |= constants.TIOCM_RNG;
  return bits;
}
