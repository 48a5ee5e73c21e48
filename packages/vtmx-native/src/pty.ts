/**
 * Pseudo-terminal pairs: a host-side stand-in for a serial port in tests.
 *
 * @packageDocumentation
 */
import { constants as c } from './constants.js';
import { native } from './native.js';
import { Tty } from './tty.js';

/** A pty master and its slave, both as {@link Tty}. @public */
export interface PtyPair {
  /** `/dev/ptmx` side. */
  master: Tty;
  /** `/dev/pts/<n>` side (the "application" side). */
  slave: Tty;
  /** The slave's path. */
  slavePath: string;
}

/**
 * Open a pty pair (posix_openpt + unlockpt + open of the slave), non-blocking, O_NOCTTY.
 * Meant for tests of tty code on hosts without the vtty module.
 *
 * @param ptmxPath - the multiplexer, default `/dev/ptmx`
 * @returns both ends
 * @public
 */
export function openPtyPair(ptmxPath = '/dev/ptmx'): PtyPair {
  const fd = native.open(ptmxPath, c.O_RDWR | c.O_NOCTTY | c.O_NONBLOCK);
  let master: Tty;
  let slavePath: string;
  try {
    native.unlockPty(fd, ptmxPath);
    slavePath = `/dev/pts/${native.ioctlGetInt(fd, c.TIOCGPTN, ptmxPath)}`;
    master = new Tty(fd, ptmxPath);
  } catch (error: unknown) {
    native.close(fd);
    throw error;
  }
  try {
    const slave = new Tty(native.open(slavePath, c.O_RDWR | c.O_NOCTTY | c.O_NONBLOCK), slavePath);
    return { master, slave, slavePath };
  } catch (error: unknown) {
    void master.close();
    throw error;
  }
}
