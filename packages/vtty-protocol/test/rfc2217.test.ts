import test from 'ava';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import {
  TIOCM_CAR,
  TIOCM_CTS,
  TIOCM_DSR,
  TIOCM_DTR,
  TIOCM_RNG,
  TIOCM_RTS,
  ProtocolError,
  type LineSettings,
} from 'vtty-protocol';
import {
  BRK,
  COM_PORT_OPTION,
  CONTROL_BREAK_OFF,
  CONTROL_BREAK_ON,
  CONTROL_FLOW_HARDWARE,
  CONTROL_FLOW_NONE,
  CONTROL_FLOW_XONXOFF,
  DO,
  DONT,
  IAC,
  MODEMSTATE_CD,
  MODEMSTATE_CTS,
  MODEMSTATE_DELTA_CTS,
  MODEMSTATE_DELTA_DSR,
  MODEMSTATE_DSR,
  MODEMSTATE_RI,
  MODEMSTATE_TRAILING_RI,
  NOP,
  SB,
  SE,
  TelnetDecoder,
  WILL,
  WONT,
  applyComPortToLineSettings,
  breakToComPort,
  comPortCommandCode,
  decodeComPort,
  encodeComPort,
  encodeComPortPayload,
  encodeSubnegotiation,
  encodeTelnetCommand,
  encodeTelnetControl,
  encodeTelnetData,
  lineSettingsToComPort,
  lineStateFromByte,
  lineStateToByte,
  modemControlToComPort,
  modemStateToTiocm,
  parityFromComPort,
  parityToComPort,
  tiocmToModemState,
  type ComPortMessage,
  type TelnetEvent,
  type TelnetVerb,
} from 'vtty-protocol/rfc2217';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

// Vectors written from RFC 2217's definitions ("IAC SB COM-PORT-OPTION SET-BAUDRATE <value(4)> IAC SE", ...):
// the option is 44 (0x2c), client commands 0..12, the server's replies are the command + 100,
// values are in network byte order, and 0xFF inside a subnegotiation is sent as IAC IAC.
const VECTORS: [string, ComPortMessage, string][] = [
  ['SIGNATURE request', { command: 'signature', server: false, text: '' }, 'fffa2c00fff0'],
  ['SIGNATURE reply', { command: 'signature', server: true, text: 'ser2net' }, 'fffa2c64' + hex(new TextEncoder().encode('ser2net')) + 'fff0'],
  ['SET-BAUDRATE 9600', { command: 'set-baudrate', server: false, value: 9600 }, 'fffa2c0100002580fff0'],
  ['SET-BAUDRATE query', { command: 'set-baudrate', server: false, value: 0 }, 'fffa2c0100000000fff0'],
  ['SET-BAUDRATE reply 115200', { command: 'set-baudrate', server: true, value: 115200 }, 'fffa2c650001c200fff0'],
  ['SET-BAUDRATE 255 (escaped)', { command: 'set-baudrate', server: false, value: 255 }, 'fffa2c01000000fffffff0'],
  ['SET-BAUDRATE 0xffffffff', { command: 'set-baudrate', server: false, value: 0xffffffff }, 'fffa2c01' + 'ff'.repeat(8) + 'fff0'],
  ['SET-DATASIZE 8', { command: 'set-datasize', server: false, value: 8 }, 'fffa2c0208fff0'],
  ['SET-DATASIZE reply 7', { command: 'set-datasize', server: true, value: 7 }, 'fffa2c6607fff0'],
  ['SET-PARITY EVEN', { command: 'set-parity', server: false, value: 3 }, 'fffa2c0303fff0'],
  ['SET-STOPSIZE 1.5', { command: 'set-stopsize', server: false, value: 3 }, 'fffa2c0403fff0'],
  ['SET-CONTROL hardware flow', { command: 'set-control', server: false, value: 3 }, 'fffa2c0503fff0'],
  ['SET-CONTROL BREAK ON', { command: 'set-control', server: false, value: 5 }, 'fffa2c0505fff0'],
  ['SET-CONTROL DTR OFF', { command: 'set-control', server: false, value: 9 }, 'fffa2c0509fff0'],
  ['SET-CONTROL RTS ON reply', { command: 'set-control', server: true, value: 11 }, 'fffa2c690bfff0'],
  ['NOTIFY-LINESTATE reply', { command: 'notify-linestate', server: true, value: 0x60 }, 'fffa2c6a60fff0'],
  ['NOTIFY-MODEMSTATE reply', { command: 'notify-modemstate', server: true, value: 0xb1 }, 'fffa2c6bb1fff0'],
  ['FLOWCONTROL-SUSPEND', { command: 'flowcontrol-suspend', server: false }, 'fffa2c08fff0'],
  ['FLOWCONTROL-RESUME reply', { command: 'flowcontrol-resume', server: true }, 'fffa2c6dfff0'],
  ['SET-LINESTATE-MASK 0', { command: 'set-linestate-mask', server: false, value: 0 }, 'fffa2c0a00fff0'],
  ['SET-MODEMSTATE-MASK 255 (escaped)', { command: 'set-modemstate-mask', server: false, value: 255 }, 'fffa2c0bfffffff0'],
  ['PURGE-DATA both', { command: 'purge-data', server: false, value: 3 }, 'fffa2c0c03fff0'],
];

