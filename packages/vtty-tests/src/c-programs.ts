import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { CommandError, run } from './run.js';

/**
 * The suite's C programs (packages/vtty-tests/c), built by this package's `build` script into
 * c/build/. They are C so that they also run where Node is too slow: QEMU guests.
 */
export function cProgram(name: string): string {
  return fileURLToPath(new URL(`../../c/build/${name}`, import.meta.url));
}

/**
 * Runs a C program of the suite to completion. Its verdict is its exit status (the bench adds
 * the kernel log's); a non-zero status or a hang past `timeoutMs` (on a quiet machine, scaled
 * to this one) fails the test with everything the program printed, which names each failed
 * call. On success its output is logged, for its counts, and returned.
 */
export async function runCProgram(t: ExecutionContext, name: string, args: readonly string[], timeoutMs: number): Promise<string | undefined> {
  const command = [name, ...args].join(' ');
  try {
    const { stdout, stderr } = await run(cProgram(name), args, timeoutMs);
    t.log(`${command}:\n${stdout}${stderr}`);
    return stdout;
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    t.fail(`${command} failed (${howItEnded(error.cause)}):\n${error.stdout}${error.stderr}`);
    return undefined;
  }
}

/** How execFile says a program ended: its exit status, or the signal (a deadline's SIGTERM). */
function howItEnded(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const { code, signal, killed } = cause as Error & { code?: unknown; signal?: unknown; killed?: unknown };
  if (killed === true) return `stopped at its deadline by ${String(signal)}`;
  if (typeof code === 'number') return `exit status ${code}`;
  if (typeof signal === 'string') return `killed by ${signal}`;
  return cause.message;
}

/** A whole number from the environment (a test's knob), or the default. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not '${raw}'`);
  return value;
}
