import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVtty, stopAllVtty } from '../src/cli-harness.js';
import { assertInsideBench, python, stty } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.afterEach.always(stopAllVtty);

const CLIENT = `
import serial, sys, time
p = serial.Serial(sys.argv[1], 9600, timeout=2 * PACE)
time.sleep(0.2 * PACE)
p.dtr = False
time.sleep(0.2 * PACE)
p.rts = False
time.sleep(0.2 * PACE)
import termios
termios.tcsendbreak(p.fd, 0)
p.write(b'hi\\r\\n')
print(p.read(4).hex())
p.close()
`;

test.serial('vtty monitor -- echo prints termios, modem, break and data for a person (stty + pyserial)', async (t) => {
  const p = startVtty(['monitor', '--', 'echo']);
  const port = await p.firstLine();
  t.regex(port, /^\/dev\/ttyV\d+$/);
  await stty(port, '115200', 'crtscts');
  await p.waitForLine(/^\d\d:\d\d:\d\d\.\d{3} tx termios 115200 8N1 rtscts ixon$/);
  t.is((await python(CLIENT, [port])).trim(), '68690d0a');
  await p.waitForLine(/ tx modem -DTR$/);
  await p.waitForLine(/ tx modem -RTS$/);
  await p.waitForLine(/ tx break 250 ms$/);
  await p.waitForLine(/ rx modem -DSR -DCD$/);
  await p.waitForLine(/ rx modem -CTS$/);
  await p.waitForLine(/ tx data 4 bytes$/);
  await p.waitForLine(/ rx data 4 bytes$/);
  await p.waitForLine(/^ {4}0000 {2}68 69 0d 0a {2}.* {2}\|hi\.\.\|$/);
  t.false(p.stdout.includes('\u001b['), 'no colour codes when stdout is a pipe');
  const exit = await p.stop('SIGINT');
  t.is(exit.code, 0);
});

test.serial('vtty monitor --text shows data as escaped text; FORCE_COLOR turns colours on', async (t) => {
  const p = startVtty(['monitor', '--text', 'echo'], { FORCE_COLOR: '1', NO_COLOR: '' });
  const port = await p.firstLine();
  await python(`
import serial, sys
p = serial.Serial(sys.argv[1], timeout=2 * PACE)
p.write(b'ab\\tc\\n\\x01')
p.read(6)
`, [port]);
  await p.waitForLine(/tx.* "ab\\tc\\n\\x01"$/);
  await p.waitForLine(/rx.* "ab\\tc\\n\\x01"$/);
  t.true(p.stdout.includes('\u001b['), 'colour codes with FORCE_COLOR');
  t.is((await p.stop()).code, 0);
});

test.serial('vtty monitor --json prints one JSON object per event, and --record writes the same lines', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vtty-monitor-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const file = join(dir, 'session.jsonl');
  const p = startVtty(['monitor', '--json', '--record', file, '--', 'echo']);
  const port = await p.firstLine();
  t.regex(port, /^\/dev\/ttyV\d+$/, 'the first line is still the plain path');
  await p.waitForEvent((e) => e.event === 'ready');
  await stty(port, '9600', 'cs7', 'parenb', 'cstopb');
  const termios = await p.waitForEvent((e) => e.event === 'termios');
  t.like(termios, { port, dir: 'tx', settings: '9600 7E2 ixon' });
  await python(CLIENT, [port]);
  const dtr = await p.waitForEvent((e) => e.event === 'modem' && e.dir === 'tx' && JSON.stringify(e.dropped) === '["DTR"]');
  t.like(dtr, { port, state: { dtr: false, rts: true } });
  t.like(await p.waitForEvent((e) => e.event === 'break'), { dir: 'tx', state: 'timed', ms: 250 });
  t.like(await p.waitForEvent((e) => e.event === 'data' && e.dir === 'tx'), { bytes: 4, hex: '68690d0a', text: 'hi\r\n' });
  t.like(await p.waitForEvent((e) => e.event === 'data' && e.dir === 'rx'), { bytes: 4, hex: '68690d0a' });
  for (const e of p.events()) t.is(typeof e.time, 'string');
  t.is((await p.stop()).code, 0);
  // Each event is stamped once: the file has stdout's lines, times and all.
  t.deepEqual(readFileSync(file, 'utf8').split('\n').slice(0, -1), p.lines.slice(1));
});

test.serial('vtty monitor without a backend shows what the application sends and delivers nothing', async (t) => {
  const p = startVtty(['monitor', '--text']);
  const port = await p.firstLine();
  const out = await python(`
import serial, sys
p = serial.Serial(sys.argv[1], timeout=0.5)
p.write(b'into the void')
print(len(p.read(100)))
`, [port]);
  t.is(out.trim(), '0');
  await p.waitForLine(/tx "into the void"$/);
  t.false(p.lines.some((l) => l.includes(' rx "')));
  t.is((await p.stop()).code, 0);
});
