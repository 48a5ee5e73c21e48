/**
 * A scripted device: the program behind one `/dev/ttyV<n>`, written as a test script in the
 * spirit of pexpect. It reads everything the application does from the master (data, termios,
 * DTR/RTS, breaks, opens and closes) into a state the script waits on, and gives the
 * application data, input lines and breaks.
 *
 * @packageDocumentation
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Vtmx, type FeatureName } from 'vtmx-native';
import {
  TIOCM_CAR,
  TIOCM_CTS,
  TIOCM_DSR,
  TIOCM_DTR,
  TIOCM_RNG,
  TIOCM_RTS,
  defaultTermios2,
  escapeBytes,
  formatBreakState,
  frameBits,
  formatLineSettings,
  toLineSettings,
  type BreakState,
  type LineSettings,
  type Packet,
  type Termios2,
} from 'vtty-protocol';
import { ChangeLog, type Sequenced } from './change-log.js';
import { DeviceWaitError, type WaitFailure } from './errors.js';
import { describePattern, patternBytes, search, type ExpectMatch, type Pattern } from './patterns.js';
import { byteDiff } from './show.js';
import { forgetDevice, rememberDevice } from './teardown.js';

/** The application's input lines, which the device drives. @public */
export interface InputLines {
  /** Clear To Send. */
  readonly cts: boolean;
  /** Data Set Ready. */
  readonly dsr: boolean;
  /** Data Carrier Detect. */
  readonly dcd: boolean;
  /** Ring Indicator. */
  readonly ri: boolean;
}

/** The application's output lines, which the device watches. @public */
export interface OutputLines {
  /** Data Terminal Ready. */
  readonly dtr: boolean;
  /** Request To Send. */
  readonly rts: boolean;
}

/**
 * Driver features a device may ask for besides those it always has (open and modem events):
 * `'lineRate'` paces data at the application's baud rate, `'hwFlow'` makes CTS hold the
 * application's output under CRTSCTS, `'swFlow'` honours XON/XOFF.
 *
 * @public
 */
export type DeviceFeature = Extract<FeatureName, 'lineRate' | 'hwFlow' | 'swFlow'>;

/** Options of {@link Device.open}. @public */
export interface DeviceOptions {
  /** Extra driver features (see {@link DeviceFeature}). */
  readonly features?: readonly DeviceFeature[];
  /**
   * Send at the application's line rate, as a UART does (10 bits a character at 8N1: 960
   * characters a second at 9600 baud) instead of as fast as the port takes data; each
   * {@link Device.send} can say otherwise. (The `'lineRate'` feature paces the other way: the
   * application's output.)
   */
  readonly paced?: boolean;
  /** The input lines the application sees from the start (default: all low). */
  readonly lines?: Partial<InputLines>;
  /** The default deadline of every wait, in milliseconds (default 5000). */
  readonly timeout?: number;
  /**
   * Registers the device's cleanup with the test framework, so that the port goes away when
   * the test ends however it ends: `(close) => t.teardown(close)` in ava,
   * `(close) => t.after(close)` in `node:test`, `onTestFinished` in vitest. Jest (and anything
   * else) can call {@link closeAllDevices} in `afterEach` instead.
   */
  readonly teardown?: (close: () => Promise<void>) => unknown;
  /** The master device (default `/dev/vtmx`). */
  readonly master?: string;
}

/** The deadline and cancellation of one wait. @public */
export interface WaitOptions {
  /** Milliseconds (default: the device's {@link DeviceOptions.timeout}). */
  readonly timeout?: number;
  /** Ends the wait with reason `'aborted'`. */
  readonly signal?: AbortSignal;
}

/** Options of {@link Device.expect}. @public */
export interface ExpectOptions extends WaitOptions {
  /**
   * The pattern must come next, at the start of the unconsumed data, instead of anywhere in
   * it: a string or byte pattern then fails as soon as a byte differs, with a diff.
   */
  readonly anchored?: boolean;
}

/** Options of the waits on the application's state. @public */
export interface StateWaitOptions extends WaitOptions {
  /**
   * The application must do this before it sends any more data: the wait fails (reason
   * `'data-first'`) as soon as unconsumed data is pending while the condition does not hold.
   */
  readonly beforeData?: boolean;
}

