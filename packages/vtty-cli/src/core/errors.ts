/**
 * The CLI's error types and exit codes.
 *
 * @packageDocumentation
 */

/** Exit statuses of the `vtty` command. @public */
export const ExitCode = {
  /** Success, including a clean stop on SIGINT/SIGTERM. */
  Ok: 0,
  /** A runtime failure: the module is not loaded, a connection failed, a program failed. */
  Failure: 1,
  /** A usage error: unknown option, bad argument. */
  Usage: 2,
} as const;

/** One of {@link ExitCode}'s values. @public */
export type ExitStatus = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the CLI reports as one line on stderr and turns into an exit status.
 *
 * @public
 */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  /** The exit status this error ends the command with. */
  readonly exitCode: ExitStatus;

  /**
   * @param message - what went wrong, for a person
   * @param exitCode - exit status (default {@link ExitCode.Failure})
   * @param cause - the underlying error
   */
  constructor(message: string, exitCode: ExitStatus = ExitCode.Failure, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.exitCode = exitCode;
  }
}

/**
 * A bad command line (exit status 2).
 *
 * @public
 */
export class UsageError extends CliError {
  override readonly name: string = 'UsageError';

  /** @param message - what is wrong with the arguments */
  constructor(message: string) {
    super(message, ExitCode.Usage);
  }
}

/**
 * The message of anything thrown.
 *
 * @param error - anything
 * @returns its message
 * @internal
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The `code` property of a Node system error, if any.
 *
 * @param error - anything
 * @returns the code, e.g. `'ENOENT'`
 * @internal
 */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
