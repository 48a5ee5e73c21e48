/**
 * PollChannel: promise-based reads and writes over a native poll handle.
 *
 * Reads are demand-driven: the fd is polled only while someone waits (or read-ahead is on).
 * One read() = one chunk (for /dev/vtmx, one packet). Two read modes:
 * - `'demand'`: each wake-up performs at most as many read() calls as there are waiting
 *   readers, so nothing is consumed that nobody asked for (byte streams, whose callers choose
 *   read sizes and may look at what is left in the kernel).
 * - `'batch'`: while someone waits, each wake-up reads until EAGAIN (at most `maxBatch`
 *   chunks / `batchBytes`) and queues what the waiters did not take, so one event-loop
 *   callback moves many packets. Polling stops while `highWaterMark` bytes are queued.
 * Writes are queued in order; a write that hits EAGAIN waits for POLLOUT and continues where
 * it stopped.
 *
 * @internal
 * @packageDocumentation
 */
import { OperationCancelledError, closedError, isSystemError, makeSystemError, rejectWith, type SystemError } from './errors.js';
import { native, type NativePollHandle, type NativeReadCallback } from './native.js';

interface ReadWaiter {
  resolve: (chunk: Uint8Array | null) => void;
  reject: (error: unknown) => void;
}

interface PendingWrite {
  bytes: Uint8Array;
  offset: number;
  /** Instead of bytes: an operation that stores input like a write (e.g. an injected byte). */
  operation?: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const EMPTY = new Uint8Array(0);

/** Options of a {@link PollChannel}. @internal */
export interface PollChannelOptions {
  /** Size of each read() (the largest chunk/packet). */
  readSize: number;
  /** `'demand'`: one read() per waiting reader; `'batch'`: read until EAGAIN while anyone waits. */
  mode: 'demand' | 'batch';
  /** Most read() calls per wake-up. */
  maxBatch: number;
  /** Most bytes per wake-up (plus at most one read()'s worth); batch mode. */
  batchBytes: number;
  /** Stop polling while this many bytes are read but not taken; batch mode. */
  highWaterMark: number;
}

/** @internal */
export class PollChannel {
  readonly #handle: NativePollHandle;
  readonly #path: string;
  readonly #options: PollChannelOptions;
  readonly #waiters: ReadWaiter[] = [];
  readonly #chunks: Uint8Array[] = [];
  readonly #writes: PendingWrite[] = [];
  #queuedBytes = 0;
  #readSize: number;
  #budget = 0;
  #startedSize = 0;
  #eof = false;
  #closed = false;
  #readAhead = false;
  #referenced = false;

  /**
   * @param fd - an open descriptor; the channel owns it from now on
   * @param path - device path, for errors
   * @param options - sizes
   */
  constructor(fd: number, path: string, options: PollChannelOptions) {
    this.#path = path;
    this.#options = options;
    this.#readSize = options.readSize;
    this.#handle = new native.PollHandle(
      fd,
      path,
      (data, start, ends, count, error, eof) => {
        this.#onRead(data, start, ends, count, error, eof);
      },
      (error) => {
        this.#onWritable(error);
      },
    );
  }

  /** The descriptor (-1 once closed). */
  get fd(): number {
    return this.#handle.fd;
  }

