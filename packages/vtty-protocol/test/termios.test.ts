import test from 'ava';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import * as api from 'vtty-protocol';
import {
  B0,
  B115200,
  B38400,
  B4000000,
  B57600,
  B9600,
  BAUD_TABLE,
  BOTHER,
  CBAUD,
  CIBAUD,
  CMSPAR,
  CRTSCTS,
  CS8,
  IBSHIFT,
  NCCS,
  ProtocolError,
  TCGETS2,
  TIOCGPTN,
  VEOL2,
  VINTR,
  VMIN,
  VSTART,
  VSTOP,
  baudCodeToRate,
  baudRateToCode,
  cloneTermios2,
  decodeTermios2,
  defaultTermios2,
  encodeTermios2,
  hostArch,
  isSupportedArch,
  termios2Equal,
  termios2Size,
  termiosInputBaudRate,
  termiosLayout,
  termiosOutputBaudRate,
  withBaudRate,
} from 'vtty-protocol';
import { ARCHES, arch, termios2 } from './helpers/arbitraries.js';

test('asm-generic layout: 44 bytes, offsets as the kernel declares', (t) => {
  for (const a of ARCHES) {
    const l = termiosLayout(a);
    t.is(l.size, 44);
    t.is(termios2Size(a), 44);
    t.is(l.nccs, 19);
    t.deepEqual(
      [l.iflag, l.oflag, l.cflag, l.lflag, l.line, l.cc, l.ispeed, l.ospeed],
      [0, 4, 8, 12, 16, 17, 36, 40],
    );
    t.is(l.littleEndian, a !== 's390x');
  }
  t.is(NCCS, 19);
});

test('unsupported layouts are a clear error', (t) => {
  for (const a of ['alpha', 'mips', 'mipsel', 'ppc', 'ppc64', 'sparc', 'sparc64', 'parisc', 's390', 'vax', '']) {
    t.false(isSupportedArch(a));
    const err = t.throws(() => termiosLayout(a), { instanceOf: ProtocolError });
    t.is(err.code, 'UNSUPPORTED_ARCH');
    t.throws(() => decodeTermios2(new Uint8Array(44), a), { instanceOf: ProtocolError });
    t.throws(() => encodeTermios2(defaultTermios2(), a), { instanceOf: ProtocolError });
  }
  t.regex(t.throws(() => termiosLayout('ppc64')).message, /powerpc/);
  t.false(isSupportedArch('toString'));
});

test('default arch is the host', (t) => {
  t.is(hostArch(), process.arch);
  if (isSupportedArch(process.arch)) t.is(termiosLayout().arch, process.arch);
});

test('known bytes decode field by field (x64)', (t) => {
  const b = new Uint8Array(44);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x11223344, true);
  dv.setUint32(4, 0x5, true);
  dv.setUint32(8, (CRTSCTS | B115200 | CS8) >>> 0, true);
  dv.setUint32(12, 0xffffffff, true);
  b[16] = 2;
  for (let i = 0; i < 19; i++) b[17 + i] = i + 100;
  dv.setUint32(36, 9600, true);
  dv.setUint32(40, 115200, true);
  const tio = decodeTermios2(b, 'x64');
  t.is(tio.iflag, 0x11223344);
  t.is(tio.oflag, 5);
  t.is(tio.cflag, (CRTSCTS | B115200 | CS8) >>> 0);
  t.is(tio.lflag, 0xffffffff);
  t.is(tio.line, 2);
  t.is(tio.cc.length, 19);
  t.is(tio.cc[0], 100);
  t.is(tio.cc[18], 118);
  t.is(tio.ispeed, 9600);
  t.is(tio.ospeed, 115200);
  t.deepEqual(encodeTermios2(tio, 'x64'), b);
  b[17] = 0;
  t.is(tio.cc[0], 100, 'cc is a copy');
});

test('s390x is big-endian', (t) => {
  const tio = { ...defaultTermios2(), iflag: 0x01020304 };
  const b = encodeTermios2(tio, 's390x');
  t.deepEqual([...b.subarray(0, 4)], [1, 2, 3, 4]);
  t.deepEqual([...encodeTermios2(tio, 'x64').subarray(0, 4)], [4, 3, 2, 1]);
  t.deepEqual(decodeTermios2(b, 's390x'), tio);
});

test('length errors', (t) => {
  t.is(t.throws(() => decodeTermios2(new Uint8Array(43), 'x64')).message.includes('SHORT_PAYLOAD'), true);
  const err = t.throws(() => decodeTermios2(new Uint8Array(45), 'x64'), { instanceOf: ProtocolError });
  t.is(err.code, 'TRAILING_BYTES');
  t.is(err.offset, 44);
});

test('property: termios2 round trip on every arch', (t) => {
  fc.assert(
    fc.property(termios2(), arch(), (tio, a) => {
      const b = encodeTermios2(tio, a);
      assert.equal(b.length, 44);
      assert.deepStrictEqual(decodeTermios2(b, a), tio);
      assert.ok(termios2Equal(decodeTermios2(b, a), tio));
    }),
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 44, maxLength: 44 }), arch(), (b, a) => {
      assert.deepStrictEqual(encodeTermios2(decodeTermios2(b, a), a), b);
    }),
  );
  t.pass();
});

