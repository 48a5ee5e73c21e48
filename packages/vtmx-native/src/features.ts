/**
 * Names for the driver's extension values (kernel/vtty.h, docs/protocol.md "Extensions"):
 * the optional features a master enables per port, the error for one the module lacks, and
 * the line conditions it can inject. The numbers are vtty-protocol's (through `constants`).
 *
 * @packageDocumentation
 */
import { vttyInject } from 'vtty-protocol';
import { constants } from './constants.js';
import { UnknownNameError, type SystemError } from './errors.js';

/**
 * An optional feature of the vtty driver, enabled per port with {@link Vtmx.enableFeatures}:
 *
 * - `'modemEvents'` (`VTTY_FEAT_MODEM_EVENTS`): a modem packet whenever the application's
 *   output lines change for any reason (open, close with HUPCL, B0, throttling), since 0.2.0.
 * - `'hwFlow'` (`VTTY_FEAT_HW_FLOW`): CTS from the master holds the application's output under
 *   CRTSCTS; the tty throttling drops RTS and stops master writes, since 0.2.0.
 * - `'swFlow'` (`VTTY_FEAT_SW_FLOW`): the tty's output stop (IXON, tcflow) holds its output;
 *   XON/XOFF it sends overtake queued output, since 0.2.0.
 * - `'openEvents'` (`VTTY_FEAT_OPEN_EVENTS`): an open-count packet on every open, close and
 *   hangup of the tty, since 0.2.0.
 * - `'flushEvents'` (`VTTY_FEAT_FLUSH_EVENTS`): a flush packet on every tcflush() (since 0.2.0) and tcsetattr(TCSAFLUSH) (since 0.3.0).
 * - `'lineRate'` (`VTTY_FEAT_LINE_RATE`): line-rate pacing (data moves at the tty's baud
 *   rate), since 0.3.0.
 *
 * @public
 */
export type FeatureName = 'modemEvents' | 'hwFlow' | 'swFlow' | 'openEvents' | 'flushEvents' | 'lineRate';

/**
 * Every {@link FeatureName} with its `VTTY_FEAT_*` bit, in bit order.
 *
 * @public
 */
export const FEATURE_BITS: Readonly<Record<FeatureName, number>> = Object.freeze({
  modemEvents: constants.VTTY_FEAT_MODEM_EVENTS,
  hwFlow: constants.VTTY_FEAT_HW_FLOW,
  swFlow: constants.VTTY_FEAT_SW_FLOW,
  openEvents: constants.VTTY_FEAT_OPEN_EVENTS,
  flushEvents: constants.VTTY_FEAT_FLUSH_EVENTS,
  lineRate: constants.VTTY_FEAT_LINE_RATE,
});

/** Every {@link FeatureName}, in bit order. @public */
export const FEATURE_NAMES: readonly FeatureName[] = Object.freeze(Object.keys(FEATURE_BITS) as FeatureName[]);

function isFeatureName(name: string): name is FeatureName {
  return Object.hasOwn(FEATURE_BITS, name);
}

/**
 * The `VTTY_FEAT_*` bits of some features.
 *
 * @param names - feature names
 * @returns the bits ORed together
 * @throws {@link UnknownNameError} for a name that is not a {@link FeatureName}
 * @public
 */
export function featureBits(names: Iterable<FeatureName>): number {
  let bits = 0;
  for (const name of names) {
    if (typeof name !== 'string' || !isFeatureName(name)) throw new UnknownNameError('feature', name, FEATURE_NAMES);
    bits |= FEATURE_BITS[name];
  }
  return bits >>> 0;
}

/**
 * The features named by a `VTTY_FEAT_*` bitmask; bits this binding has no name for are left
 * out (see {@link unnamedFeatureBits}).
 *
 * @param bits - a bitmask, e.g. from VTMX_GET_FEATURES
 * @returns the named features
 * @public
 */
export function featureNames(bits: number): Set<FeatureName> {
  const names = new Set<FeatureName>();
  for (const name of FEATURE_NAMES) if ((bits & FEATURE_BITS[name]) !== 0) names.add(name);
  return names;
}

