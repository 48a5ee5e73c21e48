// Vtmx.readInto(): batches of packets read into the caller's reused buffer (inside UML).
import test from 'ava';
import { decodePacket, type Packet } from 'vtty-protocol';
import { Vtmx, constants as c, type SystemError } from 'vtmx-native';
import { HAVE_VTMX, delay, warnIfNoVtmx } from './helpers/env.js';
import { openPort } from './helpers/port.js';

warnIfNoVtmx('read-into.test');
const vtest = HAVE_VTMX ? test.serial : test.skip;

/** Modem states the application sets one after the other: one modem packet each. */
const MODEM_STATES = [c.TIOCM_DTR, c.TIOCM_RTS, c.TIOCM_DTR | c.TIOCM_RTS, 0];

function modemState(packet: Packet): number {
  if (packet.type !== 'modem') throw new Error(`expected a modem packet, got ${packet.type}`);
  return packet.lines;
}

/** The bytes of `length` that the application writes in the data tests. */
function pattern(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 13 + (i >> 9)) & 0xff;
  return bytes;
}

/** What the tests check of a packet once its view is reused. */
interface PacketShape {
  type: Packet['type'];
  length: number;
  tag: number | undefined;
  inBuffer: boolean;
}

/**
 * Reads with readInto until `length` data bytes arrived; returns them and the shape of each
 * packet (taken before the next readInto overwrites the view).
 */
async function readDataInto(vtmx: Vtmx, buffer: Uint8Array, length: number): Promise<{ data: Uint8Array; shapes: PacketShape[] }> {
  const data = new Uint8Array(length);
  const shapes: PacketShape[] = [];
  let got = 0;
  while (got < length) {
    for (const raw of await vtmx.readInto(buffer)) {
      const packet = decodePacket(raw);
      shapes.push({ type: packet.type, length: raw.length, tag: raw[0], inBuffer: raw.buffer === buffer.buffer });
      if (packet.type !== 'data') continue;
      data.set(packet.data, got);
      got += packet.data.length;
    }
  }
  return { data, shapes };
}

vtest('readInto: 1 MiB arrives byte-exact in views of the one reused buffer', async (t) => {
  const { vtmx, tty } = await openPort(t);
  tty.makeRaw();
  const payload = pattern(1024 * 1024);
  const buffer = new Uint8Array(64 * 1024);
  const writing = tty.write(payload);
  const { data, shapes } = await readDataInto(vtmx, buffer, payload.length);
  await writing;
  t.deepEqual(data, payload);
  // Every packet is a view of the caller's buffer: nothing was allocated for the bytes.
  t.true(shapes.every((shape) => shape.inBuffer));
  t.true(shapes.length > 1);
});

vtest('readInto: a 64-byte buffer splits data packets (each part tagged) but never a termios packet', async (t) => {
  const { vtmx, tty } = await openPort(t);
  tty.makeRaw();
  const payload = pattern(4000);
  const buffer = new Uint8Array(64);
  const writing = tty.write(payload);
  const { data, shapes } = await readDataInto(vtmx, buffer, payload.length);
  await writing;
  t.deepEqual(data, payload);
  t.true(shapes.every((shape) => shape.length <= 64 && (shape.tag === 0 || shape.length === 45)));
  // makeRaw's termios packet (45 bytes) came whole, before the data.
  t.like(shapes[0], { type: 'termios', length: 45 });
});

vtest('readInto returns every packet queued at once, in order', async (t) => {
  const { vtmx, tty } = await openPort(t);
  for (const state of MODEM_STATES) tty.setModemLines(state);
  await delay(20);
  const packets = (await vtmx.readInto(new Uint8Array(4096))).map((raw) => decodePacket(raw));
  t.deepEqual(packets.map(modemState), MODEM_STATES);
});

vtest('readInto after readRaw: packets read ahead are copied into the buffer, order kept', async (t) => {
  const { vtmx, tty } = await openPort(t);
  for (const state of MODEM_STATES) tty.setModemLines(state);
  await delay(20);
  // One wake-up reads all four; readRaw takes the first, the rest wait in the binding.
  const first = decodePacket(await vtmx.readRaw());
  const buffer = new Uint8Array(4096);
  const rest = await vtmx.readInto(buffer);
  t.true(rest.every((view) => view.buffer === buffer.buffer));
  t.deepEqual([first, ...rest.map((raw) => decodePacket(raw))].map(modemState), MODEM_STATES);
});

