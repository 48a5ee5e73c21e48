/**
 * Error types. Failures of system calls are Node-style system errors (the shape `fs` uses):
 * `code` ('EAGAIN'), negative `errno`, `syscall` ('open', 'ioctl', 'read', …), `path`, and a
 * message like `ENOENT: no such file or directory, open '/dev/vtmx'`.
 *
 * @packageDocumentation
 */
import { constants as osConstants } from 'node:os';

/** A failed system call, shaped like Node's own system errors. @public */
export interface SystemError extends Error {
  /** Error name, e.g. `'EAGAIN'`. */
  code: string;
  /** Negative errno, as in Node's `fs` (e.g. -11 for EAGAIN). */
  errno: number;
  /** The failing call: `'open'`, `'ioctl'`, `'read'`, `'write'`, `'close'`, `'poll'`. */
  syscall: string;
  /** The device the call was made on, when known. */
  path?: string;
}

/**
 * Is `error` a {@link SystemError} (optionally with the given code)?
 *
 * @param error - anything caught
 * @param code - the code to match, e.g. `'EAGAIN'`
 * @returns true for a system error (with that code)
 * @public
 */
export function isSystemError(error: unknown, code?: string): error is SystemError {
  if (!(error instanceof Error)) return false;
  const e = error as Partial<SystemError>;
  return typeof e.code === 'string' && typeof e.errno === 'number' && typeof e.syscall === 'string' && (code === undefined || e.code === code);
}

/**
 * A pending operation was cancelled: the object was closed while it waited, or its AbortSignal
 * fired. `name` is `'AbortError'` (like the errors of Node's own abortable APIs) and `code` is
 * `'ECANCELED'`, so both `err.name === 'AbortError'` and `isSystemError(err, 'ECANCELED')` hold.
 *
 * @public
 */
export class OperationCancelledError extends Error implements SystemError {
  /** Always `'AbortError'`. */
  override readonly name = 'AbortError';
  /** Always `'ECANCELED'`. */
  readonly code = 'ECANCELED';
  /** `-ECANCELED`. */
  readonly errno: number = -osConstants.errno.ECANCELED;
  /** The operation that was waiting: `'read'`, `'write'`, `'ioctl'`. */
  readonly syscall: string;
  /** The device. */
  readonly path: string;

  /**
   * @param syscall - the operation that was cancelled
   * @param path - the device path
   * @param cause - why (an AbortSignal's reason), if any
   */
  constructor(syscall: string, path: string, cause?: unknown) {
    super(`ECANCELED: operation canceled, ${syscall} '${path}'`, cause === undefined ? undefined : { cause });
    this.syscall = syscall;
    this.path = path;
  }
}

/**
 * Is `error` a cancellation (closed while pending, or aborted)?
 *
 * @param error - anything caught
 * @returns true for {@link OperationCancelledError} or any system error with code ECANCELED
 * @public
 */
export function isCancelledError(error: unknown): error is SystemError {
  return error instanceof OperationCancelledError || isSystemError(error, 'ECANCELED');
}

/**
 * A name the binding does not know, e.g. a feature name that is not a `FeatureName`. A
 * programming error, detected before any system call: nothing was changed.
 *
 * @public
 */
export class UnknownNameError extends TypeError {
  /** Always `'UnknownNameError'`. */
  override readonly name = 'UnknownNameError';
  /** Always `'ERR_VTTY_UNKNOWN_NAME'`. */
  readonly code = 'ERR_VTTY_UNKNOWN_NAME';
  /** What kind of name it should have been: `'feature'`, `'rx condition'`. */
  readonly kind: string;
  /** The value given. */
  readonly value: unknown;
  /** The names that are known. */
  readonly known: readonly string[];

  /**
   * @param kind - what kind of name was expected
   * @param value - the value given
   * @param known - the valid names
   */
  constructor(kind: string, value: unknown, known: readonly string[]) {
    super(`unknown ${kind} ${typeof value === 'string' ? JSON.stringify(value) : String(value)}; known: ${known.join(', ')}`);
    this.kind = kind;
    this.value = value;
    this.known = known;
  }
}

const MESSAGES: Readonly<Record<string, string>> = {
  EBADF: 'bad file descriptor',
  EOF: 'end of file',
  EINVAL: 'invalid argument',
};

/**
 * Build a system error in JavaScript (for conditions detected without a system call, such as
 * use after close).
 *
 * @param code - errno name, e.g. `'EBADF'`, or `'EOF'`
 * @param syscall - the operation
 * @param path - the device
 * @returns the error
 * @internal
 */
export function makeSystemError(code: string, syscall: string, path: string): SystemError {
  const errnos = osConstants.errno as Readonly<Record<string, number | undefined>>;
  const errno = code === 'EOF' ? -4095 : -(errnos[code] ?? 0);
  const error = new Error(`${code}: ${MESSAGES[code] ?? 'error'}, ${syscall} '${path}'`) as SystemError;
  error.code = code;
  error.errno = errno;
  error.syscall = syscall;
  error.path = path;
  return error;
}

/**
 * Error for calls made after close(): code `'EBADF'`.
 *
 * @param syscall - the operation attempted
 * @param path - the device
 * @returns the error
 * @internal
 */
export function closedError(syscall: string, path: string): SystemError {
  return makeSystemError('EBADF', syscall, path);
}

/** Codes that, when opening /dev/vtmx, mean the vtty module is not loaded. */
const MODULE_MISSING_CODES: ReadonlySet<string> = new Set(['ENOENT', 'ENODEV', 'ENXIO']);

/**
 * Whether an error from opening the master device means that the vtty module is not loaded
 * (no such node, or a node without a driver behind it).
 *
 * @param error - what `Vtmx.open()` threw
 * @returns true for a missing module
 * @public
 */
export function isModuleMissingError(error: unknown): error is SystemError {
  return isSystemError(error) && MODULE_MISSING_CODES.has(error.code);
}

/**
 * Add "load the module" advice to an error from opening the vtmx device, keeping its code.
 *
 * @param error - what open() threw
 * @returns the same error, message extended when the device is missing
 * @internal
 */
export function withModuleHint(error: unknown): unknown {
  if (isModuleMissingError(error)) {
    error.message +=
      ' (the vtty kernel module is not loaded: run `sudo modprobe vtty`, or `sudo insmod kernel/vtty.ko` from a source tree)';
  }
  return error;
}

/**
 * A rejected promise whose reason is always an Error.
 *
 * @param error - anything thrown
 * @returns the rejected promise
 * @internal
 */
export function rejectWith(error: unknown): Promise<never> {
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}
