import test from 'ava';
import { openTty, Vtmx } from 'vtmx-native';
import { BOTHER, CBAUD, toLineSettings } from 'vtty-protocol';
import { assertInsideBench, isTermios, python, stty, waitForPacket } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.serial('a new port starts as a UART does: 9600 8N1, CREAD, HUPCL, CLOCAL', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  const settings = toLineSettings(app.getAttr());
  t.like(settings, { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, cread: true, hupcl: true, clocal: true });
  await app.close();
  await master.close();
});

test.serial('stty 9600 cs7 parenb parodd cstopb crtscts reaches the master as exactly those settings', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, '9600', 'cs7', 'parenb', 'parodd', 'cstopb', 'crtscts');
  const { packet } = await waitForPacket(master, isTermios);
  t.like(toLineSettings(packet.termios), {
    baudRate: 9600,
    dataBits: 7,
    parity: 'odd',
    stopBits: 2,
    rtscts: true,
  });
  await master.close();
});

test.serial('stty 115200 reaches the master with c_ispeed and c_ospeed filled in', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, '115200');
  const { packet } = await waitForPacket(master, isTermios);
  t.is(packet.termios.ospeed, 115200);
  t.is(packet.termios.ispeed, 115200);
  t.is(toLineSettings(packet.termios).baudRate, 115200);
  await master.close();
});

test.serial('pyserial baudrate=250000 (not a Bnnn rate) arrives through BOTHER in c_ospeed', async (t) => {
  const master = await Vtmx.open();
  await python(
    'import serial, sys\nserial.Serial(sys.argv[1], baudrate=250000).close()',
    [master.path],
  );
  const { packet } = await waitForPacket(master, (p): p is Extract<typeof p, { type: 'termios' }> =>
    isTermios(p) && p.termios.ospeed === 250000,
  );
  t.is(packet.termios.cflag & CBAUD, BOTHER);
  t.is(toLineSettings(packet.termios).baudRate, 250000);
  await master.close();
});

test.serial('every tcsetattr reaches the master, in order, the newest last', async (t) => {
  const master = await Vtmx.open();
  const app = openTty(master.path);
  const rates = [1200, 2400, 4800, 19200, 38400, 57600, 115200, 230400];
  for (const rate of rates) app.setBaudRate(rate);
  const seen: number[] = [];
  while (seen.at(-1) !== 230400) {
    const { packet } = await waitForPacket(master, isTermios);
    seen.push(packet.termios.ospeed);
  }
  // The queue may coalesce consecutive states when full, never reorder them.
  t.deepEqual(
    seen,
    rates.filter((rate) => seen.includes(rate)),
  );
  await app.close();
  await master.close();
});

test.serial('a port created at a reused index starts from UART defaults, not the old port settings', async (t) => {
  const first = await Vtmx.open();
  const index = first.index;
  await stty(first.path, '115200', 'raw', '-clocal', 'cs7');
  await first.close();
  // Indexes are allocated lowest first; a port an earlier test's process was still
  // releasing may free a lower one meanwhile, so hold those until ours comes back.
  const lower: Vtmx[] = [];
  let second = await Vtmx.open();
  while (second.index < index) {
    lower.push(second);
    second = await Vtmx.open();
  }
  t.is(second.index, index);
  const app = openTty(second.path, { nonBlocking: true });
  t.like(toLineSettings(app.getAttr()), { baudRate: 9600, dataBits: 8, clocal: true });
  await app.close();
  await second.close();
  await Promise.all(lower.map((port) => port.close()));
});

test.serial('settings made with stty before the application opens persist, as on a real port', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, '57600', 'cs7', 'parenb');
  const app = openTty(master.path);
  t.like(toLineSettings(app.getAttr()), { baudRate: 57600, dataBits: 7, parity: 'even' });
  await app.close();
  await master.close();
});
