import test from 'ava';
import { openTty, Vtmx } from 'vtmx-native';
import { VTMX_INJECT_RX, VTTY_FEAT_HW_FLOW, VTTY_RX_NORMAL, vttyInject } from 'vtty-protocol';
import { setFeatures } from '../src/ext-vtty.js';
import {
  assertInsideBench,
  concat,
  firstDifference,
  openAppSide,
  portScript,
  randomPayload,
  readData,
  readExactly,
  RX_BOUND,
  RX_FLOOR,
  sleep,
  stty,
  writeUntilFull,
} from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.serial('TIOCOUTQ counts what the master has not read, and tcdrain returns once it has', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, 'raw', '-echo');
  const app = openTty(master.path);
  const payload = randomPayload(3000);
  await app.write(payload);
  t.is(app.outputQueue(), 3000);

  let drained = false;
  const draining = app.drain().then(() => {
    drained = true;
  });
  await sleep(300);
  t.false(drained, 'tcdrain returned while the master had not read');
  const { data } = await readData(master, payload.length);
  await draining;
  t.true(drained);
  t.is(app.outputQueue(), 0);
  t.is(firstDifference(data, payload), -1);
  await app.close();
  await master.close();
});

test.serial('a stream that fills the 8 KiB output queue gets 64 KiB from the master\'s next read, losing nothing', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, 'raw', '-echo');
  const app = openTty(master.path);
  const payload = randomPayload(128 * 1024);
  // 3000 bytes read first: the queue that grows then wraps around the small ring's end.
  let written = app.tryWrite(payload.subarray(0, 3000));
  const got = [(await readData(master, written)).data];
  written = writeUntilFull(app, payload, written);
  t.is(app.outputQueue(), 8192);
  got.push((await readData(master, 8192)).data);
  written = writeUntilFull(app, payload, written);
  t.is(app.outputQueue(), 65536, 'the output queue did not grow');
  got.push((await readData(master, 65536)).data);
  t.is(written, 3000 + 8192 + 65536);
  t.is(firstDifference(concat(got), payload.subarray(0, written)), -1);
  await app.close();
  await master.close();
});

test.serial('output that CTS holds fills only 8 KiB, also after the queue grew', async (t) => {
  const master = await Vtmx.open();
  setFeatures(master, VTTY_FEAT_HW_FLOW);
  master.setModemLines({ cts: true });
  await stty(master.path, 'raw', '-echo', 'crtscts');
  const app = openTty(master.path);
  const payload = randomPayload(128 * 1024);
  let written = writeUntilFull(app, payload, 0);
  const got = [(await readData(master, written)).data];
  written = writeUntilFull(app, payload, written);
  t.is(app.outputQueue(), 65536, 'the output queue did not grow');
  got.push((await readData(master, 65536)).data);
  master.setModemLines({ cts: false });
  await sleep(50);
  const held = written;
  written = writeUntilFull(app, payload, written);
  t.is(written - held, 8192);
  t.is(app.outputQueue(), 8192);
  master.setModemLines({ cts: true });
  got.push((await readData(master, 8192)).data);
  t.is(firstDifference(concat(got), payload.subarray(0, written)), -1);
  await app.close();
  await master.close();
});

test.serial('tcflush(TCOFLUSH) discards what the master has not read', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, 'raw', '-echo');
  const app = openTty(master.path);
  await app.write(randomPayload(1000));
  t.is(app.outputQueue(), 1000);
  app.flush('output');
  t.is(app.outputQueue(), 0);
  await app.write(new Uint8Array([1, 2, 3]));
  const { data } = await readData(master, 3);
  t.deepEqual([...data], [1, 2, 3]);
  await app.close();
  await master.close();
});

test.serial('data the master writes before the application opens is delivered when it does', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, 'raw', '-echo');
  const payload = randomPayload(2000);
  await master.write(payload);
  const app = await openAppSide(master.path);
  const got = await readExactly(app, payload.length);
  t.is(firstDifference(got, payload), -1);
  await app.close();
  await master.close();
});

