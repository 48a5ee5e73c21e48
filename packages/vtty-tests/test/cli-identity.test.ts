// The vtty command's identity options (--usb-id, --serial-number, --manufacturer, --product,
// --name, --index, --kind) and unplugging and plugging its port with SIGUSR1 and SIGUSR2.
import { existsSync, readFileSync } from 'node:fs';
import test from 'ava';
import { runVtty, startVtty, stopAllVtty } from '../src/cli-harness.js';
import { assertInsideBench, pollUntil, pyserialRoundTrip, python } from '../src/index.js';

test.before(() => {
  assertInsideBench();
});

test.afterEach.always(stopAllVtty);

interface Listed {
  ports: { path: string; plugged: boolean; identity?: { kind: string; usbId?: string; serialNumber?: string; name?: string } }[];
}

async function listed(path: string): Promise<Listed['ports'][number] | undefined> {
  return (JSON.parse((await runVtty(['list', '--json'])).stdout) as Listed).ports.find((p) => p.path === path);
}

const attr = (tty: string, name: string): string => readFileSync(`/sys/class/tty/${tty}/device/${name}`, 'utf8').trimEnd();

test.serial('vtty echo with an identity: the port is /dev/ttyUSBV<index> with it, and SIGUSR1/SIGUSR2 unplug and plug it', async (t) => {
  const p = startVtty(['echo', '--usb-id', '10c4:ea60', '--serial-number', 'CLI0001', '--manufacturer', 'Silicon Labs', '--product', 'CP2102 USB to UART', '--name', 'cli-echo', '--index', '12']);
  const port = await p.firstLine();
  t.is(port, '/dev/ttyUSBV12');
  t.is(attr('ttyUSBV12', 'idVendor'), '10c4');
  t.is(attr('ttyUSBV12', 'idProduct'), 'ea60');
  t.is(attr('ttyUSBV12', 'serial'), 'CLI0001');
  t.is(attr('ttyUSBV12', 'manufacturer'), 'Silicon Labs');
  t.is(attr('ttyUSBV12', 'port_name'), 'cli-echo');
  const roundTrip = `${pyserialRoundTrip(4096)}
print(got == data)
`;
  t.is((await python(roundTrip, [port])).trim(), 'True');
  t.like(await listed(port), { plugged: true, identity: { kind: 'usb-serial', usbId: '10c4:ea60', serialNumber: 'CLI0001', name: 'cli-echo' } });

  p.child.kill('SIGUSR1');
  t.true(await pollUntil(() => !existsSync(port), 10_000), 'SIGUSR1 did not unplug the port');
  t.like(await listed(port), { plugged: false }, 'vtty list does not show the unplugged port');
  p.child.kill('SIGUSR2');
  t.true(await pollUntil(() => existsSync(port), 10_000), 'SIGUSR2 did not plug the port in');
  t.is((await python(roundTrip, [port])).trim(), 'True');
});

test.serial('vtty pair with --kind usb-acm and --index: consecutive indices and names', async (t) => {
  const p = startVtty(['pair', '--kind', 'usb-acm', '--index', '20', '--name', 'cli-pair']);
  t.is(await p.firstLine(), '/dev/ttyACMV20 /dev/ttyACMV21');
  t.is(attr('ttyACMV20', 'port_name'), 'cli-pair');
  t.is(attr('ttyACMV21', 'port_name'), 'cli-pair-2');
  t.is(attr('ttyACMV21', 'kind'), 'usb-acm');
});

test.serial('a taken --index is an error that says so', async (t) => {
  const first = startVtty(['echo', '--usb-id', '0403:6001', '--index', '30']);
  t.is(await first.firstLine(), '/dev/ttyUSBV30');
  const second = startVtty(['echo', '--usb-id', '0403:6001', '--index', '30']);
  const exit = await second.exited;
  t.is(exit.code, 1);
  t.regex(exit.stderr, /index 30 is taken by another port/);
});
