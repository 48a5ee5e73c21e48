import test, { type ExecutionContext } from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, lstatSync, openSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { scaledDeadline } from 'vtmx-native/testing';
import { runVtty, VTTY_BIN } from '../src/cli-harness.js';
import { assertInsideBench, pollUntil, pyserialRoundTrip, python } from '../src/index.js';
import { commandLine, otherProcesses, stopPortHolders } from '../src/port-holders.js';

// These tests run vtty the way a shell script does: behind /bin/sh pipes (real pipe(2)
// FIFOs, unlike the socketpairs Node gives a child), where the reader of vtty's stdout may
// exit after the first line.

test.before(() => {
  assertInsideBench();
});

/** Every pid this file saw serving a port: killed if a test failed before stopping it. */
const servers = new Set<number>();

test.afterEach.always(async () => {
  for (const pid of servers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  servers.clear();
  await stopPortHolders();
});

interface ShellResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `sh -c script node vtty.js ...args` with stderr in a file (a server left in the
 * background keeps the stderr it was given, so a pipe there would stay open).
 */
async function shell(script: string, args: readonly string[], timeoutMs = 60_000): Promise<ShellResult> {
  const dir = await mkdtemp(join(tmpdir(), 'vtty-sh-'));
  const errPath = join(dir, 'stderr');
  const err = openSync(errPath, 'w');
  const started = Date.now();
  const child = spawn('/bin/sh', ['-c', script, process.execPath, VTTY_BIN, ...args], { stdio: ['ignore', 'pipe', err] });
  closeSync(err);
  let stdout = '';
  pipedStdout(child).on('data', (chunk: string) => {
    stdout += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), scaledDeadline(timeoutMs));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  const ms = Date.now() - started;
  const stderr = await readFile(errPath, 'utf8');
  await rm(dir, { recursive: true });
  return { code, signal, stdout, stderr, ms };
}

/** A child's stdout pipe, as utf8 text. */
function pipedStdout(child: ChildProcess): Readable {
  if (child.stdout === null) throw new Error('stdout is not a pipe');
  child.stdout.setEncoding('utf8');
  return child.stdout;
}

/** Processes whose command line contains `needle`. */
function processesWith(needle: string): number[] {
  return otherProcesses().filter((pid) => (commandLine(pid) ?? '').includes(needle));
}

/** Polls a condition on other processes' state (/proc, files), which no event announces. */
async function waitUntil(t: ExecutionContext, what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  if (!(await pollUntil(check, timeoutMs, 50))) t.fail(`timed out waiting until ${what}`);
}

interface Listed {
  ports: { path: string; appOpen: boolean; servedBy: { pid: number }[] }[];
}

async function servedBy(port: string): Promise<number[]> {
  const r = await runVtty(['list', '--json']);
  const listed = JSON.parse(r.stdout) as Listed;
  return (listed.ports.find((p) => p.path === port)?.servedBy ?? []).map((s) => s.pid);
}

const ECHO_CHECK = `${pyserialRoundTrip(64 * 1024)}
p.dtr = False
time.sleep(0.3 * PACE)
lines = (int(p.dsr), int(p.cd))
p.dtr = True
time.sleep(0.3 * PACE)
print('ok' if bytes(got) == data else 'mismatch %d' % len(got), lines, (int(p.dsr), int(p.cd)))
`;

test.serial('PORT=$(vtty echo | head -1) returns with the path; the port is served on in the background until killed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vtty-script-'));
  const link = join(dir, 'ttyLoop');
  const r = await shell('PORT=$("$0" "$1" echo --link "$2" | head -1); echo "$PORT"', [link], 60_000);
  t.is(r.code, 0, r.stderr);
  const port = r.stdout.trim();
  t.regex(port, /^\/dev\/ttyV\d+$/);
  // Without the hand-over the substitution never returns (the 60 s kill above would end it).
  t.true(r.ms < scaledDeadline(20_000), `took ${r.ms} ms`);
  t.log(`PORT=$(vtty echo | head -1) took ${r.ms} ms`);

  const pid = Number(/pid (\d+) serves (\S+) in the background \(stop it with: kill (\d+)\)/.exec(r.stderr)?.[1]);
  t.true(Number.isInteger(pid) && pid > 0, r.stderr);
  servers.add(pid);
  t.regex(r.stderr, new RegExp(`serves ${port} in the background`));
  t.true(commandLine(pid)?.startsWith(`vtty[${port}] echo --link ${link}`), commandLine(pid));
  t.is(readlinkSync(link), port);

  t.regex((await python(ECHO_CHECK, [link], 120_000)).trim(), /^ok \(0, 0\) \(1, 1\)$/);

  t.deepEqual(await servedBy(port), [pid], 'vtty list --json names the background server');
  const human = await runVtty(['list']);
  t.regex(human.stdout, /^PORT\s+SERVER\s+APP\s+OPENED BY$/m);
  t.regex(human.stdout, new RegExp(`^${port}\\s+${pid}\\s+closed$`, 'm'));

  process.kill(pid, 'SIGTERM');
  await waitUntil(t, 'the server exits', () => commandLine(pid) === undefined);
  servers.delete(pid);
  t.false(existsSync(port), `${port} removed`);
  t.false(existsSync(link), 'link removed');
  await rm(dir, { recursive: true });
});

