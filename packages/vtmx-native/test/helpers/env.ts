// Shared test environment checks.
import { existsSync } from 'node:fs';
import { DEFAULT_VTMX_PATH } from 'vtmx-native';

/** Whether /dev/vtmx exists (the vtty module is loaded, e.g. inside UML). */
export const HAVE_VTMX = existsSync(DEFAULT_VTMX_PATH);

/** Prints a loud banner once when the /dev/vtmx tests are skipped. */
export function warnIfNoVtmx(file: string): void {
  if (HAVE_VTMX) return;
  const line = '!'.repeat(78);
  process.stderr.write(
    `\n${line}\n!!! ${file}: /dev/vtmx is ABSENT — SKIPPING every test that needs the vtty driver.\n` +
      `!!! Run them inside UML: uml/run.sh -- pnpm --filter vtmx-native test\n${line}\n\n`,
  );
}

/** Resident set size in bytes. */
export function rss(): number {
  return process.memoryUsage.rss();
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `gc()` when node was started with --expose-gc. */
export function collectGarbage(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) g();
}
