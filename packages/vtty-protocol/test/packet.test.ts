import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import {
  MAX_PACKET_SIZE,
  PACKET_TAGS,
  ProtocolError,
  TAG_BREAK_CTL,
  TAG_FLUSH,
  TAG_OPEN_COUNT,
  TAG_SET_MODEM,
  TAG_SET_TERMIOS,
  TAG_UART_RX,
  TIOCM_DTR,
  TIOCM_RTS,
  decodePacket,
  defaultTermios2,
  describePacket,
  encodePacket,
  encodeTermios2,
  isProtocolError,
  maxPacketSize,
  type Packet,
  type ProtocolErrorCode,
} from 'vtty-protocol';
import { arch, packet } from './helpers/arbitraries.js';

function throwsCode(t: import('ava').ExecutionContext, fn: () => unknown, code: ProtocolErrorCode, offset?: number): void {
  const err = t.throws(fn, { instanceOf: ProtocolError });
  t.is(err.code, code);
  if (offset !== undefined) t.is(err.offset, offset);
}

test('tag constants are the seed values', (t) => {
  t.is(TAG_UART_RX, 0);
  t.is(TAG_SET_TERMIOS, 1);
  t.is(TAG_SET_MODEM, 2);
  t.is(TAG_BREAK_CTL, 3);
  t.is(TAG_OPEN_COUNT, 4);
  t.is(TAG_FLUSH, 5);
  t.deepEqual(PACKET_TAGS, { data: 0, termios: 1, modem: 2, break: 3, openCount: 4, flush: 5 });
  t.is(MAX_PACKET_SIZE, 45);
  t.is(maxPacketSize('arm64'), 45);
});

test('open-count packet: a u32 in host order, both byte orders', (t) => {
  t.deepEqual(decodePacket(Uint8Array.of(4, 2, 0, 0, 0), { arch: 'x64' }), { type: 'openCount', count: 2 });
  t.deepEqual(decodePacket(Uint8Array.of(4, 0, 0, 1, 0), { arch: 's390x' }), { type: 'openCount', count: 256 });
  t.deepEqual(decodePacket(Uint8Array.of(4, 0xff, 0xff, 0xff, 0xff), { arch: 'x64' }), { type: 'openCount', count: 0xffffffff });
  t.deepEqual([...encodePacket({ type: 'openCount', count: 0 }, { arch: 'x64' })], [4, 0, 0, 0, 0]);
  t.is(describePacket({ type: 'openCount', count: 1 }), 'open count 1');
  throwsCode(t, () => decodePacket(Uint8Array.of(4, 1, 0, 0)), 'SHORT_PAYLOAD');
  throwsCode(t, () => decodePacket(Uint8Array.of(4, 1, 0, 0, 0, 0)), 'TRAILING_BYTES', 5);
  for (const count of [-1, 1.5, 2 ** 32]) throwsCode(t, () => encodePacket({ type: 'openCount', count }), 'INVALID_VALUE', 1);
});

test('flush packet: VTTY_FLUSH_* bits as input, output or both', (t) => {
  t.deepEqual(decodePacket(Uint8Array.of(5, 1, 0, 0, 0), { arch: 'x64' }), { type: 'flush', queue: 'input' });
  t.deepEqual(decodePacket(Uint8Array.of(5, 2, 0, 0, 0), { arch: 'x64' }), { type: 'flush', queue: 'output' });
  t.deepEqual(decodePacket(Uint8Array.of(5, 0, 0, 0, 3), { arch: 's390x' }), { type: 'flush', queue: 'both' });
  t.deepEqual([...encodePacket({ type: 'flush', queue: 'both' }, { arch: 'x64' })], [5, 3, 0, 0, 0]);
  t.is(describePacket({ type: 'flush', queue: 'input' }), 'flush input');
  for (const bits of [0, 4, 7, 0x100]) throwsCode(t, () => decodePacket(Uint8Array.of(5, bits & 0xff, bits >> 8, 0, 0)), 'INVALID_VALUE', 1);
  throwsCode(t, () => encodePacket({ type: 'flush', queue: 'all' as 'both' }), 'INVALID_VALUE', 1);
  throwsCode(t, () => encodePacket({ type: 'unknown', tag: TAG_FLUSH, payload: new Uint8Array(0) }), 'INVALID_VALUE');
});

