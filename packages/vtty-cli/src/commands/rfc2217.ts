/**
 * `vtty rfc2217 HOST:PORT`.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import { parseHostPort } from '../core/address.js';
import { UsageError } from '../core/errors.js';
import { examples, type BackendCommand } from './spec.js';

/** `vtty rfc2217`: a remote serial port as a local one. @public */
export const rfc2217Command: BackendCommand = {
  name: 'rfc2217',
  monitorable: true,
  define(cmd: Command): void {
    cmd
      .summary('an RFC 2217 client: a remote serial port (ser2net, a terminal server) as a local ttyV')
      .description(
        'Connect to an RFC 2217 (Telnet Com Port Control) access server and make its serial port a local ' +
          "one: the application's baud rate, data bits, parity, stop bits, flow control, DTR/RTS and breaks " +
          "are sent to the server; the server's modem state (CTS, DSR, DCD, RI) becomes the port's input " +
          'lines; data flows both ways. A timed break is sent as BREAK ON, a wait, BREAK OFF. vtty exits 0 ' +
          'when the server closes the connection, 1 when it cannot connect.',
      )
      .argument('<host:port>', 'the access server')
      .addHelpText('after', examples('vtty rfc2217 192.168.1.50:2217 --link /tmp/ttyRemote', 'vtty monitor -- rfc2217 localhost:3000   # and watch it'));
  },
  async create({ args }) {
    const target = args[0];
    if (typeof target !== 'string') throw new UsageError('rfc2217: give HOST:PORT');
    const { Rfc2217Backend } = await import('../backends/rfc2217.js');
    return new Rfc2217Backend(parseHostPort(target));
  },
};
