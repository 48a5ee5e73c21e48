import { ProtocolError } from './errors.js';
import { termiosInputBaudRate, termiosOutputBaudRate, withBaudRate } from './baud.js';
import {
  CLOCAL,
  CMSPAR,
  CREAD,
  CRTSCTS,
  CS5,
  CS6,
  CS7,
  CS8,
  CSIZE,
  CSTOPB,
  HUPCL,
  IXANY,
  IXOFF,
  IXON,
  PARENB,
  PARODD,
} from './termios-flags.js';
import { defaultTermios2, type Termios2 } from './termios.js';

/** Parity of a serial line. `mark` and `space` are stick parity (`CMSPAR`). @public */
export type Parity = 'none' | 'odd' | 'even' | 'mark' | 'space';

/** Character size in bits. @public */
export type DataBits = 5 | 6 | 7 | 8;

/** Number of stop bits. @public */
export type StopBits = 1 | 2;

/**
 * The serial-line part of a termios, the way people think about it.
 *
 * `inputBaudRate` is present only when the input speed differs from `baudRate` (split speeds
 * are rare; most programs and most hardware use one speed).
 *
 * @public
 */
export interface LineSettings {
  /** Output speed in baud (0 = B0, "hang up"). */
  baudRate: number;
  /** Input speed in baud, present only when it differs from `baudRate`. */
  inputBaudRate?: number;
  /** Character size (`CSIZE`). */
  dataBits: DataBits;
  /** Parity (`PARENB`, `PARODD`, `CMSPAR`). */
  parity: Parity;
  /** Stop bits (`CSTOPB`). */
  stopBits: StopBits;
  /** RTS/CTS hardware flow control (`CRTSCTS`). */
  rtscts: boolean;
  /** Output obeys received XON/XOFF (`IXON`). */
  xon: boolean;
  /** Input sends XON/XOFF when the buffer fills (`IXOFF`). */
  xoff: boolean;
  /** Any received character restarts output (`IXANY`). */
  xany: boolean;
  /** Drop DTR/RTS on last close (`HUPCL`). */
  hupcl: boolean;
  /** Ignore modem status lines (`CLOCAL`). */
  clocal: boolean;
  /** Receiver enabled (`CREAD`). */
  cread: boolean;
}

const SIZE_BITS: Readonly<Record<DataBits, number>> = { 5: CS5, 6: CS6, 7: CS7, 8: CS8 };

/**
 * Extract the line settings of a termios.
 *
 * Speeds follow the kernel's rules (see {@link termiosOutputBaudRate}); every other field comes
 * from `c_cflag` / `c_iflag`.
 *
 * @param t - the termios, e.g. from a `termios` packet
 * @returns the line settings
 * @public
 */
export function toLineSettings(t: Termios2): LineSettings {
  const c = t.cflag;
  const size = c & CSIZE;
  const dataBits: DataBits = size === CS5 ? 5 : size === CS6 ? 6 : size === CS7 ? 7 : 8;
  let parity: Parity = 'none';
  if (c & PARENB) {
    if (c & CMSPAR) parity = c & PARODD ? 'mark' : 'space';
    else parity = c & PARODD ? 'odd' : 'even';
  }
  const baudRate = termiosOutputBaudRate(t);
  const input = termiosInputBaudRate(t);
  const s: LineSettings = {
    baudRate,
    dataBits,
    parity,
    stopBits: c & CSTOPB ? 2 : 1,
    rtscts: (c & CRTSCTS) !== 0,
    xon: (t.iflag & IXON) !== 0,
    xoff: (t.iflag & IXOFF) !== 0,
    xany: (t.iflag & IXANY) !== 0,
    hupcl: (c & HUPCL) !== 0,
    clocal: (c & CLOCAL) !== 0,
    cread: (c & CREAD) !== 0,
  };
  if (input !== baudRate) s.inputBaudRate = input;
  return s;
}

