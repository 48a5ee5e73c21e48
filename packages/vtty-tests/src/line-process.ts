import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { scaledDeadline } from 'vtmx-native/testing';

/**
 * A program the test runs alongside itself and follows line by line (an application that
 * reports what it saw, `udevadm monitor`): {@link LineProcess.waitFor} waits for a line, as an
 * event, with a deadline that fails the test and says what was awaited.
 */
export class LineProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #exited: Promise<number | null>;
  #stderr = '';
  #closed = false;

  constructor(program: string, args: readonly string[]) {
    this.#child = spawn(program, args);
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      this.#lines.push(line);
      for (const wake of this.#waiters) wake();
    });
    this.#child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    // 'close': after the exit and the last line of output.
    this.#exited = new Promise((resolve) =>
      this.#child.once('close', (code) => {
        this.#closed = true;
        resolve(code);
      }),
    );
    void this.#exited.then(() => {
      for (const wake of this.#waiters) wake();
    });
  }

  /** Every line printed so far. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /**
   * The first line (from `from` on) that `match` accepts, once it is printed.
   *
   * @returns its position and text
   * @throws when the process exits first or `timeoutMs` (scaled) passes
   */
  async waitFor(what: string, match: (line: string) => boolean, timeoutMs = 30_000, from = 0): Promise<{ at: number; line: string }> {
    const deadline = Date.now() + scaledDeadline(timeoutMs);
    for (;;) {
      const exited = this.#closed;
      const at = this.#lines.findIndex((line, i) => i >= from && match(line));
      if (at >= 0) return { at, line: this.#lines[at] ?? '' };
      if (exited) throw new Error(`${what}: the program exited first; stdout: ${this.#lines.join('\n')}; stderr: ${this.#stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: not seen in time; stdout: ${this.#lines.join('\n')}; stderr: ${this.#stderr}`);
      // Woken by the next line, the exit, or the deadline.
      let wake = (): void => undefined;
      const timer = setTimeout(() => { wake(); }, left);
      await new Promise<void>((resolve) => {
        wake = resolve;
        this.#waiters.add(wake);
      });
      clearTimeout(timer);
      this.#waiters.delete(wake);
    }
  }

  /** The next JSON line whose `event` field is `event`. */
  async event(event: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const { line } = await this.waitFor(`event ${event}`, (l) => l.startsWith('{') && (JSON.parse(l) as { event?: string }).event === event, timeoutMs);
    return JSON.parse(line) as Record<string, unknown>;
  }

  /** Writes a line to the program's standard input. */
  send(line: string): void {
    this.#child.stdin.write(`${line}\n`);
  }

  /** Ends the program (SIGTERM unless it has exited) and waits for it. */
  async stop(): Promise<number | null> {
    if (!this.#closed) this.#child.kill();
    return this.#exited;
  }

  /** Waits for the program's own exit. */
  exit(): Promise<number | null> {
    return this.#exited;
  }
}