test('data packet decodes to a view, not a copy', (t) => {
  const buf = Uint8Array.of(0, 0x68, 0x69, 0xff);
  const p = decodePacket(buf);
  if (p.type !== 'data') return t.fail();
  t.deepEqual([...p.data], [0x68, 0x69, 0xff]);
  t.is(p.data.buffer, buf.buffer);
  t.is(p.data.byteOffset, 1);
  buf[1] = 0x41;
  t.is(p.data[0], 0x41);
});

test('data packet with an offset view of a larger buffer', (t) => {
  const backing = new Uint8Array(16);
  backing.set([0, 1, 2, 3], 8);
  const p = decodePacket(backing.subarray(8, 12));
  t.deepEqual(p, { type: 'data', data: Uint8Array.of(1, 2, 3) });
});

test('empty data packet (tag only) is a data packet with no bytes', (t) => {
  t.deepEqual(decodePacket(Uint8Array.of(0)), { type: 'data', data: new Uint8Array(0) });
});

test('modem packet, little-endian host order', (t) => {
  const p = decodePacket(Uint8Array.of(2, 0x06, 0, 0, 0), { arch: 'x64' });
  t.deepEqual(p, { type: 'modem', lines: TIOCM_DTR | TIOCM_RTS });
});

test('modem packet on s390x is big-endian', (t) => {
  const p = decodePacket(Uint8Array.of(2, 0, 0, 0, 0x06), { arch: 's390x' });
  t.deepEqual(p, { type: 'modem', lines: TIOCM_DTR | TIOCM_RTS });
  t.deepEqual([...encodePacket(p, { arch: 's390x' })], [2, 0, 0, 0, 6]);
});

test('break packet values: >0 timed, -1 on, 0 off', (t) => {
  t.deepEqual(decodePacket(Uint8Array.of(3, 250, 0, 0, 0), { arch: 'x64' }), {
    type: 'break',
    state: { kind: 'timed', ms: 250 },
  });
  t.deepEqual(decodePacket(Uint8Array.of(3, 0xff, 0xff, 0xff, 0xff), { arch: 'x64' }), { type: 'break', state: { kind: 'on' } });
  t.deepEqual(decodePacket(Uint8Array.of(3, 0, 0, 0, 0), { arch: 'x64' }), { type: 'break', state: { kind: 'off' } });
  t.deepEqual(decodePacket(Uint8Array.of(3, 0xff, 0xff, 0xff, 0x7f), { arch: 'x64' }), {
    type: 'break',
    state: { kind: 'timed', ms: 0x7fffffff },
  });
});

test('break packet with another negative value is INVALID_VALUE at the value', (t) => {
  throwsCode(t, () => decodePacket(Uint8Array.of(3, 0xfe, 0xff, 0xff, 0xff), { arch: 'x64' }), 'INVALID_VALUE', 1);
  throwsCode(t, () => decodePacket(Uint8Array.of(3, 0, 0, 0, 0x80), { arch: 'x64' }), 'INVALID_VALUE', 1);
});

test('termios packet', (t) => {
  const tio = defaultTermios2();
  const bytes = new Uint8Array(45);
  bytes[0] = 1;
  bytes.set(encodeTermios2(tio, 'x64'), 1);
  t.deepEqual(decodePacket(bytes, { arch: 'x64' }), { type: 'termios', termios: tio });
});

test('malformed packets: codes and offsets', (t) => {
  throwsCode(t, () => decodePacket(new Uint8Array(0)), 'EMPTY', 0);
  throwsCode(t, () => decodePacket(Uint8Array.of(6)), 'UNKNOWN_TAG', 0);
  throwsCode(t, () => decodePacket(Uint8Array.of(4)), 'SHORT_PAYLOAD', 1);
  throwsCode(t, () => decodePacket(Uint8Array.of(0xff, 1, 2)), 'UNKNOWN_TAG', 0);
  throwsCode(t, () => decodePacket(Uint8Array.of(2, 1, 2)), 'SHORT_PAYLOAD', 3);
  throwsCode(t, () => decodePacket(Uint8Array.of(2, 1, 2, 3, 4, 5)), 'TRAILING_BYTES', 5);
  throwsCode(t, () => decodePacket(Uint8Array.of(3)), 'SHORT_PAYLOAD', 1);
  throwsCode(t, () => decodePacket(new Uint8Array(44).fill(1)), 'SHORT_PAYLOAD', 44);
  throwsCode(t, () => decodePacket(new Uint8Array(46).fill(1)), 'TRAILING_BYTES', 45);
  throwsCode(t, () => decodePacket(new Uint8Array(45).fill(1), { arch: 'mips' }), 'UNSUPPORTED_ARCH');
  throwsCode(t, () => decodePacket(Uint8Array.of(2, 0, 0, 0, 0), { arch: 'ppc64' }), 'UNSUPPORTED_ARCH');
});

