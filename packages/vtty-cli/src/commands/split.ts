/**
 * `vtty split /dev/ttyX --count N`.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { examples, type BackendCommand } from './spec.js';

function parseCount(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 64) throw new InvalidArgumentError('expected a number from 1 to 64');
  return Number(text);
}

/** `vtty split`: one real port shared by several programs. @public */
export const splitCommand: BackendCommand = {
  name: 'split',
  monitorable: false,
  multiPort: true,
  define(cmd: Command): void {
    cmd
      .summary('share one real port between several programs (gdb and minicom, esptool and minicom)')
      .description(
        'Create N ports sharing one real tty. What the real port receives (data, breaks, parity and ' +
          'framing errors) is copied to every port an application has open; what any application writes is ' +
          'merged onto the real port. LINE SETTINGS ARE APPLIED FROM THE FIRST PORT OPENED: settings made on ' +
          "the others are ignored (with a notice) until that application closes its port, then the next-oldest " +
          "open port's settings apply. DTR and RTS are high while any application holds them high; breaks " +
          "from any port are sent; the real port's CTS, DSR, DCD and RI reach every port. Opens and closes " +
          'are reported by the driver as they happen. The first line of stdout is the N paths separated by ' +
          'spaces. --monitor also prints the traffic.',
      )
      .argument('<device>', 'the real tty, e.g. /dev/ttyUSB0')
      .option('-n, --count <n>', 'how many virtual ports', parseCount, 2)
      .option('--monitor', 'print the traffic of every port, as vtty monitor does')
      .addHelpText('after', examples('vtty split /dev/ttyUSB0 --count 2 --link /tmp/ttyGdb --link /tmp/ttyConsole'));
  },
  async create({ args, opts }) {
    const device = args[0];
    if (typeof device !== 'string' || device === '') throw new UsageError('split: give the real tty, e.g. /dev/ttyUSB0');
    const count = typeof opts.count === 'number' ? opts.count : 2;
    const { RealPortBackend } = await import('../backends/real-port-backend.js');
    return new RealPortBackend(device, count);
  },
};
