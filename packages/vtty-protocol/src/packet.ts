import { ProtocolError } from './errors.js';
import { isByte, isU32, readU32, writeU32 } from './bytes.js';
import { type BreakState, breakStateFromValue, breakStateToValue, formatBreakState } from './break.js';
import { type FlushQueue, flushQueueFromBits, flushQueueToBits } from './flush.js';
import { checkModemBits, formatModemLines } from './modem.js';
import { type ArchName, termiosLayout } from './termios-layout.js';
import { decodeTermios2At, encodeTermios2Into, type Termios2 } from './termios.js';
import { formatLineSettings, toLineSettings } from './line-settings.js';

/** Tag of a data packet: bytes the application wrote to the ttyV. @public */
export const TAG_UART_RX = 0;
/** Tag of a termios packet: the application changed the port settings (TCSETS*). @public */
export const TAG_SET_TERMIOS = 1;
/** Tag of a modem packet: the application changed its modem lines (TIOCMSET/BIS/BIC). @public */
export const TAG_SET_MODEM = 2;
/** Tag of a break packet: the application started or ended a break. @public */
export const TAG_BREAK_CTL = 3;
/** Tag of an open-count packet: the tty was opened, closed or hung up (`VTTY_FEAT_OPEN_EVENTS`). @public */
export const TAG_OPEN_COUNT = 4;
/** Tag of a flush packet: the application discarded queued data (`VTTY_FEAT_FLUSH_EVENTS`). @public */
export const TAG_FLUSH = 5;

/**
 * Bytes the application wrote to the virtual port (what a UART would transmit).
 * `data` is a view into the buffer given to {@link decodePacket}, not a copy.
 *
 * @public
 */
export interface DataPacket {
  /** Discriminant. */
  type: 'data';
  /** The payload (a view). */
  data: Uint8Array;
}

/** The application set new port settings. @public */
export interface TermiosPacket {
  /** Discriminant. */
  type: 'termios';
  /** The complete new termios. */
  termios: Termios2;
}

/** The application set its modem lines. @public */
export interface ModemPacket {
  /** Discriminant. */
  type: 'modem';
  /** The new TIOCM bitmask (see {@link modemLinesFromBits}). */
  lines: number;
}

/** The application requested a break change. @public */
export interface BreakPacket {
  /** Discriminant. */
  type: 'break';
  /** What was requested. */
  state: BreakState;
}

/**
 * How many times the tty is open now: sent on every open, close and hangup with
 * `VTTY_FEAT_OPEN_EVENTS`, and by VTMX_REQUEST_STATE (0 after the last close or a hangup).
 *
 * @public
 */
export interface OpenCountPacket {
  /** Discriminant. */
  type: 'openCount';
  /** Open file descriptions of the tty, a u32. */
  count: number;
}

/**
 * The application discarded queued data (tcflush(), TCFLSH, tcsetattr(TCSAFLUSH)); sent with
 * `VTTY_FEAT_FLUSH_EVENTS`.
 *
 * @public
 */
export interface FlushPacket {
  /** Discriminant. */
  type: 'flush';
  /**
   * What was discarded: `'input'` what the master wrote and the application had not read,
   * `'output'` what the application wrote and the master had not read, or `'both'`.
   */
  queue: FlushQueue;
}

/**
 * Every packet a vtmx read can return, discriminated by `type`: the four of the seed interface
 * and the two that only come when their feature is enabled (open count, flush).
 *
 * Packet kinds added by later driver versions (opt-in extension tags) become new members of
 * this union; code that switches on `type` with an exhaustive `never` check will point at the
 * places to update. Until then, {@link decodePacket} with `unknownTags: 'raw'` returns them as
 * {@link UnknownPacket}.
 *
 * @public
 */
export type Packet = DataPacket | TermiosPacket | ModemPacket | BreakPacket | OpenCountPacket | FlushPacket;

/** The `type` names of {@link Packet}. @public */
export type PacketType = Packet['type'];

/**
 * A packet with a tag this version of the library does not know, kept as raw bytes
 * (only produced with `unknownTags: 'raw'`).
 *
 * @public
 */
export interface UnknownPacket {
  /** Discriminant. */
  type: 'unknown';
  /** The tag byte. */
  tag: number;
  /** Everything after the tag (a view). */
  payload: Uint8Array;
}

