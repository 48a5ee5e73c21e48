// Request numbers from include/uapi/asm-generic/ioctls.h, valid on every TermiosArch
// (_IOR/_IOW encodings computed for the asm-generic ioctl layout and a 44-byte termios2).

/** Get termios2 (`_IOR('T', 0x2A, struct termios2)`). @public */
export const TCGETS2 = 0x802c542a;
/** Set termios2 now (`_IOW('T', 0x2B, struct termios2)`). @public */
export const TCSETS2 = 0x402c542b;
/** Set termios2 after draining output. @public */
export const TCSETSW2 = 0x402c542c;
/** Set termios2 after draining output and flushing input. @public */
export const TCSETSF2 = 0x402c542d;
/** Get the index of a pty (or of a vtmx port) (`_IOR('T', 0x30, unsigned int)`). @public */
export const TIOCGPTN = 0x80045430;
/** Get the modem lines. @public */
export const TIOCMGET = 0x5415;
/** Set modem lines (OR). @public */
export const TIOCMBIS = 0x5416;
/** Clear modem lines (AND NOT). @public */
export const TIOCMBIC = 0x5417;
/** Set all modem lines. @public */
export const TIOCMSET = 0x5418;
/** Start a break. @public */
export const TIOCSBRK = 0x5427;
/** End a break. @public */
export const TIOCCBRK = 0x5428;
/** Wait for a change of modem input lines. @public */
export const TIOCMIWAIT = 0x545c;
/** Read the serial interrupt counters. @public */
export const TIOCGICOUNT = 0x545d;
/** vtmx: get the ttyV index of this master (equal to {@link TIOCGPTN}). @public */
export const VTMX_GET_VTTY_NUM = TIOCGPTN;
/** vtmx: set the port's input modem lines (equal to {@link TIOCMSET}; output lines are ignored). @public */
export const VTMX_SET_MODEM_LINES = TIOCMSET;
