/**
 * The `vtty` program: commander definitions of every command and the exit-status rules.
 *
 * Defining the commands loads no backend, formatter, port or native code: `vtty --version`
 * and `--help` must start about as fast as Node does. A command's action imports what it
 * runs (the built `vtty` is one bundled file, in which such an import only evaluates code
 * the bundle already holds).
 *
 * @packageDocumentation
 */
import { Command, CommanderError } from 'commander';
import { echoCommand } from './commands/echo.js';
import { execCommand } from './commands/exec.js';
import { defineList, runList } from './commands/list.js';
import { defineMonitor, monitorBackend } from './commands/monitor.js';
import { defineReplay } from './commands/replay.js';
import { addSessionOptions } from './commands/session-options.js';
import { tcpCommand } from './commands/tcp.js';
import type { BackendCommand, ParsedArgs } from './commands/spec.js';
import { CliError, ExitCode, errorMessage, type ExitStatus } from './core/errors.js';
import { ignoreBrokenPipe } from './core/output.js';
import { packageVersion } from './version.js';
import { rfc2217Command } from './commands/rfc2217.js';
import { attachCommand } from './commands/attach.js';
import { splitCommand } from './commands/split.js';
import { pairCommand } from './commands/pair.js';

/** Every command that runs a backend, in help order. @public */
export const BACKEND_COMMANDS: readonly BackendCommand[] = [
  echoCommand,
  execCommand,
  tcpCommand,
  rfc2217Command,
  attachCommand,
  splitCommand,
  pairCommand,
];

function parsedOf(params: readonly unknown[]): ParsedArgs {
  const self = params[params.length - 1] as Command;
  return { args: self.processedArgs as unknown[], opts: self.opts() };
}

/**
 * Build the commander program. `onStatus` receives the exit status of the command that ran.
 *
 * @param onStatus - called with the action's exit status
 * @returns the program
 * @public
 */
export function createProgram(onStatus: (status: ExitStatus) => void): Command {
  const program = new Command('vtty');
  program
    .description(
      'Virtual serial ports (/dev/ttyV<n>) whose hardware is this program: a loopback plug, a program, ' +
        'a TCP or RFC 2217 connection, a real port, or another virtual port.\n\n' +
        'Every long-running command prints the port path(s) as its first line of stdout, runs until ' +
        'SIGINT/SIGTERM (or until its backend ends) and exits 0; when stdout is a pipe whose reader exits ' +
        '(PORT=$(vtty echo | head -1)), it goes on serving the port in the background: `vtty list` shows ' +
        'its pid, `kill` stops it. Exit status 1 is a runtime failure ' +
        '(e.g. the vtty module is not loaded), 2 a usage error.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for more information)')
    .exitOverride()
    .addHelpText('after', '\nExample:\n  $ vtty echo\n  $ vtty monitor -- tcp --listen 5000\n  $ vtty help pair\n');

  for (const spec of BACKEND_COMMANDS) {
    const cmd = program.command(spec.name);
    spec.define(cmd);
    addSessionOptions(cmd, spec.multiPort === true);
    cmd.exitOverride();
    cmd.action(async (...params: unknown[]) => {
      const parsed = parsedOf(params);
      const backend = await spec.create(parsed);
      const { runBackend } = await import('./commands/run-backend.js');
      onStatus(await runBackend(backend, parsed, spec.multiPort === true && parsed.opts.monitor === true));
    });
  }

  const monitor = program.command('monitor');
  defineMonitor(monitor, BACKEND_COMMANDS);
  addSessionOptions(monitor, true);
  monitor.exitOverride();
  monitor.action(async (...params: unknown[]) => {
    const parsed = parsedOf(params);
    const words = parsed.args[0];
    const backend = await monitorBackend(Array.isArray(words) ? words.filter((w): w is string => typeof w === 'string') : [], BACKEND_COMMANDS);
    const { runBackend } = await import('./commands/run-backend.js');
    onStatus(await runBackend(backend, parsed, true));
  });

  const replay = program.command('replay');
  defineReplay(replay);
  replay.exitOverride();
  replay.action(async (...params: unknown[]) => {
    const { runReplay } = await import('./replay/run-replay.js');
    onStatus(await runReplay(parsedOf(params)));
  });

  const list = program.command('list');
  defineList(list);
  list.exitOverride();
  list.action(async (...params: unknown[]) => {
    onStatus(await runList(parsedOf(params)));
  });
  return program;
}

/**
 * Run `vtty` with these arguments (without `node` and the script).
 *
 * @param argv - the arguments
 * @returns the exit status
 * @public
 */
export async function main(argv: readonly string[]): Promise<ExitStatus> {
  ignoreBrokenPipe(process.stdout);
  ignoreBrokenPipe(process.stderr);
  let status: ExitStatus = ExitCode.Ok;
  const program = createProgram((s) => {
    status = s;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return ExitCode.Ok;
      return ExitCode.Usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`vtty: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`vtty: ${errorMessage(error)}\n`);
    return ExitCode.Failure;
  }
}