/** Tag byte of each packet type. @public */
export const PACKET_TAGS: Readonly<Record<PacketType, number>> = Object.freeze({
  data: TAG_UART_RX,
  termios: TAG_SET_TERMIOS,
  modem: TAG_SET_MODEM,
  break: TAG_BREAK_CTL,
  openCount: TAG_OPEN_COUNT,
  flush: TAG_FLUSH,
});

const KNOWN_TAGS: ReadonlySet<number> = new Set(Object.values(PACKET_TAGS));

/**
 * Size of the largest fixed-size packet: the tag plus a `struct termios2` (45 on every
 * supported architecture). A vtmx `read()` needs a buffer at least this large (the driver
 * answers `EMSGSIZE` otherwise); data packets fill whatever buffer is given.
 *
 * @public
 */
export const MAX_PACKET_SIZE = 45;

/**
 * {@link MAX_PACKET_SIZE} for a given architecture.
 *
 * @param arch - architecture, defaults to the host's
 * @returns 1 + termios2 size
 * @throws {@link ProtocolError} `UNSUPPORTED_ARCH`
 * @public
 */
export function maxPacketSize(arch?: ArchName): number {
  return 1 + termiosLayout(arch).size;
}

/** Options shared by the packet codec. @public */
export interface PacketOptions {
  /** Architecture whose termios2 layout and byte order to use; defaults to the host's. */
  arch?: ArchName;
}

/** Options of {@link decodePacket}. @public */
export interface DecodePacketOptions extends PacketOptions {
  /**
   * What to do with a tag this library does not know: `'throw'` (default) throws
   * `ProtocolError('UNKNOWN_TAG')`, `'raw'` returns an {@link UnknownPacket}.
   */
  unknownTags?: 'throw' | 'raw';
}

const FOUR = 4;

function fixedPayload(bytes: Uint8Array, size: number, what: string): void {
  const end = 1 + size;
  if (bytes.length < end) {
    throw new ProtocolError('SHORT_PAYLOAD', `${what} packet needs ${size} payload bytes, got ${bytes.length - 1}`, bytes.length);
  }
  if (bytes.length > end) {
    throw new ProtocolError('TRAILING_BYTES', `${bytes.length - end} bytes after the ${what} payload`, end);
  }
}

/** The u32 payload of a fixed-size packet, in the architecture's byte order. */
function readU32Payload(bytes: Uint8Array, what: string, options: PacketOptions | undefined): number {
  const le = termiosLayout(options?.arch).littleEndian;
  fixedPayload(bytes, FOUR, what);
  return readU32(bytes, 1, le);
}

/** A packet of a tag and a u32 payload, in the architecture's byte order. */
function u32Packet(tag: number, value: number, options: PacketOptions | undefined): Uint8Array {
  const le = termiosLayout(options?.arch).littleEndian;
  const out = new Uint8Array(1 + FOUR);
  out[0] = tag;
  writeU32(out, 1, value, le);
  return out;
}

/**
 * Decode one packet, as returned by one `read()` of `/dev/vtmx`.
 *
 * @param bytes - exactly the bytes of one read
 * @param options - architecture; `unknownTags: 'raw'` to keep unknown tags instead of throwing
 * @returns the packet; a data packet's `data` is a view into `bytes`
 * @throws {@link ProtocolError} `EMPTY`, `UNKNOWN_TAG`, `SHORT_PAYLOAD`, `TRAILING_BYTES`,
 *   `INVALID_VALUE` (break or flush value), `UNSUPPORTED_ARCH` — and nothing else
 * @public
 */
