/**
 * `vtty attach /dev/ttyX`: a virtual port that mirrors a real one.
 *
 * @packageDocumentation
 */
import type { EventSink } from '../core/events.js';
import type { AppActivity, PortLink } from '../core/port.js';
import { deferred, type Backend } from './backend.js';
import { RealPort } from './real-port.js';

/**
 * Mirror a real tty: termios (speed, size, parity, stop bits, RTS/CTS), DTR/RTS and breaks
 * set on the virtual port are applied to the real one; its data and input lines (CTS, DSR,
 * DCD, RI) come back. The real port is used raw: line editing, echo and XON/XOFF are done by
 * the virtual port's line discipline. Ends when the real port hangs up (e.g. unplugged).
 *
 * @public
 */
export class AttachBackend implements Backend {
  readonly portCount = 1;
  readonly #path: string;
  readonly #done = deferred<undefined>();
  #real: RealPort | undefined;

  /** @param path - the real tty */
  constructor(path: string) {
    this.#path = path;
  }

  get done(): Promise<void> {
    return this.#done.promise;
  }

  start(links: readonly PortLink[], emit: EventSink): Promise<void> {
    const link = links[0];
    if (link === undefined) throw new Error('attach needs one port');
    const real = RealPort.open(this.#path);
    this.#real = real;
    real.applySettings(link.termios);
    real.setOutputs(link.outputs);
    emit({ kind: 'info', code: 'attached', message: `mirroring ${this.#path}`, details: { device: this.#path } });
    real.start({
      data: (bytes) => link.send(bytes),
      inputs: (bits) => {
        link.setInputs(bits);
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

  async handle(activity: AppActivity): Promise<void> {
    const real = this.#real;
    if (real === undefined) return;
    switch (activity.kind) {
      case 'data':
        await real.write(activity.data);
        return;
      case 'termios':
        real.applySettings(activity.termios);
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
    await this.#real?.close();
  }
}
