/**
 * Replay: a {@link Device} that plays the device's side of a recording and checks that the
 * application does what the recorded application did.
 *
 * @packageDocumentation
 */
import { setTimeout as delay } from 'node:timers/promises';
import { escapeBytes, formatLineSettings, termios2Equal, type LineSettings } from 'vtty-protocol';
import type { Device } from './device.js';
import { isDeviceWaitError } from './errors.js';
import { RecordingError, type RecordedEvent, type Recording } from './recording.js';

/**
 * How strictly the application's termios is checked: `'full'` every field of the termios2
 * (input, output and local modes, control characters: recordings of format version 2 on),
 * `'line'` its line settings (baud rate, data bits, parity, stop bits, flow control, HUPCL,
 * CLOCAL, CREAD), `'baud'` its baud rate(s) only, `'ignore'` not at all.
 *
 * @public
 */
export type TermiosCheck = 'full' | 'line' | 'baud' | 'ignore';

/** Whether the application's DTR and RTS, and its breaks, are checked. @public */
export type SignalCheck = 'check' | 'ignore';

/** Options of {@link replay}. @public */
export interface ReplayOptions {
  /** The recorded port to play, by path or index (needed when the recording has several). */
  readonly port?: string;
  /** Answer at once instead of at the recorded pace. */
  readonly fast?: boolean;
  /** The longest wait for the application's next recorded step, in milliseconds (default 10000). */
  readonly timeout?: number;
  /** Termios checking (default `'line'`). */
  readonly termios?: TermiosCheck;
  /** DTR/RTS checking (default `'check'`). */
  readonly lines?: SignalCheck;
  /** Break checking (default `'check'`). */
  readonly breaks?: SignalCheck;
  /** Ends the replay (as a difference: "stopped"). */
  readonly signal?: AbortSignal;
}

/** Where the application first did something else than the recording says. @public */
export interface ReplayDifference {
  /** The recording's line of the step that was not matched (0: after the end). */
  readonly line: number;
  /** What differed, for a person (first line of a report). */
  readonly message: string;
  /** More lines: a byte diff, the state seen. */
  readonly details: readonly string[];
}

/** How a replay went. @public */
export interface ReplayResult {
  /** The application did exactly what was recorded. */
  readonly ok: boolean;
  /** How many recorded events were played or matched. */
  readonly matched: number;
  /** How many recorded events the port has. */
  readonly total: number;
  /** The first difference, when not ok. */
  readonly difference?: ReplayDifference;
}

const DEFAULT_TIMEOUT = 10_000;

/**
 * The recording's events for one port, checked against the options.
 *
 * @param recording - the recording
 * @param options - port and termios check
 * @returns the port's events
 * @throws {@link RecordingError} when the port is ambiguous or unknown, or `'full'` termios
 * checking is asked of a version-1 recording (which has no whole termios)
 * @public
 */
export function replayEvents(recording: Recording, options: Pick<ReplayOptions, 'port' | 'termios'> = {}): readonly RecordedEvent[] {
  const ports = recording.ports;
  let port: string | undefined;
  if (options.port === undefined) {
    if (ports.length > 1) throw new RecordingError(`${recording.source} has ${ports.length} ports (${ports.join(' ')}): say which to replay (by path or index, 0 to ${ports.length - 1})`);
    port = ports[0];
  } else {
    port = /^\d+$/.test(options.port) ? ports[Number(options.port)] : ports.find((p) => p === options.port);
    if (port === undefined) throw new RecordingError(`${recording.source} has no port ${options.port} (it has ${ports.join(' ')})`);
  }
  if (options.termios === 'full' && recording.version < 2) {
    throw new RecordingError(`${recording.source} is in vtty event format version ${recording.version}, which records line settings, not the whole termios: check the termios by 'line' instead`);
  }
  return recording.events.filter((e) => e.port === port);
}

function sameSettings(a: LineSettings, b: LineSettings): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof LineSettings)[]);
  return [...keys].every((k) => a[k] === b[k]);
}

/**
 * Play one pass of a recording on a device: wait for each of the application's recorded
 * steps (its data as a byte stream, however it splits its writes; its termios, lines, breaks,
 * opens and closes, as the options say), and when it has done them, play the device's next
 * ones (data, input lines, breaks, line errors) at the recorded pace or at once. Stops at the
 * first difference, or when the recording is used up; then any data the application sent
 * beyond the recording is a difference too.
 *
 * @param device - the device (its port is the one the application opens)
 * @param recording - the recording
 * @param options - port, pace, strictness, deadline
 * @returns how it went; never rejects for what the application did
 * @throws {@link RecordingError} as {@link replayEvents}
 * @public
 */
