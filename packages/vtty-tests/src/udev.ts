// The real udev daemon inside the guest, with the rules the module ships: what turns a port's
// sysfs identity into the properties and links serial port listers read.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pollUntil } from './poll-until.js';
import { run } from './run.js';

/** kernel/99-vtty.rules of this repository. */
export const VTTY_RULES = fileURLToPath(new URL('../../../../kernel/99-vtty.rules', import.meta.url));

/** Where the guest's udev reads rules of its own: /run is the guest's tmpfs, never the host's. */
const RUN_RULES = '/run/udev/rules.d';

const UDEVD = ['/usr/lib/systemd/systemd-udevd', '/lib/systemd/systemd-udevd'].find((path) => existsSync(path));

/**
 * Starts systemd-udevd in the guest with kernel/99-vtty.rules installed (in /run/udev/rules.d,
 * so that the host's /etc stays untouched), after Debian's own rules, which include
 * 60-serial.rules. Fails when udev is not installed (uml/quickstart.sh installs it).
 */
export async function startUdev(): Promise<void> {
  if (UDEVD === undefined) throw new Error('systemd-udevd is not installed: apt-get install udev');
  mkdirSync(RUN_RULES, { recursive: true });
  copyFileSync(VTTY_RULES, `${RUN_RULES}/99-vtty.rules`);
  await run(UDEVD, ['--daemon']);
  // Its control socket may come up after the forked daemon's parent returned.
  const answers = async (): Promise<boolean> => run('udevadm', ['control', '--ping']).then(
    () => true,
    () => false,
  );
  if (!(await pollUntil(answers, 10_000))) throw new Error('systemd-udevd started but does not answer udevadm control --ping');
}

/** Stops the daemon started by {@link startUdev} and removes the rules it was given. */
export async function stopUdev(): Promise<void> {
  await run('udevadm', ['control', '--exit']);
  rmSync(RUN_RULES, { recursive: true, force: true });
}

/** Waits until udev has handled every event queued so far (its own event wait, no sleep). */
export async function settle(): Promise<void> {
  await run('udevadm', ['settle', '--timeout=60']);
}

/** A test rule file next to the shipped one (`name` like `50-test.rules`), and a reload. */
export async function addTestRules(name: string, text: string): Promise<void> {
  writeFileSync(`${RUN_RULES}/${name}`, text);
  await run('udevadm', ['control', '--reload']);
}

/** Removes a rule file of {@link addTestRules}. */
export async function removeTestRules(name: string): Promise<void> {
  rmSync(`${RUN_RULES}/${name}`, { force: true });
  await run('udevadm', ['control', '--reload']);
}

/** The udev properties of a device node (`udevadm info --query=property`). */
export async function udevProperties(node: string): Promise<Map<string, string>> {
  const { stdout } = await run('udevadm', ['info', '--query=property', `--name=${node}`]);
  const properties = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) properties.set(line.slice(0, at), line.slice(at + 1));
  }
  return properties;
}
