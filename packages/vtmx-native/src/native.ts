/**
 * Loads the compiled addon (through node-gyp-build, so a prebuilt binary under `prebuilds/` is
 * used when present, else `build/Release`) and describes its surface.
 *
 * @internal
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { NativeConstantName } from './constant-names.js';
import type { SystemError } from './errors.js';
import type { Icount, SerialInfo } from './tty-types.js';
import type { Termios2 } from 'vtty-protocol';

/** Native poll handle: owns the fd and a uv_poll_t on the creating environment's loop. @internal */
export interface NativePollHandle {
  /**
   * Start (or re-budget) reading: per wake-up, read() calls of `size` bytes until EAGAIN, at
   * most `budget` of them, and none once `batchBytes` were read.
   */
  readStart(budget: number, size: number, batchBytes: number): void;
  /**
   * Arm `buffer` for the next wake-up: its reads go there (filling it while `minRead` bytes
   * are free) instead of the pool, and onread gets `buffer` back even when nothing was read.
   * Every onread call disarms it; `setTarget()` disarms it now.
   */
  setTarget(buffer?: Uint8Array, minRead?: number): void;
  /** Stop watching for readability. */
  readStop(): void;
  /** Call `onWritable` once the fd is writable (POLLOUT). */
  waitWritable(): void;
  /** One non-blocking write() from `offset`; returns bytes accepted, 0 on EAGAIN. */
  write(bytes: Uint8Array, offset: number): number;
  /** Whether the active poll keeps the event loop alive. */
  setReferenced(referenced: boolean): void;
  /** Stop polling, close the fd, close the uv handle. Idempotent. */
  close(): void;
  /** Like close(), but returns the still-open fd to the caller (-1 if already closed). */
  release(): number;
  /** The descriptor, or -1 once closed. */
  readonly fd: number;
  /**
   * Shared with the native side: `[0]` read() calls wanted per wake-up (JS writes; 0 = none:
   * the handle then stops polling by itself at the next wake-up or right after a read
   * callback), `[1]` 1 while polling for input (native writes).
   */
  readonly control: Int32Array;
}

/**
 * Called with what one wake-up read: `count` chunks (one per read()) back to back in `data`
 * from offset `start`, chunk i ending at offset `ends[i] + start` (`ends` is a Uint32Array
 * the handle reuses: read it before returning), then possibly an error or end of file.
 * `data` (a pool shared with earlier and later batches) is undefined when count is 0, unless
 * a buffer was armed with `setTarget`: then `data` is that buffer, `start` 0.
 * @internal
 */
export type NativeReadCallback = (
  data: Uint8Array | undefined,
  start: number,
  ends: Uint32Array | undefined,
  count: number,
  error: SystemError | undefined,
  eof: boolean,
) => void;

/** Called when a waited-for POLLOUT arrives (or polling failed). @internal */
export type NativeWritableCallback = (error: SystemError | undefined) => void;

/** @internal */
export type NativePollHandleConstructor = new (
  fd: number,
  path: string,
  onRead: NativeReadCallback,
  onWritable: NativeWritableCallback,
) => NativePollHandle;

/** A blocking ioctl running on the thread pool. @internal */
export interface NativeBlockingCall {
  /** Settles when the ioctl returns; rejects with code ECANCELED after {@link NativeBlockingCall.cancel}. */
  readonly promise: Promise<void>;
  /** Interrupt the call (see native/blocking_call.h). */
  cancel(): void;
}

/** @internal */
export type NativeBlockingCallConstructor = new (
  fd: number,
  request: number,
  arg: number,
  argIsPointer: boolean,
  path: string,
) => NativeBlockingCall;

/** The addon's exports. @internal */
export interface NativeBinding {
  open(path: string, flags: number): number;
  close(fd: number, path?: string): void;
  readSync(fd: number, size: number, path?: string): Uint8Array | null;
  writeSync(fd: number, bytes: Uint8Array, path?: string): number;
  ioctlGetInt(fd: number, request: number, path?: string): number;
  ioctlSetInt(fd: number, request: number, value: number, path?: string): number;
  ioctlArg(fd: number, request: number, arg: number, path?: string): number;
  ioctlBuffer(fd: number, request: number, bytes: Uint8Array, path?: string): number;
  isatty(fd: number): boolean;
  unlockPty(fd: number, path?: string): void;
  tcgets2(fd: number, path?: string): Termios2;
  tcsets2(fd: number, termios: Termios2, when: number, path?: string): void;
  icount(fd: number, path?: string): Icount;
  getSerial(fd: number, path?: string): SerialInfo;
  setSerial(fd: number, info: SerialInfo, path?: string): void;
  PollHandle: NativePollHandleConstructor;
  BlockingCall: NativeBlockingCallConstructor;
  constants: Readonly<Record<NativeConstantName, number>>;
}

// The package is found by name, not from this file's place: the vtty command bundles this
// code into its own dist/bin/vtty.cjs, where `..` is no longer vtmx-native. Resolving
// `vtmx-native/package.json` works from both places: here by self-reference (the package's
// "exports" lists ./package.json), from a bundle through the bundling package's dependency
// on vtmx-native. node-gyp-build is then required from vtmx-native's own directory, as a
// strict (pnpm) install gives it to vtmx-native only, not to whoever bundled this.
const packageJson = createRequire(import.meta.url).resolve('vtmx-native/package.json');
const packageRequire = createRequire(packageJson);

/**
 * The addon compiled in this package (build/Release), as node-gyp-build would pick it, but
 * without loading and running node-gyp-build: its search is a tenth of the vtty command's
 * start. node-gyp-build does the rest: prebuilds, and its VTMX_NATIVE_PREBUILD override.
 */
function loadAddon(): unknown {
  if (process.env.VTMX_NATIVE_PREBUILD === undefined) {
    try {
      return packageRequire('./build/Release/vtmx_native.node');
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  const nodeGypBuild = packageRequire('node-gyp-build') as (dir: string) => unknown;
  return nodeGypBuild(dirname(packageJson));
}

/** The loaded addon. @internal */
export const native = loadAddon() as NativeBinding;
