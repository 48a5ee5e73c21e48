/**
 * Where events go: JSON lines on stdout with `--json`; otherwise port traffic as readable
 * lines on stdout (when traffic is shown) and notices on stderr.
 *
 * @packageDocumentation
 */
import type { Writable } from 'node:stream';
import { palette, wantColour, type ColourTarget } from '../format/colour.js';
import { formatHuman } from '../format/human.js';
import { isTraffic } from './events.js';
import type { StampedEventSink } from './stamped-event.js';
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
 * @returns the sink (each event with its time and JSON line, which a recording shares)
 * @public
 */
export function createReporter(o: ReporterOptions): StampedEventSink {
  const out = o.stdout ?? process.stdout;
  const err = o.stderr ?? process.stderr;
  const outPalette = palette(wantColour(out));
  const errPalette = palette(wantColour(err));
  return (stamped): void => {
    const { event, at } = stamped;
    const traffic = isTraffic(event);
    if (traffic && !o.traffic) return;
    if (o.json) {
      writeLine(out, stamped.json);
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
