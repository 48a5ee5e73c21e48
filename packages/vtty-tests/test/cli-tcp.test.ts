import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { runVtty, startVtty, stopAllVtty } from '../src/cli-harness.js';
import { assertInsideBench, freePort, python } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.afterEach.always(stopAllVtty);

test.serial('vtty tcp HOST:PORT bridges pyserial and a Node TCP server both ways; exits 0 when the server closes', async (t) => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const p = startVtty(['tcp', `127.0.0.1:${port}`]);
  const tty = await p.firstLine();
  const [socket] = await accepted;
  let received = '';
  socket.setEncoding('latin1');
  // Answer once pyserial's bytes arrived: it has the port open by then. (Bytes written to a
  // port nobody has open are dropped, and Python can take longer than any fixed delay to start.)
  socket.on('data', (d: string) => {
    received += d;
    if (received === 'to server\xff\x00') socket.write('from server');
  });
  const client = python(`
import serial, sys, time
p = serial.Serial(sys.argv[1], timeout=3 * PACE)
print(int(p.cts), int(p.dsr), int(p.cd))
p.write(b'to server\\xff\\x00')
print(p.read(11).decode('latin1'))
`, [tty]);
  const out = (await client).trim().split('\n');
  t.deepEqual(out, ['1 1 1', 'from server']);
  t.is(received, 'to server\xff\x00');
  socket.end();
  const exit = await p.exited;
  t.is(exit.code, 0, exit.stderr);
  server.close();
});

test.serial('vtty tcp to a closed port fails with status 1', async (t) => {
  const port = await freePort();
  const r = await runVtty(['tcp', `127.0.0.1:${port}`]);
  t.is(r.code, 1);
  t.regex(r.stderr, /cannot connect to 127\.0\.0\.1:\d+.*ECONNREFUSED/);
  t.is(r.stdout, '');
});

test.serial('vtty tcp --listen: socat is the device; carrier follows the connection', async (t) => {
  const port = await freePort();
  const p = startVtty(['tcp', '--listen', String(port), '--json']);
  const tty = await p.firstLine();
  await p.waitForEvent((e) => e.event === 'info' && e.code === 'listening');
  const lines = `
import serial, sys
p = serial.Serial(sys.argv[1], timeout=3 * PACE)
print(int(p.cts), int(p.dsr), int(p.cd))
`;
  t.is((await python(lines, [tty])).trim(), '0 0 0', 'no client: CTS, DSR, DCD low');
  const socat = spawn('socat', ['-', `TCP:127.0.0.1:${port}`], { stdio: ['pipe', 'pipe', 'inherit'] });
  let fromPort = '';
  socat.stdout.setEncoding('utf8');
  // Answer once pyserial's line arrived: it has the port open by then (pyserial flushes the
  // input when it opens, and Python can take longer than any fixed delay to start).
  socat.stdout.on('data', (d: string) => {
    fromPort += d;
    if (fromPort === 'hello socat\n') socat.stdin.write('hello port\n');
  });
  await p.waitForEvent((e) => e.event === 'info' && e.code === 'connected');
  t.is((await python(lines, [tty])).trim(), '1 1 1', 'client connected: CTS, DSR, DCD high');
  const exchange = python(`
import serial, sys
p = serial.Serial(sys.argv[1], timeout=3 * PACE)
p.write(b'hello socat\\n')
print(p.readline().decode().strip())
`, [tty]);
  t.is((await exchange).trim(), 'hello port');
  t.is(fromPort, 'hello socat\n');
  socat.stdin.end();
  await once(socat, 'close');
  await p.waitForEvent((e) => e.event === 'info' && e.code === 'disconnected');
  t.is((await python(lines, [tty])).trim(), '0 0 0', 'client gone: lines low again');
  t.is((await p.stop()).code, 0);
});
