/**
 * One virtual port: a `/dev/vtmx` master, what the CLI knows of the application's state, and
 * the pump that turns packets into events for a backend.
 *
 * @packageDocumentation
 */
import { Vtmx, isCancelledError, isSystemError, type FeatureName } from 'vtmx-native';
import {
  B9600,
  CBAUD,
  TIOCM_INPUTS,
  TIOCM_OUTPUTS,
  defaultTermios2,
  toLineSettings,
  type BreakState,
  type LineSettings,
  type Packet,
  type Termios2,
} from 'vtty-protocol';
import { CliError, errorCode, errorMessage } from './errors.js';
import type { PortPlacement } from './identity.js';
import { masterAccessError } from './master-access.js';
import { hotplugMasterDevice, masterDevice } from './master-device.js';
import type { BreakEvent, DataEvent, EventSink, LineError, ModemEvent, OpenEvent, TermiosEvent } from './events.js';

/**
 * The termios of a new port, as docs/protocol.md gives it: a UART's 9600 8N1 with CREAD,
 * HUPCL, CLOCAL and the standard line discipline flags.
 *
 * @returns the termios2
 * @public
 */
export function initialTermios(): Termios2 {
  const t = defaultTermios2();
  const cflag = (t.cflag & ~CBAUD) | B9600;
  return { ...t, cflag: cflag >>> 0, ispeed: 9600, ospeed: 9600 };
}

/** What a backend receives from the application side (a break it sends always has its state). @public */
export type AppActivity = DataEvent | TermiosEvent | ModemEvent | (BreakEvent & { readonly state: BreakState }) | OpenEvent;

/**
 * The driver features every port has enabled: the CLI follows the application's opens and
 * closes and its output lines (DTR, RTS) as they change for any reason.
 *
 * @public
 */
export const PORT_FEATURES: readonly FeatureName[] = ['openEvents', 'modemEvents'];

/**
 * What a backend can do to its port (the port's "hardware" side).
 *
 * @public
 */
export interface PortLink {
  /** `/dev/ttyV<n>`. */
  readonly path: string;
  /** The application's current termios (initially the port's defaults). */
  readonly termios: Termios2;
  /** {@link PortLink.termios} as line settings. */
  readonly settings: LineSettings;
  /** The application's output lines (DTR, RTS…), from the driver's modem packets. */
  readonly outputs: number;
  /** The input lines (CTS, DSR, DCD, RI) the port currently gives the application. */
  readonly inputs: number;
  /** How many times an application has the port open (0: closed). */
  readonly openCount: number;
  /**
   * Deliver bytes to the application (they arrive through its line discipline).
   *
   * @param data - the bytes
   * @returns resolves when the port took them all
   */
  send(data: Uint8Array): Promise<void>;
  /**
   * Deliver what fits now, never waiting (for fan-out to several ports).
   *
   * @param data - the bytes
   * @returns how many bytes the port took
   */
  trySend(data: Uint8Array): number;
  /**
   * Deliver a received break (VTMX_INJECT_RX): the application's line discipline makes of it
   * what its termios says (IGNBRK, BRKINT, PARMRK, or a NUL byte). Ordered after what was sent
   * before.
   *
   * @param state - the break as the sender made it, for the report (undefined: unknown)
   * @returns resolves when the port took it
   */
  sendBreak(state?: BreakState): Promise<void>;
  /**
   * Deliver a character received with a parity or framing error (VTMX_INJECT_RX): the line
   * discipline applies the application's INPCK, IGNPAR and PARMRK. Ordered after what was
   * sent before.
   *
   * @param condition - the error
   * @param byte - the character
   * @returns resolves when the port took it
   */
  sendLineError(condition: LineError, byte: number): Promise<void>;
  /**
   * Set the application's input lines (TIOCM_CTS, TIOCM_DSR, TIOCM_CAR, TIOCM_RNG; other
   * bits are ignored).
   *
   * @param bits - TIOCM mask
   */
  setInputs(bits: number): void;
}

