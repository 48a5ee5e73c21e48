/**
 * Any tty (a ttyV, a pty, a real UART): termios2, modem lines, break, waits and counters,
 * queues, serial info, and non-blocking reads/writes.
 *
 * @packageDocumentation
 */
import { withBaudRate, type Termios2 } from 'vtty-protocol';
import { toBytes } from './bytes.js';
import { constants as c } from './constants.js';
import { OperationCancelledError, closedError, isCancelledError, rejectWith } from './errors.js';
import { native, type NativeBlockingCall } from './native.js';
import { PollChannel } from './poll-channel.js';
import { makeRawTermios } from './termios.js';
import type { FlushQueue, Icount, SerialInfo, SetAttrWhen } from './tty-types.js';

/** Options of {@link openTty}. @public */
export interface OpenTtyOptions {
  /**
   * Open with O_NONBLOCK, so open() does not wait for carrier (DCD) on a port without CLOCAL.
   * Default true. Either way the descriptor is switched to non-blocking afterwards, because
   * {@link Tty.read} and {@link Tty.write} are driven by poll.
   */
  nonBlocking?: boolean;
  /** O_NOCTTY: never become the controlling terminal. Default true. */
  noCtty?: boolean;
}

/** Default size of a {@link Tty.read}. @public */
export const DEFAULT_TTY_READ_SIZE = 65536;

/** BlockingCall pseudo-request: close(2) the fd on the thread pool (native/blocking_call.h). */
const CLOSE_REQUEST = 1;

const WHEN: Readonly<Record<SetAttrWhen, number>> = { now: 0, drain: 1, flush: 2 };

/**
 * Open a tty (O_RDWR | O_NOCTTY | O_CLOEXEC, plus O_NONBLOCK by default). Synchronous.
 *
 * @param path - device, e.g. `/dev/ttyV0`
 * @param options - open flags
 * @returns the open tty
 * @throws {@link SystemError} from open
 * @public
 */
export function openTty(path: string, options: OpenTtyOptions = {}): Tty {
  let flags = c.O_RDWR;
  if (options.nonBlocking ?? true) flags |= c.O_NONBLOCK;
  if (options.noCtty ?? true) flags |= c.O_NOCTTY;
  return new Tty(native.open(path, flags), path);
}

/**
 * An open tty.
 *
 * Blocking ioctls ({@link Tty.waitModemChange}, {@link Tty.drain}, {@link Tty.sendBreak}) run
 * on the libuv thread pool (each occupies one of its threads, 4 by default: raise
 * UV_THREADPOOL_SIZE when many wait at once) on a dup() of the fd. They are cancelled by an
 * AbortSignal or by {@link Tty.close}: the pool thread is interrupted with a signal (SIGURG,
 * whose no-op handler the addon installs without SA_RESTART), the ioctl returns EINTR and the
 * promise rejects with {@link OperationCancelledError} (`code` 'ECANCELED', `name` 'AbortError').
 *
 * @public
 */
export class Tty {
  /** The device path it was opened with. */
  readonly path: string;
  readonly #fd: number;
  readonly #channel: PollChannel;
  readonly #calls = new Set<NativeBlockingCall>();
  #closing: Promise<void> | undefined;

