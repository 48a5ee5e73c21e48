import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// What npm users get: the packed tarball, installed into a throwaway
// package, used through both module systems. Node 20.19+ loads this ESM
// package from require() without a flag.
const packageDir = fileURLToPath(new URL('../../', import.meta.url));

test('the packed tarball ships only dist, README and LICENSE, and works from import and require()', (t) => {
  const work = mkdtempSync(join(tmpdir(), 'vtty-protocol-consumer-'));
  try {
    const listing = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageDir, encoding: 'utf8' });
    const [packed] = JSON.parse(listing) as [{ filename: string; files: { path: string }[] }];
    const shipped = packed.files.map((file) => file.path);
    t.deepEqual(
      shipped.filter((path) => !/^(dist\/.*\.(js|d\.ts)|README\.md|LICENSE|package\.json)$/.test(path)),
      [],
    );

    const consumer = join(work, 'consumer');
    execFileSync('mkdir', ['-p', consumer]);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const tarball = join(work, readdirSync(work).find((name) => name.endsWith('.tgz')) ?? 'missing.tgz');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: consumer, stdio: 'pipe' });

    const esm = `import { decodePacket, formatLineSettings, toLineSettings, defaultTermios2, encodePacket } from 'vtty-protocol';
import { encodeTelnetData } from 'vtty-protocol/rfc2217';
const p = decodePacket(encodePacket({ type: 'termios', termios: defaultTermios2() }));
console.log(formatLineSettings(toLineSettings(p.termios)), encodeTelnetData(new Uint8Array([255])).length);`;
    const cjs = `const { decodePacket } = require('vtty-protocol');
const { encodeTelnetData } = require('vtty-protocol/rfc2217');
console.log(decodePacket(new Uint8Array([0, 104, 105])).type, encodeTelnetData(new Uint8Array([255])).length);`;
    writeFileSync(join(consumer, 'esm.mjs'), esm);
    writeFileSync(join(consumer, 'cjs.cjs'), cjs);
    const run = (file: string) =>
      execFileSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    t.regex(run('esm.mjs'), /^\d+ [5-8][NOEMS][12]\b.* 2$/);
    t.is(run('cjs.cjs'), 'data 2');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
