// watchPeerGone: a poll on the thread pool that reports the other end of a pipe going away.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchPeerGone } from 'vtmx-native';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Both ends of a FIFO, opened without blocking: reader first, then writer. */
function fifoPair(): { reader: number; writer: number; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'peer-watch-'));
  const path = join(dir, 'fifo');
  execFileSync('mkfifo', [path]);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  return {
    reader,
    writer,
    remove: () => {
      rmSync(dir, { recursive: true });
    },
  };
}

test('settles true once the last reader of a pipe closes, and not before', async (t) => {
  const { reader, writer, remove } = fifoPair();
  const watch = watchPeerGone(writer, 'fifo writer');
  let settled = false;
  void watch.gone.then(() => {
    settled = true;
  });
  await sleep(300);
  t.false(settled, 'a reader is still there');
  closeSync(reader);
  t.true(await watch.gone);
  closeSync(writer);
  remove();
});

test('the reader side sees the last writer go', async (t) => {
  const { reader, writer, remove } = fifoPair();
  const watch = watchPeerGone(reader, 'fifo reader');
  closeSync(writer);
  t.true(await watch.gone);
  closeSync(reader);
  remove();
});

test('cancel() settles false and frees the pool thread', async (t) => {
  const { reader, writer, remove } = fifoPair();
  const watch = watchPeerGone(writer);
  await sleep(100);
  watch.cancel();
  t.false(await watch.gone);
  closeSync(reader);
  closeSync(writer);
  remove();
});
