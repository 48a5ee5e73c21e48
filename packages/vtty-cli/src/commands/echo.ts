/**
 * `vtty echo`.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import { examples, type BackendCommand } from './spec.js';

/** `vtty echo`: a loopback plug. @public */
export const echoCommand: BackendCommand = {
  name: 'echo',
  monitorable: true,
  define(cmd: Command): void {
    cmd
      .summary('a loopback plug: data echoed back, DTR→DSR+DCD, RTS→CTS')
      .description(
        'Create a port wired like a hardware loopback connector: every byte the application writes comes back, ' +
          'DTR is looped to DSR and DCD, RTS to CTS. Prints the port path, then runs until SIGINT/SIGTERM.',
      )
      .addHelpText('after', examples('vtty echo', 'PORT=$(vtty echo --link /tmp/ttyLoop | head -1)   # in a script', 'vtty monitor -- echo   # and watch the traffic'));
  },
  async create() {
    const { EchoBackend } = await import('../backends/echo.js');
    return new EchoBackend();
  },
};