/**
 * Something the application did, in the order it did it ({@link Device.history}).
 *
 * @public
 */
export type ApplicationEvent =
  | { readonly kind: 'data'; readonly data: Uint8Array }
  | { readonly kind: 'settings'; readonly settings: LineSettings; readonly termios: Termios2 }
  | { readonly kind: 'lines'; readonly lines: OutputLines }
  | { readonly kind: 'break'; readonly state: BreakState }
  | { readonly kind: 'open'; readonly count: number };

/** What a wait does when the application closes the port during it. */
type OnClose = 'fail' | 'ignore';

interface WaitSpec<T> {
  /** What is waited for, in words. */
  readonly what: string;
  /**
   * The value once the condition holds, with the sequence number of the packet that made it
   * hold (-1: it held before anything unconsumed came); undefined while it does not; may throw.
   */
  readonly check: () => Sequenced<T> | undefined;
  /** The application's side, for the message of a failure. */
  readonly seen: () => string;
  readonly options: StateWaitOptions;
  readonly onClose: OnClose;
}

const DEFAULT_TIMEOUT = 5000;
/** A paced send writes this much line time at once: fine enough to look like a UART's stream. */
const PACE_SLICE_MS = 20;
const EMPTY = new Uint8Array(0);

function inputBits(lines: InputLines): number {
  return (lines.cts ? TIOCM_CTS : 0) | (lines.dsr ? TIOCM_DSR : 0) | (lines.dcd ? TIOCM_CAR : 0) | (lines.ri ? TIOCM_RNG : 0);
}

/**
 * Output lines as a person reads them.
 *
 * @param lines - DTR and RTS
 * @returns e.g. `DTR high, RTS low`
 * @internal
 */
export function describeOutputLines(lines: Partial<OutputLines>): string {
  const parts: string[] = [];
  if (lines.dtr !== undefined) parts.push(`DTR ${lines.dtr ? 'high' : 'low'}`);
  if (lines.rts !== undefined) parts.push(`RTS ${lines.rts ? 'high' : 'low'}`);
  return parts.join(', ');
}

/**
 * An emulated serial device behind a real `/dev/ttyV<n>`: any serial application (pyserial,
 * node-serialport, minicom, esptool) opens {@link Device.path} and talks to the script.
 *
 * Everything the application does is read as it happens (the driver's open and modem events
 * are enabled), so a wait ends at the packet that satisfies it, never at a clock tick; its
 * deadline only bounds a hang, and a failed wait says what the application did instead.
 *
 * ```ts
 * const modem = await Device.open({ teardown: (close) => t.teardown(close) });
 * // start the application on modem.path, then:
 * await modem.expect('AT\r');
 * await modem.send('OK\r\n');
 * await modem.waitLines({ dtr: false });   // the application dropped DTR
 * ```
 *
 * @public
 */
export class Device {
  readonly #vtmx: Vtmx;
  readonly #timeout: number;
  readonly #paced: boolean;
  /** When the data sent so far has been on the line (performance.now()), for paced sends. */
  #lineFreeAt = 0;
  readonly #waiters = new Set<() => void>();
  readonly #history: ApplicationEvent[] = [];
  readonly #pump: Promise<void>;
  readonly #settings = new ChangeLog<{ readonly settings: LineSettings; readonly termios: Termios2 }>({ settings: toLineSettings(defaultTermios2()), termios: defaultTermios2() });
  readonly #outputs = new ChangeLog<OutputLines>({ dtr: false, rts: false });
  readonly #opens = new ChangeLog<number>(0);
  #inputs: InputLines = { cts: false, dsr: false, dcd: false, ri: false };
  /** How many times the application's open count fell to 0. */
  #closes = 0;
  /** Whether the state packets VTMX_REQUEST_STATE queued have arrived. */
  #stateKnown = false;
  /** Packets applied so far: the order of everything the application did. */
  #seq = 0;
  #pending: Uint8Array = EMPTY;
  /** Where each unconsumed data packet ends in #pending, and its sequence number. */
  #pendingEnds: { readonly seq: number; end: number }[] = [];
  #breaks: Sequenced<BreakState>[] = [];
  #failure: unknown;
  #closed = false;

