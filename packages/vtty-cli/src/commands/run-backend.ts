/**
 * The common part of every long-running command: options, reporter, session.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import type { Backend } from '../backends/backend.js';
import type { ExitStatus } from '../core/errors.js';
import { createReporter } from '../core/reporter.js';
import { runSession } from '../core/session.js';
import { takeSupervisorLink } from '../core/supervised.js';
import { stdoutIsPipe, superviseServer, watchStdoutReader, type ReaderWatch } from '../core/supervisor.js';
import { boolOpt, collect, listOpt, type ParsedArgs } from './spec.js';

/**
 * Add the options every long-running command has: `--link`, `--json`.
 *
 * @param cmd - the command
 * @param traffic - also `--text` (commands that print traffic)
 * @internal
 */
export function addSessionOptions(cmd: Command, traffic: boolean): void {
  cmd.option('--link <path>', 'make a symlink to the port (removed on exit); repeat for each port of pair/split', collect);
  cmd.option('--json', 'print events as JSON lines on stdout (after the first line, which is always the port path(s))');
  if (traffic) cmd.option('--text', 'show data as escaped text instead of a hex dump');
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
  'when the reader exits (vtty monitor | less, then q).\n';

/**
 * Run a backend as a session with the command's options.
 *
 * Where stdout is a pipe, what happens when its reader goes away depends on what stdout
 * carries. Only the port path(s): the command hands its port over to a background server
 * (see core/supervisor.ts), so `PORT=$(vtty echo | head -1)` returns and the port stays.
 * Events (monitor, `--monitor`, `--json`): printing them is the command's job, so like any
 * filter whose reader exited it stops (`vtty monitor | less`, then q).
 *
 * @param backend - the backend
 * @param parsed - the command's options
 * @param traffic - print port traffic (monitor)
 * @returns the exit status
 * @internal
 */
export async function runBackend(backend: Backend, parsed: ParsedArgs, traffic: boolean): Promise<ExitStatus> {
  const { opts } = parsed;
  const json = boolOpt(opts, 'json');
  const supervisor = takeSupervisorLink();
  const eventsOnStdout = traffic || json;
  if (supervisor === undefined && !eventsOnStdout && stdoutIsPipe()) return superviseServer();

  const emit = createReporter({
    json,
    traffic,
    text: boolOpt(opts, 'text'),
    showPort: backend.portCount > 1,
  });
  let readerWatch: ReaderWatch | undefined;
  if (supervisor === undefined && eventsOnStdout && stdoutIsPipe()) readerWatch = watchStdoutReader();
  const until = supervisor?.lost ?? readerWatch?.gone;
  try {
    return await runSession({ backend, links: listOpt(opts, 'link'), emit, ...(until === undefined ? {} : { until }) });
  } finally {
    supervisor?.close();
    readerWatch?.cancel();
  }
}
