/**
 * `vtty attach /dev/ttyX`.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { examples, type BackendCommand } from './spec.js';

/** `vtty attach`: mirror a real tty. @public */
export const attachCommand: BackendCommand = {
  name: 'attach',
  monitorable: true,
  define(cmd: Command): void {
    cmd
      .summary('mirror a real tty: settings, modem lines and breaks go to it, its data and input lines come back')
      .description(
        'Create a port that mirrors a real tty. The speed, character size, parity, stop bits and RTS/CTS ' +
          'the application sets on the virtual port are applied to the real one (which is used raw: line ' +
          "editing, echo and XON/XOFF are done by the virtual port's line discipline), as are DTR, RTS and " +
          "breaks; the real port's data, the breaks and parity/framing errors it receives, and its CTS, DSR, " +
          "DCD and RI come back. At start the real port gets the virtual port's initial settings (9600 8N1). " +
          'Combine with monitor to sniff a real device. vtty exits 0 when the real port hangs up.',
      )
      .argument('<device>', 'the real tty, e.g. /dev/ttyUSB0')
      .addHelpText('after', examples('vtty attach /dev/ttyUSB0 --link /tmp/ttyGPS', 'vtty monitor -- attach /dev/ttyUSB0   # sniff what an application does to a device'));
  },
  async create({ args }) {
    const device = args[0];
    if (typeof device !== 'string' || device === '') throw new UsageError('attach: give the real tty, e.g. /dev/ttyUSB0');
    const { RealPortBackend } = await import('../backends/real-port-backend.js');
    return new RealPortBackend(device, 1);
  },
};
