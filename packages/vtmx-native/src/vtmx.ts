/**
 * The master side: a `/dev/vtmx` file descriptor, i.e. the hardware of one `/dev/ttyV<n>`.
 *
 * @packageDocumentation
 */
import {
  DEFAULT_VTMX_PATH,
  HOTPLUG_VTMX_PATH,
  PORT_KINDS,
  VTMX_PLUG,
  VTMX_SET_IDENTITY,
  VTMX_SET_INDEX,
  VTMX_SET_NAME,
  VTMX_UNPLUG,
  decodePacket,
  encodeIdentity,
  encodePortName,
  type Packet,
  type PortIdentity,
  type PortKind,
} from 'vtty-protocol';
import { toBytes } from './bytes.js';
import { constants } from './constants.js';
import {
  closedError,
  isCancelledError,
  isSystemError,
  rejectWith,
  withModuleHint,
} from './errors.js';
import {
  FEATURE_NAMES,
  UnsupportedFeatureError,
  featureBits,
  featureNames,
  rxInjectArgument,
  type FeatureName,
  type RxCondition,
} from './features.js';
import { modemInputBits, type ModemInputLines } from './modem.js';
import { native } from './native.js';
import { MIN_READ_INTO_BYTES, PollChannel, eofError } from './poll-channel.js';
import { VtmxStream, type VtmxStreamOptions, type VtmxStreamSource } from './vtmx-stream.js';

/** Default size of each read() on the master: large enough for any control packet and big data bursts. @public */
export const DEFAULT_READ_SIZE = 65536;

/**
 * Most packets one event-loop wake-up reads from the master (then the next wake-up goes on):
 * bounds the time spent in one callback.
 */
const READ_BATCH_PACKETS = 64;
/** Most bytes one wake-up reads (plus at most one read()'s worth). */
const READ_BATCH_BYTES = 128 * 1024;
/**
 * Packets read ahead but not yet taken (by readRaw(), or a paused stream) stop the polling at
 * this many bytes, so a slow consumer leaves the rest in the driver (where it is flow control).
 */
const READ_HIGH_WATER_MARK = 128 * 1024;

/** Options of {@link Vtmx.open}. @public */
export interface VtmxOpenOptions {
  /**
   * Open {@link HOTPLUG_VTMX_PATH}: the port has no index and no node until
   * {@link Vtmx.plug}, and may take an identity, an index and a name first. Default false.
   */
  hotplug?: boolean;
  /** Master device path; default `/dev/vtmx` (`/dev/vtmx-hotplug` with `hotplug`). */
  path?: string;
  /** Bytes per read() (one packet per read); default {@link DEFAULT_READ_SIZE}, at least 64. */
  readSize?: number;
}

/**
 * An open `/dev/vtmx`: the port `/dev/ttyV<index>` exists while this is open.
 *
 * - Reads return one packet per read() of the fd ({@link Vtmx.read} decoded with
 *   vtty-protocol, {@link Vtmx.readRaw} as bytes: tag byte + payload), polled with POLLIN and
 *   POLLPRI on a non-blocking fd from the event loop of the calling thread (workers included).
 *   The device is only read while a read is pending (or a {@link Vtmx.stream} flows), so
 *   unread packets stay in the driver. When it is read, one event-loop wake-up reads every
 *   packet queued (up to 64 packets / 128 KiB) in driver order and keeps what the pending read
 *   did not take for the next reads; at 128 KiB kept, polling stops until they are taken.
 * - {@link Vtmx.readInto} reads a batch of packets into a buffer the caller reuses, for
 *   masters that move a lot of data.
 * - {@link Vtmx.write} resolves when the port accepted all bytes, waiting for POLLOUT on EAGAIN.
 * - {@link Vtmx.close} is idempotent; pending reads and writes then reject with an
 *   {@link OperationCancelledError} (`name` 'AbortError', `code` 'ECANCELED').
 *
 * @public
 */
export class Vtmx implements AsyncIterable<Packet> {
  /** The master device that was opened (`/dev/vtmx`). */
  readonly devicePath: string;
  /** Whether the port was created unplugged ({@link VtmxOpenOptions.hotplug}). */
  readonly hotplug: boolean;
  readonly #channel: PollChannel;
  readonly #fd: number;
  #index: number;
  #kind: PortKind = 'none';
  #plugged: boolean;

