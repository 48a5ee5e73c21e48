/**
 * vtmx-native: the Node binding for the vtty master device `/dev/vtmx` and for termios2 and
 * modem ioctls on any tty.
 *
 * @packageDocumentation
 */
export { Vtmx, DEFAULT_READ_SIZE, type VtmxOpenOptions } from './vtmx.js';
// The master devices' paths are vtty-protocol's (one owner); Vtmx.open opens them by default.
export { DEFAULT_VTMX_PATH, HOTPLUG_VTMX_PATH } from 'vtty-protocol';
export { VtmxStream, type VtmxStreamOptions, type VtmxStreamSource } from './vtmx-stream.js';
export { Tty, openTty, DEFAULT_TTY_READ_SIZE, type OpenTtyOptions } from './tty.js';
export type { FlushQueue, Icount, SerialInfo, SetAttrWhen } from './tty-types.js';
export { makeRawTermios } from './termios.js';
export { modemInputBits, type ModemInputLines } from './modem.js';
export { openPtyPair, type PtyPair } from './pty.js';
export { constants, CONSTANT_NAMES, type ConstantName, type VtmxConstantName } from './constants.js';
export { watchPeerGone, type PeerWatch } from './peer-watch.js';
export {
  OperationCancelledError,
  UnknownNameError,
  isCancelledError,
  isModuleMissingError,
  isSystemError,
  type SystemError,
} from './errors.js';
export {
  FEATURE_BITS,
  FEATURE_NAMES,
  RX_CONDITIONS,
  UnsupportedFeatureError,
  featureBits,
  featureNames,
  rxInjectArgument,
  unnamedFeatureBits,
  type FeatureName,
  type RxCondition,
} from './features.js';
export type { Packet, PortIdentity, PortKind, Termios2 } from 'vtty-protocol';
