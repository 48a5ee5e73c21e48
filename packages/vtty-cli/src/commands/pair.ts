/**
 * `vtty pair`.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import { examples, type BackendCommand } from './spec.js';

/** `vtty pair`: a null-modem pair. @public */
export const pairCommand: BackendCommand = {
  name: 'pair',
  monitorable: false,
  multiPort: true,
  define(cmd: Command): void {
    cmd
      .summary('two ports joined by a null-modem cable (like tty0tty, with termios and modem lines)')
      .description(
        'Create two ports wired as a null-modem cable: what one application writes the other reads, ' +
          'RTS→CTS and DTR→DSR+DCD are crossed, a break on one side reaches the other (as the NUL byte its ' +
          'line discipline would give; not possible with BRKINT or PARMRK). A warning event is printed when ' +
          "the two sides' speed, data bits, parity or stop bits disagree. The first line of stdout is both " +
          'paths, separated by a space. --monitor also prints the traffic of both ports.',
      )
      .option('--monitor', 'print the traffic of both ports, as vtty monitor does')
      .addHelpText('after', examples('vtty pair', 'vtty pair --link /tmp/ttyA --link /tmp/ttyB', 'vtty pair --monitor --text'));
  },
  async create() {
    const { PairBackend } = await import('../backends/pair.js');
    return new PairBackend();
  },
};
