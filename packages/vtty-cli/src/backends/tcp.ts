/**
 * `vtty tcp HOST:PORT` and `vtty tcp --listen PORT`: raw TCP bridges.
 *
 * @packageDocumentation
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { TIOCM_CAR, TIOCM_CTS, TIOCM_DSR } from 'vtty-protocol';
import { formatAddress, type Address } from '../core/address.js';
import type { FeatureName } from 'vtmx-native';
import { CliError, errorMessage } from '../core/errors.js';
import type { EventSink } from '../core/events.js';
import type { AppActivity, PortLink } from '../core/port.js';
import { never, type Backend } from './backend.js';
import { SocketClientBackend } from './socket-client.js';
import { pipeSocketToPort, writeSocket } from './stream-bridge.js';

/** The input lines while a TCP peer is connected: CTS, DSR and DCD (carrier = connection). @public */
export const CONNECTED_LINES = TIOCM_CTS | TIOCM_DSR | TIOCM_CAR;

/**
 * Raw TCP client: bytes both ways, no modem lines or settings on the wire. CTS, DSR and DCD
 * are high while connected. Ends when the server closes the connection.
 *
 * @public
 */
export class TcpClientBackend extends SocketClientBackend {
  readonly features: readonly FeatureName[] = [];

  protected connected(socket: Socket, link: PortLink): void {
    link.setInputs(CONNECTED_LINES);
    pipeSocketToPort(socket, link);
  }

  async handle(activity: AppActivity): Promise<void> {
    if (activity.kind === 'data' && this.socket !== undefined) await writeSocket(this.socket, activity.data);
  }
}

/**
 * Raw TCP server: one client at a time is the port's device (further clients are turned
 * away while one is connected). CTS, DSR and DCD are high while a client is connected and low
 * otherwise; what the application writes with no client connected is discarded. Runs until
 * stopped.
 *
 * @public
 */
export class TcpServerBackend implements Backend {
  readonly portCount = 1;
  readonly features: readonly FeatureName[] = [];
  readonly done = never();
  readonly #at: Address;
  #server: Server | undefined;
  #client: Socket | undefined;

  /** @param at - where to listen */
  constructor(at: Address) {
    this.#at = at;
  }

  /** The address actually bound (after start). */
  get address(): Address | undefined {
    const a = this.#server?.address();
    return a === undefined || a === null || typeof a === 'string' ? undefined : { host: a.address, port: a.port };
  }

  async start(links: readonly PortLink[], emit: EventSink): Promise<void> {
    const link = links[0];
    if (link === undefined) throw new Error('tcp needs one port');
    const server = createServer((socket) => {
      const peer = `${socket.remoteAddress ?? '?'}:${String(socket.remotePort ?? '?')}`;
      if (this.#client !== undefined) {
        emit({ kind: 'warning', code: 'refused', message: `refused ${peer}: a client is already connected`, details: { peer } });
        socket.destroy();
        return;
      }
      this.#client = socket;
      socket.setNoDelay(true);
      emit({ kind: 'info', code: 'connected', message: `client ${peer} connected`, details: { peer } });
      link.setInputs(CONNECTED_LINES);
      pipeSocketToPort(socket, link);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        if (this.#client === socket) this.#client = undefined;
        emit({ kind: 'info', code: 'disconnected', message: `client ${peer} disconnected`, details: { peer } });
        link.setInputs(0);
      });
    });
    this.#server = server;
    server.listen({ host: this.#at.host, port: this.#at.port });
    try {
      await once(server, 'listening');
    } catch (error: unknown) {
      throw new CliError(`cannot listen on ${formatAddress(this.#at)}: ${errorMessage(error)}`, 1, error);
    }
    const bound = this.address ?? this.#at;
    emit({ kind: 'info', code: 'listening', message: `listening on ${formatAddress(bound)}`, details: { address: formatAddress(bound) } });
  }

  async handle(activity: AppActivity): Promise<void> {
    if (activity.kind === 'data' && this.#client !== undefined) await writeSocket(this.#client, activity.data);
  }

  async close(): Promise<void> {
    this.#client?.destroy();
    const server = this.#server;
    if (server?.listening === true) await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  }
}
