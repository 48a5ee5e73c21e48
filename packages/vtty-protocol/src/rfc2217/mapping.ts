import { ProtocolError } from '../errors.js';
import type { BreakState } from '../break.js';
import type { LineSettings, Parity } from '../line-settings.js';
import { TIOCM_CAR, TIOCM_CTS, TIOCM_DSR, TIOCM_DTR, TIOCM_RNG, TIOCM_RTS, type ModemLines, modemLinesToBits } from '../modem.js';
import {
  CONTROL_BREAK_OFF,
  CONTROL_BREAK_ON,
  CONTROL_DTR_OFF,
  CONTROL_DTR_ON,
  CONTROL_FLOW_HARDWARE,
  CONTROL_FLOW_NONE,
  CONTROL_FLOW_XONXOFF,
  CONTROL_RTS_OFF,
  CONTROL_RTS_ON,
  LINESTATE_BREAK,
  LINESTATE_DATA_READY,
  LINESTATE_FRAMING_ERROR,
  LINESTATE_HOLDREG_EMPTY,
  LINESTATE_OVERRUN_ERROR,
  LINESTATE_PARITY_ERROR,
  LINESTATE_SHIFTREG_EMPTY,
  LINESTATE_TIMEOUT,
  MODEMSTATE_CD,
  MODEMSTATE_CTS,
  MODEMSTATE_DELTA_CD,
  MODEMSTATE_DELTA_CTS,
  MODEMSTATE_DELTA_DSR,
  MODEMSTATE_DSR,
  MODEMSTATE_RI,
  MODEMSTATE_TRAILING_RI,
  PARITY_EVEN,
  PARITY_MARK,
  PARITY_NONE,
  PARITY_ODD,
  PARITY_SPACE,
  STOPSIZE_1,
  STOPSIZE_1_5,
  STOPSIZE_2,
  type ComPortMessage,
} from './com-port.js';

const PARITY_CODE: Readonly<Record<Parity, number>> = {
  none: PARITY_NONE,
  odd: PARITY_ODD,
  even: PARITY_EVEN,
  mark: PARITY_MARK,
  space: PARITY_SPACE,
};

/**
 * The SET-PARITY value of a parity.
 *
 * @param parity - the parity
 * @returns 1 (NONE) … 5 (SPACE)
 * @public
 */
export function parityToComPort(parity: Parity): number {
  return PARITY_CODE[parity];
}

/**
 * The parity of a SET-PARITY value.
 *
 * @param value - 1 … 5
 * @returns the parity, or `undefined` for 0 (query) and unknown values
 * @public
 */
export function parityFromComPort(value: number): Parity | undefined {
  switch (value) {
    case PARITY_NONE:
      return 'none';
    case PARITY_ODD:
      return 'odd';
    case PARITY_EVEN:
      return 'even';
    case PARITY_MARK:
      return 'mark';
    case PARITY_SPACE:
      return 'space';
    default:
      return undefined;
  }
}

/**
 * The SET-CONTROL value for the (outbound/both) flow control of line settings:
 * hardware when `rtscts`, XON/XOFF when `xon` or `xoff`, otherwise none.
 *
 * @param s - the settings
 * @returns {@link CONTROL_FLOW_HARDWARE}, {@link CONTROL_FLOW_XONXOFF} or {@link CONTROL_FLOW_NONE}
 * @public
 */
export function flowControlToComPort(s: Pick<LineSettings, 'rtscts' | 'xon' | 'xoff'>): number {
  if (s.rtscts) return CONTROL_FLOW_HARDWARE;
  if (s.xon || s.xoff) return CONTROL_FLOW_XONXOFF;
  return CONTROL_FLOW_NONE;
}

/**
 * The client commands that configure a remote port like `s`: SET-BAUDRATE, SET-DATASIZE,
 * SET-PARITY, SET-STOPSIZE and SET-CONTROL (flow control), in that order. With `previous`,
 * only the commands for what changed.
 *
 * RFC 2217 has a single speed, so `inputBaudRate` is not sent; `xany`, `hupcl`, `clocal` and
 * `cread` have no RFC 2217 equivalent.
 *
 * @param s - the wanted settings
 * @param previous - the settings last sent, if any
 * @returns the messages (client direction)
 * @public
 */
