// vtty --record and vtty replay: record pyserial talking to a device program behind
// `vtty exec`, then replay the recording to pyserial doing the same (it must get the same
// answers and replay must exit 0) or something else (replay must say what differed and exit 1).
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scaledDeadline } from 'vtmx-native/testing';
import { runVtty, startVtty, stopAllVtty } from '../src/cli-harness.js';
import { assertInsideBench, debianPython, python } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.afterEach.always(stopAllVtty);

const dir = mkdtempSync(join(tmpdir(), 'vtty-replay-'));
test.after.always(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** docs/recording.schema.json: one branch per event kind, with its required fields. */
interface SchemaBranch {
  readonly properties: { readonly event: { readonly const?: string; readonly enum?: readonly string[] } };
  readonly required: readonly string[];
}
const schema = JSON.parse(readFileSync(new URL('../../../../docs/recording.schema.json', import.meta.url), 'utf8')) as { oneOf: SchemaBranch[] };

/** A modem as a program: answers each command ended by \r. */
const MODEM = `
import sys
answers = {b'AT': b'OK\\r\\n', b'ATI': b'vtty modem 1.0\\r\\nOK\\r\\n'}
line = b''
while True:
    c = sys.stdin.buffer.read(1)
    if not c:
        break
    if c == b'\\r':
        sys.stdout.buffer.write(answers.get(line, b'ERROR\\r\\n'))
        sys.stdout.buffer.flush()
        line = b''
    else:
        line += c
`;

/**
 * The application: pyserial asks AT, pulses DTR, sends a break, asks ATI, closes; it prints
 * what it received. `variant` makes it deviate: another command, another baud rate, or it stalls
 * after the first answer until the port goes away.
 */
const APP = `
import serial, sys, json
port, variant = sys.argv[1], sys.argv[2]
got = []
error = None
try:
    p = serial.Serial(port, 19200 if variant == 'baud' else 9600, timeout=5 * PACE)
    p.write(b'AT\\r')
    got.append(p.read_until(b'OK\\r\\n').decode('latin1'))
    p.dtr = False
    p.dtr = True
    p.send_break(0.25)
    if variant == 'stall':
        # Never asks the second question: reads until the port goes away.
        got.append(p.read(1).decode('latin1'))
        raise Exception('stalled')
    p.write(b'ATZ\\r' if variant == 'command' else b'ATI\\r')
    got.append(p.read_until(b'OK\\r\\n').decode('latin1'))
    p.close()
except Exception as e:
    error = str(e)
print(json.dumps({'got': got, 'error': error}))
`;

interface AppResult {
  got: string[];
  error: string | null;
}

async function app(port: string, variant: 'same' | 'command' | 'baud' | 'stall'): Promise<AppResult> {
  return JSON.parse(await python(APP, [port, variant])) as AppResult;
}

/** The replay's deadline for each step, in seconds as `--timeout` takes it. */
const stepTimeout = (): string => String(scaledDeadline(10_000) / 1000);

/** Records one session of the application with the modem program; returns the file. */
async function record(name: string): Promise<string> {
  const file = join(dir, name);
  const device = startVtty(['exec', '--record', file, '--', debianPython, '-u', '-c', MODEM]);
  const port = await device.firstLine();
  const result = await app(port, 'same');
  if (result.error !== null) throw new Error(`the application failed while recording: ${result.error}`);
  // The recording ends with the application's close; stopping vtty completes the file.
  const stopped = await device.stop();
  if (stopped.code !== 0) throw new Error(`vtty exec ended with ${String(stopped.code)}: ${stopped.stderr}`);
  return file;
}

function events(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test.serial('vtty exec --record, then vtty replay: pyserial doing the same gets the same answers, with lines and a break, and replay exits 0', async (t) => {
  const file = await record('modem.jsonl');
  const recorded = events(file);
  t.like(recorded[0], { event: 'ready', format: 'vtty-events', version: 2 });
  const sent = (dir: string): string =>
    recorded
      .filter((e) => e.event === 'data' && e.dir === dir)
      .map((e) => e.text)
      .join('');
  t.is(sent('tx'), 'AT\rATI\r');
  t.is(sent('rx'), 'OK\r\nvtty modem 1.0\r\nOK\r\n');
  t.true(recorded.some((e) => e.event === 'modem' && e.dir === 'tx' && Array.isArray(e.dropped) && e.dropped.includes('DTR')));
  t.true(recorded.some((e) => e.event === 'break' && e.dir === 'tx' && e.state === 'timed' && e.ms === 100));
  t.true(recorded.some((e) => e.event === 'termios' && typeof e.termios === 'object'));
  t.true(recorded.some((e) => e.event === 'open' && e.count === 0));
  // Every object has the fields docs/recording.schema.json requires of its kind.
  for (const e of recorded) {
    const kind = schema.oneOf.find((k) => k.properties.event.const === e.event || k.properties.event.enum?.includes(String(e.event)));
    t.truthy(kind, `no schema for ${JSON.stringify(e)}`);
    t.deepEqual(kind?.required.filter((f) => !(f in e)), [], JSON.stringify(e));
  }

  const replay = startVtty(['replay', file, '--timeout', stepTimeout()]);
  const port = await replay.firstLine();
  const result = await app(port, 'same');
  t.deepEqual(result, { got: ['OK\r\n', 'vtty modem 1.0\r\nOK\r\n'], error: null });
  const end = await replay.exited;
  t.is(end.code, 0, end.stderr);
  t.regex(end.stderr, /the application did what was recorded/);

  // The same with the whole termios checked, at once instead of at the recorded pace.
  const fast = startVtty(['replay', file, '--fast', '--termios', 'full', '--timeout', stepTimeout()]);
  t.deepEqual(await app(await fast.firstLine(), 'same'), { got: ['OK\r\n', 'vtty modem 1.0\r\nOK\r\n'], error: null });
  t.is((await fast.exited).code, 0, fast.stderr);
});

test.serial('vtty replay: an application that sends another command gets a readable byte diff and exit status 1, and nothing hangs', async (t) => {
  const file = await record('command.jsonl');
  const replay = startVtty(['replay', file, '--fast', '--timeout', stepTimeout()]);
  const port = await replay.firstLine();
  const [result, end] = await Promise.all([app(port, 'command'), replay.exited]);
  t.is(end.code, 1, end.stderr);
  t.regex(end.stderr, /command\.jsonl:\d+: the application's data: expected "ATI\\r", but the application sent "ATZ\\r"/);
  t.regex(end.stderr, /expected: +"ATI\\r"\n +application: +"ATZ\\r"\n +\^ byte 2/);
  // The application got its first answer, and nothing more: replay stopped at the difference.
  t.is(result.got[0], 'OK\r\n');
  t.not(result.got[1], 'vtty modem 1.0\r\nOK\r\n');
});

test.serial('vtty replay: an application at another baud rate is reported with both settings, exit status 1', async (t) => {
  const file = await record('baud.jsonl');
  const replay = startVtty(['replay', file, '--fast', '--timeout', stepTimeout()]);
  const port = await replay.firstLine();
  const [, end] = await Promise.all([app(port, 'baud'), replay.exited]);
  t.is(end.code, 1, end.stderr);
  t.regex(end.stderr, /the application sets 9600 8N1[^:]*: the application sent "AT\\r" \(its settings are 19200 8N1[^)]*\) before the expected settings/);
  // With termios not checked, the same application passes.
  const lenient = startVtty(['replay', file, '--fast', '--termios', 'ignore', '--timeout', stepTimeout()]);
  const [result, lenientEnd] = await Promise.all([app(await lenient.firstLine(), 'baud'), lenient.exited]);
  t.is(lenientEnd.code, 0, lenientEnd.stderr);
  t.deepEqual(result.got, ['OK\r\n', 'vtty modem 1.0\r\nOK\r\n']);
});

test.serial("vtty replay: an application that stalls is reported after --timeout, exit status 1, and its port goes away", async (t) => {
  const file = await record('stall.jsonl');
  // Long enough for Python to start and open the port, which is a step too.
  const replay = startVtty(['replay', file, '--fast', '--timeout', String(scaledDeadline(4000) / 1000)]);
  const port = await replay.firstLine();
  const [result, end] = await Promise.all([app(port, 'stall'), replay.exited]);
  t.is(end.code, 1, end.stderr);
  t.regex(end.stderr, /stall\.jsonl:\d+: the application's data: timed out after \d+ ms waiting for "ATI\\r"; the application sent nothing/);
  // The application's read ended when replay removed the port (its own deadline is later).
  t.is(result.got[0], 'OK\r\n');
  t.regex(result.error ?? '', /returned no data|disconnected|stalled/);
});

test.serial('vtty replay --loop serves the recording to one application after another until stopped', async (t) => {
  const file = await record('loop.jsonl');
  const replay = startVtty(['replay', file, '--loop', '--fast', '--timeout', stepTimeout()]);
  const port = await replay.firstLine();
  for (const pass of [1, 2]) {
    t.deepEqual(await app(port, 'same'), { got: ['OK\r\n', 'vtty modem 1.0\r\nOK\r\n'], error: null }, `pass ${pass}`);
    await replay.waitForStderr(new RegExp(`\\(pass ${pass}\\): the application did what was recorded`));
  }
  const end = await replay.stop();
  t.is(end.code, 0, end.stderr);
});

test.serial('vtty replay reads a recording of format version 1 and refuses a newer version, naming it', async (t) => {
  const file = await record('v2.jsonl');
  // Version 1, as vtty 0.1.0's --json wrote it: no format or version, no whole termios.
  const v1 = join(dir, 'v1.jsonl');
  const old = events(file).map((e) => JSON.stringify(e, (key, value: unknown) => (['format', 'version', 'termios'].includes(key) ? undefined : value)));
  writeFileSync(v1, `${old.join('\n')}\n`);
  const replay = startVtty(['replay', v1, '--fast', '--timeout', stepTimeout()]);
  t.deepEqual(await app(await replay.firstLine(), 'same'), { got: ['OK\r\n', 'vtty modem 1.0\r\nOK\r\n'], error: null });
  t.is((await replay.exited).code, 0, replay.stderr);

  const full = await runVtty(['replay', v1, '--termios', 'full']);
  t.is(full.code, 2);
  t.regex(full.stderr, /v1\.jsonl is in vtty event format version 1, which records line settings, not the whole termios/);

  const v9 = join(dir, 'v9.jsonl');
  const [ready, ...rest] = events(file);
  writeFileSync(v9, [JSON.stringify({ ...ready, version: 9 }), ...rest.map((e) => JSON.stringify(e))].join('\n'));
  const newer = await runVtty(['replay', v9]);
  t.is(newer.code, 2);
  t.regex(newer.stderr, /v9\.jsonl was written in vtty event format version 9; this vtty reads versions 1 to 2/);
  t.is(newer.stdout, '', 'no port is made for a recording it cannot read');
});

/** An application that reads the lines the device gives it, after a round trip each time. */
const LINES_APP = `
import serial, sys, json
p = serial.Serial(sys.argv[1], 115200, timeout=5 * PACE)
p.write(b'ping')
seen = {'echo1': p.read(4).decode('latin1'), 'open': [p.cts, p.dsr, p.cd]}
p.rts = False
p.write(b'pong')
seen['echo2'] = p.read(4).decode('latin1')
seen['rts_low'] = [p.cts, p.dsr, p.cd]
p.close()
print(json.dumps(seen))
`;

test.serial("vtty echo --record, then vtty replay: the device's lines reach the application as they did from the loopback plug", async (t) => {
  const file = join(dir, 'echo.jsonl');
  const echo = startVtty(['echo', '--record', file]);
  const recorded = JSON.parse(await python(LINES_APP, [await echo.firstLine()])) as unknown;
  t.is((await echo.stop()).code, 0);
  t.deepEqual(recorded, { echo1: 'ping', open: [true, true, true], echo2: 'pong', rts_low: [false, true, true] });
  t.true(events(file).some((e) => e.event === 'modem' && e.dir === 'rx' && Array.isArray(e.dropped) && e.dropped.includes('CTS')));

  const replay = startVtty(['replay', file, '--timeout', stepTimeout()]);
  const replayed = JSON.parse(await python(LINES_APP, [await replay.firstLine()])) as unknown;
  t.deepEqual(replayed, recorded);
  t.is((await replay.exited).code, 0, replay.stderr);
});
