import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { debianPython, PYTHON_PACE } from './run.js';
import { Watched } from './watched.js';

/**
 * A Python program the test drives step by step: it prints a line when it has done a step and
 * reads a line from stdin before the next (`sys.stdin.readline()`), so the test can act on the
 * other side in between. Waits end at the line, not at a clock tick.
 */
export class PythonSession {
  readonly child: ChildProcessByStdio<Writable, Readable, null>;
  stdout = '';
  ended = false;
  readonly exited: Promise<number | null>;
  readonly #output: Watched;

  constructor(script: string, args: readonly string[]) {
    this.child = spawn(debianPython, ['-c', PYTHON_PACE + script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.#output = new Watched({
      subject: 'python',
      seen: () => `stdout:\n${this.stdout}`,
      ended: () => (this.ended ? 'exited' : undefined),
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.stdout += chunk;
      this.#output.changed();
    });
    this.exited = once(this.child, 'close').then(([code]) => {
      this.ended = true;
      this.#output.changed();
      return code as number | null;
    });
  }

  /** Waits for a printed line matching `pattern`; returns its match. */
  waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return this.#output.waitFor(`a line matching ${String(pattern)}`, () => this.stdout.split('\n').map((l) => pattern.exec(l)).find((m) => m !== null) ?? undefined, timeoutMs);
  }

  /** Lets the script go on to its next step. */
  next(): void {
    this.child.stdin.write('\n');
  }

  /** Kills it (for teardown). */
  kill(): void {
    if (!this.ended) this.child.kill('SIGKILL');
  }
}
