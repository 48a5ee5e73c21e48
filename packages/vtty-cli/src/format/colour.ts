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

/**
 * Decide whether to colour a stream: `FORCE_COLOR` (non-zero) forces colour, `NO_COLOR` turns
 * it off, otherwise colour when the stream is a terminal.
 *
 * @param isTty - whether the output is a terminal
 * @param env - the environment
 * @returns whether to colour
 * @public
 */
export function wantColour(isTty: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty;
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
