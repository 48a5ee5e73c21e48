// A scripted device under node:test, the runner built into Node: the same API as from ava
// (test/device-script.test.ts), with node:test's t.after() as the teardown. Not an ava file
// (ava runs test/**/*.test.ts): test/device-node-test.test.ts runs it with `node --test` in
// the suite, and it runs on its own too:
//   node --test packages/vtty-tests/dist/test/node-test/scripted-device.js
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { scaledDeadline } from 'vtmx-native/testing';
import { Device } from 'vtty-device';
import { python } from '../../src/index.js';

let port: string | undefined;

void test('pyserial sends AT\\r and gets OK\\r\\n from a scripted modem, whose DTR-drop reset is seen', async (t) => {
  const modem = await Device.open({
    timeout: scaledDeadline(10_000),
    teardown: (close) => {
      t.after(close);
    },
  });
  port = modem.path;
  const app = python(
    `
import serial, sys
p = serial.Serial(sys.argv[1], 9600, timeout=5 * PACE)
p.write(b'AT\\r')
print(p.read_until(b'OK\\r\\n').decode('latin1'), end='')
p.dtr = False
p.read_until(b'RESET\\r\\n')
`,
    [modem.path],
  );
  await modem.expect('AT\r');
  await modem.send('OK\r\n');
  await modem.waitLines({ dtr: false });
  assert.ok(modem.openCount > 0, 'the DTR drop came with the port open');
  await modem.send('RESET\r\n');
  assert.equal(await app, 'OK\r\n');
});

void test('the port is gone after the test', () => {
  assert.ok(port !== undefined, 'the test before made a port');
  assert.equal(existsSync(port), false, `${port} still exists`);
});
