/**
 * ANSI colours, only when wanted.
 *
 * @packageDocumentation
 */

/** Colour functions; identity functions when colour is off. @public */
export interface Palette {
  readonly dim: (s: string) => string;
  readonly tx: (s: string) => string;
  readonly rx: (s: string) => string;
  readonly warn: (s: string) => string;
  readonly info: (s: string) => string;
}

const wrap =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`;

const plain = (s: string): string => s;

/** An output stream, which is a terminal's when it has `hasColors()` (`tty.WriteStream`). @public */
export interface ColourTarget {
  readonly isTTY?: boolean;
  hasColors?(env?: object): boolean;
}

/**
 * Decide whether to colour a stream. A terminal answers for itself (`hasColors()` honours
 * `NO_COLOR`, `FORCE_COLOR`, `NODE_DISABLE_COLORS` and `TERM=dumb`); anything else (a pipe, a
 * file) is coloured only when `FORCE_COLOR` asks for it.
 *
 * @param stream - the output
 * @param env - the environment
 * @returns whether to colour
 * @public
 */
export function wantColour(stream: ColourTarget, env: NodeJS.ProcessEnv = process.env): boolean {
  if (stream.isTTY === true && typeof stream.hasColors === 'function') return stream.hasColors(env);
  const force = env.FORCE_COLOR;
  return force !== undefined && force !== '' && force !== '0' && force !== 'false';
}

/**
 * The palette for colour on or off.
 *
 * @param on - whether to colour
 * @returns the palette
 * @public
 */
export function palette(on: boolean): Palette {
  if (!on) return { dim: plain, tx: plain, rx: plain, warn: plain, info: plain };
  return { dim: wrap(2, 22), tx: wrap(36, 39), rx: wrap(33, 39), warn: wrap(31, 39), info: wrap(32, 39) };
}
