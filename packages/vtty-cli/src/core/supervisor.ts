/**
 * `PORT=$(vtty echo | head -1)`: handing a port over to a background server when the reader of
 * stdout goes away.
 *
 * A shell's command substitution waits until every process of its pipeline has exited, so a
 * vtty that kept running in the pipeline would never let it return. When stdout is a pipe
 * (S_ISFIFO: a shell pipeline or a program's pipe(2), not a file, a terminal or a socket),
 * the vtty the user started becomes a thin supervisor: the real server is the same command
 * line run again as a child in a new session (so the terminal's Ctrl-C and hang-up reach only
 * the supervisor, which decides), with its stdout relayed through the supervisor and its
 * stderr inherited. While the supervisor's stdout has a reader, the pair behaves as one
 * foreground command: stop signals are forwarded and the supervisor exits with the server's
 * status. When the reader goes away (`head -1` exited), the supervisor tells the server it is
 * on its own, says so on stderr, and exits 0; the server keeps the port, untouched (no packet
 * passes through the supervisor, so none is lost), until it is signalled or its backend ends.
 *
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchPeerGone } from 'vtmx-native';
import { CliError, ExitCode, errorCode, errorMessage, type ExitStatus } from './errors.js';
import { DETACH_MESSAGE, SUPERVISED_ENV } from './supervised.js';

/** Signals that stop a session; the supervisor forwards them. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * After the reader went away, how long to wait for a stop signal before handing over: Ctrl-C
 * on `vtty echo | tee log` kills tee and signals vtty at the same moment, and the two reach the
 * event loop in either order; the user meant "stop", not "carry on in the background".
 */
const SIGNAL_GRACE_MS = 250;

/** A watch on stdout's reader. @internal */
export interface ReaderWatch {
  /** Resolves once the reader of stdout has gone (never when it stays or the watch fails). */
  readonly gone: Promise<void>;
  /** Stop watching. */
  cancel(): void;
}

/**
 * Watch for stdout's reader to go away: a failed write (EPIPE) tells at once, and a poll on
 * the pool tells while there is nothing to write.
 *
 * @returns the watch
 * @internal
 */
export function watchStdoutReader(): ReaderWatch {
  const watch = watchPeerGone(1, 'stdout');
  const gone = new Promise<void>((resolve) => {
    watch.gone.then(
      (isGone) => {
        if (isGone) resolve();
      },
      () => undefined, // cannot poll: only a failed write will tell
    );
    process.stdout.on('error', (error) => {
      if (errorCode(error) === 'EPIPE') resolve();
    });
  });
  return {
    gone,
    cancel: () => {
      watch.cancel();
    },
  };
}

/**
 * Run this same command line as a server in the background and supervise it as described in
 * the module documentation.
 *
 * @returns the server's exit status, or 0 when the server was left running
 * @throws {@link CliError} when the server cannot be started
 * @internal
 */
export async function superviseServer(): Promise<ExitStatus> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, [SUPERVISED_ENV]: '1' },
  });
  child.stdin.on('error', () => undefined); // EPIPE when the server has exited
  let firstLine: string | undefined;
  let head = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (firstLine === undefined) {
      head += chunk.toString('utf8');
      const nl = head.indexOf('\n');
      if (nl >= 0) firstLine = head.slice(0, nl);
    }
    if (!process.stdout.destroyed) process.stdout.write(chunk);
  });

  // An object, not a let: it is set from signal handlers between awaits.
  const state = { stopping: false };
  const ended = new Promise<ExitStatus>((resolve, reject) => {
    child.on('error', (error) => {
      reject(new CliError(`cannot start the server: ${errorMessage(error)}`, ExitCode.Failure, error));
    });
    child.on('close', (code, signal) => {
      // Killed by the stop signal we passed on before it could install its handlers (Ctrl-C
      // while it was starting): as clean a stop as any other.
      if (signal !== null && state.stopping) resolve(ExitCode.Ok);
      else resolve(code === ExitCode.Ok || code === ExitCode.Usage ? code : ExitCode.Failure);
    });
  });

  // Settled even when nobody awaits it any more (after the hand-over).
  ended.catch(() => undefined);

  const forward = (signal: NodeJS.Signals): void => {
    state.stopping = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, forward);

  const reader = watchStdoutReader();

  try {
    const first = await Promise.race([ended, reader.gone.then(() => undefined)]);
    if (first !== undefined) return first;
    const late = await Promise.race([ended, sleep(SIGNAL_GRACE_MS, undefined)]);
    if (late !== undefined) return late;
    if (state.stopping) return await ended;

    // On its own from here: the server must not take our leaving for a crash.
    const sent = new Promise<void>((resolve) => {
      child.stdin.end(DETACH_MESSAGE, () => {
        resolve();
      });
    });
    const over = await Promise.race([ended, sent.then(() => undefined)]);
    if (over !== undefined) return over;
    child.stdout.destroy();
    child.unref();
    const what = firstLine ?? 'its port';
    process.stderr.write(`vtty: stdout's reader has gone: pid ${String(child.pid)} serves ${what} in the background (stop it with: kill ${String(child.pid)})\n`);
    return ExitCode.Ok;
  } finally {
    reader.cancel();
    for (const s of STOP_SIGNALS) process.off(s, forward);
  }
}
