/**
 * `vtty list [--json]`.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import { CliError, ExitCode, type ExitStatus } from '../core/errors.js';
import { LOAD_HINT } from '../core/port.js';
import { moduleLoaded, scanPorts } from '../core/port-scan.js';
import { writeLine } from '../core/reporter.js';
import { boolOpt, examples, type ParsedArgs } from './spec.js';

/**
 * Define `vtty list`.
 *
 * @param cmd - the command
 * @public
 */
export function defineList(cmd: Command): void {
  cmd
    .summary('list the ttyV ports and whether an application has each open')
    .description(
      'List the /dev/ttyV<n> ports that exist (from /sys/class/tty) and whether the application side is ' +
        'open, with the processes that have it open (from /proc/<pid>/fd: the driver exposes no open ' +
        'count). Run as root to see every process; otherwise processes of other users are not inspected ' +
        'and the output says so. Which process holds a port\'s master cannot be told from /proc. ' +
        '--json prints one JSON document: { ports: [{ path, index, device, appOpen, openedBy: [{ pid, ' +
        'command }] }], masters: [...], uninspectable }.',
    )
    .option('--json', 'print JSON')
    .addHelpText('after', examples('vtty list', 'vtty list --json | jq -r \'.ports[] | select(.appOpen | not) | .path\''));
}

/**
 * Run `vtty list`.
 *
 * @param parsed - options
 * @returns the exit status
 * @public
 */
export async function runList(parsed: ParsedArgs): Promise<ExitStatus> {
  if (!moduleLoaded()) throw new CliError(`no /dev/vtmx: ${LOAD_HINT}`);
  const scan = await scanPorts();
  if (boolOpt(parsed.opts, 'json')) {
    writeLine(process.stdout, JSON.stringify(scan));
    return ExitCode.Ok;
  }
  if (scan.ports.length === 0) {
    process.stderr.write('no vtty ports\n');
  } else {
    const width = Math.max(4, ...scan.ports.map((p) => p.path.length));
    writeLine(process.stdout, `${'PORT'.padEnd(width)}  APP     OPENED BY`);
    for (const p of scan.ports) {
      const by = p.openedBy.map((o) => `${o.pid} (${o.command})`).join(', ');
      writeLine(process.stdout, `${p.path.padEnd(width)}  ${(p.appOpen ? 'open' : 'closed').padEnd(6)}  ${by}`.trimEnd());
    }
  }
  if (scan.uninspectable > 0) {
    process.stderr.write(`vtty: ${scan.uninspectable} processes could not be inspected (not root): an open shown as closed may be theirs\n`);
  }
  return ExitCode.Ok;
}