export function decodePacket(bytes: Uint8Array, options?: DecodePacketOptions & { unknownTags?: 'throw' }): Packet;
/** {@inheritDoc decodePacket} @public */
export function decodePacket(bytes: Uint8Array, options: DecodePacketOptions & { unknownTags: 'raw' }): Packet | UnknownPacket;
/** {@inheritDoc decodePacket} @public */
export function decodePacket(bytes: Uint8Array, options?: DecodePacketOptions): Packet | UnknownPacket;
export function decodePacket(bytes: Uint8Array, options?: DecodePacketOptions): Packet | UnknownPacket {
  if (bytes.length === 0) throw new ProtocolError('EMPTY', 'empty packet (no tag byte)', 0);
  const tag = bytes[0];
  switch (tag) {
    case TAG_UART_RX:
      return { type: 'data', data: bytes.subarray(1) };
    case TAG_SET_TERMIOS:
      return { type: 'termios', termios: decodeTermios2At(bytes, 1, options?.arch) };
    case TAG_SET_MODEM:
      return { type: 'modem', lines: readU32Payload(bytes, 'modem', options) };
    case TAG_BREAK_CTL:
      return { type: 'break', state: breakStateFromValue(readU32Payload(bytes, 'break', options) | 0, 1) };
    case TAG_OPEN_COUNT:
      return { type: 'openCount', count: readU32Payload(bytes, 'open count', options) };
    case TAG_FLUSH:
      return { type: 'flush', queue: flushQueueFromBits(readU32Payload(bytes, 'flush', options), 1) };
    default:
      if (options?.unknownTags === 'raw') return { type: 'unknown', tag: tag ?? 0, payload: bytes.subarray(1) };
      throw new ProtocolError('UNKNOWN_TAG', `unknown packet tag ${String(tag)}`, 0);
  }
}

/**
 * Encode a packet in the format a vtmx read returns — the exact inverse of
 * {@link decodePacket}. Useful for tests and for emulating the driver; note that what a master
 * *writes* to vtmx is plain data without a tag.
 *
 * @param packet - the packet
 * @param options - architecture
 * @returns a new buffer
 * @throws {@link ProtocolError} `INVALID_VALUE` for out-of-range fields, `UNSUPPORTED_ARCH`
 * @public
 */
export function encodePacket(packet: Packet | UnknownPacket, options?: PacketOptions): Uint8Array {
  switch (packet.type) {
    case 'data': {
      const out = new Uint8Array(1 + packet.data.length);
      out[0] = TAG_UART_RX;
      out.set(packet.data, 1);
      return out;
    }
    case 'termios': {
      const l = termiosLayout(options?.arch);
      const out = new Uint8Array(1 + l.size);
      out[0] = TAG_SET_TERMIOS;
      encodeTermios2Into(packet.termios, out, 1, options?.arch);
      return out;
    }
    case 'modem':
      return u32Packet(TAG_SET_MODEM, checkModemBits(packet.lines, 1), options);
    case 'break':
      return u32Packet(TAG_BREAK_CTL, breakStateToValue(packet.state, 1) >>> 0, options);
    case 'openCount':
      if (!isU32(packet.count)) throw new ProtocolError('INVALID_VALUE', `open count must be a u32, got ${String(packet.count)}`, 1);
      return u32Packet(TAG_OPEN_COUNT, packet.count, options);
    case 'flush':
      return u32Packet(TAG_FLUSH, flushQueueToBits(packet.queue, 1), options);
    case 'unknown': {
      if (!isByte(packet.tag) || KNOWN_TAGS.has(packet.tag)) {
        throw new ProtocolError('INVALID_VALUE', `an unknown packet needs an unknown tag byte, got ${packet.tag}`, 0);
      }
      const out = new Uint8Array(1 + packet.payload.length);
      out[0] = packet.tag;
      out.set(packet.payload, 1);
      return out;
    }
    default:
      throw new ProtocolError('INVALID_VALUE', `unknown packet type ${String((packet as { type: unknown }).type)}`, 0);
  }
}

/**
 * A one-line description of a packet, as a monitor prints it:
 * `"data 5 bytes"`, `"termios 115200 8N1 rtscts"`, `"modem DTR RTS"`, `"break 250 ms"`,
 * `"open count 1"`, `"flush input"`.
 *
 * @param packet - the packet
 * @returns the text
 * @public
 */
export function describePacket(packet: Packet | UnknownPacket): string {
  switch (packet.type) {
    case 'data':
      return `data ${packet.data.length} byte${packet.data.length === 1 ? '' : 's'}`;
    case 'termios':
      return `termios ${formatLineSettings(toLineSettings(packet.termios))}`;
    case 'modem': {
      const on = formatModemLines(packet.lines);
      return on === '' ? 'modem (none)' : `modem ${on}`;
    }
    case 'break':
      return formatBreakState(packet.state);
    case 'openCount':
      return `open count ${packet.count}`;
    case 'flush':
      return `flush ${packet.queue}`;
    case 'unknown':
      return `unknown tag ${packet.tag} (${packet.payload.length} bytes)`;
  }
}
