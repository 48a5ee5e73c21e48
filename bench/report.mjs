// Summarises one bench run (bench/out/run-*/): prints a line per case with
// vtty's figure, the pty's figure and the ratio (medians over the runs, each
// with its min-max over the runs), and vtty as a fraction of a plain pipe;
// writes latest-TARGET.json, then chart.svg from every latest-*.json in
// RESULTS_DIR (one bar per platform).
//
//   node bench/report.mjs RUN_DIR [RESULTS_DIR]
//   node bench/report.mjs --chart [RESULTS_DIR]    (only the chart)
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const resultsDir = process.argv[3] ?? 'bench/results';
if (!dir) {
  console.error('usage: node bench/report.mjs RUN_DIR [RESULTS_DIR] | --chart [RESULTS_DIR]');
  process.exit(2);
}
if (dir === '--chart') {
  writeChart(resultsDir);
  process.exit(0);
}

const lines = readFileSync(join(dir, 'raw.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const host = existsSync(join(dir, 'host.json')) ? JSON.parse(readFileSync(join(dir, 'host.json'), 'utf8')) : {};
const env = lines.find((l) => l.kind === 'env') ?? {};
// Runs from before the target was recorded were all UML's.
const target = env.target ?? host.target ?? 'uml';
const qemu = target !== 'uml';

// The targets, as ratios vtty/pty (or Node/C, 64 ports/1 port, vtty/pipe).
// On Debian's SMP kernel, issue 22's; on UML, issue 8's, which were set
// where a system call is a host round trip and vtty could at best draw level.
const TARGETS = qemu
  ? { tput_m2s_4096: 1.5, tput: 2, lat_p50: 0.2, lat_p99: 0.2, node: 0.8, scale: 1.5, pipe_m2s_4096: 0.5 }
  : { tput_m2s_4096: 1.2, tput_s2m_4096: 1.2, tput: 1.0, lat_p50: 1.1, lat_p99: 1.0, node: 0.8, scale: 0.9 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
// Median and range of per-run figures, rounded.
const spread = (xs) => ({ median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) });

// Pairs of (vtty, pty) values for one case, with the run number: the n-th
// vtty figure of a run with the n-th pty figure of that run. A run measures
// some cases twice (the single-port 4 KiB stream is also the 1-port
// aggregate), and every measurement counts.
function pairs(select, value) {
  const runs = new Map();
  for (const l of lines) {
    if (l.run === undefined || !select(l)) continue;
    const seen = runs.get(l.run) ?? [];
    let r = seen.find((p) => p[l.dev] === undefined);
    if (!r) {
      r = { run: l.run };
      seen.push(r);
    }
    r[l.dev] = value(l);
    runs.set(l.run, seen);
  }
  return [...runs.values()].flat().filter((r) => r.vtty !== undefined && r.pty !== undefined);
}

const cases = [];
// better: 'higher' or 'lower'; target: { op: '>=' | '<=', value } on ratio vtty/pty
function addCase(id, label, unit, better, ps, target, extra = {}) {
  if (!ps.length) return;
  const ratios = ps.map((p) => p.vtty / p.pty);
  const c = {
    id,
    label,
    unit,
    better,
    vtty: round(median(ps.map((p) => p.vtty))),
    pty: round(median(ps.map((p) => p.pty))),
    vtty_spread: spread(ps.map((p) => p.vtty)),
    pty_spread: spread(ps.map((p) => p.pty)),
    ratio: round(median(ratios)),
    ratio_min: round(Math.min(...ratios)),
    ratio_max: round(Math.max(...ratios)),
    runs: ps.length,
    per_run: ps.map((p) => ({ vtty: round(p.vtty), pty: round(p.pty) })),
    ...extra,
  };
  if (target) {
    c.target = `${target.op} ${target.value}`;
    c.met = target.op === '>=' ? c.ratio >= target.value : c.ratio <= target.value;
  }
  cases.push(c);
}

const tput = (dir, wsize, ports) => (l) => l.kind === 'tput' && l.dir === dir && l.wsize === wsize && l.ports === ports;
const dirName = { m2s: 'master->tty', s2m: 'tty->master' };
for (const dir of ['m2s', 's2m']) {
  for (const wsize of [4096, 64]) {
    const sel = tput(dir, wsize, 1);
    addCase(`tput_${dir}_${wsize}`, `throughput ${dirName[dir]} ${wsize === 4096 ? '4 KiB' : '64 B'} writes`, 'MiB/s', 'higher',
      pairs(sel, (l) => l.mibps), { op: '>=', value: TARGETS[`tput_${dir}_${wsize}`] ?? TARGETS.tput },
      { evidence: evidence(sel), pipe: pipeShare(sel, `pipe_${dir}_${wsize}`) });
  }
}

// vtty and the pty as fractions of a plain pipe between the same two
// processes, same writes, same run (vttyperf tput pipe): what is left of
// the cost of moving bytes from one process to another.
function pipeShare(sel, targetKey) {
  const share = (dev) => lines.filter((l) => sel(l) && l.dev === dev && l.run !== undefined).map((l) => {
    const pipe = lines.find((q) => sel(q) && q.dev === 'pipe' && q.run === l.run);
    return pipe ? l.mibps / pipe.mibps : undefined;
  }).filter((x) => x !== undefined);
  const vtty = share('vtty');
  if (!vtty.length) return undefined;
  const pipes = lines.filter((l) => sel(l) && l.dev === 'pipe').map((l) => l.mibps);
  const out = { pipe_mibps: spread(pipes), vtty: spread(vtty), pty: spread(share('pty')) };
  const t = TARGETS[targetKey];
  if (t !== undefined) Object.assign(out, { target: `>= ${t}`, met: out.vtty.median >= t });
  return out;
}
// The floor (vttyperf floor): the same write calls and the fewest reads
// n_tty allows, with no tty at all (one process on /dev/null and
// /dev/zero), against the pty's stream in the same run.  Near or under 1
// means the stream costs what its system calls cost, and the tty layer's
// own work, all that a driver can change, is lost in it.
for (const wsize of [4096, 64]) {
  const c = cases.find((x) => x.id === `tput_m2s_${wsize}`);
  const floors = pairs(tput('m2s', wsize, 1), (l) => l.mibps).map((p) => {
    const floor = lines.find((l) => l.kind === 'floor' && l.wsize === wsize && l.run === p.run);
    return floor ? floor.mibps / p.pty : undefined;
  }).filter((x) => x !== undefined);
  if (c && floors.length) c.floor_vs_pty = spread(floors);
}
addCase('lat_p50', 'round trip 1 byte, p50', 'us', 'lower', pairs((l) => l.kind === 'lat', (l) => l.p50_us), { op: '<=', value: TARGETS.lat_p50 });
addCase('lat_p99', 'round trip 1 byte, p99', 'us', 'lower', pairs((l) => l.kind === 'lat', (l) => l.p99_us), { op: '<=', value: TARGETS.lat_p99 });
for (const dir of ['m2s', 's2m']) {
  for (const ports of [1, 8, 64]) {
    const sel = tput(dir, 4096, ports);
    addCase(`agg_${dir}_${ports}`, `aggregate ${dirName[dir]} 4 KiB, ${ports} port${ports > 1 ? 's' : ''}`, 'MiB/s', 'higher',
      pairs(sel, (l) => l.mibps), null, { evidence: evidence(sel) });
  }
}

// Context switches, CPU and call sizes per MiB: the evidence for a case (medians).
function evidence(sel) {
  const out = {};
  for (const dev of ['vtty', 'pty']) {
    const ls = lines.filter((l) => sel(l) && l.dev === dev && l.run !== undefined);
    if (!ls.length) continue;
    const mib = (l) => l.bytes / 1048576;
    out[dev] = {
      ctxt_per_mib: round(median(ls.map((l) => l.ctxt / mib(l))), 1),
      master_bytes_per_call: round(median(ls.map((l) => l.master.bytes_per_call)), 1),
      app_bytes_per_call: round(median(ls.map((l) => l.app.bytes_per_call)), 1),
      master_cpu_ms_per_mib: round(median(ls.map((l) => ((l.master.user_s + l.master.sys_s) * 1000) / mib(l))), 2),
      app_cpu_ms_per_mib: round(median(ls.map((l) => ((l.app.user_s + l.app.sys_s) * 1000) / mib(l))), 2),
      idle_share: round(median(ls.map((l) => {
        const j = l.jiffies;
        const all = j.user + j.system + j.idle + j.softirq;
        return all ? j.idle / all : 0;
      })), 2),
    };
  }
  return out;
}

// Scale: 64-port aggregate against the single port, per device.
const scale = {};
for (const dir of ['m2s', 's2m']) {
  const one = cases.find((c) => c.id === `agg_${dir}_1`);
  const many = cases.find((c) => c.id === `agg_${dir}_64`);
  if (!one || !many) continue;
  // per-run ratios for the spread
  const r = (dev) => {
    const a = lines.filter((l) => tput(dir, 4096, 1)(l) && l.dev === dev);
    const b = lines.filter((l) => tput(dir, 4096, 64)(l) && l.dev === dev);
    const xs = a.map((x) => {
      const y = b.find((q) => q.run === x.run);
      return y ? y.mibps / x.mibps : undefined;
    }).filter((x) => x !== undefined);
    return spread(xs);
  };
  const vtty = r('vtty');
  scale[dir] = { vtty, pty: r('pty'), target: `>= ${TARGETS.scale}`, met: vtty.median >= TARGETS.scale };
}

// Memory of 1,024 idle ports.
const memory = {};
for (const dev of ['vtty', 'pty']) {
  const step = (name) => lines.find((l) => l.kind === 'mem' && l.dev === dev && l.step === name);
  const both = step('masters+ttys');
  if (!both) continue;
  const kmem = (s) => s.per_port_bytes.sunreclaim + s.per_port_bytes.vmalloc;
  const slabSum = (s) => s.caches.reduce((a, c) => a + c.bytes_per_port, 0);
  memory[dev] = {
    ports: both.ports,
    kernel_bytes_per_port: {
      masters: Math.round(kmem(step('masters'))),
      ttys_added: Math.round(kmem(step('ttys'))),
      masters_and_ttys: Math.round(kmem(both)),
    },
    // SUnreclaim also counts kmalloc() > 8 KiB, which bypasses the slab caches
    page_allocs_bytes_per_port_ttys: Math.round(step('ttys').per_port_bytes.sunreclaim - slabSum(step('ttys'))),
    steps: lines.filter((l) => l.kind === 'mem' && l.dev === dev),
  };
}
// What a vtty port costs beyond a pty pair (whose tty_structs, n_tty
// buffers and devices are the tty core's own, as vtty's are).
if (memory.vtty && memory.pty) {
  memory.vtty.beyond_pty_bytes_per_port = memory.vtty.kernel_bytes_per_port.masters_and_ttys - memory.pty.kernel_bytes_per_port.masters_and_ttys;
}
if (memory.vtty && host.sizeof_vtty_port) {
  // The driver's own allocations for an idle open port: struct vtty_port
  // (kzalloc, a power-of-two kmalloc bucket) and the output ring
  // (VTTY_XMIT_SIZE; 16 KiB before run.sh reported it).
  const bucket = 2 ** Math.ceil(Math.log2(Math.max(host.sizeof_vtty_port, 8)));
  const ring = host.xmit_size || 16384;
  memory.vtty.driver_own_bytes_per_port = {
    sizeof_vtty_port: host.sizeof_vtty_port,
    vtty_port_bucket: bucket,
    output_ring: ring,
    total: bucket + ring,
    target: '<= 16384',
    met: bucket + ring <= 16384,
  };
}

// Node binding against the C master (vtmx-native's bench output).
const nodeRuns = existsSync(dir)
  ? readdirSync(dir).filter((f) => /^node-\d+\.txt$/.test(f)).map((f) => readFileSync(join(dir, f), 'utf8'))
  : [];
// The C and Node figures of the lines that start with `prefix`, one per run.
const nodeRows = (prefix) => {
  const re = new RegExp(`${prefix.replace(/[->()]/g, (x) => `\\${x}`)}: C master ([\\d.]+) MiB/s, vtmx-native ([\\d.]+) MiB/s`);
  return nodeRuns.map((t) => t.match(re)).filter(Boolean).map((m) => ({ c: Number(m[1]), node: Number(m[2]) }));
};
const node = {};
for (const [key, label] of [['m2s', 'master -> application'], ['s2m', 'application -> master']]) {
  const rows = nodeRows(label);
  if (!rows.length) continue;
  const ratios = rows.map((r) => r.node / r.c);
  node[key] = {
    node: round(median(rows.map((r) => r.node))),
    c: round(median(rows.map((r) => r.c))),
    ratio: round(median(ratios)),
    ratio_min: round(Math.min(...ratios)),
    ratio_max: round(Math.max(...ratios)),
    runs: rows.length,
    per_run: rows,
    target: `>= ${TARGETS.node}`,
    met: median(ratios) >= TARGETS.node,
  };
}
// For information: the same Node figure against a C master that writes non-blocking, as the
// binding does (the same kernel path, so what is left is the binding's and Node's own cost).
if (node.m2s) {
  const rows = nodeRows('master -> application against a non-blocking C master (information)');
  if (rows.length) {
    const ratios = rows.map((r) => r.node / r.c);
    node.m2s.against_nonblocking_c = {
      c: round(median(rows.map((r) => r.c))),
      ratio: round(median(ratios)),
      ratio_min: round(Math.min(...ratios)),
      ratio_max: round(Math.max(...ratios)),
      per_run: rows,
    };
  }
}

// How long the vtty command takes to start (bench/startup.mjs, on the host
// and in UML): each case against `node -e 0`, timed in the same runs.
const STARTUP_TARGET = 1.3;
const startup = lines.filter((l) => l.kind === 'startup' && l.case !== 'node').map((l) => {
  const node = lines.find((n) => n.kind === 'startup' && n.case === 'node' && n.where === l.where);
  return {
    where: l.where,
    case: l.case,
    label: l.label,
    until: l.until,
    kernel: l.kernel,
    runs: l.runs,
    median_ms: l.median_ms,
    node_median_ms: node?.median_ms,
    ratio: l.ratio,
    ratio_min: l.ratio_min,
    ratio_max: l.ratio_max,
    per_run_ms: l.per_run_ms,
    node_per_run_ms: node?.per_run_ms,
    target: `<= ${STARTUP_TARGET}`,
    met: l.ratio <= STARTUP_TARGET,
  };
});

// ---- the table ------------------------------------------------------------
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const range = (sp) => `${fmt(sp.min)}-${fmt(sp.max)}`;
const platform = qemu ? `Debian ${env.kernel ?? '?'} in QEMU, ${env.cpus ?? '?'} vCPUs` : `${env.kernel ?? '?'} ${env.flavor ?? ''} UML`;
const out = [];
out.push(`vtty vs pty, ${platform}, ${env.runs ?? '?'} runs: medians (min-max over runs); ratio = vtty/pty; pipe = vtty/pipe`);
out.push(`${'case'.padEnd(40)} ${'vtty'.padStart(19)} ${'pty'.padStart(19)}  ${'ratio'.padStart(16)}  ${'pipe'.padStart(16)}  target`);
const cell = (med, sp) => `${fmt(med)} (${range(sp)})`;
for (const c of cases) {
  const t = c.target ? `${c.target} ${c.met ? 'met' : 'MISSED'}` : '';
  const pipe = c.pipe ? `${c.pipe.vtty.median.toFixed(2)} (${c.pipe.vtty.min.toFixed(2)}-${c.pipe.vtty.max.toFixed(2)})` : '';
  const pt = c.pipe?.target ? `; pipe ${c.pipe.target} ${c.pipe.met ? 'met' : 'MISSED'}` : '';
  out.push(`${c.label.padEnd(40)} ${cell(c.vtty, c.vtty_spread).padStart(19)} ${cell(c.pty, c.pty_spread).padStart(19)}  ${`${c.ratio.toFixed(2)} (${c.ratio_min.toFixed(2)}-${c.ratio_max.toFixed(2)})`.padStart(16)}  ${pipe.padStart(16)}  ${t}${pt}`.trimEnd() + `  [${c.unit}]`);
  if (c.pipe) out.push(`${'  the pipe itself; the pty/pipe'.padEnd(40)} ${cell(c.pipe.pipe_mibps.median, c.pipe.pipe_mibps).padStart(19)} ${''.padStart(19)}  ${''.padStart(16)}  ${`${c.pipe.pty.median.toFixed(2)} (${c.pipe.pty.min.toFixed(2)}-${c.pipe.pty.max.toFixed(2)})`.padStart(16)}`);
  const f = c.floor_vs_pty;
  if (f) out.push(`${'  same system calls, no tty (floor/pty)'.padEnd(40)} ${''.padStart(19)} ${''.padStart(19)}  ${`${f.median.toFixed(2)} (${f.min.toFixed(2)}-${f.max.toFixed(2)})`.padStart(16)}`);
}
for (const [k, n] of Object.entries(node)) {
  out.push(`${`Node binding vs C master, ${dirName[k]} 4 KiB`.padEnd(44)} ${fmt(n.node).padStart(9)} ${fmt(n.c).padStart(9)}  ${n.ratio.toFixed(2).padStart(5)}  ${n.ratio_min.toFixed(2)}-${n.ratio_max.toFixed(2)}  ${n.target} ${n.met ? 'met' : 'MISSED'}  [MiB/s, Node vs C]`);
  const nb = n.against_nonblocking_c;
  if (nb) out.push(`${'  vs a non-blocking C master (information)'.padEnd(44)} ${fmt(n.node).padStart(9)} ${fmt(nb.c).padStart(9)}  ${nb.ratio.toFixed(2).padStart(5)}  ${nb.ratio_min.toFixed(2)}-${nb.ratio_max.toFixed(2)}`);
}
for (const [k, s] of Object.entries(scale)) {
  out.push(`${`scale ${dirName[k]}: 64-port / 1-port aggregate`.padEnd(44)} ${s.vtty.median.toFixed(2).padStart(9)} ${s.pty.median.toFixed(2).padStart(9)}  ${(s.vtty.median / s.pty.median).toFixed(2).padStart(5)}  vtty ${s.vtty.min.toFixed(2)}-${s.vtty.max.toFixed(2)}  ${s.target} ${s.met ? 'met' : 'MISSED'}`);
}
if (memory.vtty && memory.pty) {
  const v = memory.vtty.kernel_bytes_per_port, p = memory.pty.kernel_bytes_per_port;
  out.push(`${'kernel memory per idle port, master only'.padEnd(44)} ${String(v.masters).padStart(9)} ${String(p.masters).padStart(9)}  ${(v.masters / p.masters).toFixed(2).padStart(5)}  [bytes, SUnreclaim+vmalloc]`);
  out.push(`${'kernel memory per idle port, master + tty'.padEnd(44)} ${String(v.masters_and_ttys).padStart(9)} ${String(p.masters_and_ttys).padStart(9)}  ${(v.masters_and_ttys / p.masters_and_ttys).toFixed(2).padStart(5)}  [bytes, SUnreclaim+vmalloc]`);
  out.push(`${'kernel memory per idle port, vtty - pty'.padEnd(44)} ${String(memory.vtty.beyond_pty_bytes_per_port).padStart(9)}  [bytes]`);
  const own = memory.vtty.driver_own_bytes_per_port;
  if (own) out.push(`${'vtty driver own memory per open port'.padEnd(44)} ${String(own.total).padStart(9)} ${''.padStart(9)}         (struct ${own.sizeof_vtty_port} B in kmalloc-${own.vtty_port_bucket} + ${own.output_ring} B ring)  ${own.target} ${own.met ? 'met' : 'MISSED'}`);
}
if (startup.length) {
  out.push(`${'startup (medians, ms)'.padEnd(44)} ${'vtty'.padStart(9)} ${'node -e 0'.padStart(9)}  ratio   spread       target`);
  for (const c of startup) {
    out.push(`${`startup, ${c.where}: ${c.label}`.padEnd(44)} ${fmt(c.median_ms).padStart(9)} ${fmt(c.node_median_ms ?? NaN).padStart(9)}  ${c.ratio.toFixed(2).padStart(5)}  ${c.ratio_min.toFixed(2)}-${c.ratio_max.toFixed(2)}  ${c.target} ${c.met ? 'met' : 'MISSED'}  [ms, vs node -e 0]`);
  }
}
console.log(out.join('\n'));

const result = {
  generated: new Date().toISOString(),
  target,
  platform,
  kernel: env.kernel,
  flavor: env.flavor,
  cpus: env.cpus,
  module_sha: env.module,
  kernel_sha256: host.kernel_sha256,
  runs: env.runs,
  bytes_per_case: env.bytes,
  latency_round_trips: env.lat_count,
  note: qemu
    ? 'QEMU TCG (2 vCPUs emulated) on a shared 2-core host: compare ratios within a run, not absolute figures'
    : 'UML on a shared 2-core host: compare ratios, not absolute figures',
  cases,
  node_vs_c: node,
  scale,
  memory,
  startup,
};
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `latest-${target}.json`), JSON.stringify(result, null, 2) + '\n');
writeChart(resultsDir);
console.log(`\nwrote ${join(resultsDir, `latest-${target}.json`)} and ${join(resultsDir, 'chart.svg')}`);

