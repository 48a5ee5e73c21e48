/**
 * The vtty event format: what `vtty --json` prints after the port path and what `--record`
 * writes, one JSON object per line (docs/recording.md, docs/recording.schema.json). This
 * module owns its version and the types of its objects: the CLI writes them, and
 * {@link parseRecording} reads them back for replay. It loads no native code.
 *
 * @packageDocumentation
 */
import type { BreakState, LineSettings, Termios2 } from 'vtty-protocol';

/** The `format` every version-2 stream names in its `ready` event. @public */
export const EVENT_FORMAT = 'vtty-events';

/**
 * The version this release writes. Version 1 is the stream of vtty 0.1.0, whose `ready` event
 * has no `format` or `version` and whose termios events have no `termios`; version 2 adds
 * those. A reader refuses a newer version than it knows, naming it.
 *
 * @public
 */
export const EVENT_FORMAT_VERSION = 2;

/** The oldest version {@link parseRecording} reads. @public */
export const OLDEST_EVENT_FORMAT_VERSION = 1;

/** `tx`: from the application; `rx`: to the application. @public */
export type Direction = 'tx' | 'rx';

/** What every object has: when, and which event. @public */
export interface EventJsonBase {
  /** ISO 8601 time with milliseconds. */
  readonly time: string;
}

/** The ports exist: the first object of a stream. @public */
export interface ReadyJson extends EventJsonBase {
  readonly event: 'ready';
  /** The ports' paths. */
  readonly ports: readonly string[];
  /** {@link EVENT_FORMAT} (version 2 on). */
  readonly format: typeof EVENT_FORMAT;
  /** {@link EVENT_FORMAT_VERSION} (version 2 on; absent: version 1). */
  readonly version: number;
}

/** A notice: connected, disconnected, settings disagree… (not port traffic). @public */
export interface NoticeJson extends EventJsonBase {
  readonly event: 'info' | 'warning';
  /** Machine-readable name of the notice. */
  readonly code: string;
  readonly port?: string;
  readonly message: string;
  /** Details particular to the notice. */
  readonly [detail: string]: unknown;
}

/** Data through a port. @public */
export interface DataJson extends EventJsonBase {
  readonly event: 'data';
  readonly port: string;
  readonly dir: Direction;
  /** How many bytes. */
  readonly bytes: number;
  /** The bytes, lowercase hex (the field a reader uses). */
  readonly hex: string;
  /** The bytes decoded as latin1, for people. */
  readonly text: string;
}

/** A termios2 in JSON: the flags as numbers, `cc` as hex. @public */
export interface Termios2Json {
  readonly iflag: number;
  readonly oflag: number;
  readonly cflag: number;
  readonly lflag: number;
  readonly line: number;
  /** `c_cc`, lowercase hex. */
  readonly cc: string;
  readonly ispeed: number;
  readonly ospeed: number;
}

/** The application set termios. @public */
export interface TermiosJson extends EventJsonBase {
  readonly event: 'termios';
  readonly port: string;
  readonly dir: 'tx';
  /** e.g. `"115200 8N1 rtscts"`. */
  readonly settings: string;
  /** The line settings. */
  readonly line: LineSettings;
  /** The whole termios2 (version 2 on). */
  readonly termios: Termios2Json;
}

/** Modem lines changed: the application's outputs (tx) or its inputs (rx). @public */
export interface ModemJson extends EventJsonBase {
  readonly event: 'modem';
  readonly port: string;
  readonly dir: Direction;
  /** Names of the lines now high. */
  readonly lines: readonly string[];
  readonly raised: readonly string[];
  readonly dropped: readonly string[];
  /** TIOCM_* mask of every line. */
  readonly bits: number;
  /** Every line's level. */
  readonly state: { readonly dtr: boolean; readonly rts: boolean; readonly cts: boolean; readonly dsr: boolean; readonly dcd: boolean; readonly ri: boolean };
}

/** A break sent (tx) or received (rx). @public */
export interface BreakJson extends EventJsonBase {
  readonly event: 'break';
  readonly port: string;
  readonly dir: Direction;
  /** Absent for a break a real port received (its duration is unknown). */
  readonly state?: BreakState['kind'];
  /** A timed break's duration. */
  readonly ms?: number;
}

/** The application opened or closed the port. @public */
export interface OpenJson extends EventJsonBase {
  readonly event: 'open';
  readonly port: string;
  readonly dir: 'tx';
  /** Open files now (0: closed). */
  readonly count: number;
  readonly previous: number;
}