/** Gives an unplugged port its identity, index and name, then plugs it in. */
function place(vtmx: Vtmx, placement: PortPlacement): void {
  const step = (what: string, call: () => void): void => {
    try {
      call();
    } catch (error: unknown) {
      const code = errorCode(error);
      if (code === 'EBUSY') throw new CliError(`${what} is taken by another port`, 1, error);
      if (code === 'EPERM') throw new CliError(`${what}: permission denied`, 1, error);
      throw new CliError(`${what}: ${errorMessage(error)}`, 1, error);
    }
  };
  const { identity, index, name } = placement;
  if (identity !== undefined) step('the port identity', () => { vtmx.setIdentity(identity); });
  if (index !== undefined) step(`index ${String(index)}`, () => { vtmx.setIndex(index); });
  if (name !== undefined) step(`the name '${name}'`, () => { vtmx.setName(name); });
  step('plugging the port in', () => { vtmx.plug(); });
}

/**
 * A virtual serial port owned by the CLI. Open events and modem events are enabled on it
 * ({@link PORT_FEATURES}), so what it knows of the application comes from the driver: opens
 * and closes, and DTR/RTS as they rise on open, fall on the last close (HUPCL) or B0, or drop
 * while input is throttled.
 *
 * @public
 */
export class VirtualPort implements PortLink {
  readonly #vtmx: Vtmx;
  readonly #emit: EventSink;
  #termios: Termios2 = initialTermios();
  #settings: LineSettings = toLineSettings(this.#termios);
  /** No application has a new port open: its DTR and RTS are low. */
  #outputs = 0;
  #inputs = 0;
  #openCount = 0;

  private constructor(vtmx: Vtmx, emit: EventSink) {
    this.#vtmx = vtmx;
    this.#emit = emit;
  }

  /**
   * Create a port (open `/dev/vtmx`) with {@link PORT_FEATURES} and `features` enabled.
   *
   * @param emit - where the port's events go
   * @param features - the driver features the backend needs as well
   * @param device - the master device (default `/dev/vtmx`, or `$VTTY_VTMX`); not used with a
   * `placement`
   * @param placement - an identity, index or name: the port is then made unplugged, through
   * `/dev/vtmx-hotplug` (or `$VTTY_VTMX_HOTPLUG`), given them and plugged in
   * @returns the port
   * @throws {@link CliError} saying how to load the module when `/dev/vtmx` is missing, or
   * that the loaded module lacks a feature
   */
  static async open(
    emit: EventSink,
    features: readonly FeatureName[] = [],
    device: string = masterDevice(),
    placement?: PortPlacement,
  ): Promise<VirtualPort> {
    let vtmx: Vtmx;
    // A port with an identity, index or name starts unplugged: see core/identity.ts.
    if (placement !== undefined) device = hotplugMasterDevice();
    try {
      vtmx = await Vtmx.open({ path: device, hotplug: placement !== undefined });
    } catch (error: unknown) {
      throw masterAccessError(device, error) ?? new CliError(`cannot open ${device}: ${errorMessage(error)}`, 1, error);
    }
    try {
      vtmx.enableFeatures([...PORT_FEATURES, ...features]);
    } catch (error: unknown) {
      await vtmx.close();
      throw new CliError(`the loaded vtty module is older than this vtty command (${errorMessage(error)}): load the module of the same release`, 1, error);
    }
    if (placement !== undefined) {
      try {
        place(vtmx, placement);
      } catch (error: unknown) {
        await vtmx.close();
        throw error;
      }
    }
    return new VirtualPort(vtmx, emit);
  }

  /** Whether the port can be unplugged and plugged in again (it has a placement). */
  get hotplug(): boolean {
    return this.#vtmx.hotplug;
  }

  /** Whether the port is plugged in. */
  get plugged(): boolean {
    return this.#vtmx.plugged;
  }

