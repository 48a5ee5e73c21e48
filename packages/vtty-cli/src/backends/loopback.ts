/**
 * Modem-line wiring of a loopback plug and a null-modem cable.
 *
 * @packageDocumentation
 */
import { TIOCM_CAR, TIOCM_CTS, TIOCM_DSR, TIOCM_DTR, TIOCM_RTS } from 'vtty-protocol';

/**
 * The input lines a peer sees from these output lines, wired as a loopback plug or a
 * null-modem cable: RTS → CTS, DTR → DSR and DCD.
 *
 * @param outputs - TIOCM mask of the other side's (or the same port's) outputs
 * @returns TIOCM mask of input lines
 * @public
 */
export function crossedInputs(outputs: number): number {
  let bits = 0;
  if (outputs & TIOCM_RTS) bits |= TIOCM_CTS;
  if (outputs & TIOCM_DTR) bits |= TIOCM_DSR | TIOCM_CAR;
  return bits;
}
