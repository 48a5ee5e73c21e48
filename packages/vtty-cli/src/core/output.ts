/**
 * The standard streams: lines that tolerate a reader gone away, and whether stdout is a
 * pipe. Kept apart from the event formatters (core/reporter.ts) and the supervisor
 * (core/supervisor.ts), which only the commands that need them load.
 *
 * @packageDocumentation
 */
import { fstatSync } from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * Write one line to a stream, ignoring a reader that went away (EPIPE): `vtty echo | head -1`
 * must keep the port running after `head` exits.
 *
 * @param stream - the stream
 * @param line - the line, without newline
 * @internal
 */
export function writeLine(stream: Writable, line: string): void {
  if (stream.destroyed || stream.writableEnded) return;
  stream.write(`${line}\n`);
}

/**
 * Swallow EPIPE (the reader of our output exited) and EIO (our terminal hung up, which a
 * server left running in the background outlives) on a standard stream.
 *
 * @param stream - stdout or stderr
 * @internal
 */
export function ignoreBrokenPipe(stream: Writable): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
  });
}

/**
 * Whether stdout is a pipe (FIFO): the case where a reader may go away while vtty should carry
 * on.
 *
 * @returns true for a pipe
 * @internal
 */
export function stdoutIsPipe(): boolean {
  try {
    return fstatSync(1).isFIFO();
  } catch {
    return false;
  }
}