export function lineSettingsToComPort(s: LineSettings, previous?: LineSettings): ComPortMessage[] {
  const out: ComPortMessage[] = [];
  const server = false;
  if (previous?.baudRate !== s.baudRate) out.push({ command: 'set-baudrate', server, value: s.baudRate });
  if (previous?.dataBits !== s.dataBits) out.push({ command: 'set-datasize', server, value: s.dataBits });
  if (previous?.parity !== s.parity) out.push({ command: 'set-parity', server, value: PARITY_CODE[s.parity] });
  if (previous?.stopBits !== s.stopBits) {
    out.push({ command: 'set-stopsize', server, value: s.stopBits === 2 ? STOPSIZE_2 : STOPSIZE_1 });
  }
  const flow = flowControlToComPort(s);
  if (previous === undefined || flowControlToComPort(previous) !== flow) {
    out.push({ command: 'set-control', server, value: flow });
  }
  return out;
}

/**
 * Apply one COM-PORT-OPTION message (a client request or the server's reply) to line
 * settings — what a server does on a request, and what a client does with the replies to keep
 * track of the port's real settings. Queries (value 0), messages that are not settings and
 * SET-CONTROL values other than the outbound flow-control ones leave `s` unchanged.
 *
 * 1.5 stop bits (STOPSIZE 3) become `stopBits: 2` (Linux's CSTOPB with CS5 is 1.5 bits).
 *
 * @param s - the current settings (not modified)
 * @param msg - the message
 * @returns the new settings
 * @throws {@link ProtocolError} `INVALID_VALUE` for a data size, parity or stop size outside RFC 2217
 * @public
 */
export function applyComPortToLineSettings(s: LineSettings, msg: ComPortMessage): LineSettings {
  if (!('value' in msg) || msg.value === 0) return s;
  const v = msg.value;
  switch (msg.command) {
    case 'set-baudrate': {
      const next: LineSettings = { ...s, baudRate: v };
      delete next.inputBaudRate;
      return next;
    }
    case 'set-datasize':
      if (v < 5 || v > 8) throw new ProtocolError('INVALID_VALUE', `SET-DATASIZE ${v} is not 5..8`, 1);
      return { ...s, dataBits: v as 5 | 6 | 7 | 8 };
    case 'set-parity': {
      const parity = parityFromComPort(v);
      if (parity === undefined) throw new ProtocolError('INVALID_VALUE', `SET-PARITY ${v} is not 1..5`, 1);
      return { ...s, parity };
    }
    case 'set-stopsize':
      if (v !== STOPSIZE_1 && v !== STOPSIZE_2 && v !== STOPSIZE_1_5) {
        throw new ProtocolError('INVALID_VALUE', `SET-STOPSIZE ${v} is not 1..3`, 1);
      }
      return { ...s, stopBits: v === STOPSIZE_1 ? 1 : 2 };
    case 'set-control':
      if (v === CONTROL_FLOW_NONE) return { ...s, rtscts: false, xon: false, xoff: false };
      if (v === CONTROL_FLOW_XONXOFF) return { ...s, rtscts: false, xon: true, xoff: true };
      if (v === CONTROL_FLOW_HARDWARE) return { ...s, rtscts: true, xon: false, xoff: false };
      return s;
    default:
      return s;
  }
}

/**
 * The SET-CONTROL commands that move DTR and RTS from `before` to `after` (only the lines
 * that changed; other lines are not RFC 2217 controllable).
 *
 * @param before - previous lines (lines or TIOCM mask); `undefined` sends both lines' state
 * @param after - new lines (lines or TIOCM mask)
 * @returns zero, one or two messages (client direction)
 * @public
 */
export function modemControlToComPort(
  before: ModemLines | number | undefined,
  after: ModemLines | number,
): ComPortMessage[] {
  const a = before === undefined ? undefined : typeof before === 'number' ? before : modemLinesToBits(before);
  const b = typeof after === 'number' ? after : modemLinesToBits(after);
  const out: ComPortMessage[] = [];
  const changed = (bit: number): boolean => a === undefined || (a & bit) !== (b & bit);
  if (changed(TIOCM_DTR)) {
    out.push({ command: 'set-control', server: false, value: b & TIOCM_DTR ? CONTROL_DTR_ON : CONTROL_DTR_OFF });
  }
  if (changed(TIOCM_RTS)) {
    out.push({ command: 'set-control', server: false, value: b & TIOCM_RTS ? CONTROL_RTS_ON : CONTROL_RTS_OFF });
  }
  return out;
}

/**
 * The SET-CONTROL command for a break request. RFC 2217 has no timed break, so a timed break
 * is BREAK ON and the caller sends {@link CONTROL_BREAK_OFF} (`breakToComPort({ kind: 'off' })`)
 * after `state.ms` milliseconds.
 *
 * @param state - the break request
 * @returns the message (client direction)
 * @public
 */
export function breakToComPort(state: BreakState): ComPortMessage {
  return { command: 'set-control', server: false, value: state.kind === 'off' ? CONTROL_BREAK_OFF : CONTROL_BREAK_ON };
}

