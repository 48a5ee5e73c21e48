import { execFile } from 'node:child_process';

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
 */
export function run(program: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
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

/** Runs a Python script given as text; its stdout is returned. */
export async function python(script: string, args: readonly string[] = [], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run(debianPython, ['-c', script, ...args], timeoutMs);
  return stdout;
}
