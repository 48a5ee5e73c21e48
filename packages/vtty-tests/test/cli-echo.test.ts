import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scaledDeadline } from 'vtmx-native/testing';
import { startVtty, stopAllVtty, VTTY_BIN } from '../src/cli-harness.js';
import { assertInsideBench, pollUntil, pyserialRoundTrip, python, stty } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.afterEach.always(stopAllVtty);

test.serial('vtty echo: pyserial gets its bytes back, DTR→DSR+DCD and RTS→CTS mirrored', async (t) => {
  const p = startVtty(['echo']);
  const port = await p.firstLine();
  const script = `
import serial, sys, time
p = serial.Serial(sys.argv[1], 115200, timeout=3 * PACE)
p.write(b'hello vtty \\x00\\xff')
print(p.read(13).hex())
def lines():
    time.sleep(0.3 * PACE)
    print(int(p.cts), int(p.dsr), int(p.cd))
lines()
p.dtr = False
lines()
p.rts = False
lines()
p.dtr = True
lines()
p.rts = True
lines()
p.close()
`;
  const out = (await python(script, [port])).trim().split('\n');
  t.deepEqual(out, [Buffer.from('hello vtty \x00\xff', 'latin1').toString('hex'), '1 1 1', '1 0 0', '0 0 0', '0 1 1', '1 1 1']);
  const exit = await p.stop();
  t.is(exit.code, 0);
});

test.serial('vtty echo: 256 KiB from pyserial (after stty raw) round-trip byte-exact', async (t) => {
  const p = startVtty(['echo']);
  const port = await p.firstLine();
  await stty(port, 'raw', '-echo', '115200');
  const script = `${pyserialRoundTrip(256 * 1024)}
print('ok' if bytes(got) == data else 'mismatch %d' % len(got))
`;
  t.is((await python(script, [port], 120_000)).trim(), 'ok');
  t.is((await p.stop()).code, 0);
});

test.serial('vtty echo --link makes a symlink and removes it on exit', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vtty-link-'));
  const link = join(dir, 'ttyLoop');
  const p = startVtty(['echo', '--link', link]);
  const port = await p.firstLine();
  t.true(lstatSync(link).isSymbolicLink());
  t.is(readlinkSync(link), port);
  const out = (await python(`
import serial, sys
p = serial.Serial(sys.argv[1], timeout=2 * PACE)
p.write(b'via link')
print(p.read(8).decode())
`, [link])).trim();
  t.is(out, 'via link');
  t.is((await p.stop('SIGINT')).code, 0);
  t.false(existsSync(link));
  await rm(dir, { recursive: true });
});

test.serial('the port path is flushed at once: a bash coprocess reads it while vtty keeps running', async (t) => {
  // (\`read -r PORT < <(vtty echo)\` is the same idea, but the UML guest has no /dev/fd for it.)
  const script = 'coproc V { exec "$0" "$1" echo; }; read -r PORT <&"${V[0]}"; echo "$PORT"; stty -F "$PORT" 57600; stty -F "$PORT" speed; kill -TERM "$V_PID"; wait "$V_PID"; echo "status $?"';
  const { stdout } = await promisify(execFile)('bash', ['-c', script, process.execPath, VTTY_BIN], { timeout: scaledDeadline(30_000) });
  const [port, speed, status] = stdout.trim().split('\n');
  t.regex(port ?? '', /^\/dev\/ttyV\d+$/);
  t.is(speed, '57600');
  t.is(status, 'status 0');
});

test.serial('picocom in tmux: typed keys come back from vtty echo', async (t) => {
  const p = startVtty(['echo']);
  const port = await p.firstLine();
  const run = promisify(execFile);
  const session = `vtty-picocom-${process.pid}`;
  const socket = join(tmpdir(), `tmux-${process.pid}`);
  const tmux = (...args: string[]): Promise<{ stdout: string }> => run('tmux', ['-S', socket, ...args]);
  try {
    await tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', `picocom -b 115200 ${port}`);
    let screen = '';
    const screenShows = (text: string) => pollUntil(async () => {
      screen = (await tmux('capture-pane', '-p', '-t', session)).stdout;
      return screen.includes(text);
    }, 10_000, 200);
    await screenShows('Terminal ready');
    t.true(screen.includes('Terminal ready'), screen);
    await tmux('send-keys', '-t', session, '-l', 'hello from picocom');
    await screenShows('hello from picocom');
    t.true(screen.includes('hello from picocom'), screen);
    await tmux('send-keys', '-t', session, 'C-a', 'C-x');
    await pollUntil(() => tmux('has-session', '-t', session).then(() => false, () => true), 10_000, 200);
  } finally {
    await tmux('kill-server').catch(() => undefined);
  }
  t.is((await p.stop()).code, 0);
});
