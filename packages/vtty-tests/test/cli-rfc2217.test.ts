import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIOCM_DTR, TIOCM_RTS } from 'vtty-protocol';
import { DeviceRecorder } from '../src/cli-device.js';
import { startVtty, stopAllVtty } from '../src/cli-harness.js';
import { PythonSession } from '../src/cli-python.js';
import { assertInsideBench, freePort, pollUntil, python, run, sleep } from '../src/index.js';

// glibc's getaddrinfo(AI_ADDRCONFIG), which ser2net's gensio uses, finds no IPv4 address when
// the only one is 127.0.0.1 — the UML guest's case — and ser2net then rejects every accepter
// ("Unable to find a valid name on the name server"). A second loopback address fixes that.
const EXTRA_LOOPBACK = '127.0.0.2/8';
let addedLoopback = false;

test.before(async () => {
  assertInsideBench();
  const hasOther = Object.values(networkInterfaces()).some((list) => list?.some((a) => a.family === 'IPv4' && a.address !== '127.0.0.1'));
  if (!hasOther) {
    await run('ip', ['addr', 'add', EXTRA_LOOPBACK, 'dev', 'lo']);
    addedLoopback = true;
  }
});

test.after.always(async () => {
  if (addedLoopback) await run('ip', ['addr', 'del', EXTRA_LOOPBACK, 'dev', 'lo']).catch(() => undefined);
});

test.afterEach.always(stopAllVtty);

async function waitListening(port: number): Promise<void> {
  const accepts = (): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); resolve(true); });
      s.on('error', () => { resolve(false); });
    });
  if (!(await pollUntil(accepts, 10_000, 100))) throw new Error(`ser2net is not listening on ${port}`);
}

