import test from 'ava';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import {
  B115200,
  B9600,
  BOTHER,
  CBAUD,
  CIBAUD,
  CLOCAL,
  CMSPAR,
  CREAD,
  CRTSCTS,
  CS7,
  CS8,
  CSIZE,
  CSTOPB,
  ECHO,
  HUPCL,
  ICANON,
  IBSHIFT,
  ICRNL,
  IXANY,
  IXOFF,
  IXON,
  PARENB,
  PARODD,
  ProtocolError,
  defaultTermios2,
  formatLineSettings,
  fromLineSettings,
  parseLineSettings,
  toLineSettings,
  type LineSettings,
} from 'vtty-protocol';
import { lineSettings, termios2 } from './helpers/arbitraries.js';

const S8N1: LineSettings = {
  baudRate: 115200,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  rtscts: false,
  xon: false,
  xoff: false,
  xany: false,
  hupcl: true,
  clocal: false,
  cread: true,
};

test('toLineSettings of the kernel default', (t) => {
  t.deepEqual(toLineSettings(defaultTermios2()), {
    baudRate: 38400,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    rtscts: false,
    xon: true,
    xoff: false,
    xany: false,
    hupcl: true,
    clocal: false,
    cread: true,
  });
});

test('toLineSettings: frames, parities and flags', (t) => {
  const base = defaultTermios2();
  const mk = (cflag: number, iflag = 0) => toLineSettings({ ...base, cflag: cflag >>> 0, iflag });
  t.like(mk(B9600 | CS7 | PARENB | CSTOPB | CREAD, IXON | IXOFF), {
    baudRate: 9600,
    dataBits: 7,
    parity: 'even',
    stopBits: 2,
    xon: true,
    xoff: true,
    cread: true,
    hupcl: false,
  });
  t.is(mk(B9600 | CS8 | PARENB | PARODD).parity, 'odd');
  t.is(mk(B9600 | CS8 | PARENB | PARODD | CMSPAR).parity, 'mark');
  t.is(mk(B9600 | CS8 | PARENB | CMSPAR).parity, 'space');
  t.is(mk(B9600 | CS8 | CMSPAR | PARODD).parity, 'none', 'CMSPAR without PARENB is no parity');
  t.is(mk(B9600).dataBits, 5);
  t.like(mk(B115200 | CS8 | CRTSCTS | CLOCAL | HUPCL, IXANY), { rtscts: true, clocal: true, hupcl: true, xany: true });
  const other = toLineSettings({ ...base, cflag: (BOTHER | CS8) >>> 0, ospeed: 250000, ispeed: 250000 });
  t.is(other.baudRate, 250000);
  t.false('inputBaudRate' in other);
  const split = toLineSettings({ ...base, cflag: (B115200 | (B9600 << IBSHIFT) | CS8) >>> 0 });
  t.is(split.baudRate, 115200);
  t.is(split.inputBaudRate, 9600);
});

test('fromLineSettings sets only line bits and keeps the rest of base', (t) => {
  const base = defaultTermios2();
  const tio = fromLineSettings({ ...S8N1, parity: 'odd', dataBits: 7, stopBits: 2, rtscts: true, xon: false }, base);
  t.is(tio.cflag & CSIZE, CS7);
  t.is(tio.cflag & (PARENB | PARODD | CMSPAR), PARENB | PARODD);
  t.truthy(tio.cflag & CSTOPB);
  t.truthy(tio.cflag & CRTSCTS);
  t.is(tio.cflag & CBAUD, B115200);
  t.is(tio.cflag & CIBAUD, 0);
  t.is(tio.ospeed, 115200);
  t.is(tio.iflag & IXON, 0);
  t.truthy(tio.iflag & ICRNL, 'ICRNL kept from base');
  t.is(tio.lflag, base.lflag);
  t.is(tio.lflag & (ICANON | ECHO), ICANON | ECHO);
  t.deepEqual(tio.cc, base.cc);
  t.not(tio.cc, base.cc, 'cc copied');
  t.deepEqual(base, defaultTermios2(), 'base not modified');
});

test('fromLineSettings with partial settings changes only what is given', (t) => {
  const base = fromLineSettings({ ...S8N1, baudRate: 9600, inputBaudRate: 1200, rtscts: true });
  const tio = fromLineSettings({ parity: 'even' }, base);
  t.deepEqual(toLineSettings(tio), { ...S8N1, baudRate: 9600, inputBaudRate: 1200, rtscts: true, parity: 'even' });
  const tio2 = fromLineSettings({ baudRate: 57600 }, base);
  t.false('inputBaudRate' in toLineSettings(tio2), 'a new speed resets the input speed');
  t.is(toLineSettings(fromLineSettings({})).baudRate, 38400);
});