  /**
   * Unplug the port as a USB adapter is pulled out, or plug it in again, under the same path.
   *
   * @param plugged - the state wanted; nothing happens when it is so already
   */
  setPlugged(plugged: boolean): void {
    if (plugged === this.#vtmx.plugged || this.#vtmx.closed) return;
    if (plugged) this.#vtmx.plug();
    else this.#vtmx.unplug();
    this.#emit({ kind: 'info', code: plugged ? 'plugged' : 'unplugged', port: this.path, message: `${this.path} ${plugged ? 'plugged in' : 'unplugged'}` });
  }

  /** `/dev/ttyV<n>`. */
  get path(): string {
    return this.#vtmx.path;
  }

  /** n of `/dev/ttyV<n>`. */
  get index(): number {
    return this.#vtmx.index;
  }

  get termios(): Termios2 {
    return this.#termios;
  }

  get settings(): LineSettings {
    return this.#settings;
  }

  get outputs(): number {
    return this.#outputs;
  }

  get inputs(): number {
    return this.#inputs;
  }

  get openCount(): number {
    return this.#openCount;
  }

  async send(data: Uint8Array): Promise<void> {
    if (data.length === 0) return;
    this.#emit({ kind: 'data', port: this.path, dir: 'rx', data });
    await this.#vtmx.write(data);
  }

  trySend(data: Uint8Array): number {
    if (data.length === 0 || this.#vtmx.closed) return 0;
    const n = this.#vtmx.tryWrite(data);
    if (n > 0) this.#emit({ kind: 'data', port: this.path, dir: 'rx', data: data.subarray(0, n) });
    return n;
  }

  async sendBreak(state?: BreakState): Promise<void> {
    this.#emit({ kind: 'break', port: this.path, dir: 'rx', ...(state === undefined ? {} : { state }) });
    await this.#vtmx.injectRx('break', 0);
  }

  async sendLineError(condition: LineError, byte: number): Promise<void> {
    this.#emit({ kind: 'line-error', port: this.path, dir: 'rx', condition, byte });
    await this.#vtmx.injectRx(condition, byte);
  }

  setInputs(bits: number): void {
    const inputs = bits & TIOCM_INPUTS;
    if (inputs === this.#inputs || this.#vtmx.closed) return;
    const previous = this.#outputs | this.#inputs;
    this.#vtmx.setModemLines(inputs);
    this.#inputs = inputs;
    this.#emit({ kind: 'modem', port: this.path, dir: 'rx', bits: this.#outputs | inputs, previous });
  }

  /**
   * Read the application's activity until the port is closed, reporting each event and
   * handing it to `handler` (awaited: a slow backend slows the reads, nothing is dropped).
   *
   * @param handler - the backend's handler
   * @returns resolves when the port was closed
   */
  async pump(handler: (activity: AppActivity) => Promise<void> | void): Promise<void> {
    for (;;) {
      let packet: Packet;
      try {
        packet = await this.#vtmx.read();
      } catch (error: unknown) {
        if (this.#vtmx.closed && (isCancelledError(error) || isSystemError(error, 'EBADF'))) return;
        throw error;
      }
      const activity = this.#apply(packet);
      if (activity === undefined) continue;
      this.#emit(activity);
      await handler(activity);
    }
  }

  #apply(packet: Packet): AppActivity | undefined {
    const port = this.path;
    switch (packet.type) {
      case 'data':
        return { kind: 'data', port, dir: 'tx', data: packet.data };
      case 'break':
        return { kind: 'break', port, dir: 'tx', state: packet.state };
      case 'modem': {
        const previous = this.#outputs | this.#inputs;
        this.#outputs = packet.lines & TIOCM_OUTPUTS;
        return { kind: 'modem', port, dir: 'tx', bits: this.#outputs | this.#inputs, previous };
      }
      case 'termios':
        this.#termios = packet.termios;
        this.#settings = toLineSettings(packet.termios);
        return { kind: 'termios', port, dir: 'tx', settings: this.#settings, termios: packet.termios };
      case 'openCount': {
        const previous = this.#openCount;
        this.#openCount = packet.count;
        return { kind: 'open', port, dir: 'tx', count: packet.count, previous };
      }
      default:
        return undefined;
    }
  }

  /** Close the master: the port is hung up and removed. Idempotent. */
  async close(): Promise<void> {
    await this.#vtmx.close();
  }
}