test.serial('a non-blocking master write stops with EAGAIN when the port cannot take more, and loses nothing', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, 'raw', '-echo');
  const app = openTty(master.path);
  const chunk = randomPayload(4096);
  let accepted = 0;
  for (let i = 0; i < 10_000; i++) {
    const n = master.tryWrite(chunk);
    accepted += n;
    if (n === 0) break;
  }
  t.true(accepted >= RX_FLOOR, `the port took only ${accepted} bytes`);
  t.true(accepted <= RX_BOUND, `the port took ${accepted} bytes, more than the bound (${RX_BOUND})`);
  t.is(master.tryWrite(chunk), 0, 'writes accepted without limit');

  // Everything accepted is delivered, in order.
  const expected = new Uint8Array(accepted);
  for (let offset = 0; offset < accepted; offset += chunk.length) {
    const n = Math.min(chunk.length, accepted - offset);
    expected.set(chunk.subarray(0, n), offset);
  }
  const received: Uint8Array[] = [];
  let total = 0;
  while (total < accepted) {
    const bytes = await app.read(65536);
    received.push(bytes);
    total += bytes.length;
  }
  t.is(firstDifference(new Uint8Array(Buffer.concat(received)), expected), -1);
  await app.close();
  await master.close();
});

// A blocking master write into a raw port: 4 KiB into an empty one is taken at once (the
// alarm would end a write that waited), and the bytes keep their order and their place among
// what comes after: a flush of the application's input, an injected byte. Four bounds into a
// port nobody reads stop at the bound, and SIGALRM ends the write with the count so far.
const masterWriteScript = `
VTMX_INJECT_RX = ${VTMX_INJECT_RX}
mode = sys.argv[1]
m, index = open_master()
app = open_app(index)
payload = os.urandom(4 * RX_BOUND if mode == 'alarm' else 4096)
written = write_with_alarm(m, payload, 2 if mode != 'alarm' else 1)
if mode == 'read':
    ok = read_exactly(app, len(payload)) + read_quiet(app, 0.3) == payload
elif mode == 'alarm':
    ok = read_exactly(app, max(written, 0)) + read_quiet(app, 0.3) == payload[:max(written, 0)]
elif mode == 'tcflush':
    termios.tcflush(app, termios.TCIFLUSH)
    os.write(m, b'after')
    ok = read_quiet(app, 0.5) == b'after'
elif mode == 'inject':
    fcntl.ioctl(m, VTMX_INJECT_RX, struct.pack('I', ${vttyInject(0x5a, VTTY_RX_NORMAL)}))
    ok = read_exactly(app, len(payload) + 1) + read_quiet(app, 0.3) == payload + b'Z'
print(json.dumps(dict(size=len(payload), written=written, ok=ok)))
`;

async function masterWrite(mode: 'read' | 'alarm' | 'tcflush' | 'inject'): Promise<{ size: number; written: number; ok: boolean }> {
  return (await portScript(masterWriteScript, [mode])) as { size: number; written: number; ok: boolean };
}

test.serial('a blocking master write the application does not read blocks until a signal ends it, and what it took arrives in order', async (t) => {
  const { size, written, ok } = await masterWrite('alarm');
  t.true(written > 0 && written < size, `the blocking write of ${size} bytes returned ${written}`);
  t.true(written <= RX_BOUND, `the write took ${written} bytes, more than the bound`);
  t.true(ok, 'the application read other bytes than the write took');
});

test.serial('a blocking 4 KiB master write into an empty raw port returns at once, and the application reads all of it', async (t) => {
  const { written, ok } = await masterWrite('read');
  t.is(written, 4096, 'the write did not take the 4096 bytes before the alarm');
  t.true(ok, 'the application read other bytes than the 4096, in order, with no further write');
});

test.serial('tcflush(TCIFLUSH) discards what the application had not read', async (t) => {
  const { written, ok } = await masterWrite('tcflush');
  t.is(written, 4096);
  t.true(ok, 'the application read more than what the master wrote after the flush');
});

test.serial('a byte injected after a blocking master write arrives after all of it', async (t) => {
  const { written, ok } = await masterWrite('inject');
  t.is(written, 4096);
  t.true(ok, 'the application did not read the 4096 bytes, then the injected byte');
});