test('fromLineSettings with non-table speeds uses BOTHER', (t) => {
  const tio = fromLineSettings({ ...S8N1, baudRate: 250000, inputBaudRate: 31250 });
  t.is(tio.cflag & CBAUD, BOTHER);
  t.is((tio.cflag & CIBAUD) >>> IBSHIFT, BOTHER);
  t.is(tio.ospeed, 250000);
  t.is(tio.ispeed, 31250);
  t.like(toLineSettings(tio), { baudRate: 250000, inputBaudRate: 31250 });
});

test('fromLineSettings rejects values outside the domain', (t) => {
  const bad = (s: Partial<LineSettings>) => t.throws(() => fromLineSettings(s), { instanceOf: ProtocolError });
  bad({ dataBits: 9 as unknown as 8 });
  bad({ stopBits: 3 as unknown as 1 });
  bad({ parity: 'weird' as unknown as 'none' });
  bad({ baudRate: -1 });
  bad({ baudRate: 1.5 });
});

test('property: toLineSettings(fromLineSettings(s)) = s', (t) => {
  fc.assert(
    fc.property(lineSettings(), termios2(), (s, base) => {
      assert.deepStrictEqual(toLineSettings(fromLineSettings(s, base)), s);
    }),
    { numRuns: 3000 },
  );
  t.pass();
});

test('property: fromLineSettings(toLineSettings(t), t) preserves what the kernel reads', (t) => {
  fc.assert(
    fc.property(termios2(), (tio) => {
      const again = fromLineSettings(toLineSettings(tio), tio);
      assert.deepStrictEqual(toLineSettings(again), toLineSettings(tio));
      assert.equal(again.lflag, tio.lflag);
      assert.equal(again.oflag, tio.oflag);
      assert.deepStrictEqual(again.cc, tio.cc);
      assert.equal(again.iflag, tio.iflag);
      // every c_cflag bit except the speed fields survives; PARODD/CMSPAR only mean something with PARENB
      let keep = ~(CBAUD | CIBAUD);
      if (!(tio.cflag & PARENB)) keep &= ~(PARODD | CMSPAR);
      assert.equal((again.cflag & keep) >>> 0, (tio.cflag & keep) >>> 0);
    }),
    { numRuns: 3000 },
  );
  t.pass();
});

test('formatLineSettings writes what people write', (t) => {
  t.is(formatLineSettings(S8N1), '115200 8N1');
  t.is(formatLineSettings({ ...S8N1, rtscts: true }), '115200 8N1 rtscts');
  t.is(formatLineSettings({ ...S8N1, baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 2, xon: true, xoff: true }), '9600 7E2 xonxoff');
  t.is(formatLineSettings({ ...S8N1, parity: 'mark' }), '115200 8M1');
  t.is(formatLineSettings({ ...S8N1, parity: 'space', dataBits: 5 }), '115200 5S1');
  t.is(formatLineSettings({ ...S8N1, parity: 'odd' }), '115200 8O1');
  t.is(formatLineSettings({ ...S8N1, xon: true }), '115200 8N1 ixon');
  t.is(formatLineSettings({ ...S8N1, xoff: true, xany: true }), '115200 8N1 ixoff ixany');
  t.is(formatLineSettings({ ...S8N1, inputBaudRate: 9600 }), '115200/9600 8N1');
  t.is(formatLineSettings({ ...S8N1, cread: false }), '115200 8N1 -cread');
  t.is(formatLineSettings({ ...S8N1, clocal: true, hupcl: false }, { verbose: true }), '115200 8N1 clocal -hupcl');
  t.is(formatLineSettings({ ...S8N1, clocal: true, hupcl: false }), '115200 8N1');
});

test('parseLineSettings', (t) => {
  t.deepEqual(parseLineSettings('115200 8N1'), S8N1);
  t.deepEqual(parseLineSettings('9600,7E2,xonxoff'), { ...S8N1, baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 2, xon: true, xoff: true });
  t.like(parseLineSettings('115200/9600 8n1 rtscts clocal -hupcl'), {
    baudRate: 115200,
    inputBaudRate: 9600,
    rtscts: true,
    clocal: true,
    hupcl: false,
  });
  t.like(parseLineSettings('rtscts', { baudRate: 57600 }), { baudRate: 57600, rtscts: true });
  const err = t.throws(() => parseLineSettings('115200 8N1 bogus'), { instanceOf: ProtocolError });
  t.is(err.code, 'INVALID_SYNTAX');
  t.is(err.offset, 11);
  t.throws(() => parseLineSettings('99999999999'), { instanceOf: ProtocolError });
});

test('property: parseLineSettings(formatLineSettings(s, verbose)) = s', (t) => {
  fc.assert(
    fc.property(lineSettings(), (s) => {
      // the text form has no way to say "xon and xoff" other than xonxoff, which is lossless
      assert.deepStrictEqual(parseLineSettings(formatLineSettings(s, { verbose: true })), s);
    }),
    { numRuns: 2000 },
  );
  t.pass();
});
