// How long the vtty command takes to start, against Node's own start
// (issue 23): `node -e 0` to its exit, `vtty --version` and `vtty --help` to
// theirs, and `vtty echo` to its first line of stdout (the port path), after
// which it gets SIGTERM and must exit 0. Where there is no /dev/vtmx (the
// host), `vtty echo` fails with "module not loaded", and the time until it
// exits with that error stands in: it loads the same code as far as the
// first open of /dev/vtmx.
//
// The cases take turns, in an order that rotates from one run to the next,
// after one round that is not counted (it fills the page cache). Prints one
// JSON line per case, in the style of vttyperf's: medians of the runs, and
// the ratio to `node -e 0` (the median of each run's ratio, with its range).
// The children's stdout is Node's pipe (a socketpair, not a FIFO), so
// `vtty echo` serves the port itself, as on a terminal; in a shell pipeline
// it would hand it to a second process (see core/supervisor.ts).
//
//   node bench/startup.mjs [--runs N] [--bin PATH] [--deadline SECONDS] [--where NAME]
//
// --where names the machine in the output (default: "uml" inside user-mode
// Linux, else "host"; bench/guest.sh says "debian-6.1" in QEMU).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    bin: { type: 'string', default: fileURLToPath(new URL('../packages/vtty-cli/dist/bin/vtty.cjs', import.meta.url)) },
    // Generous: a cold start of the debug UML kernel takes seconds, not minutes.
    deadline: { type: 'string', default: '120' },
    where: { type: 'string' },
  },
});
const runs = Number(opts.runs);
const deadlineMs = Number(opts.deadline) * 1000;
if (!Number.isInteger(runs) || runs < 1 || !(deadlineMs > 0)) {
  console.error('usage: node bench/startup.mjs [--runs N] [--bin PATH] [--deadline SECONDS] [--where NAME]');
  process.exit(2);
}
if (!existsSync(opts.bin)) {
  console.error(`bench: ${opts.bin} does not exist (pnpm build first)`);
  process.exit(1);
}

const haveVtmx = existsSync('/dev/vtmx');
let cpuinfo = '';
try {
  cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
} catch {
  // not Linux: "host" it is
}
const where = opts.where ?? (/^vendor_id\s*:\s*User Mode Linux/m.test(cpuinfo) ? 'uml' : 'host');

// `until`: 'exit' (exit status 0), 'first-line' (then SIGTERM, exit status
// 0) or 'error' (exit status 1 without a line on stdout).
const cases = [
  { id: 'node', label: 'node -e 0', args: ['-e', '0'], until: 'exit' },
  { id: 'version', label: 'vtty --version', args: [opts.bin, '--version'], until: 'exit' },
  { id: 'help', label: 'vtty --help', args: [opts.bin, '--help'], until: 'exit' },
  haveVtmx
    ? { id: 'echo', label: 'vtty echo to its first line', args: [opts.bin, 'echo'], until: 'first-line' }
    : { id: 'echo_error', label: 'vtty echo to its error', args: [opts.bin, 'echo'], until: 'error' },
];

/**
 * Run one case once.
 * @returns milliseconds from spawn() to the exit, or to the first line of stdout
 */
function measure(c) {
  return new Promise((resolve, reject) => {
    const what = `${c.label} (${process.execPath} ${c.args.join(' ')})`;
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, c.args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let elapsed;
    const fail = (why) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`bench: ${what}: ${why}\nstdout: ${JSON.stringify(stdout)}\nstderr: ${JSON.stringify(stderr)}`));
    };
    const timer = setTimeout(() => {
      fail(elapsed === undefined
        ? `no ${c.until === 'first-line' ? 'first line on stdout' : 'exit'} within ${deadlineMs / 1000} s`
        : `did not exit within ${deadlineMs / 1000} s of SIGTERM`);
    }, deadlineMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (c.until === 'first-line' && elapsed === undefined && stdout.includes('\n')) {
        elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        child.kill('SIGTERM');
      }
    });
    child.on('error', (error) => fail(error.message));
    child.on('exit', (code, signal) => {
      if (c.until !== 'first-line') elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      const expected = c.until === 'error' ? 1 : 0;
      // 'close' (stdio drained) tells whether a line came after all.
      child.on('close', () => {
        clearTimeout(timer);
        if (c.until === 'first-line' && !stdout.includes('\n')) fail(`exited (${signal ?? code}) without printing a line on stdout`);
        else if (c.until === 'error' && stdout !== '') fail('printed on stdout, but /dev/vtmx does not exist');
        else if (code !== expected) fail(`exit status ${signal ?? code}, expected ${expected}`);
        else resolve(elapsed);
      });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

const times = new Map(cases.map((c) => [c.id, []]));
try {
  for (let run = 0; run <= runs; run++) {
    // Rotate the order, so that no case always follows the same one.
    const order = cases.map((_, i) => cases[(i + run) % cases.length]);
    for (const c of order) {
      const ms = await measure(c);
      if (run > 0) times.get(c.id).push(ms);
    }
    process.stderr.write(run === 0 ? 'startup: ' : '.');
  }
  process.stderr.write('\n');
} catch (error) {
  process.stderr.write('\n');
  console.error(error.message);
  process.exit(1);
}

const base = times.get('node');
for (const c of cases) {
  const ms = times.get(c.id);
  const ratios = ms.map((x, i) => x / base[i]);
  console.log(JSON.stringify({
    kind: 'startup',
    case: c.id,
    label: c.label,
    until: c.until,
    where,
    kernel: release(),
    node: process.version,
    runs,
    median_ms: round(median(ms), 1),
    min_ms: round(Math.min(...ms), 1),
    max_ms: round(Math.max(...ms), 1),
    ratio: round(median(ratios)),
    ratio_min: round(Math.min(...ratios)),
    ratio_max: round(Math.max(...ratios)),
    per_run_ms: ms.map((x) => round(x, 1)),
  }));
}
