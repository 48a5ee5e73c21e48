import test from 'ava';
import { openTty } from 'vtmx-native';
import { runVtty, startVtty, stopAllVtty } from '../src/cli-harness.js';
import { assertInsideBench } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.afterEach.always(stopAllVtty);

interface Listed {
  ports: { path: string; index: number; device: string; appOpen: boolean; openedBy: { pid: number; command: string }[]; servedBy: { pid: number }[] }[];
  uninspectable: number;
}

test.serial('vtty list shows the ports and whether the application side is open', async (t) => {
  const a = startVtty(['echo']);
  const b = startVtty(['echo']);
  const pa = await a.firstLine();
  const pb = await b.firstLine();
  const app = openTty(pb);
  try {
    const r = await runVtty(['list', '--json']);
    t.is(r.code, 0, r.stderr);
    const listed = JSON.parse(r.stdout) as Listed;
    const la = listed.ports.find((p) => p.path === pa);
    const lb = listed.ports.find((p) => p.path === pb);
    t.like(la, { appOpen: false, openedBy: [] });
    t.like(lb, { appOpen: true });
    t.deepEqual(la?.servedBy.map((s) => s.pid), [a.child.pid], 'the vtty serving each port');
    t.deepEqual(lb?.servedBy.map((s) => s.pid), [b.child.pid]);
    t.true(lb?.openedBy.some((o) => o.pid === process.pid), JSON.stringify(lb));
    t.regex(la?.device ?? '', /^\d+:\d+$/);
    t.is(listed.uninspectable, 0, 'root sees every process');

    const human = await runVtty(['list']);
    t.is(human.code, 0);
    t.regex(human.stdout, /^PORT\s+SERVER\s+APP\s+OPENED BY$/m);
    t.regex(human.stdout, new RegExp(`^${pa}\\s+${a.child.pid}\\s+closed$`, 'm'));
    t.regex(human.stdout, new RegExp(`^${pb}\\s+${b.child.pid}\\s+open\\s+${process.pid} \\(`, 'm'));
  } finally {
    await app.close();
  }
  await a.stop();
  await b.stop();
  const after = JSON.parse((await runVtty(['list', '--json'])).stdout) as Listed;
  t.false(after.ports.some((p) => p.path === pa || p.path === pb), 'stopped ports are gone');
});