export async function replay(device: Device, recording: Recording, options: ReplayOptions = {}): Promise<ReplayResult> {
  const events = replayEvents(recording, options);
  const wait = { timeout: options.timeout ?? DEFAULT_TIMEOUT, ...(options.signal === undefined ? {} : { signal: options.signal }) };
  const strict = { ...wait, beforeData: true };
  const termios = options.termios ?? 'line';
  let matched = 0;
  let previous = events[0]?.time ?? 0;
  const differs = (line: number, message: string, details: readonly string[] = []): ReplayResult => ({
    ok: false,
    matched,
    total: events.length,
    difference: { line, message, details },
  });

  for (let i = 0; i < events.length; ) {
    const event = events[i];
    if (event === undefined) break;
    // Consecutive writes are one stream: the application may split it otherwise.
    const steps = event.dir === 'tx' && event.kind === 'data' ? countData(events, i) : 1;
    try {
      if (event.dir === 'rx') {
        const gap = event.time - previous;
        if (options.fast !== true && gap > 0) await delay(gap, undefined, options.signal === undefined ? {} : { signal: options.signal });
        await play(device, event);
      } else if (event.kind === 'data') {
        const chunks = events.slice(i, i + steps).map((e) => (e.kind === 'data' ? e.data : new Uint8Array(0)));
        await device.expect(Buffer.concat(chunks), { ...wait, anchored: true });
      } else if (event.kind === 'termios') {
        if (termios !== 'ignore') {
          const want = event.settings;
          const full = event.termios;
          await device.waitSettings(
            (s, t) => (termios === 'full' && full !== undefined ? termios2Equal(t, full) : termios === 'baud' ? s.baudRate === want.baudRate && s.inputBaudRate === want.inputBaudRate : sameSettings(s, want)),
            strict,
          );
        }
      } else if (event.kind === 'modem') {
        if (options.lines !== 'ignore') await device.waitLines({ dtr: event.state.dtr, rts: event.state.rts }, strict);
      } else if (event.kind === 'break') {
        if (options.breaks !== 'ignore' && event.state?.kind !== 'off') await device.expectBreak(strict);
      } else if (event.count > 0) {
        await device.waitOpen(wait);
      } else {
        await device.waitClose(strict);
      }
    } catch (error: unknown) {
      if (!isDeviceWaitError(error) && !(error instanceof Error && error.name === 'AbortError')) throw error;
      const [head = '', ...rest] = (error as Error).message.split('\n');
      return differs(event.line, `${recording.source}:${event.line}: ${describeStep(event)}: ${head}`, rest.map((l) => l.replace(/^ {2}/, '')));
    }
    matched += steps;
    previous = events[i + steps - 1]?.time ?? previous;
    i += steps;
  }
  const extra = device.buffer;
  if (extra.length > 0) {
    return differs(0, `the application sent ${extra.length} byte(s) more than the recording has: ${escapeBytes(extra)}`);
  }
  return { ok: true, matched, total: events.length };
}

function countData(events: readonly RecordedEvent[], from: number): number {
  let n = 0;
  while (events[from + n]?.dir === 'tx' && events[from + n]?.kind === 'data') n++;
  return n;
}

async function play(device: Device, event: RecordedEvent): Promise<void> {
  switch (event.kind) {
    case 'data':
      await device.send(event.data);
      return;
    case 'modem':
      device.setLines({ cts: event.state.cts, dsr: event.state.dsr, dcd: event.state.dcd, ri: event.state.ri });
      return;
    case 'break':
      await device.sendBreak();
      return;
    case 'line-error':
      await device.sendLineError(event.condition, event.byte);
      return;
    default:
      return;
  }
}

/**
 * A recorded step as a report names it.
 *
 * @param event - the step
 * @returns e.g. `the application sends 4 bytes`
 */
function describeStep(event: RecordedEvent): string {
  switch (event.kind) {
    case 'data':
      return `the application's data`;
    case 'termios':
      return `the application sets ${formatLineSettings(event.settings)}`;
    case 'modem':
      return `the application's lines DTR ${event.state.dtr ? 'high' : 'low'}, RTS ${event.state.rts ? 'high' : 'low'}`;
    case 'break':
      return 'the application sends a break';
    case 'open':
      return event.count > 0 ? 'the application opens the port' : 'the application closes the port';
    case 'line-error':
      return 'a line error';
  }
}
