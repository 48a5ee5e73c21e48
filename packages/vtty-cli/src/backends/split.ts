/**
 * `vtty split /dev/ttyX --count N`: several virtual ports sharing one real port.
 *
 * @packageDocumentation
 */
import type { Termios2 } from 'vtty-protocol';
import type { EventSink } from '../core/events.js';
import { OpenTracker } from '../core/open-tracker.js';
import type { AppActivity, PortLink } from '../core/port.js';
import { deferred, type Backend } from './backend.js';
import { RealPort } from './real-port.js';

/**
 * N virtual ports on one real port. Data received on the real port goes to every virtual
 * port an application has open (never waiting: a port whose reader is too slow loses what
 * does not fit, with a warning); what any application writes is merged onto the real port.
 * Line settings come from the first port opened (its owner); other ports' settings are
 * ignored (with a notice) until the owner closes, when the next-oldest open port becomes
 * owner and its settings are applied. DTR/RTS follow whichever application changed them
 * last; breaks from any port are sent; the real port's input lines go to every port.
 *
 * Opens and closes are not reported by the driver: they are noticed by polling /proc (every
 * 250 ms), and a port that sets termios is open by definition.
 *
 * @public
 */
export class SplitBackend implements Backend {
  readonly portCount: number;
  readonly #path: string;
  readonly #done = deferred<undefined>();
  #links: readonly PortLink[] = [];
  #real: RealPort | undefined;
  #tracker: OpenTracker | undefined;
  #emit: EventSink = () => undefined;
  /** Indices of open ports, oldest first; the first is the owner. */
  #openOrder: number[] = [];
  readonly #termios = new Map<number, Termios2>();
  readonly #dropWarned = new Set<number>();

  /**
   * @param path - the real tty
   * @param count - how many virtual ports
   */
  constructor(path: string, count: number) {
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

  async start(links: readonly PortLink[], emit: EventSink): Promise<void> {
    this.#links = links;
    this.#emit = emit;
    const real = RealPort.open(this.#path);
    this.#real = real;
    const first = links[0];
    if (first !== undefined) real.applySettings(first.termios);
    real.setOutputs(first?.outputs ?? 0);
    real.start({
      data: (bytes) => {
        this.#fanOut(bytes);
        return Promise.resolve();
      },
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
    this.#tracker = new OpenTracker(
      links.map((l) => l.path),
      (open) => {
        this.#openChanged(open);
      },
    );
    await this.#tracker.start();
  }

  #fanOut(bytes: Uint8Array): void {
    for (const i of this.#openOrder) {
      const link = this.#links[i];
      if (link === undefined) continue;
      const n = link.trySend(bytes);
      if (n < bytes.length && !this.#dropWarned.has(i)) {
        this.#dropWarned.add(i);
        this.#emit({ kind: 'warning', code: 'dropped', port: link.path, message: `${link.path} is not reading: ${bytes.length - n} bytes dropped (warned once)` });
      }
    }
  }

  #markOpen(i: number): void {
    if (this.#openOrder.includes(i)) return;
    this.#openOrder.push(i);
    if (this.#openOrder.length === 1) this.#newOwner();
  }

  #openChanged(open: ReadonlySet<string>): void {
    const before = this.owner;
    this.#openOrder = this.#openOrder.filter((i) => open.has(this.#links[i]?.path ?? ''));
    for (const [i, l] of this.#links.entries()) {
      if (open.has(l.path) && !this.#openOrder.includes(i)) this.#openOrder.push(i);
      if (!open.has(l.path)) this.#dropWarned.delete(i);
    }
    if (this.owner !== before) this.#newOwner();
  }

  #newOwner(): void {
    const i = this.owner;
    if (i === undefined) return;
    const link = this.#links[i];
    if (link === undefined) return;
    this.#emit({ kind: 'info', code: 'owner', port: link.path, message: `${link.path} owns the line settings`, details: { owner: link.path } });
    this.#real?.applySettings(this.#termios.get(i) ?? link.termios);
  }

  async handle(activity: AppActivity, index: number): Promise<void> {
    const real = this.#real;
    if (real === undefined) return;
    switch (activity.kind) {
      case 'data':
        this.#markOpen(index);
        await real.write(activity.data);
        return;
      case 'termios':
        this.#termios.set(index, activity.termios);
        this.#markOpen(index);
        if (this.owner === index) real.applySettings(activity.termios);
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
        real.setOutputs(activity.bits);
        return;
      case 'break':
        await real.sendBreak(activity.state);
        return;
    }
  }

  async close(): Promise<void> {
    this.#tracker?.stop();
    await this.#real?.close();
  }
}
