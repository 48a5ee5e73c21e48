/**
 * `vtty pair`: two ports joined by a null-modem cable.
 *
 * @packageDocumentation
 */
import { formatLineSettings, type LineSettings } from 'vtty-protocol';
import type { EventSink } from '../core/events.js';
import type { AppActivity, PortLink } from '../core/port.js';
import { never, type Backend } from './backend.js';
import { breakDelivery } from './break-delivery.js';
import { crossedInputs } from './loopback.js';

/** The line settings that must agree for two UARTs to talk. */
function wireSettings(s: LineSettings): string {
  return `${s.baudRate} ${s.dataBits}${s.parity[0]?.toUpperCase() ?? 'N'}${s.stopBits}`;
}

/**
 * Two ports wired as a null-modem cable: TX → RX, RTS → CTS, DTR → DSR + DCD, breaks
 * crossed; a warning when the two applications' speed, data bits, parity or stop bits differ
 * (and a notice when they agree again).
 *
 * Breaks reach the other application as the NUL byte its line discipline would produce
 * (IGNBRK: nothing); with BRKINT or PARMRK they cannot be delivered (the driver has no break
 * injection) and a warning says so.
 *
 * @public
 */
export class PairBackend implements Backend {
  readonly portCount = 2;
  readonly done = never();
  #links: readonly PortLink[] = [];
  #emit: EventSink = () => undefined;
  #mismatch: string | undefined;

  start(links: readonly PortLink[], emit: EventSink): Promise<void> {
    this.#links = links;
    this.#emit = emit;
    const [a, b] = links;
    if (a === undefined || b === undefined) throw new Error('pair needs two ports');
    a.setInputs(crossedInputs(b.outputs));
    b.setInputs(crossedInputs(a.outputs));
    return Promise.resolve();
  }

  async handle(activity: AppActivity, index: number): Promise<void> {
    const self = this.#links[index];
    const other = this.#links[1 - index];
    if (self === undefined || other === undefined) return;
    switch (activity.kind) {
      case 'data':
        await other.send(activity.data);
        return;
      case 'modem':
        other.setInputs(crossedInputs(activity.bits));
        return;
      case 'termios':
        this.#compare();
        return;
      case 'break': {
        const how = breakDelivery(activity.state, other.termios);
        if (how === undefined) return;
        this.#emit({ kind: 'break', port: other.path, dir: 'rx', state: activity.state });
        if (how.kind === 'nul') await other.send(Uint8Array.of(0));
        else if (how.kind === 'impossible') {
          this.#emit({ kind: 'warning', code: 'break-not-delivered', port: other.path, message: `break from ${self.path} not delivered to ${other.path}: ${how.reason}` });
        }
        return;
      }
    }
  }

  #compare(): void {
    const [a, b] = this.#links;
    if (a === undefined || b === undefined) return;
    const sa = wireSettings(a.settings);
    const sb = wireSettings(b.settings);
    if (sa === sb) {
      if (this.#mismatch !== undefined) {
        this.#emit({ kind: 'info', code: 'settings-match', message: `line settings agree: ${formatLineSettings(a.settings)}` });
      }
      this.#mismatch = undefined;
      return;
    }
    const key = `${sa}|${sb}`;
    if (key === this.#mismatch) return;
    this.#mismatch = key;
    this.#emit({
      kind: 'warning',
      code: 'settings-mismatch',
      message: `line settings disagree: ${a.path} ${sa}, ${b.path} ${sb}`,
      details: { ports: { [a.path]: sa, [b.path]: sb } },
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
