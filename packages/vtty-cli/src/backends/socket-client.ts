/**
 * The life of a backend that is a TCP client (`tcp HOST:PORT`, `rfc2217`): connect, report
 * the connection, end when the server closes it, fail on a socket error, destroy on close.
 *
 * @packageDocumentation
 */
import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { formatAddress, type Address } from '../core/address.js';
import { CliError, errorMessage } from '../core/errors.js';
import type { EventSink } from '../core/events.js';
import type { FeatureName } from 'vtmx-native';
import type { AppActivity, PortLink } from '../core/port.js';
import { deferred, type Backend } from './backend.js';

/**
 * Connect a socket, turning errors into {@link CliError}.
 *
 * @param to - the address
 * @returns the connected socket
 * @internal
 */
export async function connectTcp(to: Address): Promise<Socket> {
  const socket = createConnection({ host: to.host, port: to.port });
  socket.setNoDelay(true);
  try {
    await once(socket, 'connect');
  } catch (error: unknown) {
    socket.destroy();
    throw new CliError(`cannot connect to ${formatAddress(to)}: ${errorMessage(error)}`, 1, error);
  }
  return socket;
}

/**
 * A one-port backend whose device is a TCP server: subclasses say what to do with the
 * connected socket ({@link SocketClientBackend.connected}) and with the application's
 * activity; the connection's life (its notices, `done`, `close`) is this class's.
 *
 * @public
 */
export abstract class SocketClientBackend implements Backend {
  readonly portCount = 1;
  abstract readonly features: readonly FeatureName[];
  /** The server. */
  protected readonly to: Address;
  #socket: Socket | undefined;
  readonly #done = deferred<undefined>();

  /** @param to - the server */
  constructor(to: Address) {
    this.to = to;
  }

  get done(): Promise<void> {
    return this.#done.promise;
  }

  /** The connection, once started (undefined before). */
  protected get socket(): Socket | undefined {
    return this.#socket;
  }

  async start(links: readonly PortLink[], emit: EventSink): Promise<void> {
    const link = links[0];
    if (link === undefined) throw new Error('a TCP client backend needs one port');
    const socket = await connectTcp(this.to);
    this.#socket = socket;
    const peer = formatAddress(this.to);
    emit({ kind: 'info', code: 'connected', message: `connected to ${peer}`, details: { peer } });
    socket.on('error', (error) => {
      this.#done.reject(new CliError(`connection to ${peer}: ${error.message}`, 1, error));
    });
    socket.on('close', () => {
      emit({ kind: 'info', code: 'disconnected', message: `${peer} closed the connection` });
      this.#done.resolve(undefined);
    });
    this.connected(socket, link, emit);
  }

  /**
   * The connection is up: wire it to the port.
   *
   * @param socket - the connection
   * @param link - the port
   * @param emit - where to report notices
   */
  protected abstract connected(socket: Socket, link: PortLink, emit: EventSink): void;

  abstract handle(activity: AppActivity, index: number): Promise<void> | void;

  close(): Promise<void> {
    this.#socket?.destroy();
    return Promise.resolve();
  }
}
