// The typed extension API of Vtmx (features, state request, injected line conditions) against
// the real driver (inside UML: uml/run.sh -- pnpm --filter vtmx-native test).
import test from 'ava';
import * as protocol from 'vtty-protocol';
import { decodePacket } from 'vtty-protocol';
import {
  FEATURE_BITS,
  CONSTANT_NAMES,
  FEATURE_NAMES,
  UnknownNameError,
  UnsupportedFeatureError,
  Vtmx,
  constants as c,
  featureNames,
  isCancelledError,
  isSystemError,
  openTty,
  type FeatureName,
  type Icount,
  type RxCondition,
  type Tty,
} from 'vtmx-native';
import { scaledDeadline } from 'vtmx-native/testing';
import { HAVE_VTMX, delay, warnIfNoVtmx } from './helpers/env.js';
import { writeUntilEagain } from './helpers/fill.js';
import { openPort } from './helpers/port.js';

warnIfNoVtmx('features.test');
const vtest = HAVE_VTMX ? test.serial : test.skip;

/** The features of vtty 0.2.0, which every module with extensions supports. */
const V020_FEATURES: readonly FeatureName[] = ['modemEvents', 'hwFlow', 'swFlow', 'openEvents', 'flushEvents'];

const { TAG_OPEN_COUNT } = protocol;

/** vtty-protocol's export of that name (VTMX_MAX_PACKET_SIZE is its MAX_PACKET_SIZE). */
function protocolNumber(name: string): unknown {
  return (protocol as Record<string, unknown>)[name === 'VTMX_MAX_PACKET_SIZE' ? 'MAX_PACKET_SIZE' : name];
}

// A read that lost a race against a timeout stays pending and would take the next packet:
// keep it, and let the next read of the same master use it.
const outstanding = new WeakMap<Vtmx, Promise<Uint8Array>>();

/** The next raw packet, or undefined if none arrives within `ms`. */
async function rawWithin(vtmx: Vtmx, ms: number): Promise<Uint8Array | undefined> {
  let next = outstanding.get(vtmx);
  if (next === undefined) {
    next = vtmx.readRaw();
    next.catch(() => undefined); // cancelled by close when nobody reads it any more
    outstanding.set(vtmx, next);
  }
  const packet = await Promise.race([next, delay(Math.max(0, ms)).then(() => undefined)]);
  if (packet !== undefined) outstanding.delete(vtmx);
  return packet;
}

/** Raw packets until none arrives for `quietMs` (quiet machine; scaled). */
async function drain(vtmx: Vtmx, quietMs = 200): Promise<Uint8Array[]> {
  const packets: Uint8Array[] = [];
  const quiet = scaledDeadline(quietMs);
  for (let p = await rawWithin(vtmx, quiet); p !== undefined; p = await rawWithin(vtmx, quiet)) packets.push(p);
  return packets;
}

/** Raw packets until one has tag `tag`, with a deadline (quiet machine; scaled). */
async function readTag(vtmx: Vtmx, tag: number, timeoutMs = 5000): Promise<Uint8Array> {
  const deadline = Date.now() + scaledDeadline(timeoutMs);
  for (;;) {
    const packet = await rawWithin(vtmx, deadline - Date.now());
    if (packet === undefined) throw new Error(`timed out waiting for a packet with tag ${tag}`);
    if (packet[0] === tag) return packet;
  }
}

function u32(packet: Uint8Array): number {
  return new DataView(packet.buffer, packet.byteOffset + 1, 4).getUint32(0, true);
}

/** Reads from the application side until `count` bytes arrived. */
async function readBytes(tty: Tty, count: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < count) {
    const chunk = await tty.read();
    chunks.push(chunk);
    total += chunk.length;
  }
  return Buffer.concat(chunks);
}

test('the vtmx constants are vtty-protocol\'s (which checks them against kernel/vtty.h when it builds)', (t) => {
  const vtmxNames = CONSTANT_NAMES.filter((name) => /^VT(MX|TY)_/.test(name));
  t.true(vtmxNames.length >= 19);
  for (const name of vtmxNames) t.is<unknown, unknown>(c[name], protocolNumber(name), name);
  // The seed ioctls are the pty's: the system headers the addon was compiled with must agree.
  t.is(protocol.VTMX_GET_VTTY_NUM, c.TIOCGPTN);
  t.is(protocol.VTMX_SET_MODEM_LINES, c.TIOCMSET);
  t.deepEqual(FEATURE_NAMES, ['modemEvents', 'hwFlow', 'swFlow', 'openEvents', 'flushEvents', 'lineRate']);
  t.deepEqual(Object.values(FEATURE_BITS), [
    protocol.VTTY_FEAT_MODEM_EVENTS,
    protocol.VTTY_FEAT_HW_FLOW,
    protocol.VTTY_FEAT_SW_FLOW,
    protocol.VTTY_FEAT_OPEN_EVENTS,
    protocol.VTTY_FEAT_FLUSH_EVENTS,
    protocol.VTTY_FEAT_LINE_RATE,
  ]);
  t.deepEqual([...featureNames(protocol.VTTY_FEAT_OPEN_EVENTS | protocol.VTTY_FEAT_LINE_RATE | 0x4000)], ['openEvents', 'lineRate']);
});

