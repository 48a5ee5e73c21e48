/**
 * The package version, for `--version`.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';

/**
 * The version in this package's package.json.
 *
 * @returns e.g. `'0.1.0'`
 * @public
 */
export function packageVersion(): string {
  const raw: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  if (typeof raw === 'object' && raw !== null && 'version' in raw && typeof raw.version === 'string') return raw.version;
  return '0.0.0';
}
