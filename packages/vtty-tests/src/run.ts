import { execFile } from 'node:child_process';
import { scaledDeadline, TEST_PACE_VARIABLE } from 'vtmx-native/testing';

/** What a finished child process printed. */
export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Raised when a helper program exits non-zero or times out. */
export class CommandError extends Error {
  constructor(
    readonly command: readonly string[],
    readonly stdout: string,
    readonly stderr: string,
    cause: unknown,
  ) {
    super(`${command.join(' ')} failed: ${stderr.trim() || String(cause)}`, { cause });
    this.name = 'CommandError';
  }
}

/**
 * Runs a real program (stty, Debian's python3, setserial …) to completion.
 * The tests use real clients on purpose: they are what users run.
 * `timeoutMs` (on a quiet machine; scaled to this one) ends a hung program.
 * The program gets the pace in its environment too (VTTY_TEST_PACE), for
 * deadlines of its own.
 */
export function run(program: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: scaledDeadline(timeoutMs), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new CommandError([program, ...args], stdout, stderr, error));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

/** `stty -F <port> <settings…>` with the real coreutils binary. */
export async function stty(port: string, ...settings: string[]): Promise<void> {
  await run('stty', ['-F', port, ...settings]);
}

/**
 * Debian's Python (with python3-serial). Not whatever `python3` is first on
 * PATH: a pyenv interpreter there has no pyserial.
 */
export const debianPython = '/usr/bin/python3';

/**
 * Python that defines `PACE`, the machine's measured slowness (see
 * vtmx-native/testing's `testPace()`), for the deadlines a script sets itself
 * (pyserial's read timeout: `serial.Serial(port, timeout=3 * PACE)`).
 */
export const PYTHON_PACE = `import os
PACE = float(os.environ.get('${TEST_PACE_VARIABLE}') or 1)
`;

/** Runs a Python script given as text, after {@link PYTHON_PACE}; its stdout is returned. */
export async function python(script: string, args: readonly string[] = [], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run(debianPython, ['-c', PYTHON_PACE + script, ...args], timeoutMs);
  return stdout;
}
