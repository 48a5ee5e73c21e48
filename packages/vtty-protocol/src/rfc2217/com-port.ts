import { ProtocolError } from '../errors.js';
import { isU32 } from '../bytes.js';
import { encodeSubnegotiation, OPTION_COM_PORT } from './telnet.js';

/** The RFC 2217 Telnet option code (44). @public */
export const COM_PORT_OPTION = OPTION_COM_PORT;

/** Added to a client command code to get the server's reply code (RFC 2217: "the server adds 100"). @public */
export const SERVER_OFFSET = 100;

/** Client → server command codes, as in RFC 2217 section "Com Port Configuration Commands". @public */
export const SIGNATURE = 0;
/** SET-BAUDRATE (4-byte network-order value, 0 = query). @public */
export const SET_BAUDRATE = 1;
/** SET-DATASIZE (0 = query, 5–8). @public */
export const SET_DATASIZE = 2;
/** SET-PARITY (0 = query, 1 NONE, 2 ODD, 3 EVEN, 4 MARK, 5 SPACE). @public */
export const SET_PARITY = 3;
/** SET-STOPSIZE (0 = query, 1 = 1, 2 = 2, 3 = 1.5). @public */
export const SET_STOPSIZE = 4;
/** SET-CONTROL (flow control, BREAK, DTR, RTS; see `CONTROL_*`). @public */
export const SET_CONTROL = 5;
/** NOTIFY-LINESTATE (server → client: line state byte). @public */
export const NOTIFY_LINESTATE = 6;
/** NOTIFY-MODEMSTATE (server → client: modem state byte). @public */
export const NOTIFY_MODEMSTATE = 7;
/** FLOWCONTROL-SUSPEND (no value). @public */
export const FLOWCONTROL_SUSPEND = 8;
/** FLOWCONTROL-RESUME (no value). @public */
export const FLOWCONTROL_RESUME = 9;
/** SET-LINESTATE-MASK (1 byte). @public */
export const SET_LINESTATE_MASK = 10;
/** SET-MODEMSTATE-MASK (1 byte). @public */
export const SET_MODEMSTATE_MASK = 11;
/** PURGE-DATA (1 = receive buffer, 2 = transmit buffer, 3 = both). @public */
export const PURGE_DATA = 12;

/** SET-PARITY value: ask for the current setting. @public */
export const PARITY_REQUEST = 0;
/** SET-PARITY value NONE. @public */
export const PARITY_NONE = 1;
/** SET-PARITY value ODD. @public */
export const PARITY_ODD = 2;
/** SET-PARITY value EVEN. @public */
export const PARITY_EVEN = 3;
/** SET-PARITY value MARK. @public */
export const PARITY_MARK = 4;
/** SET-PARITY value SPACE. @public */
export const PARITY_SPACE = 5;

/** SET-STOPSIZE value: ask for the current setting. @public */
export const STOPSIZE_REQUEST = 0;
/** SET-STOPSIZE value 1 stop bit. @public */
export const STOPSIZE_1 = 1;
/** SET-STOPSIZE value 2 stop bits. @public */
export const STOPSIZE_2 = 2;
/** SET-STOPSIZE value 1.5 stop bits. @public */
export const STOPSIZE_1_5 = 3;

/** SET-CONTROL: request the (outbound/both) flow control setting. @public */
export const CONTROL_FLOW_REQUEST = 0;
/** SET-CONTROL: no flow control (outbound/both). @public */
export const CONTROL_FLOW_NONE = 1;
/** SET-CONTROL: XON/XOFF flow control (outbound/both). @public */
export const CONTROL_FLOW_XONXOFF = 2;
/** SET-CONTROL: hardware (RTS/CTS) flow control (outbound/both). @public */
export const CONTROL_FLOW_HARDWARE = 3;
/** SET-CONTROL: request the BREAK state. @public */
export const CONTROL_BREAK_REQUEST = 4;
/** SET-CONTROL: BREAK on. @public */
export const CONTROL_BREAK_ON = 5;
/** SET-CONTROL: BREAK off. @public */
export const CONTROL_BREAK_OFF = 6;
/** SET-CONTROL: request the DTR state. @public */
export const CONTROL_DTR_REQUEST = 7;
/** SET-CONTROL: DTR on. @public */
export const CONTROL_DTR_ON = 8;
/** SET-CONTROL: DTR off. @public */
export const CONTROL_DTR_OFF = 9;
/** SET-CONTROL: request the RTS state. @public */
export const CONTROL_RTS_REQUEST = 10;
/** SET-CONTROL: RTS on. @public */
export const CONTROL_RTS_ON = 11;
/** SET-CONTROL: RTS off. @public */
export const CONTROL_RTS_OFF = 12;
/** SET-CONTROL: request the inbound flow control setting. @public */
export const CONTROL_INBOUND_FLOW_REQUEST = 13;
/** SET-CONTROL: no inbound flow control. @public */
export const CONTROL_INBOUND_FLOW_NONE = 14;
/** SET-CONTROL: XON/XOFF inbound flow control. @public */
export const CONTROL_INBOUND_FLOW_XONXOFF = 15;
/** SET-CONTROL: hardware inbound flow control. @public */
export const CONTROL_INBOUND_FLOW_HARDWARE = 16;
/** SET-CONTROL: DCD flow control (outbound/both). @public */
export const CONTROL_FLOW_DCD = 17;
/** SET-CONTROL: DTR flow control (inbound). @public */
export const CONTROL_INBOUND_FLOW_DTR = 18;
/** SET-CONTROL: DSR flow control (outbound/both). @public */
export const CONTROL_FLOW_DSR = 19;

