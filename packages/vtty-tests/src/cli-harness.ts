import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { scaledDeadline } from 'vtmx-native/testing';
import { stopPortHolders } from './port-holders.js';
import { Watched } from './watched.js';

/**
 * The built `vtty` executable (packages/vtty-cli/dist/bin/vtty.cjs), found from this
 * file's place in packages/vtty-tests/dist/src/. `pnpm build` at the root builds it.
 */
export const VTTY_BIN = fileURLToPath(new URL('../../../vtty-cli/dist/bin/vtty.cjs', import.meta.url));

/** How a `vtty` process ended. */
export interface VttyExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `vtty` command, with its output collected line by line. */
export class VttyProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly lines: string[] = [];
  stderr = '';
  stdout = '';
  readonly exited: Promise<VttyExit>;
  /** Whether the process has exited. */
  ended = false;
  readonly #output = new Watched({
    subject: 'vtty',
    seen: () => `stdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
    ended: () => (this.ended ? 'exited' : undefined),
  });

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [VTTY_BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let partial = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.stdout += chunk;
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
      this.#output.changed();
    });
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
      this.#output.changed();
    });
    this.exited = once(this.child, 'close').then(([code, signal]) => {
      this.ended = true;
      this.#output.changed();
      return { code: code as number | null, signal: signal as NodeJS.Signals | null, stdout: this.stdout, stderr: this.stderr };
    });
  }

  /**
   * Waits until `check` returns something other than undefined; fails when vtty exits first,
   * or after `timeoutMs` on a quiet machine (scaled to this one).
   */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    return this.#output.waitFor(what, check, timeoutMs);
  }

  /** The first stdout line: the port path(s). */
  firstLine(timeoutMs = 10_000): Promise<string> {
    return this.waitFor('the first line', () => this.lines[0], timeoutMs);
  }

  /** Waits for a stdout line (after the first) that matches. */
  waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return this.waitFor(`a line matching ${String(pattern)}`, () => this.lines.slice(1).find((l) => pattern.test(l)), timeoutMs);
  }

  /** Waits for stderr to match. */
  waitForStderr(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return this.waitFor(`stderr matching ${String(pattern)}`, () => pattern.exec(this.stderr)?.[0], timeoutMs);
  }

  /** JSON events printed so far (every stdout line after the first). */
  events(): Record<string, unknown>[] {
    return this.lines.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** Waits for a JSON event that matches. */
  waitForEvent(match: (e: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    return this.waitFor('a matching JSON event', () => this.events().find(match), timeoutMs);
  }

  /** Sends a signal and waits for the exit; SIGKILL after `timeoutMs` (scaled). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<VttyExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), scaledDeadline(timeoutMs));
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

const running = new Set<VttyProcess>();

/** Starts `vtty <args>`. {@link stopAllVtty} stops whatever a failed test left running. */
export function startVtty(args: readonly string[], env?: NodeJS.ProcessEnv): VttyProcess {
  const p = new VttyProcess(args, env);
  running.add(p);
  void p.exited.then(() => running.delete(p));
  return p;
}

/**
 * Stops whatever a test left running (for `afterEach.always`): every `vtty` started by
 * {@link startVtty}, and every other process that still holds a vtty device, such as a server
 * that `PORT=$(vtty echo | head -1)` left in the background or a Python client.
 */
export async function stopAllVtty(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL')));
  await stopPortHolders();
}

/** Runs `vtty <args>` to completion; SIGKILL after `timeoutMs` on a quiet machine (scaled). */
export async function runVtty(args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<VttyExit> {
  const p = new VttyProcess(args, env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), scaledDeadline(timeoutMs));
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}
