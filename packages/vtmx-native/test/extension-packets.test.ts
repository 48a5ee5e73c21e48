// Every packet the driver sends, with every feature enabled, through each documented way of
// reading a master: read(), the async iterator and VtmxStream (inside UML:
// uml/run.sh -- pnpm --filter vtmx-native test). The open-count and flush packets are the
// ones a reader once failed on (UNKNOWN_TAG on the first open event).
import test, { type ExecutionContext } from 'ava';
import { TIOCM_DTR, TIOCM_RTS, describePacket, termiosOutputBaudRate, type Packet } from 'vtty-protocol';
import { FEATURE_NAMES, Vtmx, openTty } from 'vtmx-native';
import { scaledDeadline } from 'vtmx-native/testing';
import { HAVE_VTMX, warnIfNoVtmx } from './helpers/env.js';

warnIfNoVtmx('extension-packets.test');
const vtest = HAVE_VTMX ? test.serial : test.skip;

/** Reads packets from a master until `done` returns true for those read; resolves with them. */
type Reader = (vtmx: Vtmx, done: (packets: readonly Packet[]) => boolean) => Promise<Packet[]>;

const readers: Readonly<Record<string, Reader>> = {
  'read()': async (vtmx, done) => {
    const packets: Packet[] = [];
    while (!done(packets)) packets.push(await vtmx.read());
    return packets;
  },
  'for await': async (vtmx, done) => {
    const packets: Packet[] = [];
    for await (const packet of vtmx) {
      packets.push(packet);
      if (done(packets)) break;
    }
    return packets;
  },
  VtmxStream: (vtmx, done) =>
    new Promise((resolve, reject) => {
      const packets: Packet[] = [];
      const stream = vtmx.stream({ autoClose: false });
      const add = (packet: Packet): void => {
        packets.push(packet);
        if (done(packets)) {
          stream.destroy();
          resolve(packets);
        }
      };
      stream.on('data', (data: Buffer) => {
        add({ type: 'data', data });
      });
      stream.on('control', add);
      stream.on('error', reject);
      stream.on('end', () => {
        reject(new Error('the stream ended before the last packet'));
      });
    }),
};

/** Fails the read after `ms` (quiet machine; scaled), saying what did not come. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  const limit = scaledDeadline(ms);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`the packets did not all arrive within ${limit} ms`));
    }, limit);
  });
  return Promise.race([promise, expired]).finally(() => {
    clearTimeout(timer);
  });
}

/** The packets of one type, narrowed. */
function ofType<T extends Packet['type']>(packets: Packet[], type: T): Extract<Packet, { type: T }>[] {
  return packets.filter((p): p is Extract<Packet, { type: T }> => p.type === type);
}

/** The bytes of the data packets, as text. */
function dataOf(packets: Packet[]): string {
  return Buffer.concat(ofType(packets, 'data').map((p) => p.data)).toString();
}

async function everyPacketThrough(t: ExecutionContext, read: Reader): Promise<void> {
  const vtmx = await Vtmx.open();
  t.teardown(() => vtmx.close());
  vtmx.setFeatures(FEATURE_NAMES);
  t.deepEqual(vtmx.enabledFeatures(), new Set(FEATURE_NAMES), 'every feature this binding knows is enabled');

  // Done with the third open count (open, last close, requestState) and the five bytes: the
  // driver hands out control packets ahead of data, so either may come last.
  const reading = within(
    read(vtmx, (packets) => ofType([...packets], 'openCount').length === 3 && dataOf([...packets]) === 'hello'),
    10_000,
  );

  const tty = openTty(vtmx.path); // open count 1; DTR and RTS raised (modem)
  tty.setBaudRate(115200); // termios
  tty.bicModemLines(TIOCM_DTR); // modem: RTS without DTR
  tty.breakOn(); // break on
  tty.breakOff(); // break off
  tty.flush('input'); // flush input
  await tty.write('hello'); // data
  await tty.close(); // lines dropped (HUPCL), open count 0
  vtmx.requestState(); // termios, modem, open count 0

  const packets = await reading;
  t.log(packets.map((p) => describePacket(p)).join('; '));
  t.deepEqual(
    [...new Set(packets.map((p) => p.type))].sort(),
    ['break', 'data', 'flush', 'modem', 'openCount', 'termios'],
    'every packet type the driver sends',
  );
  t.deepEqual(ofType(packets, 'openCount').map((p) => p.count), [1, 0, 0]);
  t.deepEqual(ofType(packets, 'flush').map((p) => p.queue), ['input']);
  t.deepEqual(ofType(packets, 'break').map((p) => p.state), [{ kind: 'on' }, { kind: 'off' }]);
  t.is(dataOf(packets), 'hello');
  const termios = ofType(packets, 'termios').map((p) => termiosOutputBaudRate(p.termios));
  t.true(termios.length >= 2 && termios.every((rate) => rate === 115200), `termios speeds ${termios.join(', ')}`);
  const lines = ofType(packets, 'modem').map((p) => p.lines & (TIOCM_DTR | TIOCM_RTS));
  t.is(lines[0], TIOCM_DTR | TIOCM_RTS, 'raised on open');
  t.true(lines.includes(TIOCM_RTS), 'DTR dropped by TIOCMBIC');
  t.is(lines.at(-1), 0, 'dropped on the last close, as requestState reports');
}

for (const [name, read] of Object.entries(readers)) {
  vtest(`every extension packet, all features enabled, through ${name}`, (t) => everyPacketThrough(t, read));
}
