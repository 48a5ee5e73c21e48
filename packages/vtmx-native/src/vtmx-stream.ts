/**
 * A Node Duplex over a {@link Vtmx}.
 *
 * @packageDocumentation
 */
import { Duplex } from 'node:stream';
import { decodePacket, type Packet } from 'vtty-protocol';
import { isCancelledError, isSystemError } from './errors.js';

/**
 * What a {@link VtmxStream} reads and writes: one packet per `readRaw()`, as `Vtmx` gives
 * them. `Vtmx.stream()` passes its master as one.
 *
 * @public
 */
export interface VtmxStreamSource {
  /** The next packet, raw (tag byte + payload). */
  readRaw(): Promise<Uint8Array>;
  /** Bytes to the port; resolves when all were accepted. */
  write(data: Uint8Array): Promise<void>;
  /** Close the master (for `autoClose`). */
  close(): Promise<void>;
  /** Whether the master was closed (a failed read then ends the stream instead of failing it). */
  readonly closed: boolean;
  /**
   * Read packets ahead of the reads while the stream flows (on), so they arrive in batches;
   * off when it pauses, so unread packets stay in the driver.
   */
  setReadAhead(on: boolean): void;
}

/** Options of `Vtmx.stream()`. @public */
export interface VtmxStreamOptions {
  /** Close the Vtmx when the stream is destroyed (default true, like fs streams' autoClose). */
  autoClose?: boolean;
  /** Readable high-water mark in bytes. */
  readableHighWaterMark?: number;
  /** Writable high-water mark in bytes. */
  writableHighWaterMark?: number;
}

/**
 * Duplex stream: reading gives the payloads of data packets (bytes the application wrote);
 * every other packet (termios, modem, break, open count, flush) is emitted as `'control'` events with the decoded
 * packet; writing sends bytes to the port. The readable side ends when the Vtmx is closed.
 *
 * @public
 */
export class VtmxStream extends Duplex {
  readonly #vtmx: VtmxStreamSource;
  readonly #autoClose: boolean;
  #pumping = false;

  /**
   * @param vtmx - the master (`Vtmx.stream()` gives its own)
   * @param options - stream options
   */
  constructor(vtmx: VtmxStreamSource, options: VtmxStreamOptions = {}) {
    super({
      allowHalfOpen: true,
      ...(options.readableHighWaterMark === undefined ? {} : { readableHighWaterMark: options.readableHighWaterMark }),
      ...(options.writableHighWaterMark === undefined ? {} : { writableHighWaterMark: options.writableHighWaterMark }),
    });
    this.#vtmx = vtmx;
    this.#autoClose = options.autoClose ?? true;
  }

  override _read(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    this.#vtmx.setReadAhead(true);
    void this.#pump();
  }

  async #pump(): Promise<void> {
    try {
      for (;;) {
        const raw = await this.#vtmx.readRaw();
        const packet: Packet = decodePacket(raw);
        if (packet.type === 'data') {
          if (!this.push(packet.data)) break;
        } else {
          this.emit('control', packet);
        }
      }
      this.#vtmx.setReadAhead(false);
      this.#pumping = false;
    } catch (error: unknown) {
      this.#pumping = false;
      if (this.#vtmx.closed && (isCancelledError(error) || isSystemError(error, 'EBADF'))) {
        this.push(null);
      } else {
        this.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  override _write(chunk: unknown, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : (chunk as Uint8Array);
    this.#vtmx.write(bytes).then(
      () => {
        callback();
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#vtmx.setReadAhead(false);
    if (!this.#autoClose) {
      callback(error);
      return;
    }
    this.#vtmx.close().then(
      () => {
        callback(error);
      },
      (closeError: unknown) => {
        callback(error ?? (closeError instanceof Error ? closeError : new Error(String(closeError))));
      },
    );
  }
}