test('vtty-protocol\'s tty ioctl numbers and modem bits equal the system headers the addon was built with', (t) => {
  const shared = CONSTANT_NAMES.filter((name) => !/^VT(MX|TY)_/.test(name) && typeof protocolNumber(name) === 'number');
  for (const name of ['TCGETS2', 'TCSETS2', 'TIOCGPTN', 'TIOCMSET', 'TIOCM_CTS', 'TIOCGICOUNT']) t.true(shared.some((n) => n === name), name);
  for (const name of shared) t.is<unknown, unknown>(protocolNumber(name), c[name], name);
});

vtest('supportedFeatures: what VTMX_GET_FEATURES reports, at least the 0.2.0 features', async (t) => {
  const vtmx = await Vtmx.open();
  t.teardown(() => vtmx.close());
  const mask = vtmx.ioctlInt(c.VTMX_GET_FEATURES) >>> 0;
  t.is(vtmx.featureMask('supported'), mask);
  const supported = vtmx.supportedFeatures();
  t.deepEqual(supported, featureNames(mask));
  for (const name of V020_FEATURES) t.true(supported.has(name), name);
});

vtest('a new port has no features enabled; enable/disable/set change exactly what they name', async (t) => {
  const vtmx = await Vtmx.open();
  t.teardown(() => vtmx.close());
  t.deepEqual(vtmx.enabledFeatures(), new Set());
  vtmx.enableFeatures(['openEvents']);
  t.deepEqual(vtmx.enabledFeatures(), new Set(['openEvents']));
  vtmx.enableFeatures(['flushEvents', 'modemEvents']);
  // Sets come in bit order.
  t.deepEqual(vtmx.enabledFeatures(), new Set(['modemEvents', 'openEvents', 'flushEvents']));
  t.is(vtmx.ioctlInt(c.VTMX_GET_ENABLED) >>> 0, 0x08 | 0x10 | 0x01);
  t.is(vtmx.featureMask('enabled'), 0x19);
  vtmx.disableFeatures(['openEvents', 'hwFlow']);
  t.deepEqual(vtmx.enabledFeatures(), new Set(['modemEvents', 'flushEvents']));
  vtmx.setFeatures(['swFlow']);
  t.deepEqual(vtmx.enabledFeatures(), new Set(['swFlow']));
  vtmx.setFeatures([]);
  t.deepEqual(vtmx.enabledFeatures(), new Set());
});

vtest('an enabled feature works: openEvents gives an open-count packet per open and close', async (t) => {
  const vtmx = await Vtmx.open();
  t.teardown(() => vtmx.close());
  vtmx.enableFeatures(['openEvents']);
  const tty = openTty(vtmx.path);
  t.is(u32(await readTag(vtmx, TAG_OPEN_COUNT)), 1);
  await tty.close();
  t.is(u32(await readTag(vtmx, TAG_OPEN_COUNT)), 0);
  vtmx.disableFeatures(['openEvents']);
  const again = openTty(vtmx.path);
  const packets = await drain(vtmx);
  t.false(
    packets.some((p) => p[0] === TAG_OPEN_COUNT),
    'no open-count packet once disabled',
  );
  await again.close();
});

vtest('unknown feature names: UnknownNameError, nothing changes on the port', async (t) => {
  const vtmx = await Vtmx.open();
  t.teardown(() => vtmx.close());
  vtmx.enableFeatures(['openEvents']);
  for (const call of [
    () => {
      vtmx.enableFeatures(['flushEvents', 'bogus' as FeatureName]);
    },
    () => {
      vtmx.setFeatures(['VTTY_FEAT_HW_FLOW' as FeatureName]);
    },
    () => {
      vtmx.disableFeatures(['openEvents', 'toString' as FeatureName]);
    },
  ]) {
    const error = t.throws(call, { instanceOf: UnknownNameError });
    t.is(error.code, 'ERR_VTTY_UNKNOWN_NAME');
    t.is(error.kind, 'feature');
    t.true(error instanceof TypeError);
    t.regex(error.message, /^unknown feature "(bogus|VTTY_FEAT_HW_FLOW|toString)"; known: modemEvents, hwFlow/);
  }
  t.deepEqual(vtmx.enabledFeatures(), new Set(['openEvents']));
});

