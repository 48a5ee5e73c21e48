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
}

/**
 * Run a backend as a session with the command's options.
 *
 * @param backend - the backend
 * @param parsed - the command's options
 * @param traffic - print port traffic (monitor)
 * @returns the exit status
 * @internal
 */
export function runBackend(backend: Backend, parsed: ParsedArgs, traffic: boolean): Promise<ExitStatus> {
  const { opts } = parsed;
  const emit = createReporter({
    json: boolOpt(opts, 'json'),
    traffic,
    text: boolOpt(opts, 'text'),
    showPort: backend.portCount > 1,
  });
  return runSession({ backend, links: listOpt(opts, 'link'), emit });
}