test('error messages say what and where', (t) => {
  const err = t.throws(() => decodePacket(Uint8Array.of(2, 1)), { instanceOf: ProtocolError });
  t.regex(err.message, /modem packet needs 4 payload bytes, got 1 \(SHORT_PAYLOAD at offset 2\)/);
  t.is(err.name, 'ProtocolError');
  t.true(isProtocolError(err, 'SHORT_PAYLOAD'));
  t.false(isProtocolError(err, 'EMPTY'));
  t.false(isProtocolError(new Error('x')));
});

test('unknownTags: raw keeps future extension packets', (t) => {
  const p = decodePacket(Uint8Array.of(9, 1, 2), { unknownTags: 'raw' });
  t.is(p.type, 'unknown');
  if (p.type !== 'unknown') return;
  t.is(p.tag, 9);
  t.deepEqual([...p.payload], [1, 2]);
  t.deepEqual([...encodePacket(p)], [9, 1, 2]);
  t.is(describePacket(p), 'unknown tag 9 (2 bytes)');
  t.throws(() => encodePacket({ type: 'unknown', tag: 1, payload: new Uint8Array(0) }), { instanceOf: ProtocolError });
});

test('encode validates values', (t) => {
  throwsCode(t, () => encodePacket({ type: 'modem', lines: -1 }), 'INVALID_VALUE', 1);
  throwsCode(t, () => encodePacket({ type: 'modem', lines: 2 ** 32 }), 'INVALID_VALUE', 1);
  throwsCode(t, () => encodePacket({ type: 'break', state: { kind: 'timed', ms: 0 } }), 'INVALID_VALUE', 1);
  throwsCode(t, () => encodePacket({ type: 'break', state: { kind: 'timed', ms: 1.5 } }), 'INVALID_VALUE', 1);
  const tio = { ...defaultTermios2(), cflag: -5 };
  throwsCode(t, () => encodePacket({ type: 'termios', termios: tio }, { arch: 'x64' }), 'INVALID_VALUE', 9);
  const short = { ...defaultTermios2(), cc: new Uint8Array(3) };
  throwsCode(t, () => encodePacket({ type: 'termios', termios: short }, { arch: 'x64' }), 'INVALID_VALUE', 18);
  throwsCode(t, () => encodePacket({ type: 'bogus' } as unknown as Packet), 'INVALID_VALUE');
});

test('describePacket', (t) => {
  t.is(describePacket({ type: 'data', data: Uint8Array.of(1) }), 'data 1 byte');
  t.is(describePacket({ type: 'data', data: Uint8Array.of(1, 2) }), 'data 2 bytes');
  t.is(describePacket({ type: 'termios', termios: defaultTermios2() }), 'termios 38400 8N1 ixon');
  t.is(describePacket({ type: 'modem', lines: TIOCM_DTR | TIOCM_RTS }), 'modem DTR RTS');
  t.is(describePacket({ type: 'modem', lines: 0 }), 'modem (none)');
  t.is(describePacket({ type: 'break', state: { kind: 'timed', ms: 250 } }), 'break 250 ms');
});

test('property: decode(encode(p)) = p for every packet type and arch', (t) => {
  fc.assert(
    fc.property(packet(), arch(), (p, a) => {
      const bytes = encodePacket(p, { arch: a });
      assert.deepStrictEqual(decodePacket(bytes, { arch: a }), p);
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('property: encode(decode(b)) = b whenever b decodes', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), arch(), (b, a) => {
      let p: Packet;
      try {
        p = decodePacket(b, { arch: a });
      } catch {
        return;
      }
      assert.deepStrictEqual([...encodePacket(p, { arch: a })], [...b]);
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

test('property: any byte string decodes or throws ProtocolError, never anything else', (t) => {
  const tagged = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.uint8Array({ maxLength: 60 })).map(([tag, rest]) =>
    Uint8Array.of(tag, ...rest),
  );
  const archs = fc.constantFrom('x64', 's390x', 'arm', 'mips', 'ppc64', 'alpha', 'sparc64', 'bogus', '');
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), tagged), archs, fc.boolean(), (b, a, raw) => {
      try {
        const p = decodePacket(b, raw ? { arch: a, unknownTags: 'raw' } : { arch: a });
        assert.ok(['data', 'termios', 'modem', 'break', 'openCount', 'flush', 'unknown'].includes(p.type));
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
      }
    }),
    { numRuns: 10000 },
  );
  t.pass();
});