/** A character received with a parity or framing error. @public */
export interface LineErrorJson extends EventJsonBase {
  readonly event: 'line-error';
  readonly port: string;
  readonly dir: 'rx';
  readonly condition: 'parity' | 'frame';
  readonly byte: number;
}

/** Any object of the stream. @public */
export type EventJson = ReadyJson | NoticeJson | DataJson | TermiosJson | ModemJson | BreakJson | OpenJson | LineErrorJson;

/**
 * A termios2 as the stream writes it.
 *
 * @param t - the termios
 * @returns its JSON form
 * @public
 */
export function termiosToJson(t: Termios2): Termios2Json {
  return { iflag: t.iflag, oflag: t.oflag, cflag: t.cflag, lflag: t.lflag, line: t.line, cc: Buffer.from(t.cc).toString('hex'), ispeed: t.ispeed, ospeed: t.ospeed };
}

/** One port event of a recording, decoded. @public */
export type RecordedActivity =
  | { readonly kind: 'data'; readonly dir: Direction; readonly data: Uint8Array }
  | { readonly kind: 'termios'; readonly dir: 'tx'; readonly settings: LineSettings; readonly termios?: Termios2 }
  | { readonly kind: 'modem'; readonly dir: Direction; readonly state: ModemJson['state'] }
  | { readonly kind: 'break'; readonly dir: Direction; readonly state?: BreakState }
  | { readonly kind: 'open'; readonly dir: 'tx'; readonly count: number }
  | { readonly kind: 'line-error'; readonly dir: 'rx'; readonly condition: 'parity' | 'frame'; readonly byte: number };

/** A port event with where and when it was recorded. @public */
export type RecordedEvent = RecordedActivity & {
  /** Its line in the file (1-based), for reports. */
  readonly line: number;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** The port it happened on. */
  readonly port: string;
};

/** A recording, read. @public */
export interface Recording {
  /** Where it came from (a file name), for messages. */
  readonly source: string;
  /** The format version it was written in. */
  readonly version: number;
  /** The ports it has, from its ready event. */
  readonly ports: readonly string[];
  /** Its port events, in order (notices left out). */
  readonly events: readonly RecordedEvent[];
}

/**
 * A recording that cannot be read: not the vtty event format, a version this release does not
 * know, or a malformed line (named).
 *
 * @public
 */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  /** The version the recording says it has, when that is the problem. */
  readonly version: number | undefined;

  /**
   * @param message - what is wrong, naming the file and line
   * @param version - the unknown version, if that is the problem
   */
  constructor(message: string, version?: number) {
    super(message);
    this.version = version;
  }
}

type Fields = Readonly<Record<string, unknown>>;

function isFields(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads one object's fields, throwing a RecordingError that names the line. */
class LineReader {
  constructor(
    readonly o: Fields,
    readonly where: string,
  ) {}

  fail(what: string): never {
    throw new RecordingError(`${this.where}: ${what}`);
  }

  string(name: string): string {
    const v = this.o[name];
    return typeof v === 'string' ? v : this.fail(`"${name}" must be a string`);
  }

  number(name: string): number {
    const v = this.o[name];
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(`"${name}" must be a number`);
  }

  fields(name: string): Fields {
    const v = this.o[name];
    return isFields(v) ? v : this.fail(`"${name}" must be an object`);
  }

  hex(name: string): Uint8Array {
    const s = this.string(name);
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(s)) this.fail(`"${name}" must be hex`);
    return new Uint8Array(Buffer.from(s, 'hex'));
  }

  dir(): Direction {
    const d = this.o.dir;
    return d === 'tx' || d === 'rx' ? d : this.fail('"dir" must be "tx" or "rx"');
  }
}

function readTermios(r: LineReader): Termios2 {
  const t = new LineReader(r.fields('termios'), `${r.where}, "termios"`);
  return {
    iflag: t.number('iflag'),
    oflag: t.number('oflag'),
    cflag: t.number('cflag'),
    lflag: t.number('lflag'),
    line: t.number('line'),
    cc: t.hex('cc'),
    ispeed: t.number('ispeed'),
    ospeed: t.number('ospeed'),
  };
}

function readBreak(r: LineReader): BreakState | undefined {
  const kind = r.o.state;
  if (kind === undefined) return undefined;
  if (kind === 'on' || kind === 'off') return { kind };
  if (kind === 'timed') return { kind, ms: r.number('ms') };
  return r.fail('"state" must be "timed", "on" or "off"');
}