/**
 * Build a termios from line settings.
 *
 * Fields missing from `settings` keep their value in `base` — except `inputBaudRate`, which
 * defaults to "same as `baudRate`" whenever `baudRate` is given. Flags outside the line settings
 * (`c_oflag`, `c_lflag`, `c_cc`, `ICRNL`, …) are copied from `base` unchanged.
 *
 * @param settings - the settings to apply (all or some)
 * @param base - the termios to start from; defaults to the kernel's {@link defaultTermios2}
 * @returns a new termios (`base` is not modified)
 * @throws {@link ProtocolError} `INVALID_VALUE` for a data size, parity, stop bits or speed out of range
 * @public
 */
export function fromLineSettings(settings: Partial<LineSettings>, base: Termios2 = defaultTermios2()): Termios2 {
  const cur = toLineSettings(base);
  const s: LineSettings = { ...cur, ...settings };
  if (settings.baudRate !== undefined && settings.inputBaudRate === undefined) delete s.inputBaudRate;
  const sizeBits = (SIZE_BITS as Partial<Record<number, number>>)[s.dataBits];
  if (sizeBits === undefined) {
    throw new ProtocolError('INVALID_VALUE', `dataBits must be 5, 6, 7 or 8, got ${String(s.dataBits)}`, 0);
  }
  const stopBits: number = s.stopBits;
  if (stopBits !== 1 && stopBits !== 2) {
    throw new ProtocolError('INVALID_VALUE', `stopBits must be 1 or 2, got ${String(s.stopBits)}`, 0);
  }
  let pbits: number;
  switch (s.parity) {
    case 'none':
      pbits = 0;
      break;
    case 'even':
      pbits = PARENB;
      break;
    case 'odd':
      pbits = PARENB | PARODD;
      break;
    case 'space':
      pbits = PARENB | CMSPAR;
      break;
    case 'mark':
      pbits = PARENB | CMSPAR | PARODD;
      break;
    default:
      throw new ProtocolError('INVALID_VALUE', `unknown parity ${String(s.parity)}`, 0);
  }
  const cmask = CSIZE | CSTOPB | PARENB | PARODD | CMSPAR | CRTSCTS | HUPCL | CLOCAL | CREAD;
  let cflag = base.cflag & ~cmask;
  cflag |= sizeBits | pbits;
  if (s.stopBits === 2) cflag |= CSTOPB;
  if (s.rtscts) cflag |= CRTSCTS;
  if (s.hupcl) cflag |= HUPCL;
  if (s.clocal) cflag |= CLOCAL;
  if (s.cread) cflag |= CREAD;
  let iflag = base.iflag & ~(IXON | IXOFF | IXANY);
  if (s.xon) iflag |= IXON;
  if (s.xoff) iflag |= IXOFF;
  if (s.xany) iflag |= IXANY;
  const withFlags: Termios2 = { ...base, cflag: cflag >>> 0, iflag: iflag >>> 0 };
  return withBaudRate(withFlags, s.baudRate, s.inputBaudRate ?? s.baudRate);
}

const PARITY_LETTER: Readonly<Record<Parity, string>> = { none: 'N', odd: 'O', even: 'E', mark: 'M', space: 'S' };

/**
 * Format line settings the way people write them: speed, frame (`8N1`), then flow control.
 *
 * - `"115200 8N1"`, `"9600 7E2 xonxoff"`, `"115200 8N1 rtscts"`
 * - a split speed is written output/input: `"115200/9600 8N1"`
 * - `ixon` / `ixoff` when only one direction of XON/XOFF is on, `ixany` when set
 * - `-cread` when the receiver is off; with `verbose`, also `clocal` and `-hupcl` (the
 *   deviations from the kernel default)
 *
 * @param s - the settings
 * @param options - `verbose` adds the modem-control flags
 * @returns the text
 * @public
 */
export function formatLineSettings(s: LineSettings, options: { verbose?: boolean } = {}): string {
  const speed = s.inputBaudRate === undefined ? `${s.baudRate}` : `${s.baudRate}/${s.inputBaudRate}`;
  const parts = [speed, `${s.dataBits}${PARITY_LETTER[s.parity]}${s.stopBits}`];
  if (s.rtscts) parts.push('rtscts');
  if (s.xon && s.xoff) parts.push('xonxoff');
  else if (s.xon) parts.push('ixon');
  else if (s.xoff) parts.push('ixoff');
  if (s.xany) parts.push('ixany');
  if (!s.cread) parts.push('-cread');
  if (options.verbose === true) {
    if (s.clocal) parts.push('clocal');
    if (!s.hupcl) parts.push('-hupcl');
  }
  return parts.join(' ');
}

