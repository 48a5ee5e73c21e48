// Throughput of a master written with vtmx-native against a plain blocking C master, on the
// same boot: 64 MiB each way in 4 KiB writes, the application side being the same C program
// (bench/vttybench.c) for both. The Node master reads with readInto() into one reused buffer,
// as a busy master should; the readRaw() path (a pooled view per packet, left to the GC) is
// measured too, for information, and so is master -> application against a C master that writes
// non-blocking and polls on EAGAIN as the binding does: the same kernel path, so that ratio is the
// binding's and Node's own cost, the other one also the cost of the kernel's non-blocking path.
// Two more ways of writing are measured against that non-blocking C master, for information
// (issue 22): every write queued at once and awaited together (no promise turn-around between
// writes), and 64 KiB writes (16 times fewer calls).
// Run inside UML:
//   uml/run.sh -- pnpm --filter vtmx-native bench
// VTTY_BENCH_BYTES sets the bytes each way; VTTY_BENCH_DIRECTION=out or in measures one direction
// only (bench/profile.sh profiles them apart).
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Vtmx } from 'vtmx-native';

const BYTES = Number(process.env.VTTY_BENCH_BYTES ?? 64 * 1024 * 1024);
const CHUNK = 4096;
const THRESHOLD = 0.8;
type Direction = 'out' | 'in';
const DIRECTIONS: readonly Direction[] =
  process.env.VTTY_BENCH_DIRECTION === 'out' ? ['out'] : process.env.VTTY_BENCH_DIRECTION === 'in' ? ['in'] : ['out', 'in'];
type ReadApi = 'readInto' | 'readRaw';
/** How the Node master writes: awaiting each CHUNK, queuing every CHUNK at once, or LARGE_CHUNK blocks. */
type WriteWay = 'each' | 'queued' | 'large';
const LARGE_CHUNK = 65536;

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = `${root}build-test/bench`;
const helper = `${outDir}/vttybench`;

function buildHelper(): void {
  mkdirSync(outDir, { recursive: true });
  execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-o', helper, `${root}bench/vttybench.c`], { stdio: 'inherit' });
}

function cMaster(direction: Direction, nonblock = false): number {
  const args = ['master', direction, String(BYTES), String(CHUNK), ...(nonblock ? ['nonblock'] : [])];
  const out = execFileSync(helper, args, { encoding: 'utf8' });
  return Number(out.trim());
}

async function expectByte(child: ChildProcessByStdio<Writable, Readable, null>, want: string): Promise<void> {
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  if (chunk.toString() !== want) throw new Error(`helper said ${JSON.stringify(chunk.toString())}, expected ${want}`);
}

async function bindingMaster(direction: Direction, api: ReadApi = 'readInto', way: WriteWay = 'each'): Promise<number> {
  const vtmx = await Vtmx.open();
  try {
    const child = spawn(helper, ['app', direction, vtmx.path, String(BYTES), String(CHUNK)], { stdio: ['pipe', 'pipe', 'inherit'] });
    await expectByte(child, 'R');
    // the application's raw-mode termios packet
    const first = await vtmx.read();
    if (first.type !== 'termios') throw new Error(`unexpected first packet ${first.type}`);
    const done = expectByte(child, 'D');
    const t0 = performance.now();
    child.stdin.write('G');
    if (direction === 'out') {
      const size = way === 'large' ? LARGE_CHUNK : CHUNK;
      const buf = new Uint8Array(size).fill(0x79);
      if (way === 'queued') {
        const writes: Promise<void>[] = [];
        for (let sent = 0; sent < BYTES; sent += size) writes.push(vtmx.write(buf));
        await Promise.all(writes);
      } else {
        for (let sent = 0; sent < BYTES; sent += size) await vtmx.write(buf);
      }
    } else if (api === 'readInto') {
      const buffer = new Uint8Array(256 * 1024);
      let got = 0;
      while (got < BYTES) {
        for (const raw of await vtmx.readInto(buffer)) if (raw[0] === 0) got += raw.length - 1;
      }
    } else {
      let got = 0;
      while (got < BYTES) {
        const raw = await vtmx.readRaw();
        if (raw[0] === 0) got += raw.length - 1;
      }
    }
    await done;
    const seconds = (performance.now() - t0) / 1000;
    child.stdin.end();
    await once(child, 'exit');
    return BYTES / 1048576 / seconds;
  } finally {
    await vtmx.close();
  }
}

buildHelper();
let ok = true;
console.log(`vtmx-native throughput, ${BYTES / 1048576} MiB each way, ${CHUNK}-byte writes`);
for (const direction of DIRECTIONS) {
  const label = direction === 'out' ? 'master -> application' : 'application -> master';
  const c = cMaster(direction);
  const node = await bindingMaster(direction);
  const ratio = node / c;
  if (ratio < THRESHOLD) ok = false;
  console.log(`${label}: C master ${c.toFixed(1)} MiB/s, vtmx-native ${node.toFixed(1)} MiB/s, ratio ${(ratio * 100).toFixed(0)}% ${ratio >= THRESHOLD ? 'OK' : `BELOW ${THRESHOLD * 100}%`}`);
  if (direction === 'out') {
    const nonblocking = cMaster(direction, true);
    console.log(`${label} against a non-blocking C master (information): C master ${nonblocking.toFixed(1)} MiB/s, vtmx-native ${node.toFixed(1)} MiB/s, ratio ${((node / nonblocking) * 100).toFixed(0)}%`);
    for (const [way, what] of [['queued', `every ${CHUNK}-byte write queued at once`], ['large', `${LARGE_CHUNK}-byte writes`]] as const) {
      const other = await bindingMaster(direction, 'readInto', way);
      console.log(`${label}, ${what} (information): vtmx-native ${other.toFixed(1)} MiB/s, ratio to the non-blocking C master ${((other / nonblocking) * 100).toFixed(0)}%`);
    }
  }
  if (direction === 'in') {
    const pooled = await bindingMaster(direction, 'readRaw');
    console.log(`${label} with readRaw() (information): vtmx-native ${pooled.toFixed(1)} MiB/s, ratio ${((pooled / c) * 100).toFixed(0)}%`);
  }
}
process.exitCode = ok ? 0 : 1;