// ---- the chart ------------------------------------------------------------
// Every platform's latest results in one chart: per comparison, one bar per
// platform, how many times better vtty is than the pty (or Node than C, 64
// ports than one, vtty than its share of the pipe's target), log scale,
// 1.0 = par, target ticks.
function writeChart(resultsDir) {
  const order = ['debian-6.1', 'uml'];
  const files = readdirSync(resultsDir).filter((f) => /^latest-[\w.-]+\.json$/.test(f));
  const results = files.map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')))
    .map((r) => ({ ...r, target: r.target ?? 'uml' }))
    .sort((a, b) => order.indexOf(a.target) - order.indexOf(b.target));
  if (!results.length) return;
  writeFileSync(join(resultsDir, 'chart.svg'), chart(results));
}

// The number in a stored target such as '>= 1.5' (undefined without one).
function targetValue(target) {
  return target ? Number(target.split(' ')[1]) : undefined;
}

// The rows of one platform's results: { key, label, value, lo, hi, target, met, floor }.
function chartRows(r) {
  const dirName = { m2s: 'master->tty', s2m: 'tty->master' };
  const rows = [];
  for (const c of r.cases) {
    if (c.id.startsWith('agg_')) continue;
    const inv = c.better === 'lower';
    const t = targetValue(c.target);
    rows.push({
      key: c.id,
      label: c.label,
      value: inv ? 1 / c.ratio : c.ratio,
      lo: inv ? 1 / c.ratio_max : c.ratio_min,
      hi: inv ? 1 / c.ratio_min : c.ratio_max,
      target: t === undefined ? undefined : inv ? 1 / t : t,
      met: c.met,
      floor: c.floor_vs_pty?.median,
    });
  }
  for (const c of r.cases) {
    if (!c.pipe) continue;
    const t = targetValue(c.pipe.target);
    rows.push({
      key: `pipe_${c.id}`,
      label: `vtty / pipe, ${c.label.replace('throughput ', '')}`,
      value: c.pipe.vtty.median,
      lo: c.pipe.vtty.min,
      hi: c.pipe.vtty.max,
      target: t,
      met: c.pipe.met,
      floor: c.pipe.pty.median,
      floorIsPty: true,
    });
  }
  for (const [k, n] of Object.entries(r.node_vs_c ?? {})) {
    rows.push({ key: `node_${k}`, label: `Node binding vs C master, ${dirName[k]}`, value: n.ratio, lo: n.ratio_min, hi: n.ratio_max, target: targetValue(n.target), met: n.met });
  }
  for (const [k, sc] of Object.entries(r.scale ?? {})) {
    rows.push({ key: `scale_${k}_vtty`, label: `64 ports vs 1 port, ${dirName[k]} (vtty)`, value: sc.vtty.median, lo: sc.vtty.min, hi: sc.vtty.max, target: targetValue(sc.target), met: sc.met });
    rows.push({ key: `scale_${k}_pty`, label: `64 ports vs 1 port, ${dirName[k]} (pty)`, value: sc.pty.median, lo: sc.pty.min, hi: sc.pty.max });
  }
  if (r.memory?.vtty && r.memory?.pty) {
    const v = r.memory.vtty.kernel_bytes_per_port.masters_and_ttys;
    const p = r.memory.pty.kernel_bytes_per_port.masters_and_ttys;
    rows.push({ key: 'memory', label: 'kernel memory per idle open port (pty/vtty)', value: p / v, lo: p / v, hi: p / v });
  }
  return rows;
}

