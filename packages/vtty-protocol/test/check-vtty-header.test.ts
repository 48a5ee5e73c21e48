// scripts/check-vtty-header.mjs, run by `pnpm build`, fails when kernel/vtty.h and this
// package disagree: here against copies of the header with one change each.
import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/check-vtty-header.mjs', import.meta.url));
const headerPath = fileURLToPath(new URL('../../../../kernel/vtty.h', import.meta.url));
const haveHeader = existsSync(headerPath);
const header = haveHeader ? readFileSync(headerPath, 'utf8') : '';
const htest = haveHeader ? test : test.skip;

/** Runs the check on a header text: its exit code and what it printed. */
function check(text: string): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'vtty-header-'));
  const file = join(dir, 'vtty.h');
  writeFileSync(file, text);
  return new Promise((resolve) => {
    execFile(process.execPath, [script, file], (error, stdout, stderr) => {
      rmSync(dir, { recursive: true });
      resolve({ code: error === null ? 0 : Number(error.code), output: stdout + stderr });
    });
  });
}

/** The header with one replacement, which must apply. */
function changed(from: RegExp, to: string): string {
  const text = header.replace(from, to);
  if (text === header) throw new Error(`${String(from)} is not in kernel/vtty.h any more`);
  return text;
}

htest('the repository header agrees', async (t) => {
  const { code, output } = await check(header);
  t.is(code, 0, output);
});

const cases: [string, () => string, RegExp][] = [
  ['a feature bit changes', () => changed(/(#define VTTY_FEAT_LINE_RATE\s+)0x20/, '$10x40'), /VTTY_FEAT_LINE_RATE is 64 in the header/],
  ['an ioctl number changes', () => changed(/0xE4, __u32\)/, '0xE5, __u32)'), /VTMX_INJECT_RX is 0x400456e5 in the header/],
  ['a tag is added', () => changed(/(#define TAG_FLUSH\s+5\n)/, '$1#define TAG_LINE_ERROR 6\n'), /TAG_LINE_ERROR \(6\) is not a packet type decodePacket knows/],
  ['VTTY_INJECT changes', () => changed(/\(cond\) << 8\)/, '(cond) << 16)'), /VTTY_INJECT\(65, 3\) is 0x30041, vttyInject gives 0x341/],
  ['a macro goes', () => changed(/#define VTTY_RX_OVERRUN.*\n/, ''), /export VTTY_RX_OVERRUN is not a macro of kernel\/vtty\.h/],
  ['the termios2 size changes', () => changed(/(#define VTTY_TERMIOS2_SIZE\s+)44/, '$140'), /VTMX_MAX_PACKET_SIZE is 41 in the header, MAX_PACKET_SIZE is 45/],
  ['a struct member moves', () => changed(/__u8 reserved\[6\];/, '__u8 reserved[5];'), /struct vtty_identity: serial is 15 in the header, 16 here/],
  ['a struct grows', () => changed(/char product\[VTTY_ID_STRING_SIZE\];/, 'char product[VTTY_ID_STRING_SIZE];\n\t__u32 extra;'), /struct vtty_identity: size is 212 in the header, 208 here/],
];
for (const [what, text, message] of cases) {
  htest(`the check fails when ${what}`, async (t) => {
    const { code, output } = await check(text());
    t.is(code, 1);
    t.regex(output, message);
  });
}
