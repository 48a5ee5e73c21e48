// Micro-benchmark: `pnpm bench`. Prints throughput figures and fails (exit 1) below the bars
// of issue 4: data packets >= 1 GB/s of payload, termios decode >= 5 M/s.
import { decodePacket, decodeTermios2, defaultTermios2, encodePacket, fromLineSettings, toLineSettings } from 'vtty-protocol';
import { TelnetDecoder, encodeTelnetData } from 'vtty-protocol/rfc2217';

interface Result {
  name: string;
  opsPerSec: number;
  bytesPerSec?: number;
  bar?: { min: number; unit: 'ops' | 'bytes' };
}

let sink = 0;

function measure(_name: string, fn: () => number, minMs = 500): { opsPerSec: number; bytes: number } {
  // warm up, then run batches until minMs has passed
  for (let i = 0; i < 20000; i++) sink += fn();
  let ops = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 10000; i++) bytes += fn();
    ops += 10000;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { opsPerSec: (ops / elapsed) * 1000, bytes: (bytes / elapsed) * 1000 };
}

const results: Result[] = [];
const arch = 'x64';

for (const size of [64, 4096, 65536]) {
  const buf = new Uint8Array(size + 1);
  for (let i = 1; i < buf.length; i++) buf[i] = i & 0xff;
  const r = measure(`decode data ${size}`, () => {
    const p = decodePacket(buf, { arch });
    return p.type === 'data' ? p.data.length : 0;
  });
  const res: Result = { name: `decodePacket data (${size} B payload)`, opsPerSec: r.opsPerSec, bytesPerSec: r.bytes };
  if (size === 4096) res.bar = { min: 1e9, unit: 'bytes' };
  results.push(res);
}

const termiosPacket = encodePacket({ type: 'termios', termios: fromLineSettings({ baudRate: 115200, rtscts: true }) }, { arch });
results.push({
  name: 'decodePacket termios',
  ...(() => {
    const r = measure('termios', () => {
      const p = decodePacket(termiosPacket, { arch });
      return p.type === 'termios' ? 1 : 0;
    });
    return { opsPerSec: r.opsPerSec };
  })(),
  bar: { min: 5e6, unit: 'ops' },
});
const raw = termiosPacket.subarray(1);
results.push({ name: 'decodeTermios2', opsPerSec: measure('t2', () => decodeTermios2(raw, arch).cflag & 1).opsPerSec });
const modemPacket = Uint8Array.of(2, 6, 0, 0, 0);
results.push({ name: 'decodePacket modem', opsPerSec: measure('m', () => (decodePacket(modemPacket, { arch }).type === 'modem' ? 1 : 0)).opsPerSec });
const tio = defaultTermios2();
results.push({ name: 'encodePacket termios', opsPerSec: measure('e', () => encodePacket({ type: 'termios', termios: tio }, { arch }).length).opsPerSec });
results.push({ name: 'toLineSettings', opsPerSec: measure('ls', () => toLineSettings(tio).baudRate & 1).opsPerSec });

const stream = new Uint8Array(4096);
for (let i = 0; i < stream.length; i++) stream[i] = (i * 7) & 0xff;
const escaped = encodeTelnetData(stream);
const telnet = new TelnetDecoder();
{
  const r = measure('telnet', () => {
    let n = 0;
    for (const e of telnet.feed(escaped)) if (e.type === 'data') n += e.data.length;
    return n;
  }, 300);
  results.push({ name: 'TelnetDecoder.feed (4 KiB, 1/256 bytes 0xFF)', opsPerSec: r.opsPerSec, bytesPerSec: r.bytes });
}

const fmt = (n: number, unit: string): string => {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G${unit}`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M${unit}`;
  return `${(n / 1e3).toFixed(2)} k${unit}`;
};

let failed = false;
console.log(`vtty-protocol bench — Node ${process.version} ${process.arch}`);
for (const r of results) {
  let line = `${r.name.padEnd(48)} ${fmt(r.opsPerSec, 'ops/s').padStart(14)}`;
  if (r.bytesPerSec !== undefined) line += `  ${fmt(r.bytesPerSec, 'B/s').padStart(12)}`;
  if (r.bar) {
    const value = r.bar.unit === 'bytes' ? (r.bytesPerSec ?? 0) : r.opsPerSec;
    const ok = value >= r.bar.min;
    failed ||= !ok;
    line += `  [${ok ? 'ok' : 'BELOW BAR'} >= ${fmt(r.bar.min, r.bar.unit === 'bytes' ? 'B/s' : 'ops/s')}]`;
  }
  console.log(line);
}
if (sink === -1) console.log(sink);
process.exitCode = failed ? 1 : 0;