/**
 * The TIOCM input lines of an RFC 2217 modem state byte (NOTIFY-MODEMSTATE): CD → TIOCM_CAR,
 * RI → TIOCM_RNG, DSR → TIOCM_DSR, CTS → TIOCM_CTS. The delta bits (low nibble) are dropped.
 *
 * @param state - the modem state byte
 * @returns a TIOCM mask with only input lines
 * @public
 */
export function modemStateToTiocm(state: number): number {
  let bits = 0;
  if (state & MODEMSTATE_CD) bits |= TIOCM_CAR;
  if (state & MODEMSTATE_RI) bits |= TIOCM_RNG;
  if (state & MODEMSTATE_DSR) bits |= TIOCM_DSR;
  if (state & MODEMSTATE_CTS) bits |= TIOCM_CTS;
  return bits;
}

/**
 * The RFC 2217 modem state byte for TIOCM input lines (what a server sends). With `previous`,
 * the delta bits are set as the RFC defines them: delta CD, DSR and CTS on any change,
 * "trailing-edge RI" when RI went from on to off.
 *
 * @param bits - current TIOCM mask
 * @param previous - the mask last reported, if any
 * @returns the modem state byte
 * @public
 */
export function tiocmToModemState(bits: number, previous?: number): number {
  let state = 0;
  if (bits & TIOCM_CAR) state |= MODEMSTATE_CD;
  if (bits & TIOCM_RNG) state |= MODEMSTATE_RI;
  if (bits & TIOCM_DSR) state |= MODEMSTATE_DSR;
  if (bits & TIOCM_CTS) state |= MODEMSTATE_CTS;
  if (previous !== undefined) {
    const d = bits ^ previous;
    if (d & TIOCM_CAR) state |= MODEMSTATE_DELTA_CD;
    if (previous & TIOCM_RNG && !(bits & TIOCM_RNG)) state |= MODEMSTATE_TRAILING_RI;
    if (d & TIOCM_DSR) state |= MODEMSTATE_DELTA_DSR;
    if (d & TIOCM_CTS) state |= MODEMSTATE_DELTA_CTS;
  }
  return state;
}

/** The line state byte of NOTIFY-LINESTATE as booleans. @public */
export interface LineState {
  /** Time-out error (0x80). */
  timeoutError: boolean;
  /** Transfer shift register empty (0x40). */
  shiftRegisterEmpty: boolean;
  /** Transfer holding register empty (0x20). */
  holdingRegisterEmpty: boolean;
  /** Break detected (0x10). */
  breakDetect: boolean;
  /** Framing error (0x08). */
  framingError: boolean;
  /** Parity error (0x04). */
  parityError: boolean;
  /** Overrun error (0x02). */
  overrunError: boolean;
  /** Data ready (0x01). */
  dataReady: boolean;
}

/**
 * Decode a NOTIFY-LINESTATE byte.
 *
 * @param state - the byte
 * @returns the flags
 * @public
 */
export function lineStateFromByte(state: number): LineState {
  return {
    timeoutError: (state & LINESTATE_TIMEOUT) !== 0,
    shiftRegisterEmpty: (state & LINESTATE_SHIFTREG_EMPTY) !== 0,
    holdingRegisterEmpty: (state & LINESTATE_HOLDREG_EMPTY) !== 0,
    breakDetect: (state & LINESTATE_BREAK) !== 0,
    framingError: (state & LINESTATE_FRAMING_ERROR) !== 0,
    parityError: (state & LINESTATE_PARITY_ERROR) !== 0,
    overrunError: (state & LINESTATE_OVERRUN_ERROR) !== 0,
    dataReady: (state & LINESTATE_DATA_READY) !== 0,
  };
}

/**
 * Encode line state flags as a NOTIFY-LINESTATE byte. Flags not given are off.
 *
 * @param s - some or all flags
 * @returns the byte
 * @public
 */
export function lineStateToByte(s: Partial<LineState>): number {
  return (
    (s.timeoutError === true ? LINESTATE_TIMEOUT : 0) |
    (s.shiftRegisterEmpty === true ? LINESTATE_SHIFTREG_EMPTY : 0) |
    (s.holdingRegisterEmpty === true ? LINESTATE_HOLDREG_EMPTY : 0) |
    (s.breakDetect === true ? LINESTATE_BREAK : 0) |
    (s.framingError === true ? LINESTATE_FRAMING_ERROR : 0) |
    (s.parityError === true ? LINESTATE_PARITY_ERROR : 0) |
    (s.overrunError === true ? LINESTATE_OVERRUN_ERROR : 0) |
    (s.dataReady === true ? LINESTATE_DATA_READY : 0)
  );
}
