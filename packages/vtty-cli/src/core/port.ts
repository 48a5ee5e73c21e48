/**
 * One virtual port: a `/dev/vtmx` master, what the CLI knows of the application's state, and
 * the pump that turns packets into events for a backend.
 *
 * @packageDocumentation
 */
import { Vtmx, isCancelledError, isSystemError } from 'vtmx-native';
import {
  B0,
  B9600,
  CBAUD,
  TIOCM_DTR,
  TIOCM_INPUTS,
  TIOCM_OUTPUTS,
  TIOCM_RTS,
  defaultTermios2,
  toLineSettings,
  type LineSettings,
  type Packet,
  type Termios2,
} from 'vtty-protocol';
import { CliError, LOAD_HINT, errorCode, errorMessage } from './errors.js';
import type { EventSink, TrafficEvent } from './events.js';

/** Codes that mean /dev/vtmx is missing: the module is not loaded. */
const MODULE_MISSING = new Set(['ENOENT', 'ENODEV', 'ENXIO']);

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

/** What a backend receives from the application side: a `tx` traffic event. @public */
export type AppActivity = TrafficEvent;

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
  /** The application's output lines (DTR, RTS…) as far as the CLI knows. */
  readonly outputs: number;
  /** The input lines (CTS, DSR, DCD, RI) the port currently gives the application. */
  readonly inputs: number;
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
   * Set the application's input lines (TIOCM_CTS, TIOCM_DSR, TIOCM_CAR, TIOCM_RNG; other
   * bits are ignored).
   *
   * @param bits - TIOCM mask
   */
  setInputs(bits: number): void;
}

/**
 * A virtual serial port owned by the CLI.
 *
 * The CLI cannot see the application open the port, nor DTR/RTS rising on open and falling
 * on close (the driver sends no packet for those). It assumes DTR and RTS high until a modem
 * packet says otherwise, and follows the speed: B0 drops both, leaving B0 raises both.
 *
 * @public
 */
export class VirtualPort implements PortLink {
  readonly #vtmx: Vtmx;
  readonly #emit: EventSink;
  #termios: Termios2 = initialTermios();
  #settings: LineSettings = toLineSettings(this.#termios);
  #outputs = TIOCM_DTR | TIOCM_RTS;
  #inputs = 0;

  private constructor(vtmx: Vtmx, emit: EventSink) {
    this.#vtmx = vtmx;
    this.#emit = emit;
  }

  /**
   * Create a port (open `/dev/vtmx`).
   *
   * @param emit - where the port's events go
   * @param device - the master device (default `/dev/vtmx`, or `$VTTY_VTMX`)
   * @returns the port
   * @throws {@link CliError} saying how to load the module when `/dev/vtmx` is missing
   */
  static async open(emit: EventSink, device: string = process.env.VTTY_VTMX ?? '/dev/vtmx'): Promise<VirtualPort> {
    try {
      return new VirtualPort(await Vtmx.open({ path: device }), emit);
    } catch (error: unknown) {
      const code = errorCode(error);
      if (code !== undefined && MODULE_MISSING.has(code)) throw new CliError(`cannot open ${device}: ${LOAD_HINT}`, 1, error);
      if (code === 'EACCES' || code === 'EPERM') {
        throw new CliError(`cannot open ${device}: permission denied (install the module's udev rule and join the dialout group, or run as root)`, 1, error);
      }
      throw new CliError(`cannot open ${device}: ${errorMessage(error)}`, 1, error);
    }
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
      for (const activity of this.#apply(packet)) {
        this.#emit(activity);
        await handler(activity);
      }
    }
  }

  #apply(packet: Packet): AppActivity[] {
    const port = this.path;
    switch (packet.type) {
      case 'data':
        return [{ kind: 'data', port, dir: 'tx', data: packet.data }];
      case 'break':
        return [{ kind: 'break', port, dir: 'tx', state: packet.state }];
      case 'modem': {
        const previous = this.#outputs | this.#inputs;
        this.#outputs = packet.lines & TIOCM_OUTPUTS;
        return [{ kind: 'modem', port, dir: 'tx', bits: this.#outputs | this.#inputs, previous }];
      }
      case 'termios': {
        const wasB0 = (this.#termios.cflag & CBAUD) === B0;
        const isB0 = (packet.termios.cflag & CBAUD) === B0;
        this.#termios = packet.termios;
        this.#settings = toLineSettings(packet.termios);
        const out: AppActivity[] = [{ kind: 'termios', port, dir: 'tx', settings: this.#settings, termios: packet.termios }];
        if (wasB0 !== isB0) {
          const previous = this.#outputs | this.#inputs;
          this.#outputs = isB0 ? this.#outputs & ~(TIOCM_DTR | TIOCM_RTS) : this.#outputs | TIOCM_DTR | TIOCM_RTS;
          out.push({ kind: 'modem', port, dir: 'tx', bits: this.#outputs | this.#inputs, previous, inferred: true });
        }
        return out;
      }
      default:
        return [];
    }
  }

  /** Close the master: the port is hung up and removed. Idempotent. */
  async close(): Promise<void> {
    await this.#vtmx.close();
  }
}
