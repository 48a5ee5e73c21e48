/**
 * `vtty pair`: two ports joined by a null-modem cable.
 *
 * @packageDocumentation
 */
import type { FeatureName } from 'vtmx-native';
import { formatLineSettings, type LineSettings } from 'vtty-protocol';
import type { EventSink } from '../core/events.js';
import type { AppActivity, PortLink } from '../core/port.js';
import { never, type Backend } from './backend.js';
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
 * The lines are the driver's: DTR and RTS rise when an application opens its port and fall
 * when it closes it (HUPCL), and with CRTSCTS an application whose input is full drops RTS,
 * which holds the other's output (hardware flow control across the cable). A break reaches
 * the other application as a received break, which its termios turns into a NUL, a marked
 * \377 \0 \0 (PARMRK), a SIGINT (BRKINT) or nothing (IGNBRK).
 *
 * @public
 */
export class PairBackend implements Backend {
  readonly portCount = 2;
  readonly features: readonly FeatureName[] = ['hwFlow'];
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
      case 'break':
        // A break is one event at the receiver, when the line goes to space.
        if (activity.state.kind !== 'off') await other.sendBreak(activity.state);
        return;
      case 'open':
        return;
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
