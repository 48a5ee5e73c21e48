/**
 * `--record FILE`: every event of a session, as the JSON lines `--json` prints (the vtty event
 * format, docs/recording.md), written to a file whatever stdout shows, for `vtty replay`.
 *
 * @packageDocumentation
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { CliError, errorMessage } from './errors.js';
import type { StampedEventSink } from './stamped-event.js';

/** An open recording. @internal */
export interface Recorder {
  /** Writes an event: its JSON line, the one `--json` prints, with the same time. */
  readonly record: StampedEventSink;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/**
 * Create (or truncate) the recording file.
 *
 * @param path - the file
 * @returns the recorder
 * @throws {@link CliError} when the file cannot be written
 * @internal
 */
export async function openRecorder(path: string): Promise<Recorder> {
  const file: WriteStream = createWriteStream(path, { flags: 'w' });
  let failure: unknown;
  file.on('error', (error) => {
    failure = error;
  });
  try {
    await once(file, 'open');
  } catch (error: unknown) {
    throw new CliError(`cannot write the recording ${path}: ${errorMessage(error)}`, 1, error);
  }
  return {
    record: (stamped) => {
      if (failure === undefined) file.write(`${stamped.json}\n`);
    },
    close: async () => {
      if (failure === undefined) {
        file.end();
        await once(file, 'finish').catch(() => undefined);
      }
      if (failure !== undefined) throw new CliError(`cannot write the recording ${path}: ${errorMessage(failure)}`, 1, failure);
    },
  };
}
