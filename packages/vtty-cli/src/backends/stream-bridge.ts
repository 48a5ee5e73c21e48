/**
 * Moving bytes between a socket and a port with back-pressure in both directions.
 *
 * @packageDocumentation
 */
import { once } from 'node:events';
import type { Socket } from 'node:net';
import type { PortLink } from '../core/port.js';

/**
 * Deliver everything the socket receives to the port, pausing the socket while the port is
 * full.
 *
 * @param socket - the connection
 * @param link - the port
 * @param transform - optional decoding of received chunks (e.g. Telnet) into port bytes
 * @public
 */
export function pipeSocketToPort(socket: Socket, link: PortLink, transform?: (chunk: Uint8Array) => Uint8Array): void {
  socket.on('data', (chunk: Buffer) => {
    const data = transform === undefined ? chunk : transform(chunk);
    if (data.length === 0) return;
    socket.pause();
    link.send(data).then(
      () => socket.resume(),
      () => socket.resume(),
    );
  });
}

/**
 * Write to a socket, waiting when its buffer is full (or it closed).
 *
 * @param socket - the connection
 * @param data - bytes
 * @public
 */
export async function writeSocket(socket: Socket, data: Uint8Array): Promise<void> {
  if (socket.destroyed || !socket.writable) return;
  if (!socket.write(data)) await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
}