for (const [name, msg, wire] of VECTORS) {
  test(`RFC 2217 vector: ${name}`, (t) => {
    t.is(hex(encodeComPort(msg)), wire);
    const events = new TelnetDecoder().feed(bytes(wire));
    t.is(events.length, 1);
    const ev = events[0];
    if (ev?.type !== 'subnegotiation') return t.fail();
    t.is(ev.option, COM_PORT_OPTION);
    t.deepEqual(decodeComPort(ev.payload), msg);
  });
}

test('command codes', (t) => {
  t.is(COM_PORT_OPTION, 44);
  t.is(comPortCommandCode('set-baudrate'), 1);
  t.is(comPortCommandCode('purge-data'), 12);
  t.is(comPortCommandCode('purge-data', true), 112);
  t.is(comPortCommandCode('signature', true), 100);
});

test('negotiation bytes', (t) => {
  t.is(hex(encodeTelnetCommand(WILL, COM_PORT_OPTION)), 'fffb2c');
  t.is(hex(encodeTelnetCommand(DO, 0)), 'fffd00');
  t.is(hex(encodeTelnetControl(NOP)), 'fff1');
  t.throws(() => encodeTelnetCommand(SB as TelnetVerb, 1), { instanceOf: ProtocolError });
  t.throws(() => encodeTelnetCommand(WILL, 256), { instanceOf: ProtocolError });
  t.throws(() => encodeTelnetControl(SB), { instanceOf: ProtocolError });
  t.throws(() => encodeSubnegotiation(-1, new Uint8Array(0)), { instanceOf: ProtocolError });
});

test('decodeComPort errors', (t) => {
  const code = (f: () => unknown) => t.throws(f, { instanceOf: ProtocolError }).code;
  t.is(code(() => decodeComPort(new Uint8Array(0))), 'EMPTY');
  t.is(code(() => decodeComPort(Uint8Array.of(13, 0))), 'UNKNOWN_TAG');
  t.is(code(() => decodeComPort(Uint8Array.of(99))), 'UNKNOWN_TAG');
  t.is(code(() => decodeComPort(Uint8Array.of(113, 1))), 'UNKNOWN_TAG');
  t.is(code(() => decodeComPort(Uint8Array.of(1, 0, 0))), 'SHORT_PAYLOAD');
  t.is(code(() => decodeComPort(Uint8Array.of(2))), 'SHORT_PAYLOAD');
  t.is(code(() => decodeComPort(Uint8Array.of(101, 0, 0, 0x25, 0x80, 0, 0, 0, 0))), 'TRAILING_BYTES');
  // sredird pads SET-BAUDRATE replies with 4 zero bytes
  t.deepEqual(decodeComPort(Uint8Array.of(101, 0, 0, 0x25, 0x80, 0, 0, 0, 0), { lenient: true }), {
    command: 'set-baudrate',
    server: true,
    value: 9600,
  });
  t.is(code(() => encodeComPortPayload({ command: 'set-datasize', server: false, value: 256 })), 'INVALID_VALUE');
  t.is(code(() => encodeComPortPayload({ command: 'set-baudrate', server: false, value: -1 })), 'INVALID_VALUE');
});

