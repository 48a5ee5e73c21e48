/**
 * Which ttyV (ttyUSBV, ttyACMV) ports exist, what they present themselves as, and who has
 * them open, from sysfs and /proc.
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
import { DEFAULT_VTMX_PATH, HOTPLUG_VTMX_PATH } from 'vtty-protocol';
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
  /** False for a port of a vtty server that is unplugged now (SIGUSR1): it has no node. */
  readonly plugged: boolean;
  /** What the port presents itself as (sysfs attributes of its parent), for ports that have one. */
  readonly identity?: PortIdentityInfo;
}

/** A port's identity as sysfs shows it (docs/ABI/sysfs-vtty). @public */
export interface PortIdentityInfo {
  /** `usb-serial`, `usb-acm` or `none`. */
  readonly kind: string;
  /** `vid:pid`, hexadecimal. */
  readonly usbId?: string;
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  readonly product?: string;
  /** Its `/dev/serial/by-vtty/` name. */
  readonly name?: string;
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
  return names.filter((n) => PORT_NAME.test(n)).sort(byFamilyAndIndex);
}

/** The nodes of the three name families: ttyV<n>, ttyUSBV<n>, ttyACMV<n>. */
const PORT_NAME = /^tty(?:USB|ACM)?V(\d+)$/;

function byFamilyAndIndex(a: string, b: string): number {
  const family = (n: string): string => n.replace(/\d+$/, '');
  return family(a).localeCompare(family(b)) || portIndex(a) - portIndex(b);
}

function portIndex(name: string): number {
  return Number(PORT_NAME.exec(name)?.[1] ?? -1);
}

/** The identity attributes of a port's parent on the vtty bus; undefined without one. */
async function readIdentity(name: string): Promise<PortIdentityInfo | undefined> {
  const attr = async (file: string): Promise<string | undefined> => {
    try {
      return (await readFile(`${SYS_TTY}/${name}/device/${file}`, 'utf8')).trimEnd();
    } catch {
      return undefined;
    }
  };
  const kind = await attr('kind');
  if (kind === undefined) return undefined;
  const [vendor, product, serialNumber, manufacturer, productName, portName] = await Promise.all(
    ['idVendor', 'idProduct', 'serial', 'manufacturer', 'product', 'port_name'].map(attr),
  );
  return {
    kind,
    ...(vendor === undefined || product === undefined ? {} : { usbId: `${vendor}:${product}` }),
    ...(serialNumber === undefined ? {} : { serialNumber }),
    ...(manufacturer === undefined ? {} : { manufacturer }),
    ...(productName === undefined ? {} : { product: productName }),
    ...(portName === undefined ? {} : { name: portName }),
  };
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
  paths.add(DEFAULT_VTMX_PATH);
  paths.add(HOTPLUG_VTMX_PATH);
  const { openers, uninspectable } = await findOpeners(paths);
  const masters = [...(openers.get(DEFAULT_VTMX_PATH) ?? []), ...(openers.get(HOTPLUG_VTMX_PATH) ?? [])];
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
      const identity = await readIdentity(name);
      return {
        path,
        index: portIndex(name),
        device,
        appOpen: by.length > 0,
        openedBy: by,
        servedBy,
        plugged: true,
        ...(identity === undefined ? {} : { identity }),
      };
    }),
  );
  // A vtty server names its ports in its title, plugged in or not.
  for (const [path, servedBy] of servers) {
    const name = path.slice('/dev/'.length);
    if (!PORT_NAME.test(name) || names.includes(name)) continue;
    ports.push({ path, index: portIndex(name), device: '', appOpen: false, openedBy: [], servedBy, plugged: false });
  }
  ports.sort((a, b) => byFamilyAndIndex(a.path.slice(5), b.path.slice(5)));
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
