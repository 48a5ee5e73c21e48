/**
 * `--link PATH`: symlinks to the ports, removed on exit.
 *
 * @packageDocumentation
 */
import { lstat, readlink, rm, symlink } from 'node:fs/promises';
import { CliError, errorCode, errorMessage } from './errors.js';

/**
 * Create `link` → `target`. An existing symlink to a `/dev/ttyV*` (left by a killed run) is
 * replaced; anything else at `link` is an error.
 *
 * @param link - the symlink path
 * @param target - the port
 * @throws {@link CliError} when the link cannot be made
 * @public
 */
export async function createLink(link: string, target: string): Promise<void> {
  try {
    const st = await lstat(link);
    if (!st.isSymbolicLink() || !(await readlink(link)).startsWith('/dev/ttyV')) {
      throw new CliError(`--link ${link}: the path exists and is not a link to a vtty port`);
    }
    await rm(link);
  } catch (error: unknown) {
    if (error instanceof CliError) throw error;
    if (errorCode(error) !== 'ENOENT') throw new CliError(`--link ${link}: ${errorMessage(error)}`, 1, error);
  }
  try {
    await symlink(target, link);
  } catch (error: unknown) {
    throw new CliError(`--link ${link}: ${errorMessage(error)}`, 1, error);
  }
}

/**
 * Remove a link made by {@link createLink} if it still points at `target`.
 *
 * @param link - the symlink path
 * @param target - the port it should point to
 * @public
 */
export async function removeLink(link: string, target: string): Promise<void> {
  try {
    if ((await readlink(link)) === target) await rm(link);
  } catch {
    // already gone or replaced: nothing of ours to remove
  }
}
