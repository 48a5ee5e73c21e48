/**
 * Numeric constants: termios flags, c_cc indices, baud codes, TIOCM_* modem bits and tty
 * ioctl request numbers as the C side knows them (the kernel UAPI headers the addon was built
 * against), and the numbers of the vtmx interface, which are vtty-protocol's: every
 * `VTMX_*` and `VTTY_*` number it exports, and `VTMX_MAX_PACKET_SIZE`.
 *
 * @packageDocumentation
 */
import * as protocol from 'vtty-protocol';
import { NATIVE_CONSTANT_NAMES, type NativeConstantName } from './constant-names.js';
import { native } from './native.js';

/** The vtmx interface's numbers, under their kernel/vtty.h names. @public */
export type VtmxConstantName = Extract<keyof typeof protocol, `VTMX_${string}` | `VTTY_${string}`> | 'VTMX_MAX_PACKET_SIZE';

const VTMX_CONSTANTS = Object.fromEntries([
  ...Object.entries(protocol).filter(([name, value]) => /^VT(MX|TY)_/.test(name) && typeof value === 'number'),
  ['VTMX_MAX_PACKET_SIZE', protocol.MAX_PACKET_SIZE],
]) as Record<VtmxConstantName, number>;

/** One of {@link CONSTANT_NAMES}. @public */
export type ConstantName = NativeConstantName | VtmxConstantName;

/**
 * Every name in {@link constants}: the native ones, then the vtmx ones.
 *
 * @public
 */
export const CONSTANT_NAMES: readonly ConstantName[] = Object.freeze([
  ...NATIVE_CONSTANT_NAMES,
  ...(Object.keys(VTMX_CONSTANTS) as VtmxConstantName[]),
]);

/**
 * The constants, e.g. `constants.TIOCM_CTS`, `constants.BOTHER`, `constants.TCGETS2`,
 * `constants.VTMX_GET_FEATURES`.
 *
 * @public
 */
export const constants: Readonly<Record<ConstantName, number>> = Object.freeze({
  ...(Object.fromEntries(NATIVE_CONSTANT_NAMES.map((name) => [name, native.constants[name]])) as Record<NativeConstantName, number>),
  ...VTMX_CONSTANTS,
});
