import { existsSync } from 'node:fs';

/**
 * The suite only means something inside the bench's user-mode Linux, with
 * the module loaded. Anywhere else every test would fail for a reason that
 * has nothing to do with vtty, so say so once, clearly.
 */
export function assertInsideBench(): void {
  if (!existsSync('/dev/vtmx')) {
    throw new Error(
      '/dev/vtmx does not exist: vtty-tests runs inside user-mode Linux with the module loaded. ' +
        'Run `pnpm test:uml` at the repository root.',
    );
  }
}
