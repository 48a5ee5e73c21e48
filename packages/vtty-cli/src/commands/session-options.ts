/**
 * The options and help text every long-running command has. Kept apart from running the
 * session (run-backend.ts), so that defining the commands loads none of that.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import { IDENTITY_OPTION_SPECS } from '../core/identity.js';
import { collect } from './spec.js';

/**
 * Add the options every long-running command has: `--link`, `--json`, and the port's identity
 * (core/identity.ts).
 *
 * @param cmd - the command
 * @param traffic - also `--text` (commands that print traffic)
 * @internal
 */
export function addSessionOptions(cmd: Command, traffic: boolean): void {
  cmd.option('--record <file>', 'write every event (data, termios, lines, breaks, opens) to FILE as JSON lines, for `vtty replay FILE`');
  cmd.option('--link <path>', 'make a symlink to the port (removed on exit); repeat for each port of pair/split', collect);
  cmd.option('--json', 'print events as JSON lines on stdout (after the first line, which is always the port path(s))');
  if (traffic) cmd.option('--text', 'show data as escaped text instead of a hex dump');
  for (const [flags, description] of IDENTITY_OPTION_SPECS) cmd.option(flags, description);
  cmd.addHelpText('after', PIPE_HELP);
}

/** What happens in a pipe, for every long-running command's `--help`. */
const PIPE_HELP =
  'In a pipe: when stdout is a pipe whose reader exits after the first line, as in\n' +
  '  PORT=$(vtty echo | head -1)\n' +
  'vtty keeps serving the port in the background and says so on stderr, with its pid; `vtty list`\n' +
  'shows that pid in its SERVER column. Stop it with `kill PID` (it removes the port and any --link).\n' +
  'While the reader stays (vtty echo | tee log) vtty runs in the foreground and Ctrl-C stops it.\n' +
  'With --json, monitor or --monitor, the printed events are the point, so vtty stops instead\n' +
  'when the reader exits (vtty monitor | less, then q).\n' +
  'With an identity, --index or --name, SIGUSR1 unplugs the port(s) as a USB adapter is pulled\n' +
  'out and SIGUSR2 plugs them in again.\n';