/**
 * The bits of a feature mask that no {@link FeatureName} covers (a module newer than this
 * binding).
 *
 * @param bits - a bitmask
 * @returns the unnamed bits
 * @public
 */
export function unnamedFeatureBits(bits: number): number {
  return (bits & ~featureBits(FEATURE_NAMES)) >>> 0;
}

/**
 * A received line condition for {@link Vtmx.injectRx} (`VTTY_RX_*`, the kernel's `TTY_*`
 * flags): `'normal'` plain data, `'break'` a break (normally with byte 0), `'frame'` a framing
 * error, `'parity'` a parity error, `'overrun'` the byte followed by an overrun marker.
 *
 * @public
 */
export type RxCondition = 'normal' | 'break' | 'frame' | 'parity' | 'overrun';

/** Every {@link RxCondition} with its `VTTY_RX_*` value. @public */
export const RX_CONDITIONS: Readonly<Record<RxCondition, number>> = Object.freeze({
  normal: constants.VTTY_RX_NORMAL,
  break: constants.VTTY_RX_BREAK,
  frame: constants.VTTY_RX_FRAME,
  parity: constants.VTTY_RX_PARITY,
  overrun: constants.VTTY_RX_OVERRUN,
});

/**
 * The VTMX_INJECT_RX argument (`VTTY_INJECT(byte, condition)`).
 *
 * @param condition - the line condition
 * @param byte - the byte, 0-255
 * @returns bits 0-7 the byte, bits 8-15 the condition
 * @throws {@link UnknownNameError} for an unknown condition; RangeError (code
 * `'ERR_OUT_OF_RANGE'`) for a byte outside 0-255
 * @public
 */
export function rxInjectArgument(condition: RxCondition, byte: number): number {
  if (typeof condition !== 'string' || !Object.hasOwn(RX_CONDITIONS, condition)) {
    throw new UnknownNameError('rx condition', condition, Object.keys(RX_CONDITIONS));
  }
  if (!Number.isInteger(byte) || byte < 0 || byte > 255) {
    const error = new RangeError(`The value of "byte" is out of range. It must be an integer from 0 to 255. Received ${String(byte)}`);
    Object.assign(error, { code: 'ERR_OUT_OF_RANGE' });
    throw error;
  }
  return vttyInject(byte, RX_CONDITIONS[condition]);
}

/**
 * The loaded vtty module does not support a feature that was asked for (it refused with
 * EINVAL, or ENOTTY for a module without extensions): e.g. `'lineRate'` needs vtty 0.3.0.
 * `code`, `errno` and `syscall` are the kernel's answer; nothing was changed on the port.
 *
 * @public
 */
export class UnsupportedFeatureError extends Error implements SystemError {
  /** Always `'UnsupportedFeatureError'`. */
  override readonly name = 'UnsupportedFeatureError';
  /** The kernel's answer: `'EINVAL'`, or `'ENOTTY'` from a module without extensions. */
  readonly code: string;
  /** Its negative errno. */
  readonly errno: number;
  /** Always `'ioctl'`. */
  readonly syscall = 'ioctl';
  /** The master device. */
  readonly path: string;
  /** The features asked for that the module does not support. */
  readonly features: readonly FeatureName[];
  /** The features the module supports. */
  readonly supported: readonly FeatureName[];

  /**
   * @param cause - the system error of VTMX_SET_FEATURES
   * @param features - the unsupported features asked for
   * @param supported - what the module supports
   */
  constructor(cause: SystemError, features: readonly FeatureName[], supported: readonly FeatureName[]) {
    const list = features.map((f) => `'${f}'`).join(', ');
    super(
      `${cause.code}: the loaded vtty module does not support ${features.length === 1 ? 'feature' : 'features'} ${list} ` +
        `(it supports: ${supported.length > 0 ? supported.join(', ') : 'no extensions'}), ioctl '${cause.path ?? ''}'`,
      { cause },
    );
    this.code = cause.code;
    this.errno = cause.errno;
    this.path = cause.path ?? '';
    this.features = features;
    this.supported = supported;
  }
}
