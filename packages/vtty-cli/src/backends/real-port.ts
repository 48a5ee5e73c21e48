/**
 * A real tty (e.g. /dev/ttyUSB0) driven on behalf of virtual ports: settings, modem lines,
 * breaks, data (read with PARMRK, so that breaks and receive errors are seen), and a watch on
 * its input lines.
 *
 * @packageDocumentation
 */
import { isCancelledError, makeRawTermios, openTty, type Tty } from 'vtmx-native';
import {
  BRKINT,
  CBAUD,
  CBAUDEX,
  CIBAUD,
  CLOCAL,
  CMSPAR,
  CREAD,
  CRTSCTS,
  CSIZE,
  CSTOPB,
  HUPCL,
  IGNBRK,
  IGNPAR,
  INPCK,
  ISTRIP,
  IXANY,
  IXOFF,
  IXON,
  PARENB,
  PARMRK,
  PARODD,
  TIOCM_CAR,
  TIOCM_CTS,
  TIOCM_DSR,
  TIOCM_DTR,
  TIOCM_INPUTS,
  TIOCM_RNG,
  TIOCM_RTS,
  type BreakState,
  type Termios2,
} from 'vtty-protocol';
import { CliError, errorMessage } from '../core/errors.js';
import { ParmrkDecoder } from './parmrk-decoder.js';
import { ReceiveErrorNamer, type ReceivedInput } from './receive-errors.js';

/** The c_cflag bits that describe the wire: speed, character size, parity, stop bits, RTS/CTS. */
const WIRE_CFLAG = CBAUD | CBAUDEX | CIBAUD | CSIZE | CSTOPB | PARENB | PARODD | CMSPAR | CRTSCTS | HUPCL;

/** How often input lines are polled when the tty has no TIOCMIWAIT. */
const MODEM_POLL_MS = 20;

/**
 * Input flags the real port must not have: those that drop, fold or act on breaks and receive
 * errors instead of marking them, and XON/XOFF (the virtual port's line discipline does it).
 */
const UNMARKED_IFLAG = IGNBRK | BRKINT | IGNPAR | ISTRIP | IXON | IXOFF | IXANY;

/**
 * The termios to give the real port for an application's termios `app`: the application's
 * wire settings (speed, size, parity, stop bits, RTS/CTS, HUPCL) on a raw port with CREAD and
 * CLOCAL (line editing, echo, XON/XOFF and carrier handling stay with the virtual port's own
 * line discipline, where the application set them), whose input marks breaks and characters
 * with parity or framing errors (PARMRK, INPCK), so that they can be passed on: the virtual
 * port's line discipline then treats them as the application's termios says.
 *
 * @param real - the real port's current termios
 * @param app - the application's termios
 * @returns the termios for the real port
 * @public
 */
export function realPortTermios(real: Termios2, app: Termios2): Termios2 {
  const raw = makeRawTermios(real);
  return {
    ...raw,
    iflag: ((raw.iflag & ~UNMARKED_IFLAG) | PARMRK | INPCK) >>> 0,
    cflag: ((raw.cflag & ~WIRE_CFLAG) | (app.cflag & WIRE_CFLAG) | CREAD | CLOCAL) >>> 0,
    ispeed: app.ispeed,
    ospeed: app.ospeed,
  };
}

/** Callbacks of {@link RealPort.start}. @public */
export interface RealPortHandlers {
  /** Received data, a break, or a character with a parity or framing error, in order. */
  input(input: ReceivedInput): Promise<void>;
  /** Its input lines (TIOCM_CTS/DSR/CAR/RNG) changed. */
  inputs(bits: number): void;
  /** The port hung up or failed (undefined: end of file). */
  ended(error?: CliError): void;
}

/**
 * A real serial port opened for mirroring.
 *
 * @public
 */
export class RealPort {
  readonly path: string;
  readonly #tty: Tty;
  #closed = false;
  #inputs = -1;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;

  private constructor(path: string, tty: Tty) {
    this.path = path;
    this.#tty = tty;
  }