test('telnet data escaping', (t) => {
  t.is(hex(encodeTelnetData(Uint8Array.of(1, 0xff, 2, 0xff, 0xff))), '01ffff02ffffffff');
  const plain = Uint8Array.of(1, 2, 3);
  t.is(encodeTelnetData(plain), plain, 'no copy when there is nothing to escape');
  t.deepEqual(new TelnetDecoder().feed(bytes('01ffff02ffffffff')), [{ type: 'data', data: Uint8Array.of(1, 0xff, 2, 0xff, 0xff) }]);
});

test('telnet decoder: mixed stream', (t) => {
  const d = new TelnetDecoder();
  const ev = d.feed(bytes('6869 fffb2c fffd00 fff3 fffa2c6bb0fff0 21 fffe01 fffc03'));
  t.deepEqual(ev, [
    { type: 'data', data: bytes('6869') },
    { type: 'command', command: WILL, option: 44 },
    { type: 'command', command: DO, option: 0 },
    { type: 'control', command: BRK },
    { type: 'subnegotiation', option: 44, payload: bytes('6bb0') },
    { type: 'data', data: bytes('21') },
    { type: 'command', command: DONT, option: 1 },
    { type: 'command', command: WONT, option: 3 },
  ]);
  t.is(d.offset, 24);
  t.true(d.idle);
});

test('telnet decoder: subnegotiation split across chunks, byte by byte', (t) => {
  const d = new TelnetDecoder();
  const wire = encodeComPort({ command: 'set-baudrate', server: true, value: 0x00ffff00 });
  const events: TelnetEvent[] = [];
  for (const b of wire) {
    events.push(...d.feed(Uint8Array.of(b)));
    if (events.length === 0) t.false(d.idle && b !== wire[wire.length - 1]);
  }
  t.is(events.length, 1);
  const ev = events[0];
  if (ev?.type !== 'subnegotiation') return t.fail();
  t.deepEqual(decodeComPort(ev.payload), { command: 'set-baudrate', server: true, value: 0x00ffff00 });
});

test('telnet decoder: violations are error events with stream offsets, never throws', (t) => {
  const d = new TelnetDecoder();
  const ev = d.feed(bytes('41 fff0 42 ff05 43 fffa2c01 fff1 44'));
  const kinds = ev.map((e) => (e.type === 'error' ? `error@${e.error.offset}` : e.type));
  t.deepEqual(kinds, ['data', 'error@2', 'data', 'error@5', 'data', 'error@12', 'control', 'data']);
  const first = ev[1];
  if (first?.type !== 'error') return t.fail();
  t.is(first.error.code, 'PROTOCOL_VIOLATION');
  const small = new TelnetDecoder({ maxSubnegotiation: 2 });
  const e2 = small.feed(bytes('fffa2c010203fff0 41'));
  t.is(e2[0]?.type, 'error');
  t.deepEqual(e2[1], { type: 'data', data: bytes('41') });
  d.feed(bytes('fffa'));
  t.false(d.idle);
  d.reset();
  t.true(d.idle);
});

/** Merge adjacent data events, so that results can be compared regardless of chunking. */
function normalize(events: TelnetEvent[]): unknown[] {
  const out: unknown[] = [];
  let data: number[] | undefined;
  for (const e of events) {
    if (e.type === 'data') {
      data ??= [];
      data.push(...e.data);
      continue;
    }
    if (data) out.push({ type: 'data', data });
    data = undefined;
    out.push(e.type === 'error' ? { type: 'error', code: e.error.code, offset: e.error.offset, message: e.error.message } : e);
  }
  if (data && data.length > 0) out.push({ type: 'data', data });
  return out;
}

function decodeChunked(stream: Uint8Array, cuts: number[]): TelnetEvent[] {
  const d = new TelnetDecoder({ maxSubnegotiation: 16 });
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const events: TelnetEvent[] = [];
  let prev = 0;
  for (const p of [...points, stream.length]) {
    events.push(...d.feed(stream.subarray(prev, p)));
    prev = p;
  }
  return events;
}

const token = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => ({ kind: 'data' as const, b })),
  fc.tuple(fc.constantFrom(WILL, WONT, DO, DONT), fc.integer({ min: 0, max: 255 })).map(([v, o]) => ({ kind: 'cmd' as const, v, o })),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 12 })).map(([o, p]) => ({ kind: 'sb' as const, o, p })),
  fc.integer({ min: SE + 1, max: 249 }).filter((c) => c !== SB).map((c) => ({ kind: 'ctl' as const, c })),
);

