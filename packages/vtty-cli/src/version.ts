/**
 * The package version, for `--version`.
 *
 * The bundled `vtty` (dist/bin/vtty.cjs, made by scripts/bundle.mjs) has the version written
 * into it at build time, so that `vtty --version` reads no file; anywhere else (the library
 * compiled by tsc, dist/version.js) it is read from the package.json beside dist/.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';

/** The version string in the bundle (esbuild's `define`); not defined anywhere else. */
declare const __VTTY_CLI_VERSION__: string | undefined;

/**
 * The version in this package's package.json.
 *
 * @returns e.g. `'0.1.0'`
 * @public
 */
export function packageVersion(): string {
  if (typeof __VTTY_CLI_VERSION__ === 'string') return __VTTY_CLI_VERSION__;
  const raw: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  if (typeof raw === 'object' && raw !== null && 'version' in raw && typeof raw.version === 'string') return raw.version;
  return '0.0.0';
}