test('constants match the kernel asm-generic headers', (t) => {
  // spot checks against include/uapi/asm-generic/termbits*.h (the file is generated from them)
  t.is(api.BRKINT, 0x002);
  t.is(api.ICRNL, 0x100);
  t.is(api.IXON, 0x400);
  t.is(api.IXOFF, 0x1000);
  t.is(api.IXANY, 0x800);
  t.is(api.IUTF8, 0x4000);
  t.is(api.OPOST, 0x1);
  t.is(api.ONLCR, 0x4);
  t.is(api.CSIZE, 0x30);
  t.is(api.CS5, 0);
  t.is(api.CS7, 0x20);
  t.is(api.CSTOPB, 0x40);
  t.is(api.CREAD, 0x80);
  t.is(api.PARENB, 0x100);
  t.is(api.PARODD, 0x200);
  t.is(api.HUPCL, 0x400);
  t.is(api.CLOCAL, 0x800);
  t.is(CBAUD, 0x100f);
  t.is(BOTHER, 0x1000);
  t.is(CIBAUD, 0x100f0000);
  t.is(CRTSCTS, 0x80000000);
  t.is(CMSPAR, 0x40000000);
  t.is(IBSHIFT, 16);
  t.is(B0, 0);
  t.is(B9600, 0xd);
  t.is(B38400, 0xf);
  t.is(B57600, 0x1001);
  t.is(B4000000, 0x100f);
  t.is(api.ICANON, 2);
  t.is(api.ECHO, 8);
  t.is(api.IEXTEN, 0x8000);
  t.is(VINTR, 0);
  t.is(VMIN, 6);
  t.is(VSTART, 8);
  t.is(VSTOP, 9);
  t.is(VEOL2, 16);
  t.is(TCGETS2, 0x802c542a);
  t.is(TIOCGPTN, 0x80045430);
  t.is(api.VTMX_GET_VTTY_NUM, TIOCGPTN);
  t.is(api.VTMX_SET_MODEM_LINES, 0x5418);
});

test('baud table follows the kernel', (t) => {
  t.is(BAUD_TABLE.length, 31);
  t.is(baudCodeToRate(B9600), 9600);
  t.is(baudCodeToRate(B57600), 57600);
  t.is(baudCodeToRate(B4000000), 4000000);
  t.is(baudCodeToRate(BOTHER), undefined);
  t.is(baudCodeToRate(0x10000), undefined);
  t.is(baudRateToCode(115200), B115200);
  t.is(baudRateToCode(0), B0);
  t.is(baudRateToCode(250000), undefined);
  for (const rate of BAUD_TABLE) t.is(baudCodeToRate(baudRateToCode(rate) ?? -1), rate);
});

test('speeds: Bnnn, BOTHER, split input (kernel rules)', (t) => {
  const base = defaultTermios2();
  t.is(termiosOutputBaudRate(base), 38400);
  t.is(termiosInputBaudRate(base), 38400);
  // BOTHER reads c_ospeed
  const other = { ...base, cflag: ((base.cflag & ~CBAUD) | BOTHER) >>> 0, ospeed: 250000, ispeed: 250000 };
  t.is(termiosOutputBaudRate(other), 250000);
  t.is(termiosInputBaudRate(other), 250000);
  // a Bnnn code wins over a stale c_ospeed, as in tty_termios_baud_rate
  t.is(termiosOutputBaudRate({ ...base, ospeed: 1 }), 38400);
  // CIBAUD
  const split = { ...base, cflag: (base.cflag | (B9600 << IBSHIFT)) >>> 0 };
  t.is(termiosInputBaudRate(split), 9600);
  const splitOther = { ...base, cflag: (base.cflag | (BOTHER << IBSHIFT)) >>> 0, ispeed: 1234 };
  t.is(termiosInputBaudRate(splitOther), 1234);
});

test('withBaudRate encodes like cfsetospeed + TCSETS2', (t) => {
  const base = defaultTermios2();
  const a = withBaudRate(base, 115200);
  t.is(a.cflag & CBAUD, B115200);
  t.is(a.cflag & CIBAUD, 0);
  t.is(a.ospeed, 115200);
  t.is(a.ispeed, 115200);
  const b = withBaudRate(base, 250000);
  t.is(b.cflag & CBAUD, BOTHER);
  t.is(b.ospeed, 250000);
  const c = withBaudRate(base, 115200, 9600);
  t.is((c.cflag & CIBAUD) >>> IBSHIFT, B9600);
  t.is(termiosInputBaudRate(c), 9600);
  const d = withBaudRate(base, 9600, 0);
  t.is(termiosInputBaudRate(d), 0);
  t.is(base.cflag & CBAUD, B38400, 'base untouched');
  t.throws(() => withBaudRate(base, -1), { instanceOf: ProtocolError });
  t.throws(() => withBaudRate(base, 9600, 2 ** 32), { instanceOf: ProtocolError });
});

test('defaultTermios2 is the kernel tty_std_termios', (t) => {
  const d = defaultTermios2();
  t.is(d.iflag, api.ICRNL | api.IXON);
  t.is(d.oflag, api.OPOST | api.ONLCR);
  t.is(d.cflag, B38400 | CS8 | api.CREAD | api.HUPCL);
  t.deepEqual([...d.cc], [3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0, 0, 0]);
  const c = cloneTermios2(d);
  c.cc[0] = 9;
  t.is(d.cc[0], 3);
  t.false(termios2Equal(c, d));
  t.false(termios2Equal({ ...d, line: 1 }, d));
});
