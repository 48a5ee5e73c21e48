/**
 * vtty-protocol: the packet format of `/dev/vtmx` (the vtty virtual serial port driver's master
 * device) and everything needed to understand it — termios2, line settings, modem lines, break.
 * RFC 2217 lives in `vtty-protocol/rfc2217`.
 *
 * @packageDocumentation
 */
export { ProtocolError, isProtocolError, type ProtocolErrorCode } from './errors.js';
export {
  NCCS,
  hostArch,
  isSupportedArch,
  termios2Size,
  termiosLayout,
  type ArchName,
  type TermiosArch,
  type TermiosLayout,
} from './termios-layout.js';
export * from './termios-flags.js';
export {
  cloneTermios2,
  decodeTermios2,
  defaultTermios2,
  encodeTermios2,
  termios2Equal,
  type Termios2,
  type TermiosOptions,
} from './termios.js';
export {
  BAUD_TABLE,
  baudCodeToRate,
  baudRateToCode,
  termiosInputBaudRate,
  termiosOutputBaudRate,
  withBaudRate,
} from './baud.js';
export {
  formatLineSettings,
  frameBits,
  fromLineSettings,
  parseLineSettings,
  toLineSettings,
  type DataBits,
  type LineSettings,
  type Parity,
  type StopBits,
} from './line-settings.js';
export {
  MODEM_LINE_BITS,
  TIOCM_CAR,
  TIOCM_CD,
  TIOCM_CTS,
  TIOCM_DSR,
  TIOCM_DTR,
  TIOCM_INPUTS,
  TIOCM_LE,
  TIOCM_LOOP,
  TIOCM_OUT1,
  TIOCM_OUT2,
  TIOCM_OUTPUTS,
  TIOCM_RI,
  TIOCM_RNG,
  TIOCM_RTS,
  TIOCM_SR,
  TIOCM_ST,
  diffModemLines,
  formatModemDiff,
  formatModemLines,
  modemLinesFromBits,
  modemLinesToBits,
  type ModemLineName,
  type ModemLines,
  type ModemLinesDiff,
} from './modem.js';
export { escapeBytes } from './escape.js';
export { breakStateFromValue, breakStateToValue, formatBreakState, type BreakState } from './break.js';
export { VTTY_FLUSH_INPUT, VTTY_FLUSH_OUTPUT, flushQueueFromBits, flushQueueToBits, type FlushQueue } from './flush.js';
export {
  VTTY_FEAT_FLUSH_EVENTS,
  VTTY_FEAT_HW_FLOW,
  VTTY_FEAT_LINE_RATE,
  VTTY_FEAT_MODEM_EVENTS,
  VTTY_FEAT_OPEN_EVENTS,
  VTTY_FEAT_SW_FLOW,
} from './features.js';
export { VTTY_RX_BREAK, VTTY_RX_FRAME, VTTY_RX_NORMAL, VTTY_RX_OVERRUN, VTTY_RX_PARITY, vttyInject } from './rx-inject.js';
export {
  MAX_PACKET_SIZE,
  PACKET_TAGS,
  TAG_BREAK_CTL,
  TAG_FLUSH,
  TAG_OPEN_COUNT,
  TAG_SET_MODEM,
  TAG_SET_TERMIOS,
  TAG_UART_RX,
  decodePacket,
  describePacket,
  encodePacket,
  maxPacketSize,
  type BreakPacket,
  type DataPacket,
  type DecodePacketOptions,
  type FlushPacket,
  type ModemPacket,
  type OpenCountPacket,
  type Packet,
  type PacketOptions,
  type PacketType,
  type TermiosPacket,
  type UnknownPacket,
} from './packet.js';
export {
  TCGETS2,
  TCSETS2,
  TCSETSF2,
  TCSETSW2,
  TIOCCBRK,
  TIOCGICOUNT,
  TIOCGPTN,
  TIOCMBIC,
  TIOCMBIS,
  TIOCMGET,
  TIOCMIWAIT,
  TIOCMSET,
  TIOCSBRK,
  VTMX_GET_ENABLED,
  VTMX_GET_FEATURES,
  VTMX_GET_IDENTITY,
  VTMX_GET_VTTY_NUM,
  VTMX_INJECT_RX,
  VTMX_PLUG,
  VTMX_REQUEST_STATE,
  VTMX_SET_FEATURES,
  VTMX_SET_IDENTITY,
  VTMX_SET_INDEX,
  VTMX_SET_MODEM_LINES,
  VTMX_SET_NAME,
  VTMX_UNPLUG,
} from './ioctl.js';
export { DEFAULT_VTMX_PATH, HOTPLUG_VTMX_PATH } from './master-device.js';
export {
  IDENTITY_LAYOUT,
  PORT_KINDS,
  VTTY_ID_BUS_USB,
  VTTY_ID_STRING_SIZE,
  VTTY_ID_USB_IDS,
  VTTY_KIND_NONE,
  VTTY_KIND_USB_ACM,
  VTTY_KIND_USB_SERIAL,
  VTTY_NAME_SIZE,
  encodeIdentity,
  encodePortName,
  type PortIdentity,
  type PortKind,
} from './identity.js';