vtest('readInto: a data packet read ahead and larger than the buffer comes in tagged parts', async (t) => {
  const { vtmx, tty } = await openPort(t);
  tty.makeRaw();
  const payload = pattern(4000);
  await tty.write(payload);
  await delay(20);
  // One wake-up reads makeRaw's termios packet and the 4000 data bytes; readRaw takes the
  // termios packet, the data packet waits in the binding.
  t.is(decodePacket(await vtmx.readRaw()).type, 'termios');
  const { data, shapes } = await readDataInto(vtmx, new Uint8Array(64), payload.length);
  t.deepEqual(data, payload);
  t.true(shapes.length >= Math.ceil(payload.length / 63));
  t.true(shapes.every((shape) => shape.tag === 0 && shape.length <= 64 && shape.inBuffer));
});

vtest('readRaw, readInto and readRaw waiting together are served in call order', async (t) => {
  const { vtmx, tty } = await openPort(t);
  const order: string[] = [];
  const seen: number[][] = [];
  const first = vtmx.readRaw().then((raw) => {
    order.push('readRaw 1');
    seen[0] = [modemState(decodePacket(raw))];
  });
  const second = vtmx.readInto(new Uint8Array(4096)).then((views) => {
    order.push('readInto');
    seen[1] = views.map((view) => modemState(decodePacket(view)));
  });
  const third = vtmx.readRaw().then((raw) => {
    order.push('readRaw 2');
    seen[2] = [modemState(decodePacket(raw))];
  });
  const states = [...MODEM_STATES, c.TIOCM_DTR, c.TIOCM_RTS, c.TIOCM_DTR | c.TIOCM_RTS, 0, c.TIOCM_DTR];
  // Set states one by one until all three reads settled (readInto may take several at once).
  let next = 0;
  while (order.length < 3 && next < states.length) {
    tty.setModemLines(states[next++] ?? 0);
    await delay(10);
  }
  await Promise.all([first, second, third]);
  t.deepEqual(order, ['readRaw 1', 'readInto', 'readRaw 2']);
  const delivered = seen.flat();
  t.deepEqual(delivered, states.slice(0, delivered.length));
  t.true((seen[1] ?? []).length >= 1);
});

vtest('readInto: bad buffers are refused; close cancels a pending readInto; EBADF after', async (t) => {
  const vtmx = await Vtmx.open();
  const notBytes = new Uint16Array(64) as unknown as Uint8Array;
  await t.throwsAsync(vtmx.readInto(notBytes), { instanceOf: TypeError, message: /Uint8Array/ });
  await t.throwsAsync(vtmx.readInto(new Uint8Array(63)), { instanceOf: RangeError, message: /63 bytes.*at least 64/ });
  const pending = vtmx.readInto(new Uint8Array(4096));
  await delay(20);
  await vtmx.close();
  t.is((await t.throwsAsync<SystemError>(pending)).code, 'ECANCELED');
  t.is((await t.throwsAsync<SystemError>(vtmx.readInto(new Uint8Array(4096)))).code, 'EBADF');
});

vtest('readInto: a buffer transferred while waiting rejects that read and loses nothing', async (t) => {
  // No makeRaw: its termios packet would be read into the buffer before the transfer.
  const { vtmx, tty } = await openPort(t);
  const buffer = new Uint8Array(4096);
  const pending = vtmx.readInto(buffer);
  await delay(20);
  structuredClone(buffer.buffer, { transfer: [buffer.buffer] });
  t.is(buffer.length, 0);
  await tty.write('kept');
  await t.throwsAsync(pending, { instanceOf: TypeError, message: /detached/ });
  // What arrived meanwhile is still there for the next read.
  const again = new Uint8Array(4096);
  const { data } = await readDataInto(vtmx, again, 4);
  t.is(Buffer.from(data).toString(), 'kept');
});
