import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Opens a ttyV the way a serial application does (read/write, no
 * controlling terminal), with plain blocking file I/O on Node's thread pool.
 */
export function openAppSide(path: string, extraFlags = 0): Promise<FileHandle> {
  return open(path, constants.O_RDWR | constants.O_NOCTTY | extraFlags);
}

/** Reads from the application side until `size` bytes arrived. */
export async function readExactly(handle: FileHandle, size: number): Promise<Uint8Array> {
  const result = new Uint8Array(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(result, filled, Math.min(65536, size - filled), null);
    if (bytesRead === 0) throw new Error(`end of file after ${filled} of ${size} bytes`);
    filled += bytesRead;
  }
  return result;
}

/** Writes everything, in chunks of `chunkSize` like an application would. */
export async function writeAll(handle: FileHandle, data: Uint8Array, chunkSize = 4096): Promise<void> {
  for (let offset = 0; offset < data.length; ) {
    const { bytesWritten } = await handle.write(data, offset, Math.min(chunkSize, data.length - offset), null);
    offset += bytesWritten;
  }
}