  private constructor(fd: number, devicePath: string, readSize: number, hotplug: boolean) {
    this.#fd = fd;
    this.devicePath = devicePath;
    this.hotplug = hotplug;
    this.#plugged = !hotplug;
    try {
      this.#index = hotplug ? -1 : native.ioctlGetInt(fd, constants.VTMX_GET_VTTY_NUM, devicePath);
      this.#channel = new PollChannel(fd, devicePath, {
        readSize,
        mode: 'batch',
        maxBatch: READ_BATCH_PACKETS,
        batchBytes: READ_BATCH_BYTES,
        highWaterMark: READ_HIGH_WATER_MARK,
      });
    } catch (error: unknown) {
      native.close(fd);
      throw error;
    }
  }

  /**
   * The port number n of `/dev/ttyV<n>` (of `/dev/ttyUSBV<n>`, `/dev/ttyACMV<n>` for those
   * kinds), constants.VTMX_GET_VTTY_NUM; -1 for a hotplug port before its first plug or
   * {@link Vtmx.setIndex}.
   */
  get index(): number {
    return this.#index;
  }

  /** The port's device path, `/dev/ttyV<index>` or its kind's; "" while it has no index. */
  get path(): string {
    return this.#index < 0 ? '' : `/dev/${PORT_KINDS[this.#kind].prefix}${String(this.#index)}`;
  }

  /** Whether the port is plugged in (its node exists). */
  get plugged(): boolean {
    return this.#plugged;
  }

  /**
   * Open the master device, which allocates a new port.
   *
   * @param options - device path and read size
   * @returns the open master
   * @throws {@link SystemError} from open (ENOENT with advice to load the module) or ioctl
   */
  static open(options: VtmxOpenOptions = {}): Promise<Vtmx> {
    try {
      return Promise.resolve(Vtmx.openSync(options));
    } catch (error: unknown) {
      return rejectWith(error);
    }
  }

  /**
   * Synchronous {@link Vtmx.open} (opening /dev/vtmx never blocks).
   *
   * @param options - device path and read size
   * @returns the open master
   */
  static openSync(options: VtmxOpenOptions = {}): Vtmx {
    const hotplug = options.hotplug ?? false;
    const devicePath = options.path ?? (hotplug ? HOTPLUG_VTMX_PATH : DEFAULT_VTMX_PATH);
    const readSize = Math.max(64, Math.floor(options.readSize ?? DEFAULT_READ_SIZE));
    let fd: number;
    try {
      fd = native.open(devicePath, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
    } catch (error: unknown) {
      throw withModuleHint(error);
    }
    return new Vtmx(fd, devicePath, readSize, hotplug);
  }

  /** The master file descriptor (-1 after close). */
  get fd(): number {
    return this.#channel.closed ? -1 : this.#fd;
  }

  /** Whether {@link Vtmx.close} was called. */
  get closed(): boolean {
    return this.#channel.closed;
  }

  /**
   * The next packet, raw: tag byte then payload, exactly what one read() returned.
   *
   * The bytes are a view into a pool shared with neighbouring packets (like
   * `Buffer.allocUnsafe`): copy them (`Uint8Array.prototype.slice`) to keep a small packet
   * for long without keeping its pool alive.
   *
   * @returns the packet bytes
   * @throws {@link OperationCancelledError} when closed while waiting; EBADF after close
   */
  readRaw(): Promise<Uint8Array> {
    return this.#channel.readChunk(() => eofError(this.devicePath));
  }

  /**
   * Every packet queued now, read into `buffer` (waiting for at least one): the allocation-free
   * way to read, as `fs.read` into a reused buffer is. The packets (tag byte + payload, as
   * {@link Vtmx.readRaw} returns them) lie back to back from the start of `buffer` and are
   * returned as views of it, so they, and anything `decodePacket` makes of them, are valid
   * until `buffer` is used again: read one batch, handle it, then ask for the next. A master
   * that reuses one buffer this way never touches fresh memory, which in a busy master is
   * what reading costs most (see bench/).
   *
   * A data packet may come in two parts (each with the data tag) when the buffer fills; other
   * packets never split. Packets are in driver order with those of {@link Vtmx.readRaw} and
   * {@link Vtmx.read} calls made before and after.
   *
   * @param buffer - where to read; at least 64 bytes (the largest control packet is 45); a
   * Node `Buffer` works too
   * @returns the packets as views of `buffer`, in order; empty at end of file
   * @throws (rejects) TypeError for a non-Uint8Array, RangeError for a buffer under 64 bytes,
   * {@link OperationCancelledError} when closed while waiting, EBADF after close
   */
  readInto(buffer: Uint8Array): Promise<Uint8Array[]> {
    if (!(buffer instanceof Uint8Array)) {
      return rejectWith(new TypeError('readInto: buffer must be a Uint8Array (or a Buffer)'));
    }
    if (buffer.length < MIN_READ_INTO_BYTES) {
      return rejectWith(
        new RangeError(`readInto: the buffer has ${buffer.length} bytes; it needs at least ${MIN_READ_INTO_BYTES}`),
      );
    }
    return this.#channel.readInto(buffer);
  }

  /**
   * The next packet, decoded with vtty-protocol's `decodePacket`.
   *
   * @returns the packet
   * @throws {@link OperationCancelledError} when closed while waiting; `ProtocolError` for an
   * undecodable packet
   */
  async read(): Promise<Packet> {
    return decodePacket(await this.readRaw());
  }

  /**
   * Iterate over packets until the master is closed (iteration then ends normally).
   *
   * @returns an async iterator of decoded packets
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<Packet, void, undefined> {
    for (;;) {
      let raw: Uint8Array;
      try {
        raw = await this.readRaw();
      } catch (error: unknown) {
        if (this.closed && (isCancelledError(error) || isSystemError(error, 'EBADF'))) return;
        throw error;
      }
      yield decodePacket(raw);
    }
  }

  /**
   * Send bytes to the port (they arrive as received data on the ttyV, through its line
   * discipline). Writes are applied in call order.
   *
   * @param data - bytes, or a string (UTF-8)
   * @returns resolves when the port accepted all bytes (after waiting for room as needed)
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
   * @returns the number of bytes accepted; 0 when the port is full (EAGAIN) or earlier
   * {@link Vtmx.write} calls are still waiting
   */
  tryWrite(data: Uint8Array | string): number {
    return this.#channel.tryWrite(toBytes(data));
  }

  /**
   * Set the input lines the application sees (constants.VTMX_SET_MODEM_LINES, i.e. TIOCMSET on the
   * master). An object sets every line: lines left out go low.
   *
   * @param lines - `{ cts, dsr, dcd, ri }` or a TIOCM_* bitmask
   */
  setModemLines(lines: ModemInputLines | number): void {
    const bits = modemInputBits(lines);
    if (this.closed) throw closedError('ioctl', this.devicePath);
    native.ioctlSetInt(this.#fd, constants.VTMX_SET_MODEM_LINES, bits, this.devicePath);
  }

  /**
   * The optional features the loaded vtty module supports (VTMX_GET_FEATURES). A module
   * without extensions (the seed interface, ENOTTY) supports none.
   *
   * @returns the supported features (bits this binding has no name for are left out; see
   * {@link Vtmx.featureMask})
   * @throws {@link SystemError} from the ioctl; EBADF after close
   */
  supportedFeatures(): Set<FeatureName> {
    return featureNames(this.featureMask('supported'));
  }

  /**
   * The features enabled on this port (VTMX_GET_ENABLED); a new port has none.
   *
   * @returns the enabled features
   * @throws {@link SystemError} from the ioctl; EBADF after close
   */
  enabledFeatures(): Set<FeatureName> {
    return featureNames(this.featureMask('enabled'));
  }

  /**
   * A raw `VTTY_FEAT_*` bitmask: what the module supports (VTMX_GET_FEATURES) or what is
   * enabled on this port (VTMX_GET_ENABLED); 0 from a module without extensions.
   *
   * @param which - `'supported'` or `'enabled'`
   * @returns the bits, unsigned
   * @throws {@link SystemError} from the ioctl; EBADF after close
   */
  featureMask(which: 'supported' | 'enabled'): number {
    const request = which === 'supported' ? constants.VTMX_GET_FEATURES : constants.VTMX_GET_ENABLED;
    try {
      return this.ioctlInt(request, 0) >>> 0;
    } catch (error: unknown) {
      // ENOTTY: a module with the seed interface only, i.e. no optional features.
      if (isSystemError(error, 'ENOTTY') && !this.closed) return 0;
      throw error;
    }
  }

  /**
   * Enable exactly these features on this port, disabling the others (constants.VTMX_SET_FEATURES);
   * an empty list returns the port to the seed interface.
   *
   * @param names - the features to have enabled
   * @throws {@link UnknownNameError} for an unknown name and {@link UnsupportedFeatureError} for
   * a feature the loaded module does not support (nothing changes in either case);
   * {@link SystemError} from the ioctl otherwise
   */
  setFeatures(names: Iterable<FeatureName>): void {
    const wanted = [...names];
    const bits = featureBits(wanted);
    try {
      this.ioctlInt(constants.VTMX_SET_FEATURES, bits);
    } catch (error: unknown) {
      // Setting nothing on a module without extensions: already so.
      if (bits === 0 && isSystemError(error, 'ENOTTY') && !this.closed) return;
      if (!this.closed && (isSystemError(error, 'EINVAL') || isSystemError(error, 'ENOTTY'))) {
        const supported = this.supportedFeatures();
        const missing = FEATURE_NAMES.filter((name) => wanted.includes(name) && !supported.has(name));
        if (missing.length > 0) throw new UnsupportedFeatureError(error, missing, [...supported]);
      }
      throw error;
    }
  }

  /**
   * Enable features on this port, keeping those already enabled.
   *
   * @param names - the features to enable
   * @throws as {@link Vtmx.setFeatures}
   */
  enableFeatures(names: Iterable<FeatureName>): void {
    const enabled = this.enabledFeatures();
    for (const name of names) enabled.add(name);
    this.setFeatures(enabled);
  }

  /**
   * Disable features on this port, keeping the others enabled.
   *
   * @param names - the features to disable
   * @throws {@link UnknownNameError} for an unknown name; {@link SystemError} from the ioctl
   */
  disableFeatures(names: Iterable<FeatureName>): void {
    const off = featureBits(names);
    const enabled = [...this.enabledFeatures()].filter((name) => (featureBits([name]) & off) === 0);
    this.setFeatures(enabled);
  }

  /**
   * Ask the driver for the port's current state (constants.VTMX_REQUEST_STATE): it queues a termios
   * packet with the tty's settings, a modem packet with the lines and, with `'openEvents'`,
   * an open-count packet, in that order, to be read like any other packets. For a master that
   * starts (or restarts) after the application configured the port.
   *
   * @throws {@link SystemError} from the ioctl (ENOTTY: the module has no extensions)
   */
  requestState(): void {
    this.ioctlInt(constants.VTMX_REQUEST_STATE, 0);
  }

  /**
   * Deliver one received byte with a line condition (constants.VTMX_INJECT_RX), as a UART reports a
   * break, a framing or parity error or an overrun: it goes through the line discipline
   * according to the application's termios (IGNBRK, BRKINT, INPCK, PARMRK...) and is counted
   * in the tty's TIOCGICOUNT. Ordered with {@link Vtmx.write}: it is delivered after every
   * byte written before, waiting for room like a write.
   *
   * @param condition - the line condition
   * @param byte - the byte (default 0, as for a break)
   * @returns resolves once the port took the byte
   * @throws (rejects) {@link UnknownNameError} for an unknown condition, RangeError for a byte
   * outside 0-255, {@link OperationCancelledError} when closed while waiting for room,
   * {@link SystemError} from the ioctl (ENOTTY: the module has no extensions)
   */
  injectRx(condition: RxCondition, byte = 0): Promise<void> {
    let argument: number;
    try {
      argument = rxInjectArgument(condition, byte);
    } catch (error: unknown) {
      return rejectWith(error);
    }
    return this.#channel.writeOperation(() => {
      native.ioctlSetInt(this.#fd, constants.VTMX_INJECT_RX, argument, this.devicePath);
    });
  }

  /**
   * What a hotplug port presents itself as when it is next plugged in (VTMX_SET_IDENTITY):
   * its kind (which names the node), USB ids, strings, interface number. Only while unplugged.
   *
   * @param identity - the identity; `usbNamespace` needs CAP_SYS_ADMIN
   * @throws `ProtocolError` for a value out of range; {@link SystemError} from the ioctl (EINVAL:
   * plugged in, not a hotplug port, or a kind of another family than the index held; EPERM)
   */
  setIdentity(identity: PortIdentity): void {
    this.#ioctlBuffer(VTMX_SET_IDENTITY, encodeIdentity(identity));
    this.#kind = identity.kind;
  }

  /**
   * The index to take in the port's family (VTMX_SET_INDEX), while unplugged.
   *
   * @throws {@link SystemError} EBUSY when another port holds it, EINVAL when plugged in
   */
  setIndex(index: number): void {
    this.ioctlInt(VTMX_SET_INDEX, index);
    this.#index = index;
  }

  /**
   * A hotplug port's name, `/dev/serial/by-vtty/<name>` with the module's udev rules
   * (VTMX_SET_NAME), while unplugged; "" clears it.
   *
   * @throws `ProtocolError` for a malformed name; {@link SystemError} EBUSY when another port has it
   */
  setName(name: string): void {
    this.#ioctlBuffer(VTMX_SET_NAME, encodePortName(name));
  }

  /**
   * Plug the port in (VTMX_PLUG): its node appears, with the identity set.
   *
   * @throws {@link SystemError} EINVAL when plugged in, ENOSPC when its family has no free index
   */
  plug(): void {
    this.ioctlInt(VTMX_PLUG, 0);
    this.#plugged = true;
    this.#index = native.ioctlGetInt(this.#fd, constants.VTMX_GET_VTTY_NUM, this.devicePath);
  }

  /**
   * Unplug the port (VTMX_UNPLUG), as a USB adapter is pulled out: the application's tty is
   * hung up and the node goes; the port keeps its index and name for the next {@link Vtmx.plug}.
   *
   * @throws {@link SystemError} EINVAL when not plugged in
   */
  unplug(): void {
    this.ioctlInt(VTMX_UNPLUG, 0);
    this.#plugged = false;
  }

  #ioctlBuffer(request: number, bytes: Uint8Array): void {
    if (this.closed) throw closedError('ioctl', this.devicePath);
    native.ioctlBuffer(this.#fd, request, bytes, this.devicePath);
  }

  /**
   * Issue another ioctl on the master that takes an int by pointer (for driver extensions in
   * `kernel/vtty.h`); returns the int after the call.
   *
   * @param request - ioctl request number
   * @param value - the int passed by pointer
   * @returns the int after the call
   */
  ioctlInt(request: number, value = 0): number {
    if (this.closed) throw closedError('ioctl', this.devicePath);
    return native.ioctlSetInt(this.#fd, request, value, this.devicePath);
  }

  /**
   * A Node Duplex view: readable side = payloads of data packets (control packets are emitted
   * as `'control'` events); writable side = bytes to the port.
   *
   * @param options - stream options
   * @returns the stream
   */
  stream(options: VtmxStreamOptions = {}): VtmxStream {
    return new VtmxStream(this.#streamSource(), options);
  }

  /** This master as a stream sees it: the public calls, and read-ahead on the channel. */
  #streamSource(): VtmxStreamSource {
    const channel = this.#channel;
    return {
      readRaw: () => this.readRaw(),
      write: (data) => this.write(data),
      close: () => this.close(),
      get closed() {
        return channel.closed;
      },
      setReadAhead(on) {
        if (!channel.closed) channel.readAhead = on;
      },
    };
  }

  /**
   * Close: stops the poll handle, closes the fd (the port is hung up), rejects pending reads
   * and writes with code 'ECANCELED'. Idempotent.
   *
   * @returns resolves once closed
   */
  close(): Promise<void> {
    this.#channel.close();
    return Promise.resolve();
  }
}
