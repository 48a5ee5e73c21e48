import { existsSync } from 'node:fs';
import test from 'ava';
import { Vtmx } from 'vtmx-native';
import { assertInsideBench, openAppSide } from '../src/index.js';

// Index numbering is global to the module: run this file's tests one by one.
test.before(() => {
  assertInsideBench();
});

test.serial('opening /dev/vtmx creates /dev/ttyV<n>, closing it removes the node', async (t) => {
  const master = await Vtmx.open();
  t.is(master.path, `/dev/ttyV${master.index}`);
  t.true(existsSync(master.path));
  await master.close();
  t.false(existsSync(master.path));
});

test.serial('closing a master frees its index for the next open', async (t) => {
  const first = await Vtmx.open();
  const second = await Vtmx.open();
  t.not(first.index, second.index);
  const freed = first.index;
  await first.close();
  const third = await Vtmx.open();
  t.is(third.index, freed);
  await second.close();
  await third.close();
});

test.serial('an index is not reused while the application still holds the port', async (t) => {
  const master = await Vtmx.open();
  const held = master.index;
  const app = await openAppSide(master.path);
  await master.close();
  t.false(existsSync(`/dev/ttyV${held}`), 'the node goes with the master');

  const other = await Vtmx.open();
  t.not(other.index, held, 'index reused while the application holds the old port');
  await app.close();
  // The last close frees the index before it returns, as with ptmx.
  const again = await Vtmx.open();
  t.is(again.index, held, 'index not free when the last close returned');
  await other.close();
  await again.close();
});

test.serial('after the master closes, the application reads end of file and writes fail with EIO', async (t) => {
  const master = await Vtmx.open();
  const app = await openAppSide(master.path);
  await master.close();
  const { bytesRead } = await app.read(new Uint8Array(16), 0, 16, null);
  t.is(bytesRead, 0);
  await t.throwsAsync(app.write(new Uint8Array([1, 2, 3])), { code: 'EIO' });
  await app.close();
});

test.serial('a read blocked in the application when the master closes returns EIO', async (t) => {
  const master = await Vtmx.open();
  const app = await openAppSide(master.path);
  const blocked = app.read(new Uint8Array(16), 0, 16, null);
  // Give the read time to reach the driver and sleep there.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await master.close();
  await t.throwsAsync(blocked, { code: 'EIO' });
  await app.close();
});
