/**
 * `vtty list [--json]`.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import { ExitCode, type ExitStatus } from '../core/errors.js';
import { writeLine } from '../core/output.js';
import type { PortInfo } from '../core/port-scan.js';
import { boolOpt, examples, type ParsedArgs } from './spec.js';

/**
 * Define `vtty list`.
 *
 * @param cmd - the command
 * @public
 */
export function defineList(cmd: Command): void {
  cmd
    .summary('list the ttyV ports, the vtty serving each, and whether an application has it open')
    .description(
      'List the /dev/ttyV<n> ports that exist (from /sys/class/tty) and whether the application side is ' +
        'open, with the processes that have it open (from /proc/<pid>/fd: only the program holding a port\'s master ' +
        'learns its open count). Run as root to see every process; otherwise processes of other users are not inspected ' +
        'and the output says so. SERVER is the pid of the vtty serving the port (from its process title, ' +
        '"vtty[/dev/ttyV0] echo"; "-" when another program holds the master): `kill` it to remove the port, ' +
        'e.g. one left in the background by PORT=$(vtty echo | head -1). ' +
        '--json prints one JSON document: { ports: [{ path, index, device, appOpen, openedBy: [{ pid, ' +
        'command }], servedBy: [{ pid, command }] }], masters: [...], uninspectable }.',
    )
    .option('--json', 'print JSON')
    .addHelpText('after', examples(
        'vtty list',
        'vtty list --json | jq -r \'.ports[] | select(.appOpen | not) | .path\'',
        'kill $(vtty list --json | jq -r \'.ports[] | select(.path == "/dev/ttyV0") | .servedBy[].pid\')   # stop its server',
      ));
}

/**
 * Run `vtty list`.
 *
 * @param parsed - options
 * @returns the exit status
 * @public
 */
export async function runList(parsed: ParsedArgs): Promise<ExitStatus> {
  const { moduleLoaded, scanPorts } = await import('../core/port-scan.js');
  const { masterDevice, moduleNotLoadedError } = await import('../core/master-device.js');
  if (!moduleLoaded()) throw moduleNotLoadedError(masterDevice());
  const scan = await scanPorts();
  if (boolOpt(parsed.opts, 'json')) {
    writeLine(process.stdout, JSON.stringify(scan));
    return ExitCode.Ok;
  }
  if (scan.ports.length === 0) {
    process.stderr.write('no vtty ports\n');
  } else {
    const width = Math.max(4, ...scan.ports.map((p) => p.path.length));
    const servers = scan.ports.map((p) => (p.servedBy.length === 0 ? '-' : p.servedBy.map((s) => String(s.pid)).join(',')));
    const serverWidth = Math.max(6, ...servers.map((s) => s.length));
    // Ports that look like hardware add a column; a list of plain ports stays as it was.
    const identities = scan.ports.map((p) => describeIdentity(p));
    const identityWidth = identities.some((d) => d !== '') ? Math.max(8, ...identities.map((d) => d.length)) : 0;
    const identityHeader = identityWidth > 0 ? `${'IDENTITY'.padEnd(identityWidth)}  ` : '';
    writeLine(process.stdout, `${'PORT'.padEnd(width)}  ${'SERVER'.padEnd(serverWidth)}  ${identityHeader}APP     OPENED BY`);
    for (const [i, p] of scan.ports.entries()) {
      const by = p.openedBy.map((o) => `${o.pid} (${o.command})`).join(', ');
      const server = (servers[i] ?? '-').padEnd(serverWidth);
      const identity = identityWidth > 0 ? `${(identities[i] ?? '').padEnd(identityWidth)}  ` : '';
      writeLine(process.stdout, `${p.path.padEnd(width)}  ${server}  ${identity}${(p.appOpen ? 'open' : 'closed').padEnd(6)}  ${by}`.trimEnd());
    }
  }
  if (scan.uninspectable > 0) {
    process.stderr.write(`vtty: ${scan.uninspectable} processes could not be inspected (not root): an open shown as closed may be theirs\n`);
  }
  return ExitCode.Ok;
}

/** The IDENTITY column: kind, ids, serial number, name; "unplugged" for an unplugged port. */
function describeIdentity(port: PortInfo): string {
  if (!port.plugged) return 'unplugged';
  const id = port.identity;
  if (id === undefined) return '';
  return [id.kind, id.usbId, id.serialNumber, id.name === undefined ? undefined : `by-vtty/${id.name}`].filter((part) => part !== undefined).join(' ');
}