const LETTER_PARITY: Readonly<Record<string, Parity>> = { N: 'none', O: 'odd', E: 'even', M: 'mark', S: 'space' };

/**
 * Parse the text {@link formatLineSettings} writes (and the common variants people type):
 * `"115200 8N1 rtscts"`, `"9600,7E2,xonxoff"`, `"115200/9600 8N1 clocal -hupcl"`.
 *
 * Tokens are separated by spaces or commas. The frame token is optional (default `8N1`).
 * Flags not mentioned take their value from `defaults` (which default to 9600 8N1, no flow
 * control, `hupcl`, `cread`, no `clocal`).
 *
 * @param text - the text
 * @param defaults - values for what the text does not say
 * @returns the settings
 * @throws {@link ProtocolError} `INVALID_SYNTAX` with `offset` at the offending token
 * @public
 */
export function parseLineSettings(text: string, defaults: Partial<LineSettings> = {}): LineSettings {
  const s: LineSettings = {
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    rtscts: false,
    xon: false,
    xoff: false,
    xany: false,
    hupcl: true,
    clocal: false,
    cread: true,
    ...defaults,
  };
  const re = /[^\s,]+/g;
  let sawSpeed = false;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const tok = m[0];
    const at = m.index;
    const speed = /^(\d+)(?:\/(\d+))?$/.exec(tok);
    const frame = /^([5-8])([NOEMSnoems])([12])$/.exec(tok);
    if (speed && !sawSpeed) {
      sawSpeed = true;
      s.baudRate = Number(speed[1]);
      if (speed[2] !== undefined && Number(speed[2]) !== s.baudRate) s.inputBaudRate = Number(speed[2]);
      else delete s.inputBaudRate;
      if (s.baudRate > 0xffffffff || (s.inputBaudRate ?? 0) > 0xffffffff) {
        throw new ProtocolError('INVALID_SYNTAX', `speed out of range: '${tok}'`, at);
      }
      continue;
    }
    if (frame) {
      s.dataBits = Number(frame[1]) as DataBits;
      s.parity = LETTER_PARITY[(frame[2] ?? 'N').toUpperCase()] ?? 'none';
      s.stopBits = Number(frame[3]) as StopBits;
      continue;
    }
    const neg = tok.startsWith('-');
    const name = (neg ? tok.slice(1) : tok).toLowerCase();
    switch (name) {
      case 'rtscts':
      case 'crtscts':
        s.rtscts = !neg;
        break;
      case 'xonxoff':
        s.xon = !neg;
        s.xoff = !neg;
        break;
      case 'ixon':
        s.xon = !neg;
        break;
      case 'ixoff':
        s.xoff = !neg;
        break;
      case 'ixany':
        s.xany = !neg;
        break;
      case 'hupcl':
        s.hupcl = !neg;
        break;
      case 'clocal':
        s.clocal = !neg;
        break;
      case 'cread':
        s.cread = !neg;
        break;
      case 'none':
        if (neg) throw new ProtocolError('INVALID_SYNTAX', `unexpected '${tok}'`, at);
        s.rtscts = false;
        s.xon = false;
        s.xoff = false;
        break;
      default:
        throw new ProtocolError('INVALID_SYNTAX', `unknown line setting '${tok}'`, at);
    }
  }
  return s;
}

/**
 * How many bits a UART sends for each character with these settings: a start bit, the data
 * bits, a parity bit unless parity is none, and the stop bits (as the kernel's
 * `tty_get_frame_size()` counts them). A character takes `frameBits(s) / s.baudRate` seconds.
 *
 * @param s - the settings
 * @returns 7 to 12
 * @public
 */
export function frameBits(s: Pick<LineSettings, 'dataBits' | 'parity' | 'stopBits'>): number {
  return 1 + s.dataBits + (s.parity === 'none' ? 0 : 1) + s.stopBits;
}
