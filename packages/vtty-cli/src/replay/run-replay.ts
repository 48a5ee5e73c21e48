/**
 * Running `vtty replay FILE`: read the recording, create the port, play it (vtty-device's
 * replay, once or for every open with --loop), say what differed.
 *
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { Device, RecordingError, parseRecording, replay, replayEvents, type ReplayOptions, type ReplayResult, type SignalCheck, type TermiosCheck } from 'vtty-device';
import { boolOpt, listOpt, stringOpt, type ParsedArgs } from '../commands/spec.js';
import { CliError, ExitCode, UsageError, errorMessage, type ExitStatus } from '../core/errors.js';
import { masterAccessError } from '../core/master-access.js';
import { masterDevice } from '../core/master-device.js';
import { writeLine } from '../core/output.js';
import { serverTitle } from '../core/server-title.js';

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** The longest a timer may be: waiting for the next open under --loop has no deadline. */
const NO_DEADLINE = 2 ** 31 - 1;

function seconds(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout must be a number of seconds above 0, not '${value ?? ''}'`);
  return Math.round(n * 1000);
}

/**
 * One pass's report, on stderr.
 *
 * @param file - the recording's name
 * @param result - the pass
 * @param pass - its number (under --loop)
 */
function report(file: string, result: ReplayResult, pass: number | undefined): void {
  const which = pass === undefined ? '' : ` (pass ${pass})`;
  if (result.ok) {
    process.stderr.write(`vtty replay: ${file}${which}: the application did what was recorded (${result.total} events)\n`);
    return;
  }
  const d = result.difference;
  const lines = [
    `vtty replay: ${file}${which}: the application differs from the recording after ${result.matched} of ${result.total} events:`,
    `  ${d?.message ?? 'stopped'}`,
    ...(d?.details ?? []).map((l) => `    ${l}`),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

/**
 * Run `vtty replay`.
 *
 * @param parsed - the file and options
 * @returns 0 when every pass matched, 1 otherwise
 * @throws {@link UsageError} for a recording that cannot be read; {@link CliError} when the port
 * cannot be made
 * @internal
 */
export async function runReplay(parsed: ParsedArgs): Promise<ExitStatus> {
  const { args, opts } = parsed;
  const file = typeof args[0] === 'string' ? args[0] : '';
  const port = stringOpt(opts, 'port');
  const options: ReplayOptions = {
    fast: boolOpt(opts, 'fast'),
    timeout: seconds(stringOpt(opts, 'timeout')),
    termios: (stringOpt(opts, 'termios') ?? 'line') as TermiosCheck,
    lines: (stringOpt(opts, 'lines') ?? 'check') as SignalCheck,
    breaks: (stringOpt(opts, 'breaks') ?? 'check') as SignalCheck,
    ...(port === undefined ? {} : { port }),
  };
  const loop = boolOpt(opts, 'loop');
  const links = listOpt(opts, 'link');
  if (links.length > 1) throw new UsageError(`--link given ${links.length} times for 1 port`);

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw new CliError(`cannot read ${file}: ${errorMessage(error)}`, ExitCode.Failure, error);
  }
  let recording;
  try {
    recording = parseRecording(text, file);
    replayEvents(recording, options);
  } catch (error: unknown) {
    if (error instanceof RecordingError) throw new UsageError(error.message);
    throw error;
  }

  let device: Device;
  try {
    device = await Device.open({ master: masterDevice() });
  } catch (error: unknown) {
    throw masterAccessError(masterDevice(), error) ??
      new CliError(`cannot create the port: ${errorMessage(error)}`, ExitCode.Failure, error);
  }
  const stop = new AbortController();
  const onSignal = (): void => {
    stop.abort();
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  let made: string | undefined;
  try {
    const link = links[0];
    if (link !== undefined) {
      const { createLink } = await import('../core/links.js');
      await createLink(link, device.path);
      made = link;
    }
    process.title = serverTitle([device.path]);
    writeLine(process.stdout, device.path);
    let status: ExitStatus = ExitCode.Ok;
    for (let pass = 1; ; pass++) {
      const result = await replay(device, recording, { ...options, signal: stop.signal });
      if (stop.signal.aborted && !result.ok && loop) break;
      report(file, result, loop ? pass : undefined);
      if (!result.ok) status = ExitCode.Failure;
      if (!loop) break;
      // The next pass starts with the next application: forget what this one left.
      device.clearBuffer();
      try {
        await device.waitClose({ timeout: NO_DEADLINE, signal: stop.signal });
        await device.waitOpen({ timeout: NO_DEADLINE, signal: stop.signal });
      } catch {
        break;
      }
    }
    return status;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    await device.close();
    if (made !== undefined) {
      const { removeLink } = await import('../core/links.js');
      await removeLink(made, device.path);
    }
  }
}
