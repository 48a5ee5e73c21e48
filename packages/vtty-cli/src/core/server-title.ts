/**
 * Which process serves which port: every master is an open `/dev/vtmx`, indistinguishable in
 * /proc, so a running vtty names its ports in its process title (what `ps` and
 * /proc/<pid>/cmdline show): `vtty[/dev/ttyV0] echo --link /tmp/ttyLoop`. `vtty list` reads it
 * back, so a server left in the background by `PORT=$(vtty echo | head -1)` can be found and
 * stopped. The title can only be as long as the original command line (Node reuses its
 * memory), which `node /path/to/vtty.js …` leaves ample room for; the ports come first so a
 * cut falls on the arguments.
 *
 * @packageDocumentation
 */

/**
 * The process title of a vtty serving these ports.
 *
 * @param paths - the port paths
 * @param args - the command's arguments (default: this process's, without node and script)
 * @returns e.g. `vtty[/dev/ttyV0 /dev/ttyV1] pair`
 * @internal
 */
export function serverTitle(paths: readonly string[], args: readonly string[] = process.argv.slice(2)): string {
  return `vtty[${paths.join(' ')}] ${args.join(' ')}`.trimEnd();
}

/**
 * The ports a process title (or a /proc/<pid>/cmdline, NULs and all) names as served.
 *
 * @param title - the title
 * @returns the port paths, none when it is not a vtty server's title
 * @internal
 */
export function portsInTitle(title: string): string[] {
  const m = /^vtty\[([^\]\0]*)\]/.exec(title);
  if (m === null) return [];
  return (m[1] ?? '').split(' ').filter((p) => /^\/dev\/tty(?:USB|ACM)?V\d+$/.test(p));
}
