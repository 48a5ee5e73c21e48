/**
 * `--record FILE` for a long-running command: its events go to the file as well as to the
 * reporter. The file's code (core/recorder.ts) loads only when the option is given.
 *
 * @packageDocumentation
 */
import type { EventSink } from '../core/events.js';
import { stringOpt, type ParsedArgs } from './spec.js';

/** The sink of a session, recording or not. @internal */
export interface RecordingSink {
  /** Reports each event and, with `--record`, writes it to the file. */
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
export async function addRecording(opts: ParsedArgs['opts'], report: EventSink): Promise<RecordingSink> {
  const path = stringOpt(opts, 'record');
  if (path === undefined) return { emit: report, close: () => Promise.resolve() };
  const recorder = await (await import('../core/recorder.js')).openRecorder(path);
  return {
    emit: (event) => {
      recorder.record(event);
      report(event);
    },
    close: () => recorder.close(),
  };
}
