import { ProtocolError } from './errors.js';

/**
 * A break request from the application (`tcsendbreak`, TIOCSBRK, TIOCCBRK):
 * a timed break of `ms` milliseconds, break on until further notice, or break off.
 *
 * @public
 */
export type BreakState = { kind: 'timed'; ms: number } | { kind: 'on' } | { kind: 'off' };

/**
 * Interpret the i32 of a `TAG_BREAK_CTL` packet: positive = timed (ms), -1 = on, 0 = off.
 *
 * @param value - the signed 32-bit value
 * @param offset - where the value was, for the error (default 0)
 * @returns the break state
 * @throws {@link ProtocolError} `INVALID_VALUE` for negative values other than -1 (the kernel's
 *   `break_ctl` only ever passes -1, 0 or a duration) and for non-i32 input
 * @public
 */
export function breakStateFromValue(value: number, offset = 0): BreakState {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new ProtocolError('INVALID_VALUE', `break value must be an i32, got ${value}`, offset);
  }
  if (value > 0) return { kind: 'timed', ms: value };
  if (value === 0) return { kind: 'off' };
  if (value === -1) return { kind: 'on' };
  throw new ProtocolError('INVALID_VALUE', `break value ${value} is neither -1, 0 nor a duration`, offset);
}

/**
 * The i32 a break state is sent as.
 *
 * @param state - the break state; `ms` must be an integer 1 … 2^31-1
 * @param offset - where the value goes, for the error (default 0)
 * @returns the value
 * @throws {@link ProtocolError} `INVALID_VALUE` for a bad duration or kind
 * @public
 */
export function breakStateToValue(state: BreakState, offset = 0): number {
  switch (state.kind) {
    case 'on':
      return -1;
    case 'off':
      return 0;
    case 'timed':
      if (!Number.isInteger(state.ms) || state.ms < 1 || state.ms > 0x7fffffff) {
        throw new ProtocolError('INVALID_VALUE', `timed break needs 1 <= ms <= 2^31-1, got ${state.ms}`, offset);
      }
      return state.ms;
    default:
      throw new ProtocolError('INVALID_VALUE', `unknown break kind ${String((state as { kind: unknown }).kind)}`, offset);
  }
}

/**
 * A break state as monitors print it: `"break 250 ms"`, `"break on"`, `"break off"`.
 *
 * @param state - the break state
 * @returns the text
 * @public
 */
export function formatBreakState(state: BreakState): string {
  return state.kind === 'timed' ? `break ${state.ms} ms` : `break ${state.kind}`;
}