  /**
   * Open a tty without waiting for carrier and without becoming its controlling process.
   *
   * @param path - the device
   * @returns the port
   * @throws {@link CliError} when it cannot be opened or is not a tty
   */
  static open(path: string): RealPort {
    let tty: Tty;
    try {
      tty = openTty(path);
    } catch (error: unknown) {
      throw new CliError(`cannot open ${path}: ${errorMessage(error)}`, 1, error);
    }
    try {
      tty.getAttr();
    } catch (error: unknown) {
      void tty.close();
      throw new CliError(`${path} is not a tty: ${errorMessage(error)}`, 1, error);
    }
    return new RealPort(path, tty);
  }

  /**
   * Apply an application's termios (see {@link realPortTermios}).
   *
   * @param app - the application's termios
   */
  applySettings(app: Termios2): void {
    if (this.#closed) return;
    this.#tty.setAttr(realPortTermios(this.#tty.getAttr(), app), 'drain');
  }

  /**
   * Set DTR and RTS like `outputs` (other lines untouched).
   *
   * @param outputs - TIOCM mask of the application's outputs
   */
  setOutputs(outputs: number): void {
    if (this.#closed) return;
    const want = outputs & (TIOCM_DTR | TIOCM_RTS);
    if (want !== 0) this.#tty.bisModemLines(want);
    const drop = ~want & (TIOCM_DTR | TIOCM_RTS);
    if (drop !== 0) this.#tty.bicModemLines(drop);
  }

  /**
   * Send a break as the application asked.
   *
   * @param state - timed, on or off
   */
  async sendBreak(state: BreakState): Promise<void> {
    if (this.#closed) return;
    if (state.kind === 'on') this.#tty.breakOn();
    else if (state.kind === 'off') this.#tty.breakOff();
    // TCSBRK(0) is the 250 ms break; other lengths go in TCSBRKP's 100 ms units.
    else await this.#tty.sendBreak(state.ms === 250 ? undefined : state.ms);
  }

  /**
   * Write bytes (waiting for room).
   *
   * @param data - the bytes
   */
  async write(data: Uint8Array): Promise<void> {
    if (!this.#closed) await this.#tty.write(data);
  }

  /** @returns the current input lines (TIOCM_CTS/DSR/CAR/RNG) */
  inputs(): number {
    return this.#tty.getModemLines() & TIOCM_INPUTS;
  }

  /**
   * Start reading data and watching the input lines.
   *
   * @param h - callbacks
   */
  start(h: RealPortHandlers): void {
    void this.#readLoop(h);
    void this.#watchLines(h);
  }

  async #readLoop(h: RealPortHandlers): Promise<void> {
    const decoder = new ParmrkDecoder();
    const namer = new ReceiveErrorNamer(() => {
      try {
        return this.#tty.getIcount();
      } catch {
        return undefined; // no TIOCGICOUNT on this tty: marks are named by their look
      }
    });
    try {
      for (;;) {
        const chunk = await this.#tty.read();
        if (chunk.length === 0) {
          if (!this.#closed) h.ended();
          return;
        }
        for (const input of namer.name(decoder.feed(chunk))) await h.input(input);
      }
    } catch (error: unknown) {
      if (this.#closed || isCancelledError(error)) return;
      h.ended(new CliError(`${this.path}: ${errorMessage(error)}`, 1, error));
    }
  }

  #report(h: RealPortHandlers): void {
    const now = this.inputs();
    if (now !== this.#inputs) {
      this.#inputs = now;
      h.inputs(now);
    }
  }

  async #watchLines(h: RealPortHandlers): Promise<void> {
    try {
      this.#report(h);
      for (;;) {
        await this.#tty.waitModemChange(TIOCM_CTS | TIOCM_DSR | TIOCM_CAR | TIOCM_RNG, this.#abort.signal);
        this.#report(h);
      }
    } catch (error: unknown) {
      if (this.#closed || isCancelledError(error)) return;
      // No TIOCMIWAIT on this tty (or it failed): poll TIOCMGET instead.
      this.#timer = setInterval(() => {
        try {
          this.#report(h);
        } catch {
          // the read loop reports a dead port
        }
      }, MODEM_POLL_MS);
    }
  }

  /** Close the port (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#tty.close();
  }
}