/** Line state bit: time-out error. @public */
export const LINESTATE_TIMEOUT = 0x80;
/** Line state bit: transfer shift register empty. @public */
export const LINESTATE_SHIFTREG_EMPTY = 0x40;
/** Line state bit: transfer holding register empty. @public */
export const LINESTATE_HOLDREG_EMPTY = 0x20;
/** Line state bit: break-detect error. @public */
export const LINESTATE_BREAK = 0x10;
/** Line state bit: framing error. @public */
export const LINESTATE_FRAMING_ERROR = 0x08;
/** Line state bit: parity error. @public */
export const LINESTATE_PARITY_ERROR = 0x04;
/** Line state bit: overrun error. @public */
export const LINESTATE_OVERRUN_ERROR = 0x02;
/** Line state bit: data ready. @public */
export const LINESTATE_DATA_READY = 0x01;

/** Modem state bit: receive line signal detect (carrier detect). @public */
export const MODEMSTATE_CD = 0x80;
/** Modem state bit: ring indicator. @public */
export const MODEMSTATE_RI = 0x40;
/** Modem state bit: data set ready. @public */
export const MODEMSTATE_DSR = 0x20;
/** Modem state bit: clear to send. @public */
export const MODEMSTATE_CTS = 0x10;
/** Modem state bit: delta receive line signal detect. @public */
export const MODEMSTATE_DELTA_CD = 0x08;
/** Modem state bit: trailing-edge ring detector. @public */
export const MODEMSTATE_TRAILING_RI = 0x04;
/** Modem state bit: delta data set ready. @public */
export const MODEMSTATE_DELTA_DSR = 0x02;
/** Modem state bit: delta clear to send. @public */
export const MODEMSTATE_DELTA_CTS = 0x01;

/** PURGE-DATA value: purge the access server's receive buffer. @public */
export const PURGE_RECEIVE = 1;
/** PURGE-DATA value: purge the access server's transmit buffer. @public */
export const PURGE_TRANSMIT = 2;
/** PURGE-DATA value: purge both buffers. @public */
export const PURGE_BOTH = 3;

/** Names of the COM-PORT-OPTION commands, as in RFC 2217 but lower-case. @public */
export type ComPortCommandName =
  | 'signature'
  | 'set-baudrate'
  | 'set-datasize'
  | 'set-parity'
  | 'set-stopsize'
  | 'set-control'
  | 'notify-linestate'
  | 'notify-modemstate'
  | 'flowcontrol-suspend'
  | 'flowcontrol-resume'
  | 'set-linestate-mask'
  | 'set-modemstate-mask'
  | 'purge-data';

/**
 * One COM-PORT-OPTION subnegotiation, in either direction.
 *
 * `server` is true for the access server's messages (code + 100). `value` is the command's
 * argument: a u32 for `set-baudrate`, a byte for the others; `signature` carries text instead
 * and the flow-control suspend/resume commands carry nothing. A value of 0 in the `set-*`
 * commands is a query ("tell me the current setting").
 *
 * @public
 */
export type ComPortMessage =
  | { command: 'signature'; server: boolean; text: string }
  | { command: 'flowcontrol-suspend' | 'flowcontrol-resume'; server: boolean }
  | {
      command: Exclude<ComPortCommandName, 'signature' | 'flowcontrol-suspend' | 'flowcontrol-resume'>;
      server: boolean;
      value: number;
    };

const CODES: Readonly<Record<ComPortCommandName, number>> = {
  signature: SIGNATURE,
  'set-baudrate': SET_BAUDRATE,
  'set-datasize': SET_DATASIZE,
  'set-parity': SET_PARITY,
  'set-stopsize': SET_STOPSIZE,
  'set-control': SET_CONTROL,
  'notify-linestate': NOTIFY_LINESTATE,
  'notify-modemstate': NOTIFY_MODEMSTATE,
  'flowcontrol-suspend': FLOWCONTROL_SUSPEND,
  'flowcontrol-resume': FLOWCONTROL_RESUME,
  'set-linestate-mask': SET_LINESTATE_MASK,
  'set-modemstate-mask': SET_MODEMSTATE_MASK,
  'purge-data': PURGE_DATA,
};

