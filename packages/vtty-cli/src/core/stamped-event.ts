/**
 * An event and the time it happened, taken once where a session's events go out to the
 * reporter and to the `--record` file, so that the two say the same time; its JSON line is
 * made once too, for whichever of them wants it first.
 *
 * @packageDocumentation
 */
import { formatJson } from '../format/json.js';
import type { CliEvent } from './events.js';

/** An event, when it happened, and its JSON line. @internal */
export class StampedEvent {
  /** The event. */
  readonly event: CliEvent;
  /** When it happened (when the session's sink received it). */
  readonly at: Date = new Date();
  #json: string | undefined;

  /** @param event - the event, stamped with the time now */
  constructor(event: CliEvent) {
    this.event = event;
  }

  /** The event's JSON line (no newline; format/json.ts), made on first use. */
  get json(): string {
    this.#json ??= formatJson(this.event, this.at);
    return this.#json;
  }
}

/** Receives stamped events: the reporter, the recording. @internal */
export type StampedEventSink = (stamped: StampedEvent) => void;