  private constructor(vtmx: Vtmx, timeout: number, paced: boolean) {
    this.#vtmx = vtmx;
    this.#timeout = timeout;
    this.#paced = paced;
    this.#pump = this.#read().catch((error: unknown) => {
      this.#failure = error;
      this.#changed();
    });
  }

  /**
   * Create a port (open the master) and learn its state.
   *
   * @param options - features, initial lines, default deadline, test-framework teardown
   * @returns the device, its port ready for an application
   * @throws the master's errors (ENOENT: the vtty module is not loaded), or
   * UnsupportedFeatureError for a feature the loaded module lacks
   */
  static async open(options: DeviceOptions = {}): Promise<Device> {
    const vtmx = await Vtmx.open(options.master === undefined ? {} : { path: options.master });
    let device: Device;
    try {
      vtmx.enableFeatures(['openEvents', 'modemEvents', ...(options.features ?? [])]);
      // The port's termios, lines and open count come as packets, in that order: the driver
      // is the one owner of a new port's defaults.
      vtmx.requestState();
      device = new Device(vtmx, options.timeout ?? DEFAULT_TIMEOUT, options.paced === true);
    } catch (error: unknown) {
      await vtmx.close();
      throw error;
    }
    rememberDevice(device);
    options.teardown?.(() => device.close());
    try {
      if (options.lines !== undefined) device.setLines(options.lines);
      await device.#waitFor({ what: 'the new port’s state', check: () => (device.#stateKnown ? { seq: -1, value: true } : undefined), seen: () => 'no state packet came', options: {}, onClose: 'ignore' });
    } catch (error: unknown) {
      await device.close();
      throw error;
    }
    return device;
  }

  /** The port the application opens, `/dev/ttyV<n>`. */
  get path(): string {
    return this.#vtmx.path;
  }

  /** The application's line settings (baud rate, data bits, parity, stop bits, flow control…). */
  get settings(): LineSettings {
    return this.#settings.current.settings;
  }

  /** The application's whole termios2. */
  get termios(): Termios2 {
    return this.#settings.current.termios;
  }

  /** The application's DTR and RTS. */
  get lines(): OutputLines {
    return this.#outputs.current;
  }

  /** The input lines the device gives the application. */
  get inputs(): InputLines {
    return this.#inputs;
  }

  /** How many open files the application has on the port (0: closed). */
  get openCount(): number {
    return this.#opens.current;
  }

  /** The bytes the application sent that no {@link Device.expect} consumed yet. */
  get buffer(): Uint8Array {
    return this.#pending;
  }

  /** Everything the application did, in order, since the device was created. */
  get history(): readonly ApplicationEvent[] {
    return this.#history;
  }

  /** Whether {@link Device.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Wait until the application has sent `pattern`, and consume the data up to the end of the
   * match (pexpect's `expect`).
   *
   * @param pattern - a string (UTF-8), bytes, or a RegExp over the data read as latin1
   * @param options - deadline, `anchored` (the pattern must come next), signal
   * @returns the match and what came before it
   * @throws {@link DeviceWaitError}: `'timeout'` (the message quotes what the application sent
   * instead), `'mismatch'` (anchored: a byte differs; with a diff), `'closed'` (the application
   * closed the port first), `'device-closed'`, `'aborted'`
   */
  async expect(pattern: Pattern, options: ExpectOptions = {}): Promise<ExpectMatch> {
    const anchored = options.anchored === true;
    const what = describePattern(pattern);
    const found = await this.#waitFor({
      what,
      options,
      onClose: 'fail',
      seen: () => this.#describeSent(),
      check: () => {
        const result = search(this.#pending, pattern, anchored);
        if (result === undefined) return undefined;
        if ('mismatchAt' in result) {
          const expected = patternBytes(pattern as string | Uint8Array);
          throw this.#error('mismatch', what, options, `the application sent ${escapeBytes(this.#pending.subarray(0, expected.length + 16))}`, byteDiff(expected, this.#pending));
        }
        this.#consume(result.end);
        return { seq: -1, value: result.found };
      },
    });
    return found;
  }

  /**
   * Take every byte the application sent that no expect consumed, leaving none.
   *
   * @returns the bytes
   */
  clearBuffer(): Uint8Array {
    const taken = this.#pending;
    this.#consume(taken.length);
    return taken;
  }

  /**
   * Give the application bytes (through its line discipline). Paced (see
   * {@link DeviceOptions.paced}), they go out a few at a time at the application's current
   * baud rate and frame size, after anything sent paced before; otherwise as fast as the port
   * takes them.
   *
   * @param data - bytes, or a string (UTF-8)
   * @param options - `paced` for this send
   * @returns resolves when the port took them all
   */
  async send(data: string | Uint8Array, options: { readonly paced?: boolean } = {}): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const settings = this.settings;
    if (!(options.paced ?? this.#paced) || settings.baudRate === 0) {
      await this.#vtmx.write(bytes);
      return;
    }
    const msPerByte = (frameBits(settings) * 1000) / (settings.inputBaudRate ?? settings.baudRate);
    const slice = Math.max(1, Math.floor(PACE_SLICE_MS / msPerByte));
    for (let at = 0; at < bytes.length; at += slice) {
      const piece = bytes.subarray(at, at + slice);
      // A UART starts the next character when the line is free: never before what went out
      // earlier has had its line time, and not in a burst to catch up after an idle spell.
      const wait = this.#lineFreeAt - performance.now();
      if (wait > 0) await delay(wait);
      await this.#vtmx.write(piece);
      this.#lineFreeAt = Math.max(this.#lineFreeAt, performance.now()) + piece.length * msPerByte;
    }
  }

  /**
   * Set some of the application's input lines; those not named keep their level.
   *
   * @param lines - e.g. `{ cts: true, dsr: true, dcd: true }`
   */
  setLines(lines: Partial<InputLines>): void {
    const next = { ...this.#inputs, ...lines };
    this.#vtmx.setModemLines(inputBits(next));
    this.#inputs = next;
  }

  /**
   * A modem's hang-up: drop DCD (an application without CLOCAL is then hung up). The port stays;
   * {@link Device.close} removes it, as unplugging a USB adapter does.
   */
  hangup(): void {
    this.setLines({ dcd: false });
  }

  /**
   * Send the application a break (a received break: its termios decides what it sees: a NUL,
   * SIGINT with BRKINT, `\377 \0 \0` with PARMRK, nothing with IGNBRK). Ordered after the data
   * sent before.
   *
   * @returns resolves when the port took it
   */
  async sendBreak(): Promise<void> {
    await this.#vtmx.injectRx('break', 0);
  }

  /**
   * Send the application a character received with a parity or framing error (its INPCK,
   * IGNPAR and PARMRK decide what it sees).
   *
   * @param condition - `'parity'` or `'frame'`
   * @param byte - the character
   * @returns resolves when the port took it
   */
  async sendLineError(condition: 'parity' | 'frame', byte: number): Promise<void> {
    await this.#vtmx.injectRx(condition, byte);
  }

  /**
   * Wait until the application's DTR and/or RTS are at these levels: as the last wait on the
   * lines left them, or in a change since (every change counts, in order, so a pulse that has
   * already ended is still seen; the changes before the one that matched are passed over).
   *
   * @param want - e.g. `{ dtr: false }`
   * @param options - deadline, `beforeData`, signal
   * @returns the lines then
   * @throws {@link DeviceWaitError}
   */
  waitLines(want: Partial<OutputLines>, options: StateWaitOptions = {}): Promise<OutputLines> {
    return this.#waitFor({
      what: describeOutputLines(want),
      options,
      onClose: 'fail',
      seen: () => `its lines are ${describeOutputLines(this.#outputs.current)}`,
      check: () => this.#outputs.take((l) => (want.dtr === undefined || want.dtr === l.dtr) && (want.rts === undefined || want.rts === l.rts)),
    });
  }

  /**
   * Wait until the application's settings match the given fields of `want`, or a predicate:
   * as the last wait on the settings left them, or in a termios it set since (in order, as
   * {@link Device.waitLines}).
   *
   * @param want - e.g. `{ baudRate: 115200, parity: 'none' }`, or `(s, termios) => boolean`
   * @param options - deadline, `beforeData`, signal
   * @returns the settings then
   * @throws {@link DeviceWaitError}
   */
  waitSettings(want: Partial<LineSettings> | ((settings: LineSettings, termios: Termios2) => boolean), options: StateWaitOptions = {}): Promise<LineSettings> {
    const matches = typeof want === 'function' ? want : (s: LineSettings): boolean => Object.entries(want).every(([k, v]) => s[k as keyof LineSettings] === v);
    return this.#waitFor({
      what: typeof want === 'function' ? 'the expected settings' : `settings ${JSON.stringify(want)}`,
      options,
      onClose: 'fail',
      seen: () => `its settings are ${formatLineSettings(this.#settings.current.settings)}`,
      check: () => {
        const found = this.#settings.take((v) => matches(v.settings, v.termios));
        return found === undefined ? undefined : { seq: found.seq, value: found.value.settings };
      },
    });
  }

  /**
   * Wait for a break the application sends (`tcsendbreak`, TIOCSBRK), and consume it.
   *
   * @param options - deadline, `beforeData`, signal
   * @returns the break: timed (with its duration) or on
   * @throws {@link DeviceWaitError}
   */
  expectBreak(options: StateWaitOptions = {}): Promise<BreakState> {
    return this.#waitFor({
      what: 'a break',
      options,
      onClose: 'fail',
      seen: () => this.#describeSent(),
      check: () => this.#breaks.shift(),
    });
  }

  /**
   * Wait until the application has the port open (as the last wait on opens left it, or in an
   * open since).
   *
   * @param options - deadline, signal
   * @returns how many open files it has
   * @throws {@link DeviceWaitError}
   */
  waitOpen(options: WaitOptions = {}): Promise<number> {
    return this.#waitFor({
      what: 'the application to open the port',
      options,
      onClose: 'ignore',
      seen: () => 'it has not opened it',
      check: () => this.#opens.take((n) => n > 0),
    });
  }

  /**
   * Wait until the application has closed the port, after having opened it (in order, as
   * {@link Device.waitOpen}).
   *
   * @param options - deadline, `beforeData` (no data may be left unconsumed), signal
   * @returns resolves once closed
   * @throws {@link DeviceWaitError}
   */
  async waitClose(options: StateWaitOptions = {}): Promise<void> {
    await this.#waitFor({
      what: 'the application to close the port',
      options,
      onClose: 'ignore',
      seen: () => (this.#opens.current > 0 ? `it has it open; ${this.#describeSent()}` : 'it has not opened it'),
      check: () => (this.#closes > 0 ? this.#opens.take((n) => n === 0) : undefined),
    });
  }

  /**
   * Remove the port (as unplugging the device does): the application's next call fails with
   * EIO, and pending waits fail with reason `'device-closed'`. Idempotent.
   *
   * @returns resolves once the port is gone
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      forgetDevice(this);
      this.#changed();
      await this.#vtmx.close();
    }
    await this.#pump;
  }

  /** The same as {@link Device.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Reads packets until the master is closed (Vtmx's iteration then ends). */
  async #read(): Promise<void> {
    for await (const packet of this.#vtmx) {
      this.#apply(packet);
      this.#changed();
    }
  }

  #apply(packet: Packet): void {
    const seq = this.#seq++;
    switch (packet.type) {
      case 'data':
        this.#pending = this.#pending.length === 0 ? packet.data.slice() : Buffer.concat([this.#pending, packet.data]);
        this.#pendingEnds.push({ seq, end: this.#pending.length });
        this.#history.push({ kind: 'data', data: packet.data.slice() });
        return;
      case 'termios': {
        const value = { settings: toLineSettings(packet.termios), termios: packet.termios };
        if (!this.#stateKnown) {
          this.#settings.reset(value);
          return;
        }
        this.#settings.push(seq, value);
        this.#history.push({ kind: 'settings', ...value });
        return;
      }
      case 'modem': {
        const lines = { dtr: (packet.lines & TIOCM_DTR) !== 0, rts: (packet.lines & TIOCM_RTS) !== 0 };
        if (!this.#stateKnown) {
          this.#outputs.reset(lines);
          return;
        }
        const now = this.#outputs.current;
        if (lines.dtr === now.dtr && lines.rts === now.rts) return;
        this.#outputs.push(seq, lines);
        this.#history.push({ kind: 'lines', lines });
        return;
      }
      case 'break':
        if (packet.state.kind !== 'off') this.#breaks.push({ seq, value: packet.state });
        this.#history.push({ kind: 'break', state: packet.state });
        return;
      case 'openCount':
        // The open-count packet is the last one VTMX_REQUEST_STATE queues.
        if (!this.#stateKnown) {
          this.#opens.reset(packet.count);
          this.#stateKnown = true;
          return;
        }
        if (this.#opens.current > 0 && packet.count === 0) this.#closes++;
        this.#opens.push(seq, packet.count);
        this.#history.push({ kind: 'open', count: packet.count });
        return;
      case 'flush':
        return;
    }
  }

  /** Drop the first `n` unconsumed bytes. */
  #consume(n: number): void {
    if (n === 0) return;
    this.#pending = this.#pending.length === n ? EMPTY : this.#pending.slice(n);
    for (const e of this.#pendingEnds) e.end -= n;
    this.#pendingEnds = this.#pendingEnds.filter((e) => e.end > 0);
  }

  #changed(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  #describeSent(): string {
    const sent: string[] = [];
    if (this.#pending.length > 0) sent.push(escapeBytes(this.#pending));
    if (this.#breaks.length > 0) sent.push(this.#breaks.map((b) => formatBreakState(b.value)).join(', '));
    if (sent.length > 0) return `the application sent ${sent.join(' and ')}`;
    if (this.#opens.current === 0 && this.#closes === 0) return 'the application has not opened the port';
    return 'the application sent nothing';
  }

  #error(reason: WaitFailure, what: string, options: WaitOptions, seen: string, details?: readonly string[], cause?: unknown): DeviceWaitError {
    return new DeviceWaitError({
      reason,
      waitedFor: what,
      seen,
      received: this.#pending,
      timeout: options.timeout ?? this.#timeout,
      ...(details === undefined ? {} : { details }),
      ...(cause === undefined ? {} : { cause }),
    });
  }

  /**
   * The one wait every method uses: evaluate the condition now and after every packet, at the
   * packet (so no state in between is missed), until it holds; fail when the deadline passes,
   * the application has closed the port (if `onClose` says so), it sent data before the change
   * that would satisfy the wait (`beforeData`), or the device is closed.
   */
  #waitFor<T>(spec: WaitSpec<T>): Promise<T> {
    const { options } = spec;
    const timeout = options.timeout ?? this.#timeout;
    return new Promise<T>((resolve, reject) => {
      const fail = (reason: WaitFailure, seen: string, cause?: unknown): void => {
        reject(this.#error(reason, spec.what, options, seen, undefined, cause));
      };
      /** Settles the wait when it can; true once settled. */
      const evaluate = (): boolean => {
        try {
          if (this.#failure !== undefined) fail('device-closed', 'the master failed', this.#failure);
          else if (this.#closed) fail('device-closed', '');
          else {
            const found = spec.check();
            const dataFirst = options.beforeData === true && (this.#pendingEnds[0]?.seq ?? Infinity) < (found?.seq ?? Infinity);
            if (dataFirst) {
              const state = spec.seen();
              fail('data-first', `the application sent ${escapeBytes(this.#pending)}${state.startsWith('the application') ? '' : ` (${state})`}`);
            }
            else if (found !== undefined) resolve(found.value);
            // Like pexpect's EOF: once the application has closed the port, what it did not
            // send will not come (a script that expects a reopen waits for it with waitOpen()).
            else if (spec.onClose === 'fail' && this.#opens.current === 0 && this.#closes > 0) fail('closed', spec.seen());
            else return false;
          }
        } catch (error: unknown) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
        return true;
      };
      if (evaluate()) return;
      const finish = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#waiters.delete(waiter);
      };
      const waiter = (): void => {
        if (evaluate()) finish();
      };
      const onAbort = (): void => {
        finish();
        fail('aborted', spec.seen(), options.signal?.reason);
      };
      const timer = setTimeout(() => {
        finish();
        fail('timeout', spec.seen());
      }, timeout);
      this.#waiters.add(waiter);
      if (options.signal?.aborted === true) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
