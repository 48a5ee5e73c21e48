/**
 * Telnet option negotiation for an RFC 2217 client (RFC 1143's rules, simplified: we only
 * answer changes, so negotiation never loops).
 *
 * @packageDocumentation
 */
import { DO, DONT, WILL, WONT, encodeTelnetCommand, type TelnetVerb } from 'vtty-protocol/rfc2217';

/**
 * Which options each side uses, and the replies a negotiation command needs.
 *
 * @public
 */
export class TelnetOptions {
  readonly #weAccept: ReadonlySet<number>;
  readonly #theyMay: ReadonlySet<number>;
  readonly #us = new Map<number, boolean>();
  readonly #them = new Map<number, boolean>();

  /**
   * @param weAccept - options we agree to use ourselves (answer DO with WILL)
   * @param theyMay - options we want the peer to use (answer WILL with DO)
   */
  constructor(weAccept: Iterable<number>, theyMay: Iterable<number>) {
    this.#weAccept = new Set(weAccept);
    this.#theyMay = new Set(theyMay);
  }

  /**
   * Our opening requests: WILL for every option we use, DO for every one we want.
   *
   * @returns the bytes to send
   */
  offer(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const o of this.#weAccept) {
      this.#us.set(o, true);
      out.push(encodeTelnetCommand(WILL, o));
    }
    for (const o of this.#theyMay) {
      this.#them.set(o, true);
      out.push(encodeTelnetCommand(DO, o));
    }
    return out;
  }

  /** @returns whether we are using `option` (the peer did not refuse it) */
  usingOurs(option: number): boolean {
    return this.#us.get(option) === true;
  }

  /**
   * React to the peer's negotiation command.
   *
   * @param verb - WILL, WONT, DO or DONT
   * @param option - the option
   * @returns bytes to send back (possibly none)
   */
  receive(verb: TelnetVerb, option: number): Uint8Array[] {
    switch (verb) {
      case DO: {
        const want = this.#weAccept.has(option);
        if (this.#us.get(option) === want) return [];
        this.#us.set(option, want);
        return [encodeTelnetCommand(want ? WILL : WONT, option)];
      }
      case DONT:
        if (this.#us.get(option) === false) return [];
        this.#us.set(option, false);
        return [encodeTelnetCommand(WONT, option)];
      case WILL: {
        const want = this.#theyMay.has(option);
        if (this.#them.get(option) === want) return [];
        this.#them.set(option, want);
        return [encodeTelnetCommand(want ? DO : DONT, option)];
      }
      case WONT:
        if (this.#them.get(option) === false) return [];
        this.#them.set(option, false);
        return [encodeTelnetCommand(DONT, option)];
      default:
        return [];
    }
  }
}
