/**
 * `vtty echo`: a loopback plug.
 *
 * @packageDocumentation
 */
import type { FeatureName } from 'vtmx-native';
import type { AppActivity, PortLink } from '../core/port.js';
import { never, type Backend } from './backend.js';
import { crossedInputs } from './loopback.js';

/**
 * Echoes every byte back and mirrors DTR → DSR + DCD, RTS → CTS, like a hardware loopback
 * connector. Breaks are reported, not looped back. DTR and RTS are the driver's (high while
 * the application has the port open, with HUPCL).
 *
 * @public
 */
export class EchoBackend implements Backend {
  readonly portCount = 1;
  readonly features: readonly FeatureName[] = [];
  readonly done = never();
  #link: PortLink | undefined;

  start(links: readonly PortLink[]): Promise<void> {
    const link = links[0];
    if (link === undefined) throw new Error('echo needs one port');
    this.#link = link;
    link.setInputs(crossedInputs(link.outputs));
    return Promise.resolve();
  }

  async handle(activity: AppActivity): Promise<void> {
    const link = this.#link;
    if (link === undefined) return;
    if (activity.kind === 'data') await link.send(activity.data);
    else if (activity.kind === 'modem') link.setInputs(crossedInputs(activity.bits));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * No hardware: what the application sends goes nowhere and it receives nothing (the
 * default of `vtty monitor` without a backend).
 *
 * @public
 */
export class SinkBackend implements Backend {
  readonly portCount = 1;
  readonly features: readonly FeatureName[] = [];
  readonly done = never();

  start(): Promise<void> {
    return Promise.resolve();
  }

  handle(): void {
    // nothing is connected
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
