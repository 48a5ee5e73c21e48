import { IDENTITY_LAYOUT, VTTY_NAME_SIZE } from './identity.js';

// Request numbers from include/uapi/asm-generic/ioctls.h and kernel/vtty.h, valid on every
// TermiosArch (_IOR/_IOW encodings of the asm-generic ioctl layout and a 44-byte termios2).

// asm-generic/ioctl.h: direction in bits 30-31, size in 16-29, type in 8-15, number in 0-7.
const IOC_WRITE = 1;
const IOC_READ = 2;
function ioctlRequest(direction: number, type: string, nr: number, size: number): number {
  return ((direction << 30) | (size << 16) | (type.charCodeAt(0) << 8) | nr) >>> 0;
}
/** sizeof(__u32), the argument of every vtmx extension ioctl. */
const U32 = 4;

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
/** vtmx: the `VTTY_FEAT_*` bits the module supports (`_IOR('V', 0xE0, __u32)`, since 0.2.0). @public */
export const VTMX_GET_FEATURES = ioctlRequest(IOC_READ, 'V', 0xe0, U32);
/** vtmx: enable exactly the `VTTY_FEAT_*` bits given on this port (`_IOW('V', 0xE1, __u32)`). @public */
export const VTMX_SET_FEATURES = ioctlRequest(IOC_WRITE, 'V', 0xe1, U32);
/** vtmx: the `VTTY_FEAT_*` bits enabled on this port (`_IOR('V', 0xE2, __u32)`). @public */
export const VTMX_GET_ENABLED = ioctlRequest(IOC_READ, 'V', 0xe2, U32);
/** vtmx: queue the port's current state as packets; the argument must be 0 (`_IOW('V', 0xE3, __u32)`). @public */
export const VTMX_REQUEST_STATE = ioctlRequest(IOC_WRITE, 'V', 0xe3, U32);
/** vtmx: one received byte with a line condition, see {@link vttyInject} (`_IOW('V', 0xE4, __u32)`). @public */
export const VTMX_INJECT_RX = ioctlRequest(IOC_WRITE, 'V', 0xe4, U32);
/** vtmx: set a hotplug port's identity, see {@link encodeIdentity} (`_IOW('V', 0xE5, struct vtty_identity)`, since 0.4.0). @public */
export const VTMX_SET_IDENTITY = ioctlRequest(IOC_WRITE, 'V', 0xe5, IDENTITY_LAYOUT.size);
/** vtmx: read a port's identity (`_IOR('V', 0xE6, struct vtty_identity)`). @public */
export const VTMX_GET_IDENTITY = ioctlRequest(IOC_READ, 'V', 0xe6, IDENTITY_LAYOUT.size);
/** vtmx: the index to take in the port's name family, while unplugged (`_IOW('V', 0xE7, __u32)`). @public */
export const VTMX_SET_INDEX = ioctlRequest(IOC_WRITE, 'V', 0xe7, U32);
/** vtmx: a hotplug port's name, see {@link encodePortName} (`_IOW('V', 0xE8, struct vtty_name)`). @public */
export const VTMX_SET_NAME = ioctlRequest(IOC_WRITE, 'V', 0xe8, VTTY_NAME_SIZE);
/** vtmx: plug the port in; the argument must be 0 (`_IOW('V', 0xE9, __u32)`). @public */
export const VTMX_PLUG = ioctlRequest(IOC_WRITE, 'V', 0xe9, U32);
/** vtmx: unplug the port, as a USB adapter is pulled out; the argument must be 0 (`_IOW('V', 0xEA, __u32)`). @public */
export const VTMX_UNPLUG = ioctlRequest(IOC_WRITE, 'V', 0xea, U32);
