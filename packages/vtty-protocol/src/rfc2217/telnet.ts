import { ProtocolError } from '../errors.js';
import { isByte } from '../bytes.js';

/** Interpret As Command. @public */
export const IAC = 255;
/** Negotiation: demand the peer stop using an option. @public */
export const DONT = 254;
/** Negotiation: ask the peer to use an option. @public */
export const DO = 253;
/** Negotiation: refuse to use an option. @public */
export const WONT = 252;
/** Negotiation: offer to use an option. @public */
export const WILL = 251;
/** Subnegotiation begin. @public */
export const SB = 250;
/** Go ahead. @public */
export const GA = 249;
/** Erase line. @public */
export const EL = 248;
/** Erase character. @public */
export const EC = 247;
/** Are you there. @public */
export const AYT = 246;
/** Abort output. @public */
export const AO = 245;
/** Interrupt process. @public */
export const IP = 244;
/** Telnet break (not the serial break: RFC 2217 uses SET-CONTROL for that). @public */
export const BRK = 243;
/** Data mark. @public */
export const DM = 242;
/** No operation. @public */
export const NOP = 241;
/** Subnegotiation end. @public */
export const SE = 240;

/** Telnet option BINARY (RFC 856): 8-bit clean data, needed for serial data. @public */
export const OPTION_BINARY = 0;
/** Telnet option ECHO (RFC 857). @public */
export const OPTION_ECHO = 1;
/** Telnet option SUPPRESS-GO-AHEAD (RFC 858). @public */
export const OPTION_SGA = 3;
/** Telnet option COM-PORT-OPTION (RFC 2217). @public */
export const OPTION_COM_PORT = 44;

/** The four negotiation verbs. @public */
export type TelnetVerb = typeof WILL | typeof WONT | typeof DO | typeof DONT;

/**
 * One thing found in a Telnet stream.
 *
 * - `data`: application bytes, with `IAC IAC` already turned into one 0xFF
 * - `command`: option negotiation `IAC WILL|WONT|DO|DONT <option>`
 * - `control`: another two-byte command (`IAC NOP`, `IAC BRK`, `IAC GA`, …)
 * - `subnegotiation`: `IAC SB <option> <payload> IAC SE`, payload unescaped
 * - `error`: a framing violation the decoder recovered from (it never throws)
 *
 * @public
 */
export type TelnetEvent =
  | { type: 'data'; data: Uint8Array }
  | { type: 'command'; command: TelnetVerb; option: number }
  | { type: 'control'; command: number }
  | { type: 'subnegotiation'; option: number; payload: Uint8Array }
  | { type: 'error'; error: ProtocolError };

/** Options of {@link TelnetDecoder}. @public */
export interface TelnetDecoderOptions {
  /** Longest subnegotiation payload kept (default 4096); longer ones are dropped with an error event. */
  maxSubnegotiation?: number;
}

const enum State {
  Data,
  Iac,
  Verb,
  SbOption,
  Sb,
  SbIac,
}

/**
 * Incremental Telnet decoder: feed it the bytes of a TCP stream in chunks of any size and get
 * the events in order. The result does not depend on how the stream is chunked, except that
 * data may be split into several `data` events at chunk boundaries (adjacent data within one
 * `feed` call is always one event).
 *
 * A `data` event is a view into the chunk when it needed no unescaping, otherwise a copy.
 * The decoder never throws on input; violations produce `error` events (with
 * `ProtocolError.offset` counted from the start of the stream) and are skipped.
 *
 * @example
 * ```ts
 * const telnet = new TelnetDecoder();
 * socket.on('data', (chunk) => {
 *   for (const ev of telnet.feed(chunk)) if (ev.type === 'data') port.write(ev.data);
 * });
 * ```
 * @public
 */
export class TelnetDecoder {
  private state: State = State.Data;
  private verb = 0;
  private sbOption = 0;
  private sbBuf: number[] = [];
  private sbOverflow = false;
  private position = 0;
  private readonly maxSb: number;

  /** @param options - limits */
  constructor(options: TelnetDecoderOptions = {}) {
    this.maxSb = options.maxSubnegotiation ?? 4096;
  }

  /** Bytes consumed so far (the stream offset of the next byte). */
  get offset(): number {
    return this.position;
  }

  /** Whether the decoder is between events (not inside a command or subnegotiation). */
  get idle(): boolean {
    return this.state === State.Data;
  }

  /** Forget any partial command and start over in data mode (offset is kept). */
  reset(): void {
    this.state = State.Data;
    this.sbBuf = [];
    this.sbOverflow = false;
  }

