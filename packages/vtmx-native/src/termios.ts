/**
 * Pure termios2 transformations.
 *
 * @packageDocumentation
 */
import type { Termios2 } from 'vtty-protocol';
import { constants as c } from './constants.js';

/**
 * `cfmakeraw()` applied to a termios2: no input/output processing, no echo, no signals,
 * 8 bits, no parity, VMIN=1, VTIME=0. Speeds and other control flags are kept.
 *
 * @param t - the termios to start from (not modified)
 * @returns the raw termios
 * @public
 */
export function makeRawTermios(t: Termios2): Termios2 {
  const cc = t.cc.slice();
  cc[c.VMIN] = 1;
  cc[c.VTIME] = 0;
  return {
    ...t,
    iflag: (t.iflag & ~(c.IGNBRK | c.BRKINT | c.PARMRK | c.ISTRIP | c.INLCR | c.IGNCR | c.ICRNL | c.IXON)) >>> 0,
    oflag: (t.oflag & ~c.OPOST) >>> 0,
    lflag: (t.lflag & ~(c.ECHO | c.ECHONL | c.ICANON | c.ISIG | c.IEXTEN)) >>> 0,
    cflag: ((t.cflag & ~(c.CSIZE | c.PARENB)) | c.CS8) >>> 0,
    cc,
  };
}