function chart(results) {
  const colors = { 'debian-6.1': '#1f5fa8', uml: '#9b59b6' };
  const name = (r) => (r.target === 'uml' ? `UML ${r.kernel} (1 CPU)` : `Debian ${r.kernel} QEMU (${r.cpus ?? 2} vCPUs)`);
  // One group per comparison, in the order of first appearance.
  const groups = new Map();
  for (const r of results) {
    for (const row of chartRows(r)) {
      if (!groups.has(row.key)) groups.set(row.key, { label: row.label, bars: [] });
      groups.get(row.key).bars.push({ ...row, platform: r.target });
    }
  }
  const n = results.length;
  const W = 980, labelW = 360, left = labelW + 10, right = W - 120, barH = 12, top = 96;
  const groupH = n * (barH + 2) + 10;
  const H = top + groups.size * groupH + 50;
  const lmin = Math.log(1 / 16), lmax = Math.log(16);
  const clamp = (v) => Math.min(Math.max(v, 1 / 16), 16);
  const x = (v) => Math.round((left + ((Math.log(clamp(v)) - lmin) / (lmax - lmin)) * (right - left)) * 10) / 10;
  const esc = (str) => String(str).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const s = [];
  s.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  s.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  s.push(`<text x="10" y="22" font-size="15" font-weight="bold">vtty against the kernel's pty and a plain pipe (medians; whisker = min-max over runs)</text>`);
  s.push(`<text x="10" y="40" fill="#555">Bar: times better than the pty (throughput vtty/pty, latency and memory pty/vtty), vtty/pipe, Node/C, 64/1 ports; 1 = par</text>`);
  s.push(`<text x="10" y="56" fill="#555">Dashed tick: the platform's target; grey tick: floor/pty (same system calls, no tty) or, on vtty/pipe rows, the pty/pipe</text>`);
  results.forEach((r, i) => {
    const lx = 10 + i * 420;
    s.push(`<rect x="${lx}" y="66" width="12" height="12" fill="${colors[r.target] ?? '#555'}"/>`);
    s.push(`<text x="${lx + 18}" y="77">${esc(name(r))}, ${r.runs} runs, ${esc((r.generated ?? '').slice(0, 10))}</text>`);
  });
  for (const t of [1 / 16, 1 / 8, 0.25, 0.5, 1, 2, 4, 8, 16]) {
    s.push(`<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${top + groups.size * groupH}" stroke="${t === 1 ? '#000' : '#ddd'}" stroke-width="${t === 1 ? 1.5 : 1}"/>`);
    s.push(`<text x="${x(t)}" y="${top + groups.size * groupH + 16}" text-anchor="middle" fill="#555">${t < 1 ? `1/${1 / t}` : t}x</text>`);
  }
  [...groups.values()].forEach((g, gi) => {
    const y0 = top + gi * groupH;
    s.push(`<text x="${labelW}" y="${y0 + (groupH - 10) / 2 + 4}" text-anchor="end">${esc(g.label)}</text>`);
    g.bars.forEach((row) => {
      const pi = results.findIndex((r) => r.target === row.platform);
      const y = y0 + pi * (barH + 2);
      const x0 = x(1), x1 = x(row.value);
      const edge = row.met === undefined ? 'none' : row.met ? '#2e8b57' : '#c0392b';
      s.push(`<rect x="${Math.min(x0, x1)}" y="${y}" width="${Math.max(Math.round(Math.abs(x1 - x0) * 10) / 10, 1)}" height="${barH}" fill="${colors[row.platform] ?? '#555'}" opacity="0.8" stroke="${edge}" stroke-width="2"/>`);
      s.push(`<line x1="${x(row.lo)}" y1="${y + barH / 2}" x2="${x(row.hi)}" y2="${y + barH / 2}" stroke="#000"/>`);
      if (row.floor !== undefined) s.push(`<line x1="${x(row.floor)}" y1="${y}" x2="${x(row.floor)}" y2="${y + barH}" stroke="#888" stroke-width="4"/>`);
      if (row.target !== undefined) s.push(`<line x1="${x(row.target)}" y1="${y - 1}" x2="${x(row.target)}" y2="${y + barH + 1}" stroke="#000" stroke-width="2" stroke-dasharray="3,2"/>`);
      s.push(`<text x="${right + 8}" y="${y + barH - 2}" font-size="11">${row.value.toFixed(2)}x${row.met === undefined ? '' : row.met ? ' met' : ' missed'}</text>`);
    });
  });
  s.push(`<text x="10" y="${H - 10}" fill="#555">Generated by pnpm bench (bench/run.sh); figures in bench/results/latest-*.json. Bar outline: green target met, red missed.</text>`);
  s.push('</svg>');
  return s.join('\n') + '\n';
}