test('property: well-formed streams decode to their tokens however they are chunked', (t) => {
  fc.assert(
    fc.property(fc.array(token, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (tokens, cuts) => {
      const parts: Uint8Array[] = [];
      const expected: TelnetEvent[] = [];
      for (const tk of tokens) {
        if (tk.kind === 'data') {
          parts.push(encodeTelnetData(tk.b));
          expected.push({ type: 'data', data: tk.b });
        } else if (tk.kind === 'cmd') {
          parts.push(encodeTelnetCommand(tk.v, tk.o));
          expected.push({ type: 'command', command: tk.v, option: tk.o });
        } else if (tk.kind === 'sb') {
          parts.push(encodeSubnegotiation(tk.o, tk.p));
          expected.push({ type: 'subnegotiation', option: tk.o, payload: tk.p });
        } else {
          parts.push(Uint8Array.of(IAC, tk.c));
          expected.push({ type: 'control', command: tk.c });
        }
      }
      const stream = Uint8Array.from(parts.flatMap((p) => [...p]));
      assert.deepStrictEqual(normalize(decodeChunked(stream, cuts)), normalize(expected));
    }),
    { numRuns: 3000 },
  );
  t.pass();
});

test('property: any byte stream gives the same events however it is chunked', (t) => {
  const biased = fc.array(fc.oneof(fc.constantFrom(IAC, SB, SE, WILL, DO, 44, NOP), fc.integer({ min: 0, max: 255 })), {
    maxLength: 80,
  });
  fc.assert(
    fc.property(biased, fc.array(fc.nat(), { maxLength: 12 }), (arr, cuts) => {
      const stream = Uint8Array.from(arr);
      assert.deepStrictEqual(normalize(decodeChunked(stream, cuts)), normalize(decodeChunked(stream, [])));
    }),
    { numRuns: 5000 },
  );
  t.pass();
});

const S: LineSettings = {
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

test('line settings -> SET-* commands', (t) => {
  t.deepEqual(lineSettingsToComPort(S), [
    { command: 'set-baudrate', server: false, value: 115200 },
    { command: 'set-datasize', server: false, value: 8 },
    { command: 'set-parity', server: false, value: 1 },
    { command: 'set-stopsize', server: false, value: 1 },
    { command: 'set-control', server: false, value: CONTROL_FLOW_NONE },
  ]);
  t.deepEqual(lineSettingsToComPort({ ...S, baudRate: 9600, rtscts: true }, S), [
    { command: 'set-baudrate', server: false, value: 9600 },
    { command: 'set-control', server: false, value: CONTROL_FLOW_HARDWARE },
  ]);
  t.deepEqual(lineSettingsToComPort({ ...S, xon: true, xoff: true, parity: 'space', stopBits: 2 }, S), [
    { command: 'set-parity', server: false, value: 5 },
    { command: 'set-stopsize', server: false, value: 2 },
    { command: 'set-control', server: false, value: CONTROL_FLOW_XONXOFF },
  ]);
  t.deepEqual(lineSettingsToComPort(S, S), []);
  t.is(
    lineSettingsToComPort(S).map((m) => hex(encodeComPort(m))).join(' '),
    'fffa2c010001c200fff0 fffa2c0208fff0 fffa2c0301fff0 fffa2c0401fff0 fffa2c0501fff0',
  );
});

test('property: applying the SET-* commands of s to anything gives s (modulo what RFC 2217 cannot say)', (t) => {
  const ls = fc.record(
    {
      baudRate: fc.integer({ min: 1, max: 0xffffffff }),
      dataBits: fc.constantFrom(5 as const, 6 as const, 7 as const, 8 as const),
      parity: fc.constantFrom('none' as const, 'odd' as const, 'even' as const, 'mark' as const, 'space' as const),
      stopBits: fc.constantFrom(1 as const, 2 as const),
      rtscts: fc.boolean(),
      xon: fc.boolean(),
    },
    { noNullPrototype: true },
  );
  fc.assert(
    fc.property(ls, (partial) => {
      const want: LineSettings = { ...S, ...partial, xoff: partial.xon && !partial.rtscts, xon: partial.xon && !partial.rtscts };
      let cur: LineSettings = { ...S, baudRate: 1, inputBaudRate: 2 };
      for (const m of lineSettingsToComPort(want)) {
        const wire = encodeComPort(m);
        const ev = new TelnetDecoder().feed(wire)[0];
        assert.ok(ev?.type === 'subnegotiation');
        cur = applyComPortToLineSettings(cur, decodeComPort(ev.payload));
      }
      assert.deepStrictEqual(cur, want);
    }),
  );
  t.pass();
});

test('applyComPortToLineSettings details', (t) => {
  t.is(applyComPortToLineSettings(S, { command: 'set-baudrate', server: true, value: 0 }), S, 'query leaves settings');
  t.is(applyComPortToLineSettings(S, { command: 'flowcontrol-suspend', server: false }), S);
  t.is(applyComPortToLineSettings(S, { command: 'set-control', server: true, value: CONTROL_BREAK_ON }), S);
  t.is(applyComPortToLineSettings(S, { command: 'set-stopsize', server: true, value: 3 }).stopBits, 2);
  t.throws(() => applyComPortToLineSettings(S, { command: 'set-datasize', server: true, value: 9 }), { instanceOf: ProtocolError });
  t.throws(() => applyComPortToLineSettings(S, { command: 'set-parity', server: true, value: 6 }), { instanceOf: ProtocolError });
  t.throws(() => applyComPortToLineSettings(S, { command: 'set-stopsize', server: true, value: 4 }), { instanceOf: ProtocolError });
  t.is(parityToComPort('mark'), 4);
  t.is(parityFromComPort(0), undefined);
  t.is(parityFromComPort(2), 'odd');
});

test('modem state byte <-> TIOCM', (t) => {
  t.is(MODEMSTATE_CD, 0x80);
  t.is(MODEMSTATE_RI, 0x40);
  t.is(MODEMSTATE_DSR, 0x20);
  t.is(MODEMSTATE_CTS, 0x10);
  t.is(modemStateToTiocm(0xb1), TIOCM_CAR | TIOCM_DSR | TIOCM_CTS);
  t.is(modemStateToTiocm(0x4f), TIOCM_RNG);
  t.is(tiocmToModemState(TIOCM_CAR | TIOCM_CTS | TIOCM_DTR), MODEMSTATE_CD | MODEMSTATE_CTS);
  t.is(tiocmToModemState(TIOCM_CTS, TIOCM_DSR), MODEMSTATE_CTS | MODEMSTATE_DELTA_CTS | MODEMSTATE_DELTA_DSR);
  t.is(tiocmToModemState(0, TIOCM_RNG), MODEMSTATE_TRAILING_RI, 'RI falling edge');
  t.is(tiocmToModemState(TIOCM_RNG, 0), MODEMSTATE_RI, 'RI rising edge is not a trailing edge');
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), (a, b) => {
      assert.equal(modemStateToTiocm(tiocmToModemState(a, b)), a & (TIOCM_CAR | TIOCM_RNG | TIOCM_DSR | TIOCM_CTS));
    }),
  );
});

