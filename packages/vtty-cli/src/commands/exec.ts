/**
 * `vtty exec -- program args`.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { examples, type BackendCommand } from './spec.js';

/** `vtty exec`: a program is the device. @public */
export const execCommand: BackendCommand = {
  name: 'exec',
  monitorable: true,
  define(cmd: Command): void {
    cmd
      .summary("a program is the device: its stdin gets what the application writes, its stdout is what it reads")
      .description(
        "Create a port whose device side is a program: the program's standard input receives what the " +
          "application writes, its standard output is what the application reads; its standard error is vtty's. " +
          'The program gets VTTY_PORT=/dev/ttyV<n> in its environment. vtty exits when the program does: ' +
          'status 0 when it exited with 0, 1 otherwise. Modem lines are not changed (inputs stay low).',
      )
      .argument('<program>', 'the program to run (looked up in PATH)')
      .argument('[args...]', 'its arguments (put -- before the program when they start with -)')
      .passThroughOptions()
      .addHelpText('after', examples('vtty exec -- cat', "vtty exec -- sh -c 'while read l; do echo \"got $l\"; done'", 'vtty exec -- python3 gps-simulator.py --rate 1'));
  },
  async create({ args }) {
    const program = args[0];
    const rest = args[1];
    if (typeof program !== 'string' || program === '') throw new UsageError('exec: no program given');
    const list = Array.isArray(rest) ? rest.filter((x): x is string => typeof x === 'string') : [];
    const { ExecBackend } = await import('../backends/exec.js');
    return new ExecBackend(program, list);
  },
};
