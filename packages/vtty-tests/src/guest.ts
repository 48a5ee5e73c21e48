import { existsSync } from 'node:fs';
import { DEFAULT_VTMX_PATH } from 'vtty-protocol';

/**
 * The suite only means something inside the bench's user-mode Linux, with
 * the module loaded. Anywhere else every test would fail for a reason that
 * has nothing to do with vtty, so say so once, clearly.
 */
export function assertInsideBench(): void {
  if (!existsSync(DEFAULT_VTMX_PATH)) {
    throw new Error(
      `${DEFAULT_VTMX_PATH} does not exist: vtty-tests runs inside user-mode Linux with the module loaded. ` +
        'Run `pnpm test:uml` at the repository root.',
    );
  }
}
