/**
 * Where events go: JSON lines on stdout with `--json`; otherwise port traffic as readable
 * lines on stdout (when traffic is shown) and notices on stderr.
 *
 * @packageDocumentation
 */
import type { Writable } from 'node:stream';
import { palette, wantColour, type ColourTarget } from '../format/colour.js';
import { formatHuman } from '../format/human.js';
import { formatJson } from '../format/json.js';
import { isTraffic, type CliEvent, type EventSink } from './events.js';
import { writeLine } from './output.js';

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
  readonly stdout?: Writable & ColourTarget;
  /** Standard error (default process.stderr). */
  readonly stderr?: Writable & ColourTarget;
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
  const outPalette = palette(wantColour(out));
  const errPalette = palette(wantColour(err));
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