  /**
   * Decode the next chunk of the stream.
   *
   * @param chunk - bytes as they arrived
   * @returns the events completed by this chunk, in order
   */
  feed(chunk: Uint8Array): TelnetEvent[] {
    const events: TelnetEvent[] = [];
    const segments: Uint8Array[] = [];
    const flush = (): void => {
      if (segments.length === 0) return;
      if (segments.length === 1) {
        const only = segments[0];
        if (only) events.push({ type: 'data', data: only });
      } else {
        let n = 0;
        for (const s of segments) n += s.length;
        const data = new Uint8Array(n);
        n = 0;
        for (const s of segments) {
          data.set(s, n);
          n += s.length;
        }
        events.push({ type: 'data', data });
      }
      segments.length = 0;
    };
    const base = this.position;
    const len = chunk.length;
    let i = 0;
    while (i < len) {
      if (this.state === State.Data) {
        const at = chunk.indexOf(IAC, i);
        const end = at === -1 ? len : at;
        if (end > i) segments.push(chunk.subarray(i, end));
        if (at === -1) break;
        this.state = State.Iac;
        i = at + 1;
        continue;
      }
      const b = chunk[i] ?? 0;
      const off = base + i;
      i++;
      switch (this.state) {
        case State.Iac:
          if (b === IAC) {
            // Escaped 0xFF: the second IAC byte is itself the data byte, so keep a view of it.
            segments.push(chunk.subarray(i - 1, i));
            this.state = State.Data;
          } else if (b >= WILL && b <= DONT) {
            this.verb = b;
            this.state = State.Verb;
          } else if (b === SB) {
            this.state = State.SbOption;
          } else if (b === SE) {
            flush();
            events.push(errorEvent('IAC SE outside a subnegotiation', off));
            this.state = State.Data;
          } else if (b > SE) {
            flush();
            events.push({ type: 'control', command: b });
            this.state = State.Data;
          } else {
            flush();
            events.push(errorEvent(`IAC followed by ${b}, which is not a Telnet command`, off));
            this.state = State.Data;
          }
          break;
        case State.Verb:
          flush();
          events.push({ type: 'command', command: this.verb as TelnetVerb, option: b });
          this.state = State.Data;
          break;
        case State.SbOption:
          this.sbOption = b;
          this.sbBuf = [];
          this.sbOverflow = false;
          this.state = State.Sb;
          break;
        case State.Sb:
          if (b === IAC) this.state = State.SbIac;
          else this.pushSb(b);
          break;
        case State.SbIac:
          if (b === IAC) {
            this.pushSb(b);
            this.state = State.Sb;
          } else if (b === SE) {
            flush();
            if (this.sbOverflow) {
              events.push(errorEvent(`subnegotiation of option ${this.sbOption} longer than ${this.maxSb} bytes dropped`, off));
            } else {
              events.push({ type: 'subnegotiation', option: this.sbOption, payload: Uint8Array.from(this.sbBuf) });
            }
            this.sbBuf = [];
            this.state = State.Data;
          } else {
            // RFC 855 allows only IAC IAC and IAC SE here; end the subnegotiation and treat the
            // byte as the command it is.
            flush();
            events.push(errorEvent(`IAC ${b} inside subnegotiation of option ${this.sbOption}; subnegotiation dropped`, off));
            this.sbBuf = [];
            this.state = State.Iac;
            i--;
          }
          break;
        default:
          break;
      }
    }
    flush();
    this.position = base + len;
    return events;
  }

  private pushSb(b: number): void {
    if (this.sbBuf.length < this.maxSb) this.sbBuf.push(b);
    else this.sbOverflow = true;
  }
}

function errorEvent(message: string, offset: number): TelnetEvent {
  return { type: 'error', error: new ProtocolError('PROTOCOL_VIOLATION', message, offset) };
}

/**
 * Escape application data for a Telnet stream (every 0xFF becomes `IAC IAC`).
 *
 * @param data - raw bytes
 * @returns the escaped bytes; `data` itself when it contains no 0xFF
 * @public
 */
export function encodeTelnetData(data: Uint8Array): Uint8Array {
  let count = 0;
  for (let at = data.indexOf(IAC); at !== -1; at = data.indexOf(IAC, at + 1)) count++;
  if (count === 0) return data;
  const out = new Uint8Array(data.length + count);
  let o = 0;
  for (const b of data) {
    out[o++] = b;
    if (b === IAC) out[o++] = IAC;
  }
  return out;
}

/**
 * `IAC <verb> <option>`.
 *
 * @param command - WILL, WONT, DO or DONT
 * @param option - option code
 * @returns three bytes
 * @throws {@link ProtocolError} `INVALID_VALUE`
 * @public
 */
export function encodeTelnetCommand(command: TelnetVerb, option: number): Uint8Array {
  if (command < WILL || command > DONT) throw new ProtocolError('INVALID_VALUE', `not a negotiation verb: ${command}`, 1);
  if (!isByte(option)) throw new ProtocolError('INVALID_VALUE', `option must be a byte, got ${option}`, 2);
  return Uint8Array.of(IAC, command, option);
}

/**
 * `IAC <command>` for the two-byte commands (NOP, BRK, AYT, …).
 *
 * @param command - a command byte from SE (240) to GA (249)
 * @returns two bytes
 * @throws {@link ProtocolError} `INVALID_VALUE`
 * @public
 */
export function encodeTelnetControl(command: number): Uint8Array {
  if (!Number.isInteger(command) || command < SE || command > GA) {
    throw new ProtocolError('INVALID_VALUE', `not a two-byte Telnet command: ${command}`, 1);
  }
  return Uint8Array.of(IAC, command);
}

/**
 * `IAC SB <option> <payload, 0xFF doubled> IAC SE`.
 *
 * @param option - option code
 * @param payload - raw payload
 * @returns the framed bytes
 * @throws {@link ProtocolError} `INVALID_VALUE`
 * @public
 */
export function encodeSubnegotiation(option: number, payload: Uint8Array): Uint8Array {
  if (!isByte(option)) throw new ProtocolError('INVALID_VALUE', `option must be a byte, got ${option}`, 2);
  const body = encodeTelnetData(payload);
  const out = new Uint8Array(body.length + 5);
  out[0] = IAC;
  out[1] = SB;
  out[2] = option;
  out.set(body, 3);
  out[body.length + 3] = IAC;
  out[body.length + 4] = SE;
  return out;
}