test.serial('a foreground pipeline (vtty echo | cat) stopped with SIGINT or SIGTERM ends both; vtty exits 0 and cleans up', async (t) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const dir = await mkdtemp(join(tmpdir(), 'vtty-fg-'));
    const link = join(dir, 'ttyFg');
    // The shells trap the signal so they live to report vtty's status; cat and vtty get it
    // with the default disposition, as from a terminal's Ctrl-C to the foreground job.
    const script = 'trap : INT TERM; { trap : INT TERM; "$0" "$1" echo --link "$2"; echo "vtty-status $?" >&2; } | cat';
    const errDir = await mkdtemp(join(tmpdir(), 'vtty-fg-err-'));
    const errPath = join(errDir, 'stderr');
    const err = openSync(errPath, 'w');
    const sh = spawn('/bin/sh', ['-c', script, process.execPath, VTTY_BIN, link], { stdio: ['ignore', 'pipe', err], detached: true });
    closeSync(err);
    let stdout = '';
    pipedStdout(sh).on('data', (chunk: string) => {
      stdout += chunk;
    });
    const closed = once(sh, 'close');
    await waitUntil(t, 'the path comes through cat', () => stdout.includes('\n'));
    const port = stdout.split('\n')[0] ?? '';
    t.regex(port, /^\/dev\/ttyV\d+$/);
    t.true(lstatSync(link).isSymbolicLink());
    const server = processesWith(`vtty[${port}]`);
    t.is(server.length, 1, 'one server process');
    for (const pid of server) servers.add(pid);
    t.regex((await python(ECHO_CHECK, [port], 120_000)).trim(), /^ok /);

    process.kill(-(sh.pid ?? 0), signal);
    const timer = setTimeout(() => process.kill(-(sh.pid ?? 0), 'SIGKILL'), scaledDeadline(20_000));
    await closed;
    clearTimeout(timer);
    const stderr = readFileSync(errPath, 'utf8');
    t.regex(stderr, /^vtty-status 0$/m, `${signal}: ${stderr}`);
    t.notRegex(stderr, /in the background/, `${signal}: not handed over`);
    await waitUntil(t, 'the server exits', () => server.every((pid) => commandLine(pid) === undefined));
    t.false(existsSync(port), `${signal}: ${port} removed`);
    t.false(existsSync(link), `${signal}: link removed`);
    await rm(dir, { recursive: true });
    await rm(errDir, { recursive: true });
  }
});

test.serial('a server whose supervisor is killed outright (SIGKILL) stops too', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vtty-kill-'));
  const link = join(dir, 'ttyKill');
  const sh = spawn('/bin/sh', ['-c', '"$0" "$1" echo --link "$2" | cat', process.execPath, VTTY_BIN, link], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  let stdout = '';
  sh.stdout.setEncoding('utf8');
  sh.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  const closed = once(sh, 'close');
  await waitUntil(t, 'the path comes through cat', () => stdout.includes('\n'));
  const port = stdout.split('\n')[0] ?? '';
  const server = processesWith(`vtty[${port}]`);
  for (const pid of server) servers.add(pid);
  const supervisor = processesWith(`echo --link ${link}`).filter((pid) => !server.includes(pid) && (commandLine(pid) ?? '').includes(VTTY_BIN));
  t.is(server.length, 1);
  t.is(supervisor.length, 1, JSON.stringify(supervisor.map(commandLine)));
  for (const pid of supervisor) process.kill(pid, 'SIGKILL');
  await closed;
  await waitUntil(t, 'the server exits', () => server.every((pid) => commandLine(pid) === undefined));
  t.false(existsSync(port), `${port} removed`);
  t.false(existsSync(link), 'link removed');
  await rm(dir, { recursive: true });
});

test.serial('stdout to a file: no hand-over, the port path is the first line, SIGTERM ends it with status 0', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vtty-file-'));
  const out = join(dir, 'out');
  const fd = openSync(out, 'w');
  const child = spawn(process.execPath, [VTTY_BIN, 'echo'], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  const exited = once(child, 'exit');
  const pid = child.pid ?? 0;
  servers.add(pid);
  await waitUntil(t, 'the path is in the file', () => readFileSync(out, 'utf8').includes('\n'));
  const port = readFileSync(out, 'utf8').split('\n')[0] ?? '';
  t.regex(port, /^\/dev\/ttyV\d+$/);
  t.deepEqual(await servedBy(port), [pid], 'the process started serves the port itself');
  t.regex((await python(ECHO_CHECK, [port], 120_000)).trim(), /^ok /);
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  servers.delete(pid);
  t.is(code, 0);
  t.false(existsSync(port));
  t.is(readFileSync(out, 'utf8'), `${port}\n`);
  await rm(dir, { recursive: true });
});

test.serial('vtty monitor | head -1: printing is the job, so monitor stops (no background server) when the reader exits', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vtty-mon-'));
  const link = join(dir, 'ttyMon');
  const r = await shell('"$0" "$1" monitor --link "$2" -- echo | head -1', [link], 60_000);
  t.is(r.code, 0, r.stderr);
  const port = r.stdout.trim();
  t.regex(port, /^\/dev\/ttyV\d+$/);
  t.notRegex(r.stderr, /in the background/);
  t.deepEqual(processesWith(`vtty[${port}]`), [], 'nothing left serving');
  t.false(existsSync(port));
  t.false(existsSync(link));
  await rm(dir, { recursive: true });
});
