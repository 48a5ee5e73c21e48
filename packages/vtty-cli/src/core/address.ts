/**
 * Parsing `HOST:PORT` and `[HOST:]PORT` arguments.
 *
 * @packageDocumentation
 */
import { UsageError } from './errors.js';

/** A TCP endpoint. @public */
export interface Address {
  /** Host name or IP address (IPv6 without brackets). */
  host: string;
  /** TCP port, 1..65535. */
  port: number;
}

function parsePort(text: string, whole: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`invalid port in '${whole}': expected a number 1-65535`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new UsageError(`invalid port in '${whole}': ${port} is not in 1-65535`);
  return port;
}

/**
 * Parse `HOST:PORT` (`[::1]:2000` for IPv6).
 *
 * @param text - the argument
 * @returns the address
 * @throws {@link UsageError} when malformed
 * @public
 */
export function parseHostPort(text: string): Address {
  const m = /^\[([^\]]+)\]:(.*)$/.exec(text) ?? /^([^:]+):([^:]*)$/.exec(text);
  if (m?.[1] === undefined || m[2] === undefined) throw new UsageError(`invalid address '${text}': expected HOST:PORT`);
  return { host: m[1], port: parsePort(m[2], text) };
}

/**
 * Parse `PORT` or `HOST:PORT` for listening; the host defaults to `defaultHost`.
 *
 * @param text - the argument
 * @param defaultHost - host when only a port is given
 * @returns the address
 * @throws {@link UsageError} when malformed
 * @public
 */
export function parseListenAddress(text: string, defaultHost: string): Address {
  if (/^\d+$/.test(text)) return { host: defaultHost, port: parsePort(text, text) };
  return parseHostPort(text);
}

/**
 * `host:port`, with brackets around IPv6 hosts.
 *
 * @param a - the address
 * @returns the text
 * @public
 */
export function formatAddress(a: Address): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
