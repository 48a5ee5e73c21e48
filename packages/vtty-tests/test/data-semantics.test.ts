import test from 'ava';
import { openTty, Vtmx } from 'vtmx-native';
import { FEAT_HW_FLOW, setFeatures } from '../src/ext-vtty.js';
import {
  assertInsideBench,
  concat,
  firstDifference,
  openAppSide,
  python,
  randomPayload,
  readData,
  readExactly,
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
  setFeatures(master, FEAT_HW_FLOW);
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
  t.true(accepted > 0);
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

// A blocking master write hands its bytes to the line discipline directly
// and, once n_tty is full, waits for the application to read; when it does
// not, the rest must still be stored in the flip buffer after a short wait,
// or a master that writes before it reads would hang (with the application
// blocked writing to it: a deadlock).
const blockingWriterScript = `
import fcntl, os, struct, sys, time, tty
TIOCGPTN = 0x80045430
fd = os.open('/dev/vtmx', os.O_RDWR)
index = struct.unpack('I', fcntl.ioctl(fd, TIOCGPTN, b'\\0' * 4))[0]
app = os.open('/dev/ttyV%d' % index, os.O_RDWR | os.O_NOCTTY)
tty.setraw(app)
size = int(sys.argv[1])
payload = os.urandom(size)
start = time.monotonic()
done = 0
while done < size:
    done += os.write(fd, payload[done:])
elapsed = time.monotonic() - start
got = b''
while len(got) < size:
    got += os.read(app, 65536)
print('%d %d' % (int(elapsed * 1000), got == payload))
`;

test.serial('a blocking master write the application does not read is stored after a short wait, and arrives in order', async (t) => {
  const output = (await python(blockingWriterScript, [String(256 * 1024)])).trim();
  const match = /^(\d+) ([01])$/.exec(output);
  if (!match) return t.fail(`unexpected output: ${output}`);
  t.true(Number(match[1]) < 2000, `the blocking write took ${match[1]} ms`);
  t.is(match[2], '1', 'the application read what the master wrote, in order');
});
