import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { scaledDeadline } from 'vtmx-native/testing';

/** A process that has a vtty device open. */
export interface PortHolder {
  readonly pid: number;
  /** Its command line, arguments separated by spaces (a vtty server shows its ports there). */
  readonly command: string;
  /** The vtty devices it has open: `/dev/vtmx(-hotplug)`, `/dev/ttyV<n>` (`ttyUSBV<n>`, `ttyACMV<n>`). */
  readonly devices: readonly string[];
}

const VTTY_DEVICE = /^\/dev\/(vtmx(-hotplug)?|tty(USB|ACM)?V\d+)$/;

/** The entries of a /proc directory, or none once the process is gone (or hidden from us). */
function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function devicesOpenIn(pid: number): string[] {
  const found = new Set<string>();
  for (const fd of entries(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (VTTY_DEVICE.test(target)) found.add(target);
    } catch {
      // closed while we looked
    }
  }
  return [...found].sort();
}

/** A process's command line, arguments separated by spaces; undefined once it has exited. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/** The pid of every process but this one. */
export function otherProcesses(): number[] {
  return entries('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/** Every process other than this one that has /dev/vtmx or a /dev/ttyV<n> open. */
export function portHolders(): PortHolder[] {
  return otherProcesses()
    .map((pid) => ({ pid, command: commandLine(pid) ?? '?', devices: devicesOpenIn(pid) }))
    .filter((holder) => holder.devices.length > 0);
}

/** Whether a process still runs: a zombie has closed its files already, and counts as gone. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** One line per holder: `pid 123 (/dev/vtmx): vtty[/dev/ttyV0] echo`. */
export function describeHolders(holders: readonly PortHolder[]): string {
  return holders.map((h) => `pid ${h.pid} (${h.devices.join(' ')}): ${h.command}`).join('\n');
}

/**
 * Kills every other process that holds a vtty device: what a failed test left running
 * (a `vtty` server, one it left in the background, a Python client), so that it cannot fail
 * the next test. Returns once they have exited. For `afterEach.always`, in files whose tests
 * start such processes.
 *
 * @returns the processes it stopped
 */
export async function stopPortHolders(): Promise<PortHolder[]> {
  const holders = portHolders();
  for (const { pid } of holders) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  // Not our children, most of them (a background server belongs to init): nothing tells us
  // when they exit, so look at /proc until they have.
  const deadline = Date.now() + scaledDeadline(10_000);
  let left = holders.filter(({ pid }) => running(pid));
  while (left.length > 0) {
    if (Date.now() > deadline) throw new Error(`processes holding vtty devices survived SIGKILL:\n${describeHolders(left)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    left = left.filter(({ pid }) => running(pid));
  }
  return holders;
}