  /** Whether {@link PollChannel.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Batch mode: keep reading without waiting readers, up to the high-water mark (stream flowing mode). */
  set readAhead(on: boolean) {
    if (this.#readAhead === on) return;
    this.#readAhead = on;
    this.#schedule();
    if (this.#demand() === 0 && !this.#closed) this.#stopReading();
  }

  /** Chunks read but not yet taken. */
  get buffered(): number {
    return this.#chunks.length;
  }

  /**
   * Next chunk (one read()).
   *
   * @param size - read() size for this call (byte streams); defaults to the channel's
   * @returns the chunk, or null at end of file
   */
  read(size?: number): Promise<Uint8Array | null> {
    if (this.#closed) return Promise.reject(closedError('read', this.#path));
    const chunk = this.takeBuffered();
    if (chunk !== undefined) return Promise.resolve(chunk);
    if (this.#eof) return Promise.resolve(null);
    return new Promise<Uint8Array | null>((resolve, reject) => {
      if (this.#waiters.length === 0 && size !== undefined) this.#readSize = size;
      this.#waiters.push({ resolve, reject });
      this.#schedule();
    });
  }

  /** A chunk already read ahead, without waiting. */
  takeBuffered(): Uint8Array | undefined {
    const chunk = this.#chunks.shift();
    if (chunk === undefined) return undefined;
    this.#queuedBytes -= chunk.length;
    this.#schedule();
    return chunk;
  }

  /**
   * Write all of `bytes`, in order after earlier writes, waiting for POLLOUT on EAGAIN.
   *
   * @param bytes - what to write
   * @returns resolves once every byte was accepted by the kernel
   */
  write(bytes: Uint8Array): Promise<void> {
    if (this.#closed) return Promise.reject(closedError('write', this.#path));
    if (bytes.length === 0) return Promise.resolve();
    let offset = 0;
    if (this.#writes.length === 0) {
      try {
        offset = this.#handle.write(bytes, 0);
      } catch (error: unknown) {
        return rejectWith(error);
      }
      if (offset === bytes.length) return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.#writes.push({ bytes, offset, resolve, reject });
      if (this.#writes.length === 1) this.#waitWritable();
    });
  }

  /**
   * Run `operation` in order with the writes: after every earlier write was accepted, and
   * again after POLLOUT while it throws EAGAIN (it must store all or nothing, as an ioctl that
   * queues one received byte does).
   *
   * @param operation - the call; throws a system error on failure
   * @returns resolves once it succeeded
   */
  writeOperation(operation: () => void): Promise<void> {
    if (this.#closed) return Promise.reject(closedError('write', this.#path));
    if (this.#writes.length === 0) {
      try {
        operation();
        return Promise.resolve();
      } catch (error: unknown) {
        if (!isSystemError(error, 'EAGAIN')) return rejectWith(error);
      }
    }
    return new Promise<void>((resolve, reject) => {
      this.#writes.push({ bytes: EMPTY, offset: 0, operation, resolve, reject });
      if (this.#writes.length === 1) this.#waitWritable();
    });
  }

  /**
   * One non-blocking write; never waits and never reorders: returns 0 while earlier writes
   * are still queued.
   *
   * @param bytes - what to write
   * @returns bytes accepted (0 on EAGAIN)
   */
  tryWrite(bytes: Uint8Array): number {
    if (this.#closed) throw closedError('write', this.#path);
    if (this.#writes.length > 0 || bytes.length === 0) return 0;
    return this.#handle.write(bytes, 0);
  }

  /** Bytes queued in {@link PollChannel.write} calls that wait for POLLOUT. */
  get pendingWriteBytes(): number {
    let total = 0;
    for (const w of this.#writes) total += w.bytes.length - w.offset;
    return total;
  }

  /**
   * Stop polling, close the fd, reject pending reads and writes with
   * {@link OperationCancelledError}. Idempotent.
   */
  close(): void {
    this.#shutdown(false);
  }

  /**
   * {@link PollChannel.close}, except that the descriptor is returned open, for the caller to
   * close elsewhere (a tty close can block).
   *
   * @returns the fd, or -1 when already closed
   */
  release(): number {
    return this.#shutdown(true);
  }

  #shutdown(release: boolean): number {
    if (this.#closed) return -1;
    this.#closed = true;
    let fd = -1;
    if (release) fd = this.#handle.release();
    else this.#handle.close();
    this.#chunks.length = 0;
    this.#queuedBytes = 0;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new OperationCancelledError('read', this.#path));
    for (const write of this.#writes.splice(0)) write.reject(new OperationCancelledError('write', this.#path));
    return fd;
  }

  /** read() calls wanted per wake-up now; 0 = do not poll. */
  #demand(): number {
    if (this.#closed || this.#eof) return 0;
    if (this.#options.mode === 'demand') return Math.min(this.#waiters.length, this.#options.maxBatch);
    if (this.#queuedBytes >= this.#options.highWaterMark) return 0;
    return this.#waiters.length > 0 || this.#readAhead ? this.#options.maxBatch : 0;
  }

  #schedule(): void {
    if (this.#closed) return;
    const demand = this.#demand();
    const control = this.#handle.control;
    // Demand 0 needs no call: the handle stops polling by itself at its next wake-up, or
    // right after the read callback when nothing asked again meanwhile. Stopping here and
    // restarting on the next read() would cost two epoll_ctl calls per batch.
    control[0] = demand;
    if (demand > 0 && (control[1] === 0 || demand > this.#budget || this.#readSize !== this.#startedSize)) {
      this.#handle.readStart(demand, this.#readSize, this.#options.batchBytes);
      this.#budget = demand;
      this.#startedSize = this.#readSize;
    }
    this.#updateRef();
  }

  /** Stop polling now (not merely at the next wake-up): a paused stream. */
  #stopReading(): void {
    this.#handle.control[0] = 0;
    if (this.#handle.control[1] !== 0) this.#handle.readStop();
  }

  #updateRef(): void {
    if (this.#closed) return;
    const referenced = this.#waiters.length > 0 || this.#writes.length > 0 || this.#readAhead;
    if (referenced === this.#referenced) return;
    this.#referenced = referenced;
    this.#handle.setReferenced(referenced);
  }

  #onRead(...[data, start, ends, count, error, eof]: Parameters<NativeReadCallback>): void {
    if (this.#closed) return;
    let from = start;
    for (let i = 0; i < count && data !== undefined && ends !== undefined; i++) {
      const to = start + (ends[i] ?? 0);
      // A view, not a copy: packets are read into a pool Buffer (see native/poll_handle.cc).
      const chunk = data.subarray(from, to);
      from = to;
      const waiter = this.#waiters.shift();
      if (waiter === undefined) {
        this.#chunks.push(chunk);
        this.#queuedBytes += chunk.length;
      } else {
        waiter.resolve(chunk);
      }
    }
    if (error !== undefined || eof) {
      if (eof) this.#eof = true;
      for (const waiter of this.#waiters.splice(0)) {
        if (error !== undefined) waiter.reject(error);
        else waiter.resolve(null);
      }
    }
    this.#schedule();
  }

  #waitWritable(): void {
    try {
      this.#handle.waitWritable();
      this.#updateRef();
    } catch (error: unknown) {
      this.#failWrites(error);
    }
  }

  #failWrites(error: unknown): void {
    for (const write of this.#writes.splice(0)) write.reject(error);
    this.#updateRef();
  }

  #onWritable(error: SystemError | undefined): void {
    if (this.#closed) return;
    if (error !== undefined) {
      this.#failWrites(error);
      return;
    }
    let head = this.#writes[0];
    while (head !== undefined) {
      if (head.operation !== undefined) {
        try {
          head.operation();
        } catch (e: unknown) {
          if (isSystemError(e, 'EAGAIN')) {
            this.#waitWritable();
            return;
          }
          // Only this operation failed; later writes still go ahead, as after a write that
          // failed on its own.
          this.#writes.shift();
          head.reject(e);
          head = this.#writes[0];
          continue;
        }
        this.#writes.shift();
        head.resolve();
        head = this.#writes[0];
        continue;
      }
      let n: number;
      try {
        n = this.#handle.write(head.bytes, head.offset);
      } catch (e: unknown) {
        this.#failWrites(e);
        return;
      }
      head.offset += n;
      if (head.offset < head.bytes.length) {
        this.#waitWritable();
        return;
      }
      this.#writes.shift();
      head.resolve();
      head = this.#writes[0];
    }
    this.#updateRef();
  }
}

/**
 * End-of-file as an error, for APIs that cannot return null.
 *
 * @param path - the device
 * @returns a system error with code 'EOF'
 * @internal
 */
export function eofError(path: string): SystemError {
  return makeSystemError('EOF', 'read', path);
}
