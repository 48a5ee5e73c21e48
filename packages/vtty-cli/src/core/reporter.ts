/**
 * Where events go: JSON lines on stdout with `--json`; otherwise port traffic as readable
 * lines on stdout (when traffic is shown) and notices on stderr.
 *
 * @packageDocumentation
 */
import type { Writable } from 'node:stream';
import { palette, wantColour } from '../format/colour.js';
import { formatHuman } from '../format/human.js';
import { formatJson } from '../format/json.js';
import { isTraffic, type CliEvent, type EventSink } from './events.js';

/** Options of {@link createReporter}. @public */
export interface ReporterOptions {
  /** JSON lines on stdout. */
  readonly json: boolean;
  /** Print port traffic (monitor). */
  readonly traffic: boolean;
  /** Data as escaped text instead of hex dumps. */
  readonly text: boolean;
  /** Several ports: name the port on each line. */
  readonly showPort: boolean;
  /** Standard output (default process.stdout). */
  readonly stdout?: Writable & { isTTY?: boolean };
  /** Standard error (default process.stderr). */
  readonly stderr?: Writable & { isTTY?: boolean };
}

/**
 * Write one line to a stream, ignoring a reader that went away (EPIPE): `vtty echo | head -1`
 * must keep the port running after `head` exits.
 *
 * @param stream - the stream
 * @param line - the line, without newline
 * @internal
 */
export function writeLine(stream: Writable, line: string): void {
  if (stream.destroyed || stream.writableEnded) return;
  stream.write(`${line}\n`);
}

/**
 * Swallow EPIPE (the reader of our output exited) and EIO (our terminal hung up, which a
 * server left running in the background outlives) on a standard stream.
 *
 * @param stream - stdout or stderr
 * @internal
 */
export function ignoreBrokenPipe(stream: Writable): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
  });
}

/**
 * Build the event sink for a command.
 *
 * @param o - options
 * @returns the sink
 * @public
 */
export function createReporter(o: ReporterOptions): EventSink {
  const out = o.stdout ?? process.stdout;
  const err = o.stderr ?? process.stderr;
  const outPalette = palette(wantColour(out.isTTY === true));
  const errPalette = palette(wantColour(err.isTTY === true));
  return (event: CliEvent): void => {
    const traffic = isTraffic(event);
    if (traffic && !o.traffic) return;
    const at = new Date();
    if (o.json) {
      writeLine(out, formatJson(event, at));
      return;
    }
    if (event.kind === 'ready') return;
    if (traffic) {
      for (const line of formatHuman(event, at, { palette: outPalette, text: o.text, showPort: o.showPort })) writeLine(out, line);
    } else {
      for (const line of formatHuman(event, at, { palette: errPalette, text: false, showPort: true })) writeLine(err, line);
    }
  };
}
