/**
 * `vtty tcp HOST:PORT` and `vtty tcp --listen [HOST:]PORT`.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import { parseHostPort, parseListenAddress } from '../core/address.js';
import { UsageError } from '../core/errors.js';
import { examples, stringOpt, type BackendCommand } from './spec.js';

/** `vtty tcp`: a raw TCP bridge. @public */
export const tcpCommand: BackendCommand = {
  name: 'tcp',
  monitorable: true,
  define(cmd: Command): void {
    cmd
      .summary('a raw TCP bridge: connect to HOST:PORT, or --listen for one client at a time')
      .description(
        'Bridge the port to a TCP connection, bytes only (no settings or modem lines on the wire). ' +
          'CTS, DSR and DCD are high while connected, low otherwise (so an application that clears CLOCAL ' +
          'is hung up when the peer goes away). As a client, vtty exits 0 when the server closes the ' +
          'connection and 1 when it cannot connect. With --listen it serves one client at a time (others ' +
          'are refused while one is connected), discards what the application writes while nobody is ' +
          'connected and runs until SIGINT/SIGTERM. --listen PORT binds 127.0.0.1; give 0.0.0.0:PORT for ' +
          'every interface.',
      )
      .argument('[host:port]', 'the server to connect to')
      .option('-l, --listen <[host:]port>', 'listen instead of connecting')
      .addHelpText('after', examples('vtty tcp 192.168.1.50:4001', 'vtty tcp --listen 5000 --link /tmp/ttyNet', 'vtty tcp --listen 0.0.0.0:5000'));
  },
  async create({ args, opts }) {
    const target = args[0];
    const listen = stringOpt(opts, 'listen');
    if (listen !== undefined) {
      if (typeof target === 'string') throw new UsageError('tcp: give either HOST:PORT or --listen, not both');
      const { TcpServerBackend } = await import('../backends/tcp.js');
      return new TcpServerBackend(parseListenAddress(listen, '127.0.0.1'));
    }
    if (typeof target !== 'string') throw new UsageError('tcp: give HOST:PORT to connect to, or --listen [HOST:]PORT');
    const { TcpClientBackend } = await import('../backends/tcp.js');
    return new TcpClientBackend(parseHostPort(target));
  },
};
