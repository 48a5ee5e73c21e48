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

/** A read() caller: takes one chunk (null at end of file). */
interface ChunkWaiter {
  into?: undefined;
  resolve: (chunk: Uint8Array | null) => void;
  reject: (error: unknown) => void;
}

/** A readInto() caller: takes every chunk that fits into its buffer (none at end of file). */
interface IntoWaiter {
  into: Uint8Array;
  resolve: (chunks: Uint8Array[]) => void;
  reject: (error: unknown) => void;
}

type ReadWaiter = ChunkWaiter | IntoWaiter;

/** What a read of one chunk settles with. */
type Outcome<T> = { value: T } | { error: Error };

/**
 * Smallest buffer {@link PollChannel.readInto} accepts: room for the largest control packet
 * of /dev/vtmx (VTMX_MAX_PACKET_SIZE, 45 bytes) with margin; smaller reads get EMSGSIZE.
 * @internal
 */
export const MIN_READ_INTO_BYTES = 64;

/** Tag of a data packet: a data chunk split across two readInto() buffers keeps it. */
const DATA_TAG = 0;

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
  /** Whether the head waiter's buffer is armed in the native handle (see `setTarget`). */
  #targetArmed = false;

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
    return this.#readChunk(size, (chunk) => ({ value: chunk }));
  }

  /**
   * One chunk, as {@link PollChannel.read} reads it, but end of file rejects with `eofError()`.
   * It settles in the same step as the reads queued around it, where a `.then()` on read()
   * would settle a step later than a readInto() queued behind it.
   */
  readChunk(eofError: () => Error): Promise<Uint8Array> {
    return this.#readChunk(undefined, (chunk) => (chunk === null ? { error: eofError() } : { value: chunk }));
  }

  /** A read() of one chunk, turned into the caller's outcome by `settle` when it comes. */
  #readChunk<T>(size: number | undefined, settle: (chunk: Uint8Array | null) => Outcome<T>): Promise<T> {
    if (this.#closed) return Promise.reject(closedError('read', this.#path));
    return new Promise<T>((resolve, reject) => {
      const finish = (chunk: Uint8Array | null): void => {
        const outcome = settle(chunk);
        if ('error' in outcome) reject(outcome.error);
        else resolve(outcome.value);
      };
      const chunk = this.#takeBuffered() ?? (this.#eof ? null : undefined);
      if (chunk !== undefined) {
        finish(chunk);
        return;
      }
      if (this.#waiters.length === 0 && size !== undefined) this.#readSize = size;
      this.#waiters.push({ resolve: finish, reject });
      this.#schedule();
    });
  }

  /**
   * Every chunk read next that fits, copied into (or read straight into) `buffer`, back to
   * back from its start; waits for at least one. Nothing is allocated per chunk: the chunks
   * returned are views of `buffer`, valid until the caller reuses it. A data chunk larger
   * than `buffer` is split (the rest keeps the data tag); other chunks are never split.
   *
   * @param buffer - at least {@link MIN_READ_INTO_BYTES} bytes; not touched after this settles
   * @returns the chunks (none at end of file)
   */
  readInto(buffer: Uint8Array): Promise<Uint8Array[]> {
    if (this.#closed) return Promise.reject(closedError('read', this.#path));
    if (this.#waiters.length === 0 && this.#chunks.length > 0) {
      const chunks = this.#fill(buffer);
      this.#schedule();
      return Promise.resolve(chunks);
    }
    if (this.#eof) return Promise.resolve([]);
    return new Promise<Uint8Array[]>((resolve, reject) => {
      this.#waiters.push({ into: buffer, resolve, reject });
      this.#schedule();
    });
  }

  /** Copy queued chunks into `buffer` while they fit (at least one, splitting a data chunk). */
  #fill(buffer: Uint8Array): Uint8Array[] {
    const filled: Uint8Array[] = [];
    let used = 0;
    for (let chunk = this.#chunks[0]; chunk !== undefined; chunk = this.#chunks[0]) {
      const room = buffer.length - used;
      if (chunk.length > room) {
        if (filled.length > 0 || chunk[0] !== DATA_TAG) break;
        // A data chunk larger than the whole buffer: hand out its head, keep the rest.
        const rest = new Uint8Array(chunk.length - room + 1);
        rest[0] = DATA_TAG;
        rest.set(chunk.subarray(room), 1);
        this.#chunks[0] = rest;
        this.#queuedBytes -= room - 1;
        chunk = chunk.subarray(0, room);
      } else {
        this.#shiftChunk();
      }
      buffer.set(chunk, used);
      filled.push(buffer.subarray(used, used + chunk.length));
      used += chunk.length;
    }
    return filled;
  }

  /** A chunk already read ahead, without waiting. */
  #takeBuffered(): Uint8Array | undefined {
    const chunk = this.#shiftChunk();
    if (chunk !== undefined) this.#schedule();
    return chunk;
  }

  /** The oldest chunk read ahead, taken off the queue and its byte count. */
  #shiftChunk(): Uint8Array | undefined {
    const chunk = this.#chunks.shift();
    if (chunk !== undefined) this.#queuedBytes -= chunk.length;
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
    this.#targetArmed = false;
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
    // A readInto() caller first in line gets the next batch read straight into its buffer.
    const head = this.#waiters[0];
    if (head?.into !== undefined && !this.#targetArmed) {
      this.#handle.setTarget(head.into, MIN_READ_INTO_BYTES);
      this.#targetArmed = true;
    }
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
    // Every callback disarms the native target; if one was armed, this batch is in it.
    const target = this.#targetArmed ? this.#waiters[0] : undefined;
    this.#targetArmed = false;
    // Views, not copies: packets were read into a pool Buffer or the caller's buffer (see
    // native/poll_handle.cc).
    const chunks: Uint8Array[] = [];
    let from = start;
    for (let i = 0; i < count && data !== undefined && ends !== undefined; i++) {
      const to = start + (ends[i] ?? 0);
      chunks.push(data.subarray(from, to));
      from = to;
    }
    if (target?.into !== undefined && data === target.into) {
      if (chunks.length > 0) {
        this.#waiters.shift();
        target.resolve(chunks);
      } else if (error === undefined && !eof && target.into.length < MIN_READ_INTO_BYTES) {
        this.#waiters.shift();
        target.reject(new TypeError('readInto: the buffer was detached (transferred) while the read waited'));
      }
    } else {
      for (const chunk of chunks) {
        this.#chunks.push(chunk);
        this.#queuedBytes += chunk.length;
      }
      this.#serveWaiters();
    }
    if (error !== undefined || eof) {
      if (eof) this.#eof = true;
      for (const waiter of this.#waiters.splice(0)) {
        if (error !== undefined) waiter.reject(error);
        else if (waiter.into === undefined) waiter.resolve(null);
        else waiter.resolve([]);
      }
    }
    this.#schedule();
  }

  /** Hand queued chunks to the waiters, in order: one to a read(), all that fit to a readInto(). */
  #serveWaiters(): void {
    for (let waiter = this.#waiters[0]; waiter !== undefined && this.#chunks.length > 0; waiter = this.#waiters[0]) {
      this.#waiters.shift();
      if (waiter.into === undefined) {
        waiter.resolve(this.#shiftChunk() ?? null);
      } else {
        waiter.resolve(this.#fill(waiter.into));
      }
    }
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