test('DTR/RTS and break -> SET-CONTROL', (t) => {
  t.deepEqual(modemControlToComPort(undefined, TIOCM_DTR), [
    { command: 'set-control', server: false, value: 8 },
    { command: 'set-control', server: false, value: 12 },
  ]);
  t.deepEqual(modemControlToComPort(TIOCM_DTR | TIOCM_RTS, TIOCM_DTR | TIOCM_CTS), [{ command: 'set-control', server: false, value: 12 }]);
  t.deepEqual(modemControlToComPort(0, TIOCM_RTS | TIOCM_DTR), [
    { command: 'set-control', server: false, value: 8 },
    { command: 'set-control', server: false, value: 11 },
  ]);
  t.deepEqual(modemControlToComPort(TIOCM_CTS, 0), []);
  t.is(breakToComPort({ kind: 'on' }).command, 'set-control');
  t.deepEqual(breakToComPort({ kind: 'timed', ms: 250 }), { command: 'set-control', server: false, value: CONTROL_BREAK_ON });
  t.deepEqual(breakToComPort({ kind: 'off' }), { command: 'set-control', server: false, value: CONTROL_BREAK_OFF });
});

test('line state byte', (t) => {
  t.deepEqual(lineStateFromByte(0x60), {
    timeoutError: false,
    shiftRegisterEmpty: true,
    holdingRegisterEmpty: true,
    breakDetect: false,
    framingError: false,
    parityError: false,
    overrunError: false,
    dataReady: false,
  });
  for (let b = 0; b < 256; b++) t.is(lineStateToByte(lineStateFromByte(b)), b);
});
