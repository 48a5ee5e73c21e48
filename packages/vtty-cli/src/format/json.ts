/**
 * Events as JSON lines (`--json`).
 *
 * @packageDocumentation
 */
import { diffModemLines, formatLineSettings, formatModemLines, modemLinesFromBits, type ModemLineName } from 'vtty-protocol';
import { EVENT_FORMAT, EVENT_FORMAT_VERSION, termiosToJson, type EventJson } from 'vtty-device/recording';
import type { CliEvent } from '../core/events.js';
import { toHex } from './bytes.js';

const UPPER = (names: readonly ModemLineName[]): string[] => names.map((n) => n.toUpperCase());

function lineNames(bits: number): string[] {
  const s = formatModemLines(bits);
  return s === '' ? [] : s.split(' ');
}

/**
 * The JSON object of an event, in the vtty event format (docs/recording.md; vtty-device owns
 * its types and version). Every object has `time` (ISO 8601) and `event`; port events
 * have `port` and `dir` (`tx` from the application, `rx` to it).
 *
 * - `data`: `bytes`, `hex`, `text` (latin1 decoding, for convenience)
 * - `termios`: `settings` (`"115200 8N1 rtscts"`), `line` (the vtty-protocol LineSettings) and
 *   `termios` (the whole termios2)
 * - `modem`: `lines` (names now high), `raised`, `dropped`, `bits` (TIOCM mask)
 * - `break`: `state` (`timed`, `on`, `off`) and `ms` for a timed break; no `state` for a break
 *   a real port received
 * - `open`: `count` (how many times the port is open now, 0: closed) and `previous`
 * - `line-error`: `condition` (`parity`, `frame`) and `byte`
 * - `ready`: `ports`, `format` and `version`; `info`/`warning`: `code`, `message` and details
 *
 * @param e - the event
 * @param at - when it happened
 * @returns a plain object, ready for JSON.stringify
 * @public
 */
export function toJsonObject(e: CliEvent, at: Date): EventJson {
  const time = at.toISOString();
  switch (e.kind) {
    case 'ready':
      return { time, event: e.kind, ports: e.ports, format: EVENT_FORMAT, version: EVENT_FORMAT_VERSION };
    case 'info':
    case 'warning':
      return { time, event: e.kind, code: e.code, ...(e.port === undefined ? {} : { port: e.port }), message: e.message, ...e.details };
    case 'data':
      return { time, event: e.kind, port: e.port, dir: e.dir, bytes: e.data.length, hex: toHex(e.data), text: Buffer.from(e.data).toString('latin1') };
    case 'termios':
      return { time, event: e.kind, port: e.port, dir: e.dir, settings: formatLineSettings(e.settings), line: e.settings, termios: termiosToJson(e.termios) };
    case 'modem': {
      const diff = diffModemLines(e.previous, e.bits);
      const lines = modemLinesFromBits(e.bits);
      return {
        time,
        event: e.kind,
        port: e.port,
        dir: e.dir,
        lines: lineNames(e.bits),
        raised: UPPER(diff.raised),
        dropped: UPPER(diff.dropped),
        bits: e.bits,
        state: { dtr: lines.dtr, rts: lines.rts, cts: lines.cts, dsr: lines.dsr, dcd: lines.dcd, ri: lines.ri },
      };
    }
    case 'break': {
      const state = e.state === undefined ? {} : { state: e.state.kind, ...(e.state.kind === 'timed' ? { ms: e.state.ms } : {}) };
      return { time, event: e.kind, port: e.port, dir: e.dir, ...state };
    }
    case 'open':
      return { time, event: e.kind, port: e.port, dir: e.dir, count: e.count, previous: e.previous };
    case 'line-error':
      return { time, event: e.kind, port: e.port, dir: e.dir, condition: e.condition, byte: e.byte };
  }
}

/**
 * One JSON line (no newline).
 *
 * @param e - the event
 * @param at - when it happened
 * @returns the JSON text
 * @public
 */
export function formatJson(e: CliEvent, at: Date): string {
  return JSON.stringify(toJsonObject(e, at));
}