  /**
   * Wrap an open tty descriptor (ownership passes to the Tty).
   *
   * @param fd - descriptor
   * @param path - its path, for errors
   */
  constructor(fd: number, path: string) {
    this.path = path;
    this.#fd = fd;
    try {
      this.#channel = new PollChannel(fd, path, {
        readSize: DEFAULT_TTY_READ_SIZE,
        mode: 'demand',
        maxBatch: 1,
        batchBytes: DEFAULT_TTY_READ_SIZE,
        highWaterMark: DEFAULT_TTY_READ_SIZE,
      });
    } catch (error: unknown) {
      native.close(fd);
      throw error;
    }
  }

  /** The descriptor (-1 after close). */
  get fd(): number {
    return this.#channel.closed ? -1 : this.#fd;
  }

  /** Whether {@link Tty.close} was called. */
  get closed(): boolean {
    return this.#channel.closed;
  }

  #open(syscall: string): number {
    if (this.#channel.closed) throw closedError(syscall, this.path);
    return this.#fd;
  }

  /**
   * TCGETS2.
   *
   * @returns the current termios2 (speeds in `ispeed`/`ospeed`)
   */
  getAttr(): Termios2 {
    return native.tcgets2(this.#open('ioctl'), this.path);
  }

  /**
   * TCSETS2 / TCSETSW2 / TCSETSF2. With BOTHER in `cflag`, `ospeed`/`ispeed` may be any integer baud.
   *
   * @param termios - the settings
   * @param when - 'now' (default), 'drain' (after output is sent), 'flush' (drain, discard input)
   */
  setAttr(termios: Termios2, when: SetAttrWhen = 'now'): void {
    native.tcsets2(this.#open('ioctl'), termios, WHEN[when], this.path);
  }

  /** cfmakeraw() semantics on the current termios2 (see {@link makeRawTermios}), applied now. */
  makeRaw(): void {
    this.setAttr(makeRawTermios(this.getAttr()));
  }

  /**
   * Set the speed: a standard Bnnn code when one matches, BOTHER with the exact rate otherwise.
   *
   * @param rate - output baud rate (any u32)
   * @param inputRate - input baud rate, default the same
   */
  setBaudRate(rate: number, inputRate: number = rate): void {
    this.setAttr(withBaudRate(this.getAttr(), rate, inputRate));
  }

  /** @returns TIOCMGET: the TIOCM_* modem line bits */
  getModemLines(): number {
    return native.ioctlGetInt(this.#open('ioctl'), c.TIOCMGET, this.path);
  }

  /** @param bits - TIOCMSET: the new TIOCM_* state */
  setModemLines(bits: number): void {
    native.ioctlSetInt(this.#open('ioctl'), c.TIOCMSET, bits, this.path);
  }

  /** @param bits - TIOCMBIS: TIOCM_* bits to raise */
  bisModemLines(bits: number): void {
    native.ioctlSetInt(this.#open('ioctl'), c.TIOCMBIS, bits, this.path);
  }

  /** @param bits - TIOCMBIC: TIOCM_* bits to lower */
  bicModemLines(bits: number): void {
    native.ioctlSetInt(this.#open('ioctl'), c.TIOCMBIC, bits, this.path);
  }

  /** TIOCSBRK: start an indefinite break. */
  breakOn(): void {
    native.ioctlArg(this.#open('ioctl'), c.TIOCSBRK, 0, this.path);
  }

  /** TIOCCBRK: end the break. */
  breakOff(): void {
    native.ioctlArg(this.#open('ioctl'), c.TIOCCBRK, 0, this.path);
  }

  /**
   * Timed break, on the thread pool. Without a duration: TCSBRK(0), i.e. 250 ms. With one:
   * TCSBRKP in units of 100 ms (rounded, at least 1), as the tty layer counts it.
   *
   * @param durationMs - break length in milliseconds
   * @param signal - cancels the wait (the break ends when the ioctl is interrupted)
   * @returns resolves when the break is over
   */
  sendBreak(durationMs?: number, signal?: AbortSignal): Promise<void> {
    if (durationMs === undefined) return this.#blocking(c.TCSBRK, 0, signal);
    if (!Number.isFinite(durationMs) || durationMs < 0) return Promise.reject(new RangeError(`bad break duration ${durationMs}`));
    return this.#blocking(c.TCSBRKP, Math.max(1, Math.round(durationMs / 100)), signal);
  }

  /**
   * TIOCMIWAIT on the thread pool: resolves when one of the `mask` lines changes.
   *
   * @param mask - TIOCM_* bits to watch (TIOCM_CTS | TIOCM_DSR | TIOCM_CD | TIOCM_RI)
   * @param signal - cancels the wait
   * @returns resolves on a change; rejects with the ioctl's error (EIO on hangup, ENOTTY/EINVAL
   * when the driver lacks TIOCMIWAIT) or {@link OperationCancelledError}
   */
  waitModemChange(mask: number, signal?: AbortSignal): Promise<void> {
    return this.#blocking(c.TIOCMIWAIT, mask, signal);
  }

  /**
   * TCSBRK(1), i.e. tcdrain(), on the thread pool.
   *
   * @param signal - cancels the wait
   * @returns resolves when all output was sent (for a ttyV: read by the master)
   */
  drain(signal?: AbortSignal): Promise<void> {
    return this.#blocking(c.TCSBRK, 1, signal);
  }

  /** @returns TIOCGICOUNT counters */
  getIcount(): Icount {
    return native.icount(this.#open('ioctl'), this.path);
  }

  /** @returns TIOCOUTQ: bytes written but not yet sent */
  outputQueue(): number {
    return native.ioctlGetInt(this.#open('ioctl'), c.TIOCOUTQ, this.path);
  }

  /** @returns TIOCINQ (FIONREAD): bytes received and not yet read */
  inputQueue(): number {
    return native.ioctlGetInt(this.#open('ioctl'), c.TIOCINQ, this.path);
  }

  /** @param which - TCFLSH: discard 'input', 'output' or 'both' */
  flush(which: FlushQueue): void {
    const arg = which === 'input' ? c.TCIFLUSH : which === 'output' ? c.TCOFLUSH : c.TCIOFLUSH;
    native.ioctlArg(this.#open('ioctl'), c.TCFLSH, arg, this.path);
  }

  /** @returns TIOCGSERIAL */
  getSerial(): SerialInfo {
    return native.getSerial(this.#open('ioctl'), this.path);
  }

  /**
   * TIOCSSERIAL, read-modify-write: fields left out keep their current values.
   *
   * @param info - the fields to change
   */
  setSerial(info: Partial<SerialInfo>): void {
    const fd = this.#open('ioctl');
    native.setSerial(fd, { ...native.getSerial(fd, this.path), ...info }, this.path);
  }

  /** @returns TIOCSERGETLSR: TIOCSER_TEMT when the transmitter is empty */
  getLineStatus(): number {
    return native.ioctlGetInt(this.#open('ioctl'), c.TIOCSERGETLSR, this.path);
  }

  /**
   * Read what is available (one read(), waiting for POLLIN first).
   *
   * @param max - most bytes to return (default 65536)
   * @returns the bytes; an empty array at end of file (hang-up)
   * @throws EIO after a hang-up on some ttys; {@link OperationCancelledError} when closed while waiting
   */
  async read(max: number = DEFAULT_TTY_READ_SIZE): Promise<Uint8Array> {
    const chunk = await this.#channel.read(Math.max(1, Math.floor(max)));
    return chunk ?? new Uint8Array(0);
  }

  /**
   * Write all bytes, waiting for room (POLLOUT) as needed.
   *
   * @param data - bytes, or a string (UTF-8)
   * @returns resolves when every byte was accepted
   */
  write(data: Uint8Array | string): Promise<void> {
    try {
      return this.#channel.write(toBytes(data));
    } catch (error: unknown) {
      return rejectWith(error);
    }
  }

  /**
   * One non-blocking write.
   *
   * @param data - bytes, or a string (UTF-8)
   * @returns bytes accepted, 0 on EAGAIN
   */
  tryWrite(data: Uint8Array | string): number {
    return this.#channel.tryWrite(toBytes(data));
  }

  /**
   * Close: cancels blocking calls, rejects pending reads/writes with code 'ECANCELED', stops
   * polling, then closes the fd on the thread pool (a tty close may wait up to its
   * closing_wait, 30 s by default, for output nobody reads; the event loop does not wait).
   * Idempotent: later calls return the same promise.
   *
   * @returns resolves once the descriptor is closed
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    for (const call of this.#calls) call.cancel();
    this.#calls.clear();
    const fd = this.#channel.release();
    if (fd < 0) {
      this.#closing = Promise.resolve();
      return this.#closing;
    }
    try {
      this.#closing = new native.BlockingCall(fd, CLOSE_REQUEST, 0, false, this.path).promise;
    } catch {
      native.close(fd);
      this.#closing = Promise.resolve();
    }
    return this.#closing;
  }

  #blocking(request: number, arg: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.#channel.closed) return Promise.reject(closedError('ioctl', this.path));
    if (signal?.aborted === true) return Promise.reject(new OperationCancelledError('ioctl', this.path, signal.reason));
    let call: NativeBlockingCall;
    try {
      call = new native.BlockingCall(this.#fd, request, arg, false, this.path);
    } catch (error: unknown) {
      return rejectWith(error);
    }
    this.#calls.add(call);
    const onAbort = (): void => {
      call.cancel();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    return call.promise.then(
      () => {
        this.#calls.delete(call);
        signal?.removeEventListener('abort', onAbort);
      },
      (error: unknown) => {
        this.#calls.delete(call);
        signal?.removeEventListener('abort', onAbort);
        if (isCancelledError(error)) throw new OperationCancelledError('ioctl', this.path, signal?.aborted === true ? signal.reason : undefined);
        throw error;
      },
    );
  }
}