/** Debian's ser2net with one RFC 2217 accepter on 127.0.0.1 whose device is `device`. */
async function startSer2net(device: string): Promise<{ port: number; child: ChildProcess; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vtty-ser2net-'));
  const port = await freePort();
  const config = join(dir, 'ser2net.yaml');
  await writeFile(
    config,
    `%YAML 1.1
---
connection: &vtty
  accepter: telnet(rfc2217),tcp,127.0.0.1,${port}
  connector: serialdev,${device},9600n81,local
  options:
    kickolduser: true
`,
  );
  const child = spawn('ser2net', ['-n', '-u', '-c', config, '-P', join(dir, 'pid')], { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitListening(port);
  return {
    port,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'close');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

test.serial('vtty rfc2217 against ser2net: settings, DTR/RTS, breaks and data reach the device; its modem state comes back', async (t) => {
  const device = await DeviceRecorder.open();
  t.teardown(() => device.close());
  const server = await startSer2net(device.path);
  t.teardown(server.stop);

  const p = startVtty(['rfc2217', `127.0.0.1:${server.port}`, '--json']);
  const port = await p.firstLine();
  await p.waitForEvent((e) => e.code === 'connected');

  device.master.setModemLines({ cts: true, dsr: true, dcd: false, ri: true });
  const script = `
import serial, sys, time, termios
p = serial.Serial(sys.argv[1], 115200, bytesize=7, parity='O', stopbits=2, timeout=3 * PACE)
deadline = time.time() + 8 * PACE
while time.time() < deadline and not (p.cts and p.dsr and p.ri):
    time.sleep(0.1 * PACE)
print(int(p.cts), int(p.dsr), int(p.cd), int(p.ri), flush=True)
p.write(b'over telnet \\xff\\x00!')
print(p.read(13).hex(), flush=True)
p.rts = False
time.sleep(0.3 * PACE)
p.dtr = False
time.sleep(0.3 * PACE)
termios.tcsendbreak(p.fd, 0)
time.sleep(0.5 * PACE)
`;
  const run = python(script, [port], 60_000);
  await device.waitForData('over telnet \xff\x00!', 15_000);
  await device.master.write(Buffer.from('from ser2net\xff', 'latin1'));
  const out = (await run).trim().split('\n');
  t.is(out[0], '1 1 0 1', "the device's CTS, DSR, RI (set on its master) reached the application through NOTIFY-MODEMSTATE");
  t.is(out[1], Buffer.from('from ser2net\xff', 'latin1').toString('hex'));

  const s = await device.waitFor('115200 7O2', () => device.settings().find((x) => x.baudRate === 115200 && x.dataBits === 7 && x.parity === 'odd' && x.stopBits === 2));
  t.truthy(s);
  // DTR and RTS rose when the application opened the port, then it dropped them.
  const both = TIOCM_DTR | TIOCM_RTS;
  const raised = await device.waitForModem('DTR and RTS raised', (lines) => (lines & both) === both);
  const rtsOff = await device.waitForModem('then RTS off', (lines) => (lines & both) === TIOCM_DTR, raised);
  await device.waitForModem('then DTR off', (lines) => (lines & both) === 0, rtsOff);
  await device.waitForPacket('break on', (pk) => pk.type === 'break' && pk.state.kind !== 'off');
  await device.waitForPacket('break off', (pk) => pk.type === 'break' && pk.state.kind === 'off');

  // The device's carrier rising is seen by the application too.
  device.master.setModemLines({ cts: true, dsr: true, dcd: true, ri: false });
  const cd = await python(`
import serial, sys, time
p = serial.Serial(sys.argv[1], timeout=1 * PACE)
deadline = time.time() + 8 * PACE
while time.time() < deadline and not p.cd:
    time.sleep(0.1 * PACE)
print(int(p.cts), int(p.dsr), int(p.cd), int(p.ri))
`, [port], 30_000);
  t.is(cd.trim(), '1 1 1 0');
  t.is((await p.stop()).code, 0);
});

test.serial("vtty rfc2217: the server's CTS holds the application's output under CRTSCTS", async (t) => {
  const device = await DeviceRecorder.open();
  t.teardown(() => device.close());
  const server = await startSer2net(device.path);
  t.teardown(server.stop);
  device.master.setModemLines({ cts: false, dsr: true, dcd: true, ri: false });
  const p = startVtty(['monitor', '--json', '--', 'rfc2217', `127.0.0.1:${server.port}`]);
  const port = await p.firstLine();
  const py = new PythonSession(`
import serial, sys
p = serial.Serial(sys.argv[1], 9600, rtscts=True, timeout=5 * PACE)
p.write(b'held')
print('written', flush=True)
sys.stdin.readline()
`, [port]);
  t.teardown(() => {
    py.kill();
  });
  await py.waitForLine(/^written$/);
  const isCts = (e: Record<string, unknown>): boolean => e.event === 'modem' && e.dir === 'rx' && (e.state as { cts?: boolean } | undefined)?.cts === true;
  t.false(p.events().some(isCts), 'CTS is still low');
  // The device raises CTS: ser2net tells vtty (NOTIFY-MODEMSTATE), and only then does the
  // application's output leave the driver.
  device.master.setModemLines({ cts: true, dsr: true, dcd: true, ri: false });
  await device.waitForData('held');
  // The monitor prints what it did as it does it, but its output reaches us on its own time.
  await p.waitForEvent((e) => e.event === 'data' && e.dir === 'tx');
  const events = p.events();
  const ctsAt = events.findIndex(isCts);
  const dataAt = events.findIndex((e) => e.event === 'data' && e.dir === 'tx');
  t.true(ctsAt >= 0 && dataAt > ctsAt, `the data was read after CTS rose: ${p.stdout}`);
  py.next();
  t.is(await py.exited, 0);
  t.is((await p.stop()).code, 0);
});

test.serial('vtty rfc2217 exits 0 when the server goes away', async (t) => {
  const device = await DeviceRecorder.open();
  t.teardown(() => device.close());
  const server = await startSer2net(device.path);
  const p = startVtty(['rfc2217', `127.0.0.1:${server.port}`]);
  await p.firstLine();
  await sleep(500);
  await server.stop();
  const exit = await p.exited;
  t.is(exit.code, 0, exit.stderr);
});
