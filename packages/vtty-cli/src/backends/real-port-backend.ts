/**
 * `vtty attach /dev/ttyX` and `vtty split /dev/ttyX --count N`: virtual ports on one real
 * port.
 *
 * @packageDocumentation
 */
import type { FeatureName } from 'vtmx-native';
import type { Termios2 } from 'vtty-protocol';
import type { EventSink } from '../core/events.js';
import type { AppActivity, PortLink } from '../core/port.js';
import { deferred, type Backend } from './backend.js';
import type { ReceivedInput } from './receive-errors.js';
import { RealPort } from './real-port.js';

/**
 * One or more virtual ports on one real tty.
 *
 * Termios (speed, size, parity, stop bits, RTS/CTS), DTR/RTS and breaks set on a virtual port
 * are applied to the real one, which is used raw: line editing, echo and XON/XOFF are done by
 * the virtual port's own line discipline (with the driver's software flow control, so an
 * XOFF from the device holds the application's output). The real port's input lines (CTS,
 * DSR, DCD, RI) go to every virtual port, and its CTS holds an application's output under
 * CRTSCTS. Breaks and characters with parity or framing errors the real port receives are
 * passed on as such (the virtual port's termios decides what the application sees). The
 * backend ends when the real port hangs up (e.g. unplugged).
 *
 * With one port (`attach`) what the real port receives is delivered as it comes, waiting
 * while the application's input is full (so the real port's own flow control holds the
 * device). With several (`split`) it goes to every port an application has open, never
 * waiting: a port whose reader is too slow loses what does not fit, with a warning; what any
 * application writes is merged onto the real port. Line settings come from the first port
 * opened (its owner); other ports' settings are ignored (with a notice) until the owner
 * closes, when the next-oldest open port becomes owner and its settings are applied. DTR and
 * RTS are high while any application holds them high, so that one closing its port does not
 * drop them under another. Opens and closes are the driver's open events.
 *
 * @public
 */
export class RealPortBackend implements Backend {
  readonly portCount: number;
  readonly features: readonly FeatureName[] = ['hwFlow', 'swFlow'];
  readonly #path: string;
  readonly #done = deferred<undefined>();
  #links: readonly PortLink[] = [];
  #real: RealPort | undefined;
  #emit: EventSink = () => undefined;
  /** Indices of open ports, oldest first; the first is the owner. */
  #openOrder: number[] = [];
  readonly #termios = new Map<number, Termios2>();
  readonly #dropWarned = new Set<number>();

  /**
   * @param path - the real tty
   * @param count - how many virtual ports (1: attach)
   */
  constructor(path: string, count = 1) {
    this.#path = path;
    this.portCount = count;
  }

  get done(): Promise<void> {
    return this.#done.promise;
  }

  /** The owner's index, if any port is open. */
  get owner(): number | undefined {
    return this.#openOrder[0];
  }

  start(links: readonly PortLink[], emit: EventSink): Promise<void> {
    this.#links = links;
    this.#emit = emit;
    const first = links[0];
    if (first === undefined) throw new Error('a real-port backend needs a port');
    const real = RealPort.open(this.#path);
    this.#real = real;
    real.applySettings(first.termios);
    this.#applyOutputs();
    if (links.length === 1) emit({ kind: 'info', code: 'attached', message: `mirroring ${this.#path}`, details: { device: this.#path } });
    real.start({
      input: (input) => this.#deliver(input),
      inputs: (bits) => {
        for (const l of links) l.setInputs(bits);
      },
      ended: (error) => {
        if (error === undefined) {
          emit({ kind: 'info', code: 'hangup', message: `${this.#path} hung up` });
          this.#done.resolve(undefined);
        } else this.#done.reject(error);
      },
    });
    return Promise.resolve();
  }

  /** What the real port received: to the one port (waiting for room), or fanned out. */
  async #deliver(input: ReceivedInput): Promise<void> {
    if (this.#links.length === 1) {
      const link = this.#links[0];
      if (link !== undefined) await deliverTo(link, input);
      return;
    }
    for (const i of this.#openOrder) {
      const link = this.#links[i];
      if (link === undefined) continue;
      if (input.kind !== 'data') {
        // Rare and small: queued behind the port's earlier data, without holding up the others.
        deliverTo(link, input).catch(() => undefined);
        continue;
      }
      const n = link.trySend(input.data);
      if (n < input.data.length && !this.#dropWarned.has(i)) {
        this.#dropWarned.add(i);
        this.#emit({ kind: 'warning', code: 'dropped', port: link.path, message: `${link.path} is not reading: ${input.data.length - n} bytes dropped (warned once)` });
      }
    }
  }

  #opened(i: number): void {
    if (this.#openOrder.includes(i)) return;
    this.#openOrder.push(i);
    if (this.#openOrder.length === 1) this.#newOwner();
  }

  #closed(i: number): void {
    const before = this.owner;
    this.#openOrder = this.#openOrder.filter((j) => j !== i);
    this.#dropWarned.delete(i);
    if (this.owner !== before) this.#newOwner();
  }

  #newOwner(): void {
    const i = this.owner;
    if (i === undefined) return;
    const link = this.#links[i];
    if (link === undefined) return;
    if (this.#links.length > 1) {
      this.#emit({ kind: 'info', code: 'owner', port: link.path, message: `${link.path} owns the line settings`, details: { owner: link.path } });
    }
    this.#real?.applySettings(this.#termios.get(i) ?? link.termios);
  }

  /** DTR and RTS: high where any application holds them high. */
  #applyOutputs(): void {
    let outputs = 0;
    for (const l of this.#links) outputs |= l.outputs;
    this.#real?.setOutputs(outputs);
  }

  async handle(activity: AppActivity, index: number): Promise<void> {
    const real = this.#real;
    if (real === undefined) return;
    switch (activity.kind) {
      case 'data':
        await real.write(activity.data);
        return;
      case 'open':
        if (activity.count > 0) this.#opened(index);
        else this.#closed(index);
        return;
      case 'termios':
        this.#termios.set(index, activity.termios);
        if (this.owner === index || this.#links.length === 1) real.applySettings(activity.termios);
        else {
          this.#emit({
            kind: 'info',
            code: 'settings-ignored',
            port: activity.port,
            message: `settings of ${activity.port} not applied: ${this.#links[this.owner ?? 0]?.path ?? '?'} owns the line settings`,
          });
        }
        return;
      case 'modem':
        this.#applyOutputs();
        return;
      case 'break':
        await real.sendBreak(activity.state);
        return;
    }
  }

  async close(): Promise<void> {
    await this.#real?.close();
  }
}

/**
 * Deliver one piece of the real port's input to a virtual port.
 *
 * @param link - the port
 * @param input - data, a break or a receive error
 * @returns resolves when the port took it
 */
function deliverTo(link: PortLink, input: ReceivedInput): Promise<void> {
  switch (input.kind) {
    case 'data':
      return link.send(input.data);
    case 'break':
      return link.sendBreak();
    case 'error':
      return link.sendLineError(input.condition, input.byte);
  }
}
