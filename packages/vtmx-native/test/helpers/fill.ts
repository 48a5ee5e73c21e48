import { delay } from './env.js';

/** Anything with a non-blocking write: a Tty or a Vtmx. */
export interface TryWriter {
  tryWrite(data: Uint8Array): number;
}

/** Writes `chunk` without blocking until the port answers EAGAIN; returns the bytes accepted. */
export function writeUntilEagain(port: TryWriter, chunk: Uint8Array): number {
  let accepted = 0;
  for (let n = port.tryWrite(chunk); n > 0; n = port.tryWrite(chunk)) accepted += n;
  return accepted;
}

/**
 * Fills a port that nobody reads until it stays full for `settleMs`. One EAGAIN is not enough
 * on a pty: its kworker moves the flip buffer into the other side's line discipline a moment
 * after the writes, and that makes room again (a CI run saw 3,584 bytes accepted right after
 * an EAGAIN).
 *
 * @returns the bytes accepted
 */
export async function fillUntilFull(port: TryWriter, chunk: Uint8Array, settleMs = 50): Promise<number> {
  let accepted = writeUntilEagain(port, chunk);
  for (;;) {
    await delay(settleMs);
    const more = writeUntilEagain(port, chunk);
    if (more === 0) return accepted;
    accepted += more;
  }
}
