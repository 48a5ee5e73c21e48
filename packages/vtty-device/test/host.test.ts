// What vtty-device does without a port, on the host: finding patterns, showing differences,
// keeping changes in order, reading recordings. (The Device itself is tested against the
// module in packages/vtty-tests: device-script, device-node-test, cli-replay.)
import test from 'ava';
// The modules themselves, not the package's index: the index loads the native binding.
import { ChangeLog } from '../dist/change-log.js';
import { search } from '../dist/patterns.js';
import { EVENT_FORMAT_VERSION, parseRecording, RecordingError } from '../dist/recording.js';
import { replayEvents } from '../dist/replay.js';
import { byteDiff } from '../dist/show.js';

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

test('search finds strings, bytes and RegExps anywhere, or anchored at the start', (t) => {
  const found = search(bytes('xxAT\r\nOK'), 'AT\r', false);
  t.like(found, { end: 5 });
  t.deepEqual(found !== undefined && 'found' in found ? Buffer.from(found.found.before).toString('latin1') : undefined, 'xx');
  t.is(search(bytes('AT'), 'AT\r', false), undefined, 'not yet');
  t.deepEqual(search(bytes('AT'), 'AT\r', true), undefined, 'anchored: may still come');
  t.deepEqual(search(bytes('ATZ'), 'AT\r', true), { mismatchAt: 2 });
  t.deepEqual(search(bytes('xAT\r'), bytes('AT\r'), true), { mismatchAt: 0 });
  // A RegExp sees one latin1 character per byte; its flags (here g) do not carry state over.
  const re = search(bytes('\xc0\x00\x08\x24'), /\xc0.(.)/g, false);
  t.true(re !== undefined && 'found' in re && re.found.groups[1] === '\x08');
  t.is(search(bytes('xOK'), /OK/, true), undefined, 'an anchored RegExp must match at the start');
});

test('byteDiff puts a caret under the first differing byte, escaped', (t) => {
  t.deepEqual(byteDiff(bytes('ATI\r'), bytes('ATZ\r')), ['expected:    "ATI\\r"', 'application: "ATZ\\r"', '                ^ byte 2']);
  t.deepEqual(byteDiff(bytes('AT\r'), bytes('AT\r')), []);
  t.regex(byteDiff(bytes('AT\r'), bytes('AT')).join('\n'), /\^ byte 2: the application sent nothing more/);
});

test('a ChangeLog hands out every change in order, and the value last taken again', (t) => {
  const log = new ChangeLog<number>(1);
  log.push(1, 0);
  log.push(2, 1);
  log.push(3, 0);
  t.deepEqual(log.take((v) => v === 1), { seq: -1, value: 1 }, 'the value seen still holds');
  t.deepEqual(log.take((v) => v === 0), { seq: 1, value: 0 });
  t.deepEqual(log.take((v) => v === 1), { seq: 2, value: 1 }, 'the pulse that has already ended');
  t.deepEqual(log.take((v) => v === 0), { seq: 3, value: 0 });
  t.is(log.take((v) => v === 5), undefined);
  t.is(log.current, 0);
});

const ready = (extra: Record<string, unknown>): string => JSON.stringify({ time: '2026-12-07T00:00:00.000Z', event: 'ready', ports: ['/dev/ttyV0'], ...extra });
const data = JSON.stringify({ time: '2026-12-07T00:00:00.005Z', event: 'data', port: '/dev/ttyV0', dir: 'tx', bytes: 3, hex: '41540d', text: 'AT\r' });

test('parseRecording reads version 2 and version 1 (no version), skips the port-path line and notices', (t) => {
  const v2 = parseRecording(['/dev/ttyV0', ready({ format: 'vtty-events', version: 2 }), data, '{"time":"2026-12-07T00:00:00.006Z","event":"info","code":"x","message":"m"}'].join('\n'), 'v2');
  t.is(v2.version, 2);
  t.is(v2.events.length, 1);
  t.like(v2.events[0], { kind: 'data', dir: 'tx', line: 3, time: Date.parse('2026-12-07T00:00:00.005Z') });
  const v1 = parseRecording([ready({}), data].join('\n'), 'v1');
  t.is(v1.version, 1);
  const full = t.throws(() => replayEvents(v1, { termios: 'full' }), { instanceOf: RecordingError });
  t.regex(full.message, /version 1, which records line settings/);
});

test('parseRecording refuses a newer version, naming it, and says what is wrong with a bad line', (t) => {
  const newer = t.throws(() => parseRecording(ready({ format: 'vtty-events', version: EVENT_FORMAT_VERSION + 1 }), 'new.jsonl'), { instanceOf: RecordingError });
  t.is(newer.version, EVENT_FORMAT_VERSION + 1);
  t.regex(newer.message, new RegExp(`new\\.jsonl was written in vtty event format version ${EVENT_FORMAT_VERSION + 1}; this vtty reads versions 1 to ${EVENT_FORMAT_VERSION}`));
  t.throws(() => parseRecording('hello', 'x'), { message: /x:1: not JSON/ });
  t.throws(() => parseRecording(data, 'x'), { message: /starts with a "ready" event/ });
  t.throws(() => parseRecording([ready({}), data.replace('41540d', 'zz')].join('\n'), 'x'), { message: /x:2: "hex" must be hex/ });
  t.throws(() => parseRecording([ready({}), '{"time":"t","event":"teleport"}'].join('\n'), 'x'), { message: /x:2: unknown event "teleport"/ });
});

test('replayEvents asks which port of a pair to play', (t) => {
  const pair = parseRecording(JSON.stringify({ time: '2026-12-07T00:00:00.000Z', event: 'ready', ports: ['/dev/ttyV0', '/dev/ttyV1'] }), 'pair');
  t.throws(() => replayEvents(pair), { message: /has 2 ports \(\/dev\/ttyV0 \/dev\/ttyV1\): say which/ });
  t.deepEqual(replayEvents(pair, { port: '1' }), []);
  t.throws(() => replayEvents(pair, { port: '/dev/ttyV7' }), { message: /has no port \/dev\/ttyV7/ });
});
