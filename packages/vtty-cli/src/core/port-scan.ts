/**
 * Which ttyV ports exist and who has them open, from sysfs and /proc.
 *
 * The driver reports a port's open count only to the program holding its master (open
 * events), so for `vtty list` "the application side is open" is derived from the processes'
 * file descriptors (`/proc/<pid>/fd/*` pointing at `/dev/ttyV<n>`). That needs
 * permission to read other processes' fd tables (root, or the same user); descriptors that
 * cannot be read are counted in `uninspectable`. Which process holds which port's *master*
 * cannot be told from the descriptors: every master is an open `/dev/vtmx`, indistinguishable
 * in /proc; a vtty server names its ports in its process title instead (core/server-title.ts).
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, readlink } from 'node:fs/promises';
import { portsInTitle } from './server-title.js';
import { masterDevice } from './master-device.js';

/** A process with a port open. @public */
export interface PortOpener {
  /** Process id. */
  readonly pid: number;
  /** Its command name (`/proc/<pid>/comm`). */
  readonly command: string;
}

/** One ttyV port. @public */
export interface PortInfo {
  /** `/dev/ttyV<n>`. */
  readonly path: string;
  /** n. */
  readonly index: number;
  /** `major:minor` from sysfs. */
  readonly device: string;
  /** Whether some process has the port (the application side) open. */
  readonly appOpen: boolean;
  /** The processes that have it open. */
  readonly openedBy: readonly PortOpener[];
  /**
   * The vtty process(es) serving it (holding its master), known from their process titles
   * (core/server-title.ts); empty when the master belongs to another program.
   */
  readonly servedBy: readonly PortOpener[];
}

/** Result of {@link scanPorts}. @public */
export interface PortScan {
  /** The ports, by index. */
  readonly ports: readonly PortInfo[];
  /** Processes whose descriptors could not be read (not root): their opens are unknown. */
  readonly uninspectable: number;
  /** Processes holding `/dev/vtmx` open (masters: vtty servers and other programs), when readable. */
  readonly masters: readonly PortOpener[];
}

/** Where sysfs lists ttys. */
const SYS_TTY = '/sys/class/tty';

async function comm(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return '?';
  }
}

/**
 * The ttyV names sysfs knows, sorted by index.
 *
 * @returns names like `ttyV0`
 * @public
 */
export async function ttyVNames(): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(SYS_TTY);
  } catch {
    return [];
  }
  return names.filter((n) => /^ttyV\d+$/.test(n)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
}

/**
 * Which processes have which of these device paths open.
 *
 * @param paths - device paths to look for
 * @returns openers per path, and how many processes could not be inspected
 * @public
 */
export async function findOpeners(paths: ReadonlySet<string>): Promise<{ openers: Map<string, PortOpener[]>; uninspectable: number }> {
  const openers = new Map<string, PortOpener[]>();
  let uninspectable = 0;
  const pids = (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number);
  await Promise.all(
    pids.map(async (pid) => {
      if (pid === process.pid) return;
      let fds: string[];
      try {
        fds = await readdir(`/proc/${pid}/fd`);
      } catch (error: unknown) {
        if (error instanceof Error && 'code' in error && error.code !== 'ENOENT') uninspectable++;
        return;
      }
      const found = new Set<string>();
      await Promise.all(
        fds.map(async (fd) => {
          try {
            const target = await readlink(`/proc/${pid}/fd/${fd}`);
            if (paths.has(target)) found.add(target);
          } catch {
            // fd closed meanwhile
          }
        }),
      );
      if (found.size === 0) return;
      const command = await comm(pid);
      for (const path of found) {
        const list = openers.get(path) ?? [];
        list.push({ pid, command });
        openers.set(path, list);
      }
    }),
  );
  for (const list of openers.values()) list.sort((a, b) => a.pid - b.pid);
  return { openers, uninspectable };
}

/**
 * List the ttyV ports and who has them open.
 *
 * @returns the scan
 * @public
 */
export async function scanPorts(): Promise<PortScan> {
  const names = await ttyVNames();
  const paths = new Set(names.map((n) => `/dev/${n}`));
  paths.add('/dev/vtmx');
  const { openers, uninspectable } = await findOpeners(paths);
  const masters = openers.get('/dev/vtmx') ?? [];
  const servers = new Map<string, PortOpener[]>();
  await Promise.all(
    masters.map(async (master) => {
      let title: string;
      try {
        title = await readFile(`/proc/${master.pid}/cmdline`, 'utf8');
      } catch {
        return; // exited meanwhile
      }
      for (const path of portsInTitle(title)) servers.set(path, [...(servers.get(path) ?? []), master]);
    }),
  );
  const ports = await Promise.all(
    names.map(async (name): Promise<PortInfo> => {
      let device = '';
      try {
        device = (await readFile(`${SYS_TTY}/${name}/dev`, 'utf8')).trim();
      } catch {
        // gone meanwhile
      }
      const path = `/dev/${name}`;
      const by = openers.get(path) ?? [];
      const servedBy = (servers.get(path) ?? []).sort((a, b) => a.pid - b.pid);
      return { path, index: Number(name.slice(4)), device, appOpen: by.length > 0, openedBy: by, servedBy };
    }),
  );
  return { ports, uninspectable, masters };
}

/**
 * Is the vtty module loaded (does its master device exist)?
 *
 * @param device - the master device (default `/dev/vtmx`, or `$VTTY_VTMX`)
 * @returns true when loaded
 * @public
 */
export function moduleLoaded(device: string = masterDevice()): boolean {
  return existsSync(device);
}
