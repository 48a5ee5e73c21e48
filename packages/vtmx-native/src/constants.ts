/**
 * Numeric constants as the C side knows them: termios flags, c_cc indices, baud codes,
 * TIOCM_* modem bits, ioctl request numbers and the vtmx ioctls, taken from the kernel UAPI
 * headers (and `kernel/vtty.h` when the addon was built with it).
 *
 * @packageDocumentation
 */
import type { ConstantName } from './constant-names.js';
import { native } from './native.js';

export { CONSTANT_NAMES, type ConstantName } from './constant-names.js';

/**
 * The constants, e.g. `constants.TIOCM_CTS`, `constants.BOTHER`, `constants.TCGETS2`.
 *
 * @public
 */
export const constants: Readonly<Record<ConstantName, number>> = Object.freeze({ ...native.constants });

/**
 * Whether the addon was compiled against `kernel/vtty.h` (otherwise only the seed ioctls,
 * which equal TIOCGPTN and TIOCMSET, are known).
 *
 * @public
 */
export const builtWithVttyHeader: boolean = native.constants.HAVE_VTTY_H;
