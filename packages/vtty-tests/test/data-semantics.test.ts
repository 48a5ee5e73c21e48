import test from 'ava';
import { openTty, Vtmx } from 'vtmx-native';
import {
  assertInsideBench,
  firstDifference,
  openAppSide,
  randomPayload,
  readData,
  readExactly,
  sleep,
  stty,
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
