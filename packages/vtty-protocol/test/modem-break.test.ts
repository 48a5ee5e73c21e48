import test from 'ava';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import {
  MODEM_LINE_BITS,
  ProtocolError,
  TIOCM_CAR,
  TIOCM_CD,
  TIOCM_CTS,
  TIOCM_DSR,
  TIOCM_DTR,
  TIOCM_INPUTS,
  TIOCM_LE,
  TIOCM_LOOP,
  TIOCM_OUT1,
  TIOCM_OUT2,
  TIOCM_OUTPUTS,
  TIOCM_RI,
  TIOCM_RNG,
  TIOCM_RTS,
  TIOCM_SR,
  TIOCM_ST,
  breakStateFromValue,
  breakStateToValue,
  diffModemLines,
  formatBreakState,
  formatModemDiff,
  formatModemLines,
  modemLinesFromBits,
  modemLinesToBits,
} from 'vtty-protocol';
import { breakState } from './helpers/arbitraries.js';

test('TIOCM values are the kernel ones', (t) => {
  t.deepEqual(
    [TIOCM_LE, TIOCM_DTR, TIOCM_RTS, TIOCM_ST, TIOCM_SR, TIOCM_CTS, TIOCM_CAR, TIOCM_RNG, TIOCM_DSR, TIOCM_OUT1, TIOCM_OUT2, TIOCM_LOOP],
    [0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x2000, 0x4000, 0x8000],
  );
  t.is(TIOCM_CD, TIOCM_CAR);
  t.is(TIOCM_RI, TIOCM_RNG);
  t.is(TIOCM_OUTPUTS & TIOCM_INPUTS, 0);
  t.is(TIOCM_OUTPUTS, TIOCM_DTR | TIOCM_RTS | TIOCM_OUT1 | TIOCM_OUT2 | TIOCM_LOOP);
});

test('bits <-> lines', (t) => {
  const l = modemLinesFromBits(TIOCM_DTR | TIOCM_CTS | TIOCM_CD);
  t.deepEqual(l, {
    le: false,
    dtr: true,
    rts: false,
    st: false,
    sr: false,
    cts: true,
    dcd: true,
    ri: false,
    dsr: false,
    out1: false,
    out2: false,
    loop: false,
  });
  t.is(modemLinesToBits(l), TIOCM_DTR | TIOCM_CTS | TIOCM_CD);
  t.is(modemLinesToBits({ rts: true, ri: true }), TIOCM_RTS | TIOCM_RI);
  t.is(modemLinesToBits({}), 0);
  t.is(Object.keys(MODEM_LINE_BITS).length, 12);
});

test('property: bits round trip for known bits', (t) => {
  const known = Object.values(MODEM_LINE_BITS).reduce((a, b) => a | b, 0);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
      assert.equal(modemLinesToBits(modemLinesFromBits(bits)), bits & known);
    }),
  );
  t.pass();
});

test('diffModemLines', (t) => {
  const d = diffModemLines(TIOCM_DTR | TIOCM_RTS, TIOCM_DTR | TIOCM_CTS);
  t.deepEqual(d.changed, ['rts', 'cts']);
  t.deepEqual(d.raised, ['cts']);
  t.deepEqual(d.dropped, ['rts']);
  t.is(d.changedBits, TIOCM_RTS | TIOCM_CTS);
  t.is(formatModemDiff(d), '-RTS +CTS');
  t.deepEqual(diffModemLines(modemLinesFromBits(0), modemLinesFromBits(TIOCM_CTS)).changed, ['cts']);
  t.deepEqual(diffModemLines(5, 5).changed, []);
  t.is(formatModemDiff(diffModemLines(5, 5)), '');
});

test('formatModemLines', (t) => {
  t.is(formatModemLines(TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_CD), 'DTR RTS CTS DCD');
  t.is(formatModemLines(0), '');
  t.is(formatModemLines({ ...modemLinesFromBits(0), ri: true }), 'RI');
});

test('break states', (t) => {
  t.deepEqual(breakStateFromValue(250), { kind: 'timed', ms: 250 });
  t.deepEqual(breakStateFromValue(-1), { kind: 'on' });
  t.deepEqual(breakStateFromValue(0), { kind: 'off' });
  for (const v of [-2, -100, -0x80000000, 0x80000000, 1.5, Number.NaN]) {
    const err = t.throws(() => breakStateFromValue(v, 7), { instanceOf: ProtocolError });
    t.is(err.code, 'INVALID_VALUE');
    t.is(err.offset, 7);
  }
  t.is(breakStateToValue({ kind: 'on' }), -1);
  t.is(breakStateToValue({ kind: 'off' }), 0);
  t.is(breakStateToValue({ kind: 'timed', ms: 3 }), 3);
  t.throws(() => breakStateToValue({ kind: 'timed', ms: 0 }), { instanceOf: ProtocolError });
  t.throws(() => breakStateToValue({ kind: 'timed', ms: 2 ** 31 }), { instanceOf: ProtocolError });
  t.throws(() => breakStateToValue({ kind: 'x' } as unknown as { kind: 'on' }), { instanceOf: ProtocolError });
  t.is(formatBreakState({ kind: 'timed', ms: 250 }), 'break 250 ms');
  t.is(formatBreakState({ kind: 'on' }), 'break on');
  t.is(formatBreakState({ kind: 'off' }), 'break off');
});

test('property: break value round trip', (t) => {
  fc.assert(
    fc.property(breakState(), (s) => {
      assert.deepStrictEqual(breakStateFromValue(breakStateToValue(s)), s);
    }),
  );
  t.pass();
});