vtest('a feature the loaded module lacks: UnsupportedFeatureError (from EINVAL), nothing changes', async (t) => {
  const vtmx = await Vtmx.open();
  t.teardown(() => vtmx.close());
  vtmx.enableFeatures(['openEvents']);
  const supported = vtmx.supportedFeatures();
  const missing = FEATURE_NAMES.filter((name) => !supported.has(name));
  if (supported.has('lineRate')) {
    // A 0.3.0 module: lineRate is enabled like any other feature.
    vtmx.enableFeatures(['lineRate']);
    t.deepEqual(vtmx.enabledFeatures(), new Set(['openEvents', 'lineRate']));
    t.deepEqual(missing, []);
    return;
  }
  t.deepEqual(missing, ['lineRate']);
  // The kernel itself refuses the bit.
  t.like(
    t.throws(() => vtmx.ioctlInt(c.VTMX_SET_FEATURES, c.VTTY_FEAT_LINE_RATE | c.VTTY_FEAT_OPEN_EVENTS)),
    { code: 'EINVAL' },
  );
  const error = t.throws(() => { vtmx.enableFeatures(['flushEvents', 'lineRate']); }, { instanceOf: UnsupportedFeatureError });
  t.is(error.name, 'UnsupportedFeatureError');
  t.deepEqual(error.features, ['lineRate']);
  t.deepEqual(new Set(error.supported), supported);
  t.true(isSystemError(error, 'EINVAL'));
  t.like(error, { errno: -22, syscall: 'ioctl', path: '/dev/vtmx' });
  t.regex(error.message, /^EINVAL: the loaded vtty module does not support feature 'lineRate' \(it supports: modemEvents, /);
  t.true(isSystemError(error.cause, 'EINVAL'));
  t.deepEqual(vtmx.enabledFeatures(), new Set(['openEvents']));
  t.throws(() => { vtmx.setFeatures(['lineRate']); }, { instanceOf: UnsupportedFeatureError });
  t.deepEqual(vtmx.enabledFeatures(), new Set(['openEvents']));
});

vtest('requestState: queues the termios the application set, then the modem lines', async (t) => {
  const { vtmx, tty } = await openPort(t);
  tty.makeRaw();
  tty.setBaudRate(57600);
  tty.setModemLines(c.TIOCM_DTR);
  await drain(vtmx);
  vtmx.setModemLines({ cts: true });
  vtmx.requestState();
  const [first, second, ...rest] = await drain(vtmx);
  t.deepEqual(rest, []);
  t.truthy(first);
  t.truthy(second);
  const termios = decodePacket(first ?? new Uint8Array());
  const modem = decodePacket(second ?? new Uint8Array());
  if (termios.type !== 'termios' || modem.type !== 'modem') {
    t.fail(`expected termios then modem, got ${termios.type} then ${modem.type}`);
    return;
  }
  const attr = tty.getAttr();
  t.is(termios.termios.ospeed, 57600);
  t.is(termios.termios.lflag, attr.lflag);
  t.is(termios.termios.cflag, attr.cflag);
  t.is(modem.lines & (c.TIOCM_DTR | c.TIOCM_RTS | c.TIOCM_CTS), c.TIOCM_DTR | c.TIOCM_CTS);
  // Nothing else is queued by it: a second request gives the same two packets again.
  vtmx.requestState();
  t.deepEqual(
    (await drain(vtmx)).map((p) => decodePacket(p).type),
    ['termios', 'modem'],
  );
});

vtest('injectRx: each condition is counted by TIOCGICOUNT and reaches the application', async (t) => {
  const { vtmx, tty } = await openPort(t);
  tty.makeRaw();
  const counters: Record<RxCondition, keyof Icount> = { normal: 'rx', break: 'brk', frame: 'frame', parity: 'parity', overrun: 'overrun' };
  for (const [condition, counter] of Object.entries(counters) as [RxCondition, keyof Icount][]) {
    const before = tty.getIcount();
    await vtmx.injectRx(condition, 0x41);
    const after = tty.getIcount();
    t.is(after[counter] - before[counter], 1, `${condition} counts in ${counter}`);
    t.is(after.rx - before.rx, 1, `${condition} counts as a received byte`);
    // Fully raw (no INPCK, PARMRK, IGNBRK, BRKINT or IGNPAR) n_tty ignores the flags: the
    // byte arrives as itself, an overrun as the byte then its marker as a 0 byte.
    const expected = condition === 'overrun' ? [0x41, 0] : [0x41];
    t.deepEqual([...(await readBytes(tty, expected.length))], expected, condition);
  }
  // The default byte is 0, as for a break.
  await vtmx.injectRx('normal');
  t.deepEqual([...(await readBytes(tty, 1))], [0]);
});

vtest('injectRx goes through the termios of the application: PARMRK marks a parity error', async (t) => {
  const { vtmx, tty } = await openPort(t);
  tty.makeRaw();
  const attr = tty.getAttr();
  tty.setAttr({ ...attr, iflag: attr.iflag | c.INPCK | c.PARMRK });
  await vtmx.injectRx('parity', 0x42);
  t.deepEqual([...(await readBytes(tty, 3))], [0xff, 0, 0x42]);
});

vtest('injectRx is ordered with writes', async (t) => {
  const { vtmx, tty } = await openPort(t);
  tty.makeRaw();
  const writing = vtmx.write('ab');
  const injecting = vtmx.injectRx('normal', 0x63);
  const after = vtmx.write('d');
  await Promise.all([writing, injecting, after]);
  t.is(Buffer.from(await readBytes(tty, 4)).toString(), 'abcd');
});

vtest('injectRx on a full port waits for room behind the queued writes; close cancels it', async (t) => {
  const { vtmx, tty } = await openPort(t);
  tty.makeRaw();
  const chunk = new Uint8Array(4096).fill(0x55);
  const accepted = writeUntilEagain(vtmx, chunk);
  t.true(accepted > 0);
  const extra = new Uint8Array(100).fill(0x66);
  const writing = vtmx.write(extra);
  let injected = false;
  const injecting = vtmx.injectRx('normal', 0x5a).then(() => {
    injected = true;
  });
  await delay(50);
  t.false(injected, 'injectRx must wait for room');
  const all = await readBytes(tty, accepted + extra.length + 1);
  await Promise.all([writing, injecting]);
  t.is(all.length, accepted + extra.length + 1);
  t.is(all[accepted], 0x66);
  t.is(all[all.length - 2], 0x66);
  t.is(all[all.length - 1], 0x5a, 'the injected byte comes after every byte written before it');

  // Fill again, then close while an injection waits.
  writeUntilEagain(vtmx, chunk);
  const pending = vtmx.injectRx('break');
  await delay(20);
  await vtmx.close();
  t.true(isCancelledError(await t.throwsAsync(pending)));
});

vtest('injectRx rejects unknown conditions and bytes out of range without injecting', async (t) => {
  const { vtmx, tty } = await openPort(t);
  const before = tty.getIcount();
  const unknown = await t.throwsAsync(vtmx.injectRx('garbled' as RxCondition, 1), { instanceOf: UnknownNameError });
  t.is(unknown.kind, 'rx condition');
  t.regex(unknown.message, /^unknown rx condition "garbled"; known: normal, break, frame, parity, overrun$/);
  for (const byte of [256, -1, 1.5, Number.NaN]) {
    const range = await t.throwsAsync(vtmx.injectRx('normal', byte), { instanceOf: RangeError });
    t.is((range as RangeError & { code?: string }).code, 'ERR_OUT_OF_RANGE');
  }
  t.deepEqual(tty.getIcount(), before);
  await vtmx.close();
  t.like(await t.throwsAsync(vtmx.injectRx('normal', 1)), { code: 'EBADF' });
  t.like(t.throws(() => { vtmx.requestState(); }), { code: 'EBADF' });
  t.like(t.throws(() => vtmx.supportedFeatures()), { code: 'EBADF' });
});

vtest('injectRx of a break with BRKINT off and IGNBRK off, not fully raw: a 0 byte', async (t) => {
  const { vtmx, tty } = await openPort(t);
  tty.makeRaw();
  const attr = tty.getAttr();
  // INPCK makes n_tty look at the flags (no longer "real raw"); a break then reads as 0.
  tty.setAttr({ ...attr, iflag: attr.iflag | c.INPCK });
  await vtmx.injectRx('break', 0x41);
  t.deepEqual([...(await readBytes(tty, 1))], [0]);
});
