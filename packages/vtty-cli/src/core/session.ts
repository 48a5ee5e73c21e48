/**
 * Running a long-lived command: create the ports, make links, start the backend, print the
 * paths, pump packets, stop cleanly on SIGINT/SIGTERM or when the backend ends.
 *
 * @packageDocumentation
 */
import type { Writable } from 'node:stream';
import type { Backend } from '../backends/backend.js';
import { CliError, ExitCode, UsageError, errorMessage, type ExitStatus } from './errors.js';
import type { CliEvent, EventSink } from './events.js';
import type { PortPlacement } from './identity.js';
import { VirtualPort } from './port.js';
import { writeLine } from './output.js';
import { serverTitle } from './server-title.js';

/** Options of {@link runSession}. @public */
export interface SessionOptions {
  /** The backend. */
  readonly backend: Backend;
  /** Symlinks to make, one per port in order. */
  readonly links: readonly string[];
  /** Event sink. */
  readonly emit: EventSink;
  /** Where the first line (the port paths) goes; default process.stdout. */
  readonly stdout?: Writable;
  /**
   * Ends the session like a stop signal when it settles: the reader of printed events went
   * away, or a supervisor died without handing over.
   */
  readonly until?: Promise<unknown>;
  /** Identity, index and name of each port (core/identity.ts); plain ports without. */
  readonly placements?: readonly PortPlacement[];
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Run a session to its end.
 *
 * @param o - options
 * @returns the exit status (0 after a signal or when the backend ended by itself)
 * @throws {@link CliError} for failures before the ports were announced
 * @public
 */
export async function runSession(o: SessionOptions): Promise<ExitStatus> {
  const { backend } = o;
  // Nothing may reach stdout before the first line (the port paths): hold events until then.
  let held: CliEvent[] | undefined = [];
  const emit: EventSink = (event) => {
    if (held === undefined) o.emit(event);
    else held.push(event);
  };
  const release = (): void => {
    const events = held ?? [];
    held = undefined;
    for (const event of events) o.emit(event);
  };
  if (o.links.length > backend.portCount) {
    throw new UsageError(`--link given ${o.links.length} times for ${backend.portCount} port${backend.portCount === 1 ? '' : 's'}`);
  }
  let stop!: (signal: NodeJS.Signals) => void;
  const stopped = Promise.race([
    new Promise<NodeJS.Signals>((resolve) => {
      stop = resolve;
    }),
    o.until ?? new Promise<never>(() => undefined),
  ]);
  for (const s of STOP_SIGNALS) process.on(s, stop);

  const ports: VirtualPort[] = [];
  const made: [string, string][] = [];
  // SIGUSR1 unplugs the ports as a USB adapter is pulled out, SIGUSR2 plugs them in again.
  const replug = (plugged: boolean) => (): void => {
    for (const port of ports) port.setPlugged(plugged);
  };
  const replugHandlers: [NodeJS.Signals, () => void][] = [
    ['SIGUSR1', replug(false)],
    ['SIGUSR2', replug(true)],
  ];
  try {
    for (let i = 0; i < backend.portCount; i++) ports.push(await VirtualPort.open(emit, backend.features, undefined, o.placements?.[i]));
    if (o.placements !== undefined) for (const [signal, handler] of replugHandlers) process.on(signal, handler);
    // The link code (and node:fs/promises under it) loads only for --link.
    if (o.links.length > 0) {
      const { createLink } = await import('./links.js');
      for (const [i, link] of o.links.entries()) {
        const port = ports[i];
        if (port === undefined) continue;
        await createLink(link, port.path);
        made.push([link, port.path]);
      }
    }
    const started = await Promise.race([backend.start(ports, emit).then(() => true), stopped.then(() => false)]);
    if (!started) return ExitCode.Ok;

    const paths = ports.map((p) => p.path);
    process.title = serverTitle(paths);
    writeLine(o.stdout ?? process.stdout, paths.join(' '));
    o.emit({ kind: 'ready', ports: paths });
    release();

    const pumps = ports.map((port, i) => port.pump((activity) => backend.handle(activity, i)));
    await Promise.race([stopped, backend.done, ...pumps]);
    return ExitCode.Ok;
  } catch (error: unknown) {
    if (error instanceof CliError) throw error;
    throw new CliError(errorMessage(error), ExitCode.Failure, error);
  } finally {
    release();
    for (const s of STOP_SIGNALS) process.off(s, stop);
    for (const [signal, handler] of replugHandlers) process.off(signal, handler);
    await backend.close().catch(() => undefined);
    await Promise.all(ports.map((p) => p.close().catch(() => undefined)));
    if (made.length > 0) {
      const { removeLink } = await import('./links.js');
      await Promise.all(made.map(([link, target]) => removeLink(link, target)));
    }
  }
}
