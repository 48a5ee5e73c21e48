import { isByte } from './bytes.js';
import { ProtocolError } from './errors.js';

// VTMX_INJECT_RX line conditions: the values of the kernel's TTY_* flags.

/** VTMX_INJECT_RX condition: a plain received byte. @public */
export const VTTY_RX_NORMAL = 0;
/** VTMX_INJECT_RX condition: a break (normally with byte 0). @public */
export const VTTY_RX_BREAK = 1;
/** VTMX_INJECT_RX condition: a framing error. @public */
export const VTTY_RX_FRAME = 2;
/** VTMX_INJECT_RX condition: a parity error. @public */
export const VTTY_RX_PARITY = 3;
/** VTMX_INJECT_RX condition: the byte, then an overrun. @public */
export const VTTY_RX_OVERRUN = 4;

/**
 * The VTMX_INJECT_RX argument, `VTTY_INJECT(ch, cond)`: bits 0-7 the byte, bits 8-15 the
 * condition.
 *
 * @param byte - the received byte, 0-255
 * @param condition - a `VTTY_RX_*` value, 0-255 (the driver refuses unknown ones with EINVAL)
 * @returns the u32 argument
 * @throws {@link ProtocolError} `INVALID_VALUE` when either is not an integer 0-255
 * @public
 */
export function vttyInject(byte: number, condition: number): number {
  if (!isByte(byte)) throw new ProtocolError('INVALID_VALUE', `inject byte must be 0-255, got ${String(byte)}`, 0);
  if (!isByte(condition)) {
    throw new ProtocolError('INVALID_VALUE', `inject condition must be 0-255, got ${String(condition)}`, 1);
  }
  return (byte | (condition << 8)) >>> 0;
}
