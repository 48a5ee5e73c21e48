/**
 * Passing a break to an application, as far as the seed interface allows.
 *
 * @packageDocumentation
 */
import { BRKINT, IGNBRK, PARMRK, type BreakState, type Termios2 } from 'vtty-protocol';

/** What delivering a break to a port comes to. @public */
export type BreakDelivery =
  /** Write one NUL byte: exactly what the line discipline gives for a break with this termios. */
  | { kind: 'nul' }
  /** IGNBRK: the application ignores breaks; nothing to deliver. */
  | { kind: 'ignored' }
  /** BRKINT or PARMRK: the application expects a signal or a marked break, which a master cannot produce. */
  | { kind: 'impossible'; reason: string };

/**
 * How to deliver a break to an application whose termios is `t`. The driver has no way to
 * inject a received break (a TTY_BREAK flag), so a master can only write bytes: with neither
 * IGNBRK, BRKINT nor PARMRK set, the line discipline would turn a break into a NUL byte, and
 * writing one is exact; otherwise it is not possible.
 *
 * @param state - the break (only its start is delivered; `off` gives nothing)
 * @param t - the receiving application's termios
 * @returns what to do
 * @public
 */
export function breakDelivery(state: BreakState, t: Termios2): BreakDelivery | undefined {
  if (state.kind === 'off') return undefined;
  if (t.iflag & IGNBRK) return { kind: 'ignored' };
  if (t.iflag & BRKINT) return { kind: 'impossible', reason: 'BRKINT is set (a break should raise SIGINT)' };
  if (t.iflag & PARMRK) return { kind: 'impossible', reason: 'PARMRK is set (a break should read as \\377 \\0 \\0)' };
  return { kind: 'nul' };
}
