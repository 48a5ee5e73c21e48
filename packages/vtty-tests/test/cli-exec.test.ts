import test from 'ava';
import { runVtty, startVtty, stopAllVtty } from '../src/cli-harness.js';
import { assertInsideBench, python } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.afterEach.always(stopAllVtty);

test.serial("vtty exec: the program's stdin/stdout are the device side (pyserial)", async (t) => {
  const p = startVtty(['exec', '--', 'sh', '-c', 'while IFS= read -r l; do echo "got $l on $VTTY_PORT"; done']);
  const port = await p.firstLine();
  const out = await python(`
import serial, sys
p = serial.Serial(sys.argv[1], timeout=3 * PACE)
p.write(b'one\\ntwo\\n')
print(p.readline().decode().strip())
print(p.readline().decode().strip())
`, [port]);
  t.deepEqual(out.trim().split('\n'), [`got one on ${port}`, `got two on ${port}`]);
  t.is((await p.stop()).code, 0);
});

test.serial('vtty exec ends with the program: status 0 → 0, non-zero → 1, missing program → 1', async (t) => {
  const ok = await runVtty(['exec', '--', 'sh', '-c', 'sleep 0.3; exit 0']);
  t.is(ok.code, 0, ok.stderr);
  t.regex(ok.stdout, /^\/dev\/ttyV\d+\n$/);
  const bad = await runVtty(['exec', 'false']);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /false exited with status 1/);
  const missing = await runVtty(['exec', '--', 'no-such-program-vtty']);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /cannot run no-such-program-vtty/);
});

test.serial('vtty exec: output the program wrote before exiting reaches the application', async (t) => {
  // The program answers once the application is there (its first line says so), then exits
  // at once: what it wrote last must still reach the application.
  const p = startVtty(['exec', '--', 'sh', '-c', 'read -r hello; printf "bye\\n"']);
  const port = await p.firstLine();
  const out = await python(`
import serial, sys
p = serial.Serial(sys.argv[1], timeout=4 * PACE)
p.write(b'hello\\n')
print(p.readline().decode().strip())
`, [port]);
  t.is(out.trim(), 'bye');
  t.is((await p.exited).code, 0);
});

test.serial('vtty monitor -- exec -- prog combines the monitor with a program backend', async (t) => {
  const p = startVtty(['monitor', '--text', '--', 'exec', '--', 'sh', '-c', 'while IFS= read -r l; do echo "<$l>"; done']);
  const port = await p.firstLine();
  const out = await python(`
import serial, sys
p = serial.Serial(sys.argv[1], timeout=3 * PACE)
p.write(b'ping\\n')
print(p.readline().decode().strip())
`, [port]);
  t.is(out.trim(), '<ping>');
  await p.waitForLine(/ tx "ping\\n"$/);
  await p.waitForLine(/ rx "<ping>\\n"$/);
  t.is((await p.stop()).code, 0);
});
