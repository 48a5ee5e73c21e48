/** Either side of a port: the application's Tty or the master's Vtmx. */
export interface TryWriter {
  tryWrite(data: Uint8Array): number;
}

/**
 * Non-blocking writes of payload, 4 KiB at a time from offset `from`, until the port takes no
 * more (EAGAIN) or the payload ends.
 *
 * @returns the offset reached: everything before it was accepted
 */
export function writeUntilFull(port: TryWriter, payload: Uint8Array, from: number): number {
  let offset = from;
  while (offset < payload.length) {
    const n = port.tryWrite(payload.subarray(offset, offset + 4096));
    if (n === 0) break;
    offset += n;
  }
  return offset;
}
