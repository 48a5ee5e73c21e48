/**
 * `vtty rfc2217 HOST:PORT`: an RFC 2217 (Telnet Com Port Control) client.
 *
 * @packageDocumentation
 */
import type { Socket } from 'node:net';
import type { FeatureName } from 'vtmx-native';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatLineSettings, type LineSettings } from 'vtty-protocol';
import {
  DO,
  OPTION_BINARY,
  OPTION_COM_PORT,
  OPTION_SGA,
  TelnetDecoder,
  breakToComPort,
  decodeComPort,
  encodeComPort,
  encodeTelnetData,
  lineSettingsToComPort,
  modemControlToComPort,
  modemStateToTiocm,
  type ComPortMessage,
} from 'vtty-protocol/rfc2217';
import { formatAddress } from '../core/address.js';
import { errorMessage } from '../core/errors.js';
import type { EventSink } from '../core/events.js';
import type { AppActivity, PortLink } from '../core/port.js';
import { writeSocket } from './stream-bridge.js';
import { deferred, type Deferred } from './backend.js';
import { SocketClientBackend } from './socket-client.js';
import { TelnetOptions } from './telnet-options.js';

/** How long to wait for the server to accept COM-PORT-OPTION before configuring anyway. */
const NEGOTIATION_WAIT_MS = 1000;

function describe(msg: ComPortMessage): string {
  if (msg.command === 'signature') return `signature "${msg.text}"`;
  if ('value' in msg) return `${msg.command} ${msg.value}`;
  return msg.command;
}

/**
 * RFC 2217 client: the application's baud rate, data bits, parity, stop bits, flow control,
 * DTR/RTS and breaks are sent to the access server; the server's modem state (CTS, DSR, DCD,
 * RI) becomes the port's input lines; data flows both ways (Telnet-escaped, BINARY mode).
 * Timed breaks are BREAK ON, a wait, BREAK OFF (RFC 2217 has no timed break). Flow control is
 * enforced on the application's output: under CRTSCTS the server's CTS holds it in the
 * driver, and the server's FLOWCONTROL-SUSPEND holds it until FLOWCONTROL-RESUME. Ends when
 * the server closes the connection.
 *
 * @public
 */
export class Rfc2217Backend extends SocketClientBackend {
  readonly features: readonly FeatureName[] = ['hwFlow'];
  /** Set while the server has suspended our data (FLOWCONTROL-SUSPEND): resolves on RESUME. */
  #suspended: Deferred<undefined> | undefined;
  readonly #options = new TelnetOptions([OPTION_BINARY, OPTION_SGA, OPTION_COM_PORT], [OPTION_BINARY, OPTION_SGA]);
  #link: PortLink | undefined;
  #emit: EventSink = () => undefined;
  #sentSettings: LineSettings | undefined;
  #sentOutputs: number | undefined;
  #configured = false;

  protected connected(socket: Socket, link: PortLink, emit: EventSink): void {
    this.#link = link;
    this.#emit = emit;
    const peer = formatAddress(this.to);
    const decoder = new TelnetDecoder();
    socket.on('data', (chunk: Buffer) => {
      const data: Uint8Array[] = [];
      for (const ev of decoder.feed(chunk)) {
        switch (ev.type) {
          case 'data':
            data.push(ev.data.slice());
            break;
          case 'command':
            for (const reply of this.#options.receive(ev.command, ev.option)) socket.write(reply);
            if (ev.command === DO && ev.option === OPTION_COM_PORT) this.#configure();
            break;
          case 'subnegotiation':
            if (ev.option === OPTION_COM_PORT) this.#comPort(ev.payload);
            break;
          case 'error':
            emit({ kind: 'warning', code: 'telnet-error', message: `Telnet protocol error from ${peer}: ${ev.error.message}` });
            break;
          case 'control':
            break;
        }
      }
      if (data.length === 0) return;
      socket.pause();
      void (async () => {
        for (const d of data) await link.send(d).catch(() => undefined);
        socket.resume();
      })();
    });
    for (const bytes of this.#options.offer()) socket.write(bytes);
    setTimeout(() => {
      this.#configure();
    }, NEGOTIATION_WAIT_MS).unref();
  }

  /** Send the port's whole state once COM-PORT-OPTION is agreed. */
  #configure(): void {
    const link = this.#link;
    if (this.#configured || link === undefined || this.socket === undefined) return;
    if (!this.#options.usingOurs(OPTION_COM_PORT)) {
      this.#emit({ kind: 'warning', code: 'no-com-port', message: `${formatAddress(this.to)} refused COM-PORT-OPTION: settings and modem lines are not sent` });
      return;
    }
    this.#configured = true;
    this.#send([
      { command: 'set-modemstate-mask', server: false, value: 0xff },
      ...lineSettingsToComPort(link.settings),
      ...modemControlToComPort(undefined, link.outputs),
    ]);
    this.#sentSettings = link.settings;
    this.#sentOutputs = link.outputs;
  }

  #send(messages: readonly ComPortMessage[]): void {
    const socket = this.socket;
    if (socket === undefined || socket.destroyed) return;
    for (const m of messages) socket.write(encodeComPort(m));
  }

  #comPort(payload: Uint8Array): void {
    let msg: ComPortMessage;
    try {
      msg = decodeComPort(payload, { lenient: true });
    } catch (error: unknown) {
      this.#emit({ kind: 'warning', code: 'com-port-error', message: `bad COM-PORT-OPTION message: ${errorMessage(error)}` });
      return;
    }
    if (msg.command === 'notify-modemstate' && msg.server) {
      this.#link?.setInputs(modemStateToTiocm(msg.value));
    } else if (msg.command === 'flowcontrol-suspend' && msg.server) {
      this.#suspended ??= deferred();
    } else if (msg.command === 'flowcontrol-resume' && msg.server) {
      this.#suspended?.resolve(undefined);
      this.#suspended = undefined;
    } else if (msg.server && msg.command !== 'notify-linestate') {
      this.#emit({ kind: 'info', code: 'server-reply', message: `server: ${describe(msg)}`, details: { reply: msg } });
    }
  }

  async handle(activity: AppActivity): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return;
    switch (activity.kind) {
      case 'data':
        // Suspended by the server: the application's output waits in the driver (its write
        // blocks once the driver's buffer is full), as behind a UART held by flow control.
        if (this.#suspended !== undefined) await Promise.race([this.#suspended.promise, this.done.catch(() => undefined)]);
        await writeSocket(socket, encodeTelnetData(activity.data));
        return;
      case 'termios':
        if (!this.#configured) return;
        this.#send(lineSettingsToComPort(activity.settings, this.#sentSettings));
        if (formatLineSettings(activity.settings) !== formatLineSettings(this.#sentSettings ?? activity.settings)) {
          this.#emit({ kind: 'info', code: 'settings-sent', message: `sent ${formatLineSettings(activity.settings)}` });
        }
        this.#sentSettings = activity.settings;
        return;
      case 'modem':
        if (!this.#configured) return;
        this.#send(modemControlToComPort(this.#sentOutputs, activity.bits));
        this.#sentOutputs = activity.bits;
        return;
      case 'break':
        if (!this.#configured) return;
        this.#send([breakToComPort(activity.state)]);
        if (activity.state.kind === 'timed') {
          await sleep(activity.state.ms);
          this.#send([breakToComPort({ kind: 'off' })]);
        }
        return;
    }
  }
}
