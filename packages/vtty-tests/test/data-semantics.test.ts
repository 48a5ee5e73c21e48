import test from 'ava';
import { openTty, Vtmx } from 'vtmx-native';
import { VTMX_GET_VTTY_NUM, VTMX_INJECT_RX, VTTY_FEAT_HW_FLOW } from 'vtty-protocol';
import { setFeatures } from '../src/ext-vtty.js';
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
VTMX_GET_VTTY_NUM = ${VTMX_GET_VTTY_NUM}
fd = os.open('/dev/vtmx', os.O_RDWR)
index = struct.unpack('I', fcntl.ioctl(fd, VTMX_GET_VTTY_NUM, b'\\0' * 4))[0]
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

// A blocking 4 KiB master write into an empty port: n_tty takes all but a
// few bytes (it holds 4,095) and the driver holds those back for the
// master's next write, so that they reach the application with it rather
// than in a read of their own. Held bytes keep their place in the stream
// and go the way of the flip buffer's.
const heldTailScript = `
import fcntl, os, select, struct, sys, termios, time, tty
VTMX_GET_VTTY_NUM = ${VTMX_GET_VTTY_NUM}
VTMX_INJECT_RX = ${VTMX_INJECT_RX}
fd = os.open('/dev/vtmx', os.O_RDWR)
index = struct.unpack('I', fcntl.ioctl(fd, VTMX_GET_VTTY_NUM, b'\\0' * 4))[0]
app = os.open('/dev/ttyV%d' % index, os.O_RDWR | os.O_NOCTTY)
tty.setraw(app)

def read_until_quiet(size, quiet):
    got = b''
    while len(got) < size:
        if not select.select([app], [], [], quiet)[0]:
            break
        got += os.read(app, 65536)
    return got

payload = os.urandom(4096)
start = time.monotonic()
written = os.write(fd, payload)
ms = (time.monotonic() - start) * 1000
mode = sys.argv[1]
if mode == 'read':
    ok = read_until_quiet(len(payload), 2) == payload
elif mode == 'tcflush':
    termios.tcflush(app, termios.TCIFLUSH)
    time.sleep(0.2)
    os.write(fd, b'after')
    ok = read_until_quiet(len(payload), 0.5) == b'after'
elif mode == 'inject':
    fcntl.ioctl(fd, VTMX_INJECT_RX, struct.pack('I', ord('Z')))
    ok = read_until_quiet(len(payload) + 1, 2) == payload + b'Z'
print('%d %.1f %d' % (written, ms, ok))
`;

async function heldTail(mode: string): Promise<{ written: number; ms: number; ok: boolean }> {
  const output = (await python(heldTailScript, [mode])).trim();
  const match = /^(\d+) ([\d.]+) ([01])$/.exec(output);
  if (!match) throw new Error(`unexpected output: ${output}`);
  return { written: Number(match[1]), ms: Number(match[2]), ok: match[3] === '1' };
}

test.serial('a blocking 4 KiB master write that fills n_tty returns at once, and the application reads all of it', async (t) => {
  const { written, ms, ok } = await heldTail('read');
  t.is(written, 4096);
  // Waiting for the application would take VTTY_UNTHROTTLE_WAIT (50 ms).
  t.true(ms < 40, `the write took ${ms} ms`);
  t.true(ok, 'the application read the 4096 bytes, in order, with no further write');
});

test.serial('tcflush(TCIFLUSH) discards what a blocking master write held back', async (t) => {
  const { written, ok } = await heldTail('tcflush');
  t.is(written, 4096);
  t.true(ok, 'the application read only what the master wrote after the flush');
});

test.serial('a byte injected after a blocking master write that filled n_tty arrives after all of it', async (t) => {
  const { written, ok } = await heldTail('inject');
  t.is(written, 4096);
  t.true(ok, 'the application read the 4096 bytes, then the injected byte');
});
