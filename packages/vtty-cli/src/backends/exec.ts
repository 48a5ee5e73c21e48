/**
 * `vtty exec -- program args`: a program is the device.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { FeatureName } from 'vtmx-native';
import { CliError, errorMessage } from '../core/errors.js';
import type { EventSink } from '../core/events.js';
import type { AppActivity, PortLink } from '../core/port.js';
import { deferred, type Backend } from './backend.js';

/**
 * Runs a program whose standard input receives what the application writes and whose
 * standard output is what the application reads. Its standard error is ours. The program
 * gets `VTTY_PORT` (the port path) in its environment. The backend ends when the program
 * exits (after its output was delivered); a non-zero status is a failure.
 *
 * @public
 */
export class ExecBackend implements Backend {
  readonly portCount = 1;
  readonly features: readonly FeatureName[] = [];
  readonly #program: string;
  readonly #args: readonly string[];
  readonly #done = deferred<undefined>();
  #child: ChildProcessByStdio<Writable, Readable, null> | undefined;
  #exited = false;

  /**
   * @param program - the program (looked up in PATH)
   * @param args - its arguments
   */
  constructor(program: string, args: readonly string[]) {
    this.#program = program;
    this.#args = args;
  }

  get done(): Promise<void> {
    return this.#done.promise;
  }

  async start(links: readonly PortLink[], emit: EventSink): Promise<void> {
    const link = links[0];
    if (link === undefined) throw new Error('exec needs one port');
    const child = spawn(this.#program, [...this.#args], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, VTTY_PORT: link.path },
    });
    this.#child = child;
    child.stdin.on('error', () => undefined); // EPIPE when the program stops reading
    const spawned = once(child, 'spawn').then(
      () => true,
      (error: unknown) => {
        throw new CliError(`cannot run ${this.#program}: ${errorMessage(error)}`, 1, error);
      },
    );
    child.stdout.on('data', (chunk: Buffer) => {
      child.stdout.pause();
      link.send(chunk).then(
        () => child.stdout.resume(),
        () => child.stdout.resume(),
      );
    });
    child.on('close', (code, signal) => {
      this.#exited = true;
      if (code === 0) {
        emit({ kind: 'info', code: 'exited', message: `${this.#program} exited`, details: { status: 0 } });
        this.#done.resolve(undefined);
      } else if (signal !== null) {
        this.#done.reject(new CliError(`${this.#program} was killed by ${signal}`));
      } else {
        this.#done.reject(new CliError(`${this.#program} exited with status ${String(code)}`));
      }
    });
    await spawned;
  }

  async handle(activity: AppActivity): Promise<void> {
    const stdin = this.#child?.stdin;
    if (activity.kind !== 'data' || stdin === undefined || stdin.destroyed || stdin.writableEnded) return;
    if (!stdin.write(activity.data)) {
      await Promise.race([once(stdin, 'drain'), once(stdin, 'close')]);
    }
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (child === undefined || this.#exited) return;
    child.stdin.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await once(child, 'close').catch(() => undefined);
    clearTimeout(timer);
  }
}
