/**
 * What the CLI reports: port activity in both directions and the session's own events.
 *
 * Directions are the application's: `tx` is what the program using `/dev/ttyV<n>` sent or
 * did (data it wrote, termios, its DTR/RTS, breaks), `rx` is what it receives (data, and its
 * CTS/DSR/DCD/RI input lines).
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
  /** True when the change was inferred (DTR/RTS follow a speed of B0) rather than reported by a packet. */
  readonly inferred?: boolean;
}

/** A break: sent by the application (`tx`) or passed to it (`rx`, pair). @public */
export interface BreakEvent {
  readonly kind: 'break';
  readonly port: string;
  readonly dir: Direction;
  readonly state: BreakState;
}

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
export type CliEvent = DataEvent | TermiosEvent | ModemEvent | BreakEvent | ReadyEvent | NoticeEvent;

/** Port activity (the events `vtty monitor` prints). @public */
export type TrafficEvent = DataEvent | TermiosEvent | ModemEvent | BreakEvent;

/**
 * Is this event port traffic (as opposed to a session notice)?
 *
 * @param e - the event
 * @returns true for data, termios, modem and break events
 * @public
 */
export function isTraffic(e: CliEvent): e is TrafficEvent {
  return e.kind === 'data' || e.kind === 'termios' || e.kind === 'modem' || e.kind === 'break';
}

/** Receives events. @public */
export type EventSink = (event: CliEvent) => void;
