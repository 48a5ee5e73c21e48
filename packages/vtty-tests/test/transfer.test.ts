import test from 'ava';
import { Vtmx } from 'vtmx-native';
import {
  assertInsideBench,
  firstDifference,
  openAppSide,
  randomPayload,
  readData,
  readExactly,
  stty,
  writeAll,
} from '../src/index.js';

const MiB = 1024 * 1024;

test.before(() => {
  assertInsideBench();
});

test.serial('1 MiB of random bytes crosses byte-exact from master to application', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, 'raw', '-echo');
  const app = await openAppSide(master.path);
  const payload = randomPayload(MiB);

  const received = readExactly(app, payload.length);
  await master.write(payload);
  const got = await received;
  t.is(firstDifference(got, payload), -1);

  await app.close();
  await master.close();
});

test.serial('1 MiB of random bytes crosses byte-exact from application to master', async (t) => {
  const master = await Vtmx.open();
  await stty(master.path, 'raw', '-echo');
  const app = await openAppSide(master.path);
  const payload = randomPayload(MiB);

  const received = readData(master, payload.length);
  await writeAll(app, payload);
  const { data, control } = await received;
  t.is(firstDifference(data, payload), -1);
  // stty set termios before the transfer; nothing else may interleave.
  t.true(control.every((packet) => packet.type === 'termios'));

  await app.close();
  await master.close();
});
