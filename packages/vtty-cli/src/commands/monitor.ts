/**
 * `vtty monitor [-- backend…]`.
 *
 * @packageDocumentation
 */
import { Command, CommanderError } from 'commander';
import type { Backend } from '../backends/backend.js';
import { UsageError } from '../core/errors.js';
import { examples, type ParsedArgs } from './spec.js';
import type { BackendCommand } from './spec.js';

/**
 * Define `vtty monitor`'s arguments and help.
 *
 * @param cmd - the command
 * @param backends - the commands usable as its backend
 * @public
 */
export function defineMonitor(cmd: Command, backends: readonly BackendCommand[]): void {
  const names = backends.filter((b) => b.monitorable).map((b) => b.name);
  cmd
    .summary('print every event of a port as a person reads it, with any backend')
    .description(
      'Create a port and print everything that happens on it: time, direction (tx = sent by the application, ' +
        'rx = received by it), termios ("termios 115200 8N1 rtscts"), modem lines ("modem +DTR -RTS"), ' +
        'breaks ("break 250 ms") and data as a hex dump with ASCII (or --text). Colours only on a terminal ' +
        '(NO_COLOR / FORCE_COLOR are honoured); --json prints one JSON object per event.\n\n' +
        `The backend is any of: ${names.join(', ')}, with its own arguments, after the monitor's options\n` +
        '(a -- before it is allowed). Without one, the port is connected to nothing: the application ' +
        'receives nothing and what it sends is only shown. The first stdout line is the port path.',
    )
    .argument('[backend...]', `backend and its arguments (${names.join(' | ')})`)
    .passThroughOptions()
    .addHelpText(
      'after',
      examples('vtty monitor -- echo', 'vtty monitor --text -- tcp 192.168.1.50:4001', 'vtty monitor --json -- exec -- ./device-sim', 'vtty monitor --link /tmp/ttyWatch'),
    );
}

/**
 * Build the backend named by monitor's trailing arguments, parsing them with that backend's
 * own command definition.
 *
 * @param words - e.g. `['tcp', '--listen', '5000']`
 * @param backends - the backend commands
 * @returns the backend (a `SinkBackend`, connected to nothing, when `words` is empty)
 * @throws {@link UsageError} (as a rejection) for an unknown backend or bad arguments
 * @public
 */
export async function monitorBackend(words: readonly string[], backends: readonly BackendCommand[]): Promise<Backend> {
  if (words.length === 0) {
    const { SinkBackend } = await import('../backends/echo.js');
    return new SinkBackend();
  }
  const [name, ...rest] = words;
  const spec = backends.find((b) => b.monitorable && b.name === name);
  if (spec === undefined) {
    const names = backends.filter((b) => b.monitorable).map((b) => b.name);
    throw new UsageError(`monitor: unknown backend '${name ?? ''}' (one of: ${names.join(', ')})`);
  }
  let parsed: ParsedArgs | undefined;
  const sub = new Command(`vtty monitor -- ${spec.name}`);
  spec.define(sub);
  sub.exitOverride();
  sub.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  sub.action((...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    parsed = { args: self.processedArgs as unknown[], opts: self.opts() };
  });
  try {
    sub.parse(rest, { from: 'user' });
  } catch (error: unknown) {
    if (error instanceof CommanderError) throw new UsageError(`monitor -- ${spec.name}: ${error.message.replace(/^error: /, '')}`);
    throw error;
  }
  if (parsed === undefined) throw new UsageError(`monitor -- ${spec.name}: nothing to run`);
  return await spec.create(parsed);
}
