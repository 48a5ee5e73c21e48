/**
 * Events as lines a person reads: `12:00:01.250 tx termios 115200 8N1 rtscts`.
 *
 * @packageDocumentation
 */
import { diffModemLines, formatBreakState, formatLineSettings, formatModemDiff, formatModemLines } from 'vtty-protocol';
import type { CliEvent } from '../core/events.js';
import { escapeText, hexDumpLines } from './bytes.js';
import type { Palette } from './colour.js';
import { clockTime } from './time.js';

/** Options of {@link formatHuman}. @public */
export interface HumanOptions {
  /** Colours (or none). */
  readonly palette: Palette;
  /** Data as escaped text instead of a hex dump. */
  readonly text: boolean;
  /** Print the port path on each line (several ports). */
  readonly showPort: boolean;
}

function modemText(bits: number, previous: number): string {
  const diff = diffModemLines(previous, bits);
  if (diff.changed.length === 0) {
    const now = formatModemLines(bits);
    return `modem ${now === '' ? '(all low)' : now} (unchanged)`;
  }
  return `modem ${formatModemDiff(diff)}`;
}

function openText(count: number, previous: number): string {
  if (count === 0) return 'closed';
  return `${count > previous ? 'opened' : 'closed'} (open ${count} time${count === 1 ? '' : 's'})`;
}

/**
 * The lines for one event (a hex dump gives several).
 *
 * @param e - the event
 * @param at - when it happened
 * @param o - options
 * @returns lines without newlines
 * @public
 */
export function formatHuman(e: CliEvent, at: Date, o: HumanOptions): string[] {
  const p = o.palette;
  const time = p.dim(clockTime(at));
  switch (e.kind) {
    case 'ready':
      return [`${time} ${p.info('ready')} ${e.ports.join(' ')}`];
    case 'info':
      return [`${time} ${p.info('info')} ${e.port !== undefined && o.showPort ? `${e.port} ` : ''}${e.message}`];
    case 'warning':
      return [`${time} ${p.warn('warning')} ${e.port !== undefined && o.showPort ? `${e.port} ` : ''}${e.message}`];
    default:
      break;
  }
  const colour = e.dir === 'tx' ? p.tx : p.rx;
  const head = `${time} ${o.showPort ? `${e.port} ` : ''}${colour(e.dir)}`;
  switch (e.kind) {
    case 'termios':
      return [`${head} termios ${formatLineSettings(e.settings)}`];
    case 'modem':
      return [`${head} ${modemText(e.bits, e.previous)}`];
    case 'break':
      return [`${head} ${e.state === undefined ? 'break' : formatBreakState(e.state)}`];
    case 'open':
      return [`${head} ${openText(e.count, e.previous)}`];
    case 'line-error':
      return [`${head} ${e.condition === 'frame' ? 'framing' : 'parity'} error on 0x${e.byte.toString(16).padStart(2, '0')}`];
    case 'data':
      if (o.text) return [`${head} ${escapeText(e.data)}`];
      return [`${head} data ${e.data.length} byte${e.data.length === 1 ? '' : 's'}`, ...hexDumpLines(e.data).map((l) => `    ${colour(l)}`)];
  }
}
