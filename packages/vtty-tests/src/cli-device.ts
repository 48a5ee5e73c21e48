import { Vtmx } from 'vtmx-native';
import { toLineSettings, type LineSettings, type Packet } from 'vtty-protocol';
import { Watched } from './watched.js';

/**
 * The master of a second ttyV that stands in for a real device (/dev/ttyUSB0, the port
 * behind ser2net): records every packet so a test can check what reached the "hardware".
 */
export class DeviceRecorder {
  readonly packets: Packet[] = [];
  readonly #reading: Promise<void>;
  readonly #arrivals: Watched;

  private constructor(readonly master: Vtmx) {
    const arrivals = new Watched({ subject: `device ${master.path}`, seen: () => `packets: ${JSON.stringify(this.packets.map(summary))}` });
    this.#arrivals = arrivals;
    this.#reading = (async () => {
      for await (const p of master) {
        this.packets.push(p);
        arrivals.changed();
      }
    })().catch(() => undefined);
  }

  static async open(): Promise<DeviceRecorder> {
    return new DeviceRecorder(await Vtmx.open());
  }

  get path(): string {
    return this.master.path;
  }

  /** Every data byte received so far, as latin1 text. */
  data(): string {
    return Buffer.concat(this.packets.flatMap((p) => (p.type === 'data' ? [p.data] : []))).toString('latin1');
  }

  /** Line settings of every termios packet so far. */
  settings(): LineSettings[] {
    return this.packets.flatMap((p) => (p.type === 'termios' ? [toLineSettings(p.termios)] : []));
  }

  /** Waits until `check` gives a value, looking again at each packet (deadline on a quiet machine, scaled). */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    return this.#arrivals.waitFor(what, check, timeoutMs);
  }

  /** Waits for a packet matching `match` (searching all packets so far). */
  waitForPacket(what: string, match: (p: Packet) => boolean, timeoutMs?: number): Promise<Packet> {
    return this.waitFor(what, () => this.packets.find(match), timeoutMs);
  }

  /**
   * Waits for a modem packet after packet `after` (an index into {@link packets}) whose lines
   * match; returns its index. Ordered, for a sequence such as "raised, then dropped".
   */
  waitForModem(what: string, match: (lines: number) => boolean, after = -1, timeoutMs?: number): Promise<number> {
    return this.waitFor(
      what,
      () => {
        const i = this.packets.findIndex((p, j) => j > after && p.type === 'modem' && match(p.lines));
        return i < 0 ? undefined : i;
      },
      timeoutMs,
    );
  }

  /** Waits until the received data includes `text`. */
  waitForData(text: string, timeoutMs?: number): Promise<true> {
    return this.waitFor(`data ${JSON.stringify(text)}`, () => (this.data().includes(text) ? true : undefined), timeoutMs);
  }

  async close(): Promise<void> {
    await this.master.close();
    await this.#reading;
  }
}

function summary(p: Packet): unknown {
  switch (p.type) {
    case 'data':
      return { data: Buffer.from(p.data).toString('latin1') };
    case 'termios':
      return { termios: toLineSettings(p.termios) };
    case 'modem':
      return { modem: p.lines };
    case 'break':
      return { break: p.state };
    case 'openCount':
      return { openCount: p.count };
    case 'flush':
      return { flush: p.queue };
  }
}
