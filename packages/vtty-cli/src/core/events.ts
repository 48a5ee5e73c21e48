/**
 * What the CLI reports: port activity in both directions and the session's own events.
 *
 * Directions are the application's: `tx` is what the program using `/dev/ttyV<n>` sent or
 * did (data it wrote, termios, its DTR/RTS, breaks, opening and closing the port), `rx` is
 * what it receives (data, breaks, line errors, and its CTS/DSR/DCD/RI input lines).
 *
 * @packageDocumentation
 */
import type { BreakState, LineSettings, Termios2 } from 'vtty-protocol';

/** `tx`: from the application; `rx`: to the application. @public */
export type Direction = 'tx' | 'rx';

/** Data through a port. @public */
export interface DataEvent {
  readonly kind: 'data';
  readonly port: string;
  readonly dir: Direction;
  readonly data: Uint8Array;
}

/** The application set termios. @public */
export interface TermiosEvent {
  readonly kind: 'termios';
  readonly port: string;
  readonly dir: 'tx';
  readonly settings: LineSettings;
  /** The full termios2 the application set. */
  readonly termios: Termios2;
}

/**
 * Modem lines changed: the application's outputs (`tx`) or the inputs the backend gave it
 * (`rx`). `bits` and `previous` are TIOCM_* masks.
 *
 * @public
 */
export interface ModemEvent {
  readonly kind: 'modem';
  readonly port: string;
  readonly dir: Direction;
  readonly bits: number;
  readonly previous: number;
}

/**
 * A break: sent by the application (`tx`), or received (`rx`: from the other side of a pair,
 * or reported by a real port, which does not say how long it was).
 *
 * @public
 */
export interface BreakEvent {
  readonly kind: 'break';
  readonly port: string;
  readonly dir: Direction;
  /** The break; undefined for a break a real port received. */
  readonly state?: BreakState;
}

/** The application opened or closed the port (or it was hung up). @public */
export interface OpenEvent {
  readonly kind: 'open';
  readonly port: string;
  readonly dir: 'tx';
  /** How many times the port is open now (0: closed). */
  readonly count: number;
  /** How many times it was open before. */
  readonly previous: number;
}

/** A character received with a parity or framing error (passed on from a real port). @public */
export interface LineErrorEvent {
  readonly kind: 'line-error';
  readonly port: string;
  readonly dir: 'rx';
  readonly condition: LineError;
  /** The character as received. */
  readonly byte: number;
}

/** A receive error a UART reports with a character. @public */
export type LineError = 'parity' | 'frame';

/** The session's ports exist; `ports` are their paths. @public */
export interface ReadyEvent {
  readonly kind: 'ready';
  readonly ports: readonly string[];
}

/** Something a person should know: connected, disconnected, settings disagree… @public */
export interface NoticeEvent {
  readonly kind: 'info' | 'warning';
  readonly message: string;
  readonly port?: string;
  /** Machine-readable name of the notice, e.g. `'connected'`, `'settings-mismatch'`. */
  readonly code: string;
  /** Extra machine-readable fields for `--json`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Any reported event. @public */
export type CliEvent = TrafficEvent | ReadyEvent | NoticeEvent;

/** Port activity (the events `vtty monitor` prints). @public */
export type TrafficEvent = DataEvent | TermiosEvent | ModemEvent | BreakEvent | OpenEvent | LineErrorEvent;

/**
 * Is this event port traffic (as opposed to a session notice)?
 *
 * @param e - the event
 * @returns true for port events (data, termios, modem, break, open, line error)
 * @public
 */
export function isTraffic(e: CliEvent): e is TrafficEvent {
  return e.kind !== 'ready' && e.kind !== 'info' && e.kind !== 'warning';
}

/** Receives events. @public */
export type EventSink = (event: CliEvent) => void;