function readModemState(r: LineReader): ModemJson['state'] {
  const s = r.fields('state');
  const level = (name: string): boolean => (typeof s[name] === 'boolean' ? s[name] : r.fail(`"state.${name}" must be true or false`));
  return { dtr: level('dtr'), rts: level('rts'), cts: level('cts'), dsr: level('dsr'), dcd: level('dcd'), ri: level('ri') };
}

function readActivity(r: LineReader, event: string, version: number): RecordedActivity | undefined {
  switch (event) {
    case 'data':
      return { kind: 'data', dir: r.dir(), data: r.hex('hex') };
    case 'termios': {
      const settings = r.fields('line') as unknown as LineSettings;
      if (typeof settings.baudRate !== 'number') r.fail('"line" must be line settings');
      // Version 1 had no whole termios: those recordings are checked on their line settings.
      return version >= 2 ? { kind: 'termios', dir: 'tx', settings, termios: readTermios(r) } : { kind: 'termios', dir: 'tx', settings };
    }
    case 'modem':
      return { kind: 'modem', dir: r.dir(), state: readModemState(r) };
    case 'break': {
      const state = readBreak(r);
      return state === undefined ? { kind: 'break', dir: r.dir() } : { kind: 'break', dir: r.dir(), state };
    }
    case 'open':
      return { kind: 'open', dir: 'tx', count: r.number('count') };
    case 'line-error': {
      const condition = r.o.condition;
      if (condition !== 'parity' && condition !== 'frame') r.fail('"condition" must be "parity" or "frame"');
      return { kind: 'line-error', dir: 'rx', condition, byte: r.number('byte') };
    }
    case 'info':
    case 'warning':
      return undefined;
    default:
      return r.fail(`unknown event "${event}"`);
  }
}

/**
 * Read a recording: the JSON lines `vtty … --record FILE` wrote, or what `vtty … --json`
 * printed (a first line that is the port path, as stdout has it, is skipped).
 *
 * @param text - the file's text
 * @param source - its name, for messages
 * @returns the recording
 * @throws {@link RecordingError} for a file that is not a vtty event stream, a version newer
 * than {@link EVENT_FORMAT_VERSION} (named), or a malformed line (named)
 * @public
 */
export function parseRecording(text: string, source: string): Recording {
  const lines = text.split('\n');
  let version: number | undefined;
  let ports: readonly string[] = [];
  const events: RecordedEvent[] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const where = `${source}:${i + 1}`;
    // `vtty … --json > file` starts with the port path(s), not JSON.
    if (version === undefined && line.startsWith('/dev/')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new RecordingError(`${where}: not JSON: this is not a vtty recording (the JSON lines of --record or --json)`);
    }
    if (!isFields(parsed)) throw new RecordingError(`${where}: not a JSON object`);
    const r = new LineReader(parsed, where);
    const event = r.string('event');
    if (version === undefined) {
      if (event !== 'ready') throw new RecordingError(`${where}: a vtty recording starts with a "ready" event, not "${event}"`);
      version = readVersion(r, source);
      ports = readPorts(r);
      continue;
    }
    if (event === 'ready') continue;
    const activity = readActivity(r, event, version);
    if (activity === undefined) continue;
    const time = Date.parse(r.string('time'));
    if (Number.isNaN(time)) r.fail('"time" must be an ISO 8601 time');
    events.push({ ...activity, line: i + 1, time, port: r.string('port') });
  }
  if (version === undefined) throw new RecordingError(`${source}: empty: no "ready" event, so not a vtty recording`);
  return { source, version, ports, events };
}

function readVersion(r: LineReader, source: string): number {
  const v = r.o.version;
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) r.fail('"version" must be a whole number of at least 1');
  if (r.o.format !== EVENT_FORMAT) r.fail(`"format" must be "${EVENT_FORMAT}"`);
  if (v > EVENT_FORMAT_VERSION) {
    throw new RecordingError(
      `${source} was written in vtty event format version ${v}; this vtty reads versions ${OLDEST_EVENT_FORMAT_VERSION} to ${EVENT_FORMAT_VERSION}: replay it with a newer vtty`,
      v,
    );
  }
  return v;
}

function readPorts(r: LineReader): readonly string[] {
  const p = r.o.ports;
  if (!Array.isArray(p) || !p.every((x): x is string => typeof x === 'string')) return r.fail('"ports" must be a list of paths');
  return p;
}