const NAMES: readonly ComPortCommandName[] = (Object.keys(CODES) as ComPortCommandName[]).sort(
  (a, b) => CODES[a] - CODES[b],
);

/**
 * The command code of a message on the wire (`server` adds 100).
 *
 * @param command - command name
 * @param server - whether it is the access server's version
 * @returns the code byte
 * @public
 */
export function comPortCommandCode(command: ComPortCommandName, server = false): number {
  return CODES[command] + (server ? SERVER_OFFSET : 0);
}

/**
 * The subnegotiation payload of a COM-PORT-OPTION message (what follows `IAC SB 44`, before
 * escaping): the command code then its value.
 *
 * @param msg - the message
 * @returns the payload bytes
 * @throws {@link ProtocolError} `INVALID_VALUE` for a value out of range
 * @public
 */
export function encodeComPortPayload(msg: ComPortMessage): Uint8Array {
  const code = comPortCommandCode(msg.command, msg.server);
  switch (msg.command) {
    case 'signature': {
      const text = new TextEncoder().encode(msg.text);
      const out = new Uint8Array(1 + text.length);
      out[0] = code;
      out.set(text, 1);
      return out;
    }
    case 'flowcontrol-suspend':
    case 'flowcontrol-resume':
      return Uint8Array.of(code);
    case 'set-baudrate': {
      const v = msg.value;
      if (!isU32(v)) throw new ProtocolError('INVALID_VALUE', `baud rate must be a u32, got ${v}`, 1);
      return Uint8Array.of(code, (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    }
    default:
      if (!Number.isInteger(msg.value) || msg.value < 0 || msg.value > 255) {
        throw new ProtocolError('INVALID_VALUE', `${msg.command} value must be a byte, got ${msg.value}`, 1);
      }
      return Uint8Array.of(code, msg.value);
  }
}

/**
 * The complete Telnet bytes of a COM-PORT-OPTION message: `IAC SB 44 <code> <value> IAC SE`,
 * with any 0xFF in the value doubled.
 *
 * @param msg - the message
 * @returns bytes ready to write to the socket
 * @throws {@link ProtocolError} `INVALID_VALUE`
 * @example
 * ```ts
 * encodeComPort({ command: 'set-baudrate', server: false, value: 9600 });
 * // ff fa 2c 01 00 00 25 80 ff f0
 * ```
 * @public
 */
export function encodeComPort(msg: ComPortMessage): Uint8Array {
  return encodeSubnegotiation(COM_PORT_OPTION, encodeComPortPayload(msg));
}

/** Options of {@link decodeComPort}. @public */
export interface DecodeComPortOptions {
  /**
   * Accept and ignore bytes after the value (some servers, e.g. sredird, pad SET-BAUDRATE
   * replies). Default false: trailing bytes are an error.
   */
  lenient?: boolean;
}

/**
 * Decode the payload of a COM-PORT-OPTION subnegotiation (the `payload` of a
 * {@link TelnetEvent} `subnegotiation` whose `option` is 44).
 *
 * @param payload - the unescaped payload: command code then value
 * @param options - leniency
 * @returns the message
 * @throws {@link ProtocolError} `EMPTY`, `UNKNOWN_TAG` (unknown command code),
 *   `SHORT_PAYLOAD`, `TRAILING_BYTES`
 * @public
 */
export function decodeComPort(payload: Uint8Array, options: DecodeComPortOptions = {}): ComPortMessage {
  if (payload.length === 0) throw new ProtocolError('EMPTY', 'empty COM-PORT-OPTION subnegotiation', 0);
  const code = payload[0] ?? 0;
  const server = code >= SERVER_OFFSET;
  const base = server ? code - SERVER_OFFSET : code;
  const command = NAMES[base];
  if (command === undefined || CODES[command] !== base) {
    throw new ProtocolError('UNKNOWN_TAG', `unknown COM-PORT-OPTION command ${code}`, 0);
  }
  if (command === 'signature') {
    return { command, server, text: new TextDecoder().decode(payload.subarray(1)) };
  }
  const size = command === 'set-baudrate' ? 4 : command === 'flowcontrol-suspend' || command === 'flowcontrol-resume' ? 0 : 1;
  if (payload.length < 1 + size) {
    throw new ProtocolError('SHORT_PAYLOAD', `${command} needs ${size} value bytes, got ${payload.length - 1}`, payload.length);
  }
  if (payload.length > 1 + size && options.lenient !== true) {
    throw new ProtocolError('TRAILING_BYTES', `${payload.length - 1 - size} bytes after the ${command} value`, 1 + size);
  }
  if (command === 'flowcontrol-suspend' || command === 'flowcontrol-resume') return { command, server };
  const b = (i: number): number => payload[i] ?? 0;
  const value = size === 4 ? ((b(1) << 24) | (b(2) << 16) | (b(3) << 8) | b(4)) >>> 0 : b(1);
  return { command, server, value };
}
