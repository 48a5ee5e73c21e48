import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodePacket,
  encodePacket,
  formatLineSettings,
  modemLinesFromBits,
  toLineSettings,
  type BreakState,
  type LineSettings,
  type ModemLines,
} from 'vtty-protocol';

/** The fixture format written by scripts/capture-fixtures.py. */
interface Fixture {
  name: string;
  kind: 'termios' | 'modem' | 'break';
  command: string;
  tool: 'stty' | 'pyserial';
  arch: string;
  kernel: string;
  source: 'uml-vtmx' | 'pty-host';
  hex: string;
  packets: string[];
  expected: {
    lineSettings?: Partial<LineSettings>;
    format?: string;
    lines?: Partial<ModemLines>;
    state?: BreakState;
  };
}

const root = join(process.cwd(), 'test', 'fixtures');
const fixtures: Fixture[] = [];
for (const kind of readdirSync(root, { withFileTypes: true })) {
  if (!kind.isDirectory()) continue;
  for (const f of readdirSync(join(root, kind.name))) {
    if (f.endsWith('.json')) fixtures.push(JSON.parse(readFileSync(join(root, kind.name, f), 'utf8')) as Fixture);
  }
}

const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

test('there are fixtures', (t) => {
  t.true(fixtures.length >= 5);
});

for (const fx of fixtures) {
  test(`${fx.source} ${fx.kind} ${fx.name}: ${fx.command}`, (t) => {
    const bytes = fromHex(fx.hex);
    const p = decodePacket(bytes, { arch: fx.arch });
    t.is(p.type, fx.kind);
    t.deepEqual(encodePacket(p, { arch: fx.arch }), bytes, 'encode is the exact inverse');
    for (const h of fx.packets) t.notThrows(() => decodePacket(fromHex(h), { arch: fx.arch, unknownTags: 'raw' }));
    if (p.type === 'termios') {
      const s = toLineSettings(p.termios);
      if (fx.expected.lineSettings) t.like(s, fx.expected.lineSettings);
      if (fx.expected.format !== undefined) t.is(formatLineSettings(s), fx.expected.format);
    } else if (p.type === 'modem') {
      if (fx.expected.lines) t.like(modemLinesFromBits(p.lines), fx.expected.lines);
    } else if (p.type === 'break') {
      if (fx.expected.state) t.deepEqual(p.state, fx.expected.state);
    }
  });
}
