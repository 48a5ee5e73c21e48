// Worker threads: handles live on the worker's own loop, and a worker exiting with open
// handles, pending reads, pending writes and blocked thread-pool calls does not crash.
import test from 'ava';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { openTty } from 'vtmx-native';
import { HAVE_VTMX, warnIfNoVtmx } from './helpers/env.js';

warnIfNoVtmx('worker.test');
const vtest = HAVE_VTMX ? test : test.skip;

interface Started {
  worker: Worker;
  /** The exit code. Listened for from the start: a worker that exits right after its
   * ready message has both events emitted in one go, before an awaiting test could
   * attach a listener for the second. */
  exited: Promise<number>;
}

function startWorker(file: string, workerData?: unknown): Started {
  const worker = new Worker(new URL(`./fixtures/${file}`, import.meta.url), { workerData });
  const exited = once(worker, 'exit').then(([code]) => code as number);
  return { worker, exited };
}

async function waitReady(worker: Worker): Promise<unknown> {
  const [message] = (await once(worker, 'message')) as [unknown];
  return message;
}

for (const vtmx of HAVE_VTMX ? [false, true] : [false]) {
  const label = vtmx ? 'pty + vtmx' : 'pty';

  test(`worker terminated with open handles and pending calls (${label})`, async (t) => {
    const { worker } = startWorker('worker-open-handles.js', { mode: 'terminate', vtmx });
    await waitReady(worker);
    const exitCode = await worker.terminate();
    t.is(exitCode, 1);
  });

  test(`worker calling process.exit with open handles (${label})`, async (t) => {
    const { worker, exited } = startWorker('worker-open-handles.js', { mode: 'exit', vtmx });
    await waitReady(worker);
    t.is(await exited, 0);
  });

  test(`worker that closes everything ends by itself (${label})`, async (t) => {
    const { worker, exited } = startWorker('worker-open-handles.js', { mode: 'return', vtmx });
    await waitReady(worker);
    t.is(await exited, 0);
  });
}

test('many workers in a row do not leak or crash', async (t) => {
  for (let i = 0; i < 20; i++) {
    const { worker, exited } = startWorker('worker-open-handles.js', { mode: i % 2 === 0 ? 'terminate' : 'exit', vtmx: HAVE_VTMX });
    await waitReady(worker);
    if (i % 2 === 0) await worker.terminate();
    await exited;
  }
  t.pass();
});

vtest('a Vtmx in a worker serves a port used from the main thread', async (t) => {
  const { worker, exited } = startWorker('worker-vtmx-io.js');
  const { path } = (await waitReady(worker)) as { path: string };
  const tty = openTty(path);
  tty.makeRaw();
  await tty.write('via-worker');
  let got = '';
  while (got.length < 'via-worker'.length) got += Buffer.from(await tty.read()).toString();
  t.is(got, 'via-worker');
  worker.postMessage('close');
  t.is(await exited, 0);
  await tty.close();
});
