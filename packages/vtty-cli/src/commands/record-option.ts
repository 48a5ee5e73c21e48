/**
 * `--record FILE` for a long-running command: its events go to the file as well as to the
 * reporter. The file's code (core/recorder.ts) loads only when the option is given.
 *
 * @packageDocumentation
 */
import type { EventSink } from '../core/events.js';
import { StampedEvent, type StampedEventSink } from '../core/stamped-event.js';
import { stringOpt, type ParsedArgs } from './spec.js';

/** The sink of a session, recording or not. @internal */
export interface RecordingSink {
  /**
   * Reports each event and, with `--record`, writes it to the file: stamped with the time
   * once, so that both say the same.
   */
  readonly emit: EventSink;
  /** Flushes and closes the file (nothing without `--record`). */
  close(): Promise<void>;
}

/**
 * Put the `--record` file, if any, beside the reporter.
 *
 * @param opts - the command's options
 * @param report - the reporter
 * @returns the session's sink
 * @throws {@link CliError} when the file cannot be written
 * @internal
 */
export async function addRecording(opts: ParsedArgs['opts'], report: StampedEventSink): Promise<RecordingSink> {
  const path = stringOpt(opts, 'record');
  if (path === undefined) {
    return {
      emit: (event) => {
        report(new StampedEvent(event));
      },
      close: () => Promise.resolve(),
    };
  }
  const recorder = await (await import('../core/recorder.js')).openRecorder(path);
  return {
    emit: (event) => {
      const stamped = new StampedEvent(event);
      recorder.record(stamped);
      report(stamped);
    },
    close: () => recorder.close(),
  };
}
