// Issue 18: a port's index is free when the close of its last side returns, as ptmx's is: the
// very next open of /dev/vtmx gets it again, and /dev/ttyV<n> exists.
import { existsSync } from 'node:fs';
import test from 'ava';
import { openTty, Vtmx } from 'vtmx-native';
import { assertInsideBench, portScript } from '../src/index.js';

// Index numbering is global to the module: nothing else may hold a port meanwhile.
test.before(() => {
  assertInsideBench();
});

const ROUNDS = 1000;

/** What a reuse loop saw: the first round that did not get the index back, if any. */
interface ReuseResult {
  rounds: number;
  index: number;
  failed?: { round: number; got: number; node: boolean };
}

// Each round opens the application side of the port the master has, optionally leaves data in
// flight both ways (the master writes what the application does not read, the application
// writes output the master does not read), closes both sides in the order given, and opens
// /dev/vtmx again at once: it must get the same index, with /dev/ttyV<n> there.
const reuseScript = `
rounds, order, inflight, client = int(sys.argv[1]), sys.argv[2], sys.argv[3] == 'data', sys.argv[4]
if client == 'pyserial':
    import serial
m, first = open_master(os.O_NONBLOCK)
failed = None
for i in range(rounds):
    path = '/dev/ttyV%d' % first
    if client == 'pyserial':
        port = serial.Serial(path, 115200, timeout=0, write_timeout=0)
        app, close_app = port.fileno(), port.close
    else:
        app = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        close_app = lambda: os.close(app)
    if inflight:
        os.write(m, b'M' * 1000)
        os.write(app, b'A' * 1000)
    if order == 'master-first':
        os.close(m)
        close_app()
    else:
        close_app()
        os.close(m)
    m, index = open_master(os.O_NONBLOCK)
    node = os.path.exists('/dev/ttyV%d' % index)
    if index != first or not node:
        failed = dict(round=i, got=index, node=node)
        break
os.close(m)
out = dict(rounds=rounds, index=first)
if failed:
    out['failed'] = failed
print(json.dumps(out))
`;

type Order = 'master-first' | 'app-first';

function describe(r: ReuseResult): string {
  if (r.failed === undefined) return 'ok';
  return `round ${r.failed.round}: got index ${r.failed.got} instead of ${r.index}` + (r.failed.node ? '' : `, and /dev/ttyV${r.failed.got} is missing`);
}

for (const client of ['python', 'pyserial'] as const) {
  for (const order of ['master-first', 'app-first'] as const satisfies readonly Order[]) {
    for (const inflight of ['idle', 'data'] as const) {
      const what = `${inflight === 'data' ? 'with data in flight' : 'idle'}, ${order === 'master-first' ? 'the master closing first' : 'the application closing first'}`;
      test.serial(`${client}: the index is free when close returns, ${ROUNDS} times in a row (${what})`, async (t) => {
        const start = performance.now();
        const r = (await portScript(reuseScript, [String(ROUNDS), order, inflight, client], 300_000)) as ReuseResult;
        t.log(`${ROUNDS} rounds in ${((performance.now() - start) / 1000).toFixed(1)} s`);
        t.is(r.failed, undefined, describe(r));
      });
    }
  }
}

// The same with the Node binding on both sides: Vtmx.close() and the application's close()
// return once the descriptor is closed, so the index must be free by then.
for (const order of ['master-first', 'app-first'] as const satisfies readonly Order[]) {
  test.serial(`vtmx-native: the index is free when close returns, ${ROUNDS} times in a row, data in flight (${order})`, async (t) => {
    let master = await Vtmx.open();
    const first = master.index;
    for (let round = 0; round < ROUNDS; round++) {
      const app = openTty(master.path);
      master.tryWrite(new Uint8Array(1000));
      app.tryWrite(new Uint8Array(1000));
      if (order === 'master-first') {
        await master.close();
        await app.close();
      } else {
        await app.close();
        await master.close();
      }
      master = await Vtmx.open();
      if (master.index !== first || !existsSync(master.path)) {
        await master.close();
        t.fail(`round ${round}: got index ${master.index} instead of ${first}` + (existsSync(master.path) ? '' : `, and ${master.path} is missing`));
        return;
      }
    }
    await master.close();
    t.pass();
  });
}

// With every index taken, opening /dev/vtmx fails with ENOSPC (docs/protocol.md), loses
// nothing, and the index freed next is the one the following open gets.
const exhaustScript = `
import errno, resource
limit = int(open('/sys/module/vtty/parameters/max_ports').read())
resource.setrlimit(resource.RLIMIT_NOFILE, (limit + 64, limit + 64))
masters = {}
while True:
    try:
        m, index = open_master(os.O_NONBLOCK)
    except OSError as e:
        error = errno.errorcode.get(e.errno, str(e.errno))
        break
    masters[index] = m
    if len(masters) > limit:
        error = 'none'
        break
freed = sorted(masters)[len(masters) // 2]
os.close(masters.pop(freed))
m, again = open_master(os.O_NONBLOCK)
masters[again] = m
for m in masters.values():
    os.close(m)
print(json.dumps(dict(limit=limit, opened=len(masters), error=error, freed=freed, again=again)))
`;

test.serial('every index taken: the next open fails with ENOSPC, and a freed index is the next one given', async (t) => {
  const r = (await portScript(exhaustScript, [], 300_000)) as { limit: number; opened: number; error: string; freed: number; again: number };
  t.is(r.error, 'ENOSPC');
  t.is(r.opened, r.limit);
  t.is(r.again, r.freed);
});
