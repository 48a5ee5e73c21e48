// Ports with an identity (/dev/vtmx-hotplug, docs/hardware-ports.md): what sysfs, the uevents,
// the real udev daemon with the shipped rules, node-serialport 13 and pyserial make of them,
// stable indices and names, and who may claim a real device's by-id link.
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import test from 'ava';
import { SerialPort } from 'serialport';
import { assertInsideBench, python } from '../src/index.js';
import { HwRig, RigError, type RigPort } from '../src/hw-rig.js';
import { LineProcess } from '../src/line-process.js';
import { run } from '../src/run.js';
import { addTestRules, removeTestRules, settle, startUdev, stopUdev, udevProperties } from '../src/udev.js';

// Ports and udev are global: one test at a time.
test.before(async () => {
  assertInsideBench();
  await startUdev();
});

test.after.always(async () => {
  await stopUdev();
});

/** A sysfs attribute of the port's parent, without its newline; undefined when absent. */
function parentAttr(tty: string, name: string): string | undefined {
  const path = `/sys/class/tty/${tty}/device/${name}`;
  return existsSync(path) ? readFileSync(path, 'utf8').trimEnd() : undefined;
}

const ttyName = (path: string): string => path.replace('/dev/', '');

/** A plugged-in usb-serial port with a full identity, its master in `rig`. */
async function usbSerialPort(rig: HwRig, serialNumber: string, name?: string): Promise<{ port: RigPort; path: string }> {
  let port = await rig.open();
  port = await rig.setIdentity(port, {
    kind: 'usb-serial',
    usbId: { vendorId: 0x0403, productId: 0x6001 },
    serialNumber,
    manufacturer: 'Acme Labs',
    product: 'Widget UART',
  });
  if (name !== undefined) await rig.setName(port, name);
  await rig.plug(port);
  return { port, path: await rig.path(port) };
}

test.serial('the shipped rule gives both master devices and every kind of port to the dialout group, mode 0660', async (t) => {
  // The masters were created when the module loaded, before this udevd: replay their add events.
  await run('udevadm', ['trigger', '--action=add', '--subsystem-match=misc', '--sysname-match=vtmx*']);
  const rig = new HwRig();
  try {
    const { path: usbPath } = await usbSerialPort(rig, 'VT000009');
    const seedPath = await rig.path(await rig.open('seed'));
    const acm = await rig.setIdentity(await rig.open(), { kind: 'usb-acm' });
    await rig.plug(acm);
    const acmPath = await rig.path(acm);
    await settle();
    const dialout = Number((await run('getent', ['group', 'dialout'])).stdout.split(':')[2]);
    for (const node of ['/dev/vtmx', '/dev/vtmx-hotplug', seedPath, usbPath, acmPath]) {
      const { mode, gid } = statSync(node);
      t.is(mode & 0o777, 0o660, `${node}'s mode`);
      t.is(gid, dialout, `${node}'s group`);
    }
  } finally {
    await rig.end();
  }
});

test.serial('an identity set before the plug is in sysfs, in the first uevents, in udev and in both links', async (t) => {
  const rig = new HwRig();
  // stdbuf: udevadm's stdout is a pipe here, which stdio would buffer.
  const monitor = new LineProcess('stdbuf', ['-oL', 'udevadm', 'monitor', '--kernel', '--property', '--subsystem-match=vtty', '--subsystem-match=tty']);
  try {
    await monitor.waitFor('udevadm monitor started', (line) => line.includes('monitor will print'));
    const { path } = await usbSerialPort(rig, 'VT000001', 'gps-test-1');
    const tty = ttyName(path);
    t.regex(tty, /^ttyUSBV\d+$/);
    await settle();

    // The parent: on the vtty bus, not virtual, not platform.
    t.is(realpathSync(`/sys/class/tty/${tty}/device`), `/sys/devices/vtty/${tty}`);
    t.is(realpathSync(`/sys/class/tty/${tty}`), `/sys/devices/vtty/${tty}/tty/${tty}`);
    t.is(realpathSync(`/sys/class/tty/${tty}/device/subsystem`), '/sys/bus/vtty');
    t.deepEqual(
      Object.fromEntries(['kind', 'id_bus', 'virtual', 'idVendor', 'idProduct', 'bInterfaceNumber', 'serial', 'manufacturer', 'product', 'port_name'].map((a) => [a, parentAttr(tty, a)])),
      {
        kind: 'usb-serial',
        id_bus: 'vtty',
        virtual: '1',
        idVendor: '0403',
        idProduct: '6001',
        bInterfaceNumber: '00',
        serial: 'VT000001',
        manufacturer: 'Acme Labs',
        product: 'Widget UART',
        port_name: 'gps-test-1',
      },
    );

    // The first uevents: the parent's add already carries the identity, and comes first.
    const parentAdd = await monitor.waitFor('the parent add uevent', (line) => line === `DEVPATH=/devices/vtty/${tty}`);
    const ttyAdd = await monitor.waitFor('the tty add uevent', (line) => line === `DEVPATH=/devices/vtty/${tty}/tty/${tty}`);
    t.true(parentAdd.at < ttyAdd.at);
    const parentEvent = monitor.lines.slice(parentAdd.at, ttyAdd.at);
    for (const property of ['VTTY_KIND=usb-serial', 'VTTY_USB_ID=0403:6001', 'VTTY_SERIAL=VT000001', 'VTTY_NAME=gps-test-1', 'VTTY_ID_BUS=vtty']) {
      t.true(parentEvent.includes(property), `the parent's add uevent lacks ${property}`);
    }

    // udev: usb_id's properties, marked virtual, both links.
    const props = await udevProperties(path);
    t.is(props.get('ID_VTTY'), '1');
    t.is(props.get('ID_VENDOR_ID'), '0403');
    t.is(props.get('ID_MODEL_ID'), '6001');
    t.is(props.get('ID_SERIAL_SHORT'), 'VT000001');
    t.is(props.get('ID_BUS'), 'vtty');
    const byId = '/dev/serial/by-id/vtty-Acme_Labs_Widget_UART_VT000001-if00-port0';
    const byVtty = '/dev/serial/by-vtty/gps-test-1';
    t.true((props.get('DEVLINKS') ?? '').split(' ').includes(byId), props.get('DEVLINKS'));
    t.is(realpathSync(byId), path);
    t.is(realpathSync(byVtty), path);

    await rig.end();
    await settle();
    t.false(existsSync(path), 'the node outlived the master');
    t.false(existsSync(byId) || existsSync(byVtty), 'a link outlived the port');
    t.false(existsSync(`/sys/devices/vtty/${tty}`), 'the parent outlived the port');
  } finally {
    await monitor.stop();
    await rig.end();
  }
});

test.serial('node-serialport 13 and pyserial list ports with an identity, with node-serialport showing it', async (t) => {
  const rig = new HwRig();
  const seed = await rig.open('seed');
  try {
    const usb = await usbSerialPort(rig, 'VT000002');
    let acmPort = await rig.open();
    acmPort = await rig.setIdentity(acmPort, {
      kind: 'usb-acm',
      usbId: { vendorId: 0x303a, productId: 0x1001 },
      serialNumber: 'F4:12:FA:00:11:22',
      manufacturer: 'Espressif',
      product: 'USB JTAG serial debug unit',
      interfaceNumber: 0,
    });
    await rig.plug(acmPort);
    const acm = await rig.path(acmPort);
    t.regex(acm, /^\/dev\/ttyACMV\d+$/);
    await settle();

    const listed = await SerialPort.list();
    const usbInfo = listed.find((p) => p.path === usb.path);
    t.like(usbInfo, {
      vendorId: '0403',
      productId: '6001',
      serialNumber: 'VT000002',
      manufacturer: 'Acme Labs',
      pnpId: 'vtty-Acme_Labs_Widget_UART_VT000002-if00-port0',
    });
    t.like(
      listed.find((p) => p.path === acm),
      { vendorId: '303a', productId: '1001', serialNumber: 'F4:12:FA:00:11:22', manufacturer: 'Espressif', pnpId: 'vtty-Espressif_USB_JTAG_serial_debug_unit_F4:12:FA:00:11:22-if00' },
    );
    const seedPath = `/dev/ttyV${String(await rig.index(seed))}`;
    t.falsy(listed.find((p) => p.path === seedPath), 'a /dev/vtmx port is listed: its name was to stay as before');

    const pyserial = JSON.parse(
      await python(`
import json
from serial.tools import list_ports
print(json.dumps({p.device: p.subsystem for p in list_ports.comports()}))
`),
    ) as Record<string, string>;
    t.is(pyserial[usb.path], 'vtty');
    t.is(pyserial[acm], 'vtty');
    t.false(seedPath in pyserial);
  } finally {
    await rig.end();
  }
});

test.serial('a requested index and name are honoured; taken ones fail with EBUSY, kept while unplugged', async (t) => {
  const rig = new HwRig();
  try {
    const identity = { kind: 'usb-serial' as const, usbId: { vendorId: 0x10c4, productId: 0xea60 }, serialNumber: 'IDX' };
    const a = await rig.setIdentity(await rig.open(), identity);
    await rig.setIndex(a, 7);
    await rig.setName(a, 'rig-a');
    await rig.plug(a);
    t.is(await rig.path(a), '/dev/ttyUSBV7');
    await settle();
    t.is(realpathSync('/dev/serial/by-vtty/rig-a'), '/dev/ttyUSBV7');

    const b = await rig.setIdentity(await rig.open(), identity);
    await t.throwsAsync(rig.setIndex(b, 7), { instanceOf: RigError, message: /EBUSY/ });
    await t.throwsAsync(rig.setName(b, 'rig-a'), { instanceOf: RigError, message: /EBUSY/ });
    await t.throwsAsync(rig.index(b), { message: /EINVAL/ }, 'a hotplug port has no index before its plug');

    // Another family has indices of its own.
    const c = await rig.setIdentity(await rig.open(), { kind: 'usb-acm' });
    await rig.setIndex(c, 7);
    await rig.plug(c);
    t.is(await rig.path(c), '/dev/ttyACMV7');

    // Unplugged, a keeps its index and name; plugged again, it is where it was.
    await rig.unplug(a);
    t.false(existsSync('/dev/ttyUSBV7'));
    await t.throwsAsync(rig.setIndex(b, 7), { message: /EBUSY/ });
    await t.throwsAsync(rig.setName(b, 'rig-a'), { message: /EBUSY/ });
    await rig.plug(a);
    await settle();
    t.is(realpathSync('/dev/serial/by-vtty/rig-a'), '/dev/ttyUSBV7');

    // What may change, and when.
    await t.throwsAsync(rig.setIdentity(a, identity), { message: /EINVAL/ }, 'identity changed while plugged in');
    await t.throwsAsync(rig.setIndex(a, 9), { message: /EINVAL/ }, 'index changed while plugged in');
    await t.throwsAsync(rig.plug(a), { message: /EINVAL/ }, 'plugged in twice');
    await rig.unplug(a);
    await t.throwsAsync(rig.unplug(a), { message: /EINVAL/ }, 'unplugged twice');
    await t.throwsAsync(rig.setIdentity(a, { kind: 'usb-acm' }), { message: /EINVAL/ }, 'a kind of another family with an index held');
    const seed = await rig.open('seed');
    await t.throwsAsync(rig.setIdentity(seed, identity), { message: /EINVAL/ }, 'an identity on a /dev/vtmx port');
    await t.throwsAsync(rig.setIndex(seed, 3), { message: /EINVAL/ }, 'a /dev/vtmx port moved while plugged in');

    // Freed with its master.
    await rig.close(a);
    await rig.setIndex(b, 7);
    await rig.setName(b, 'rig-a');
    await rig.plug(b);
    t.is(await rig.path(b), '/dev/ttyUSBV7');
  } finally {
    await rig.end();
  }
});

/** The identity of an FTDI adapter, and the by-id link udev gives the real one. */
const FTDI = {
  kind: 'usb-serial' as const,
  usbId: { vendorId: 0x0403, productId: 0x6001 },
  manufacturer: 'FTDI',
  product: 'FT232R USB UART',
  serialNumber: 'A5XK3RJT',
};
const FTDI_LINK = '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A5XK3RJT-if00-port0';
const FAKE_RULES = '50-vtty-test-real-device.rules';

/**
 * Makes the port of a /dev/vtmx master stand for a real adapter: a test rule gives its tty the
 * real adapter's by-id link at udev's default priority, as 60-serial.rules does for the
 * adapter; a change uevent applies it.
 */
async function fakeRealAdapter(rig: HwRig): Promise<{ port: RigPort; path: string }> {
  const port = await rig.open('seed');
  const path = await rig.path(port);
  await addTestRules(FAKE_RULES, `SUBSYSTEM=="tty", KERNEL=="${ttyName(path)}", SYMLINK+="${FTDI_LINK.replace('/dev/', '')}"\n`);
  writeFileSync(`/sys/class/tty/${ttyName(path)}/uevent`, 'change');
  await settle();
  return { port, path };
}

test.serial('a port claiming a real adapter\'s identity never takes its by-id link, and is marked virtual', async (t) => {
  const rig = new HwRig();
  const unprivileged = new HwRig();
  try {
    const real = await fakeRealAdapter(rig);
    t.is(realpathSync(FTDI_LINK), real.path);

    // Root may claim the usb- namespace; the real adapter keeps the link all the same.
    let claimer = await rig.open();
    claimer = await rig.setIdentity(claimer, { ...FTDI, usbNamespace: true });
    await rig.plug(claimer);
    const claimerPath = await rig.path(claimer);
    await settle();
    t.is(realpathSync(FTDI_LINK), real.path, 'the vtty port took the real adapter\'s link');
    const props = await udevProperties(claimerPath);
    t.is(props.get('ID_VTTY'), '1');
    t.is(props.get('ID_BUS'), 'usb');
    t.is(parentAttr(ttyName(claimerPath), 'virtual'), '1');
    t.is(parentAttr(ttyName(claimerPath), 'id_bus'), 'usb');

    // With the adapter gone, the rig's port has the name; when the adapter comes back, it wins.
    await rig.close(real.port);
    await settle();
    t.is(realpathSync(FTDI_LINK), claimerPath, 'a privileged rig gets the name while no real device has it');
    const back = await fakeRealAdapter(rig);
    t.is(realpathSync(FTDI_LINK), back.path, 'the real adapter did not get its link back');

    // A user without CAP_SYS_ADMIN gets the vtty- namespace only.
    let user = await unprivileged.open();
    await unprivileged.setuid(65534);
    await t.throwsAsync(unprivileged.setIdentity(user, { ...FTDI, usbNamespace: true }), { instanceOf: RigError, message: /EPERM/ });
    user = await unprivileged.setIdentity(user, FTDI);
    await unprivileged.plug(user);
    const userPath = await unprivileged.path(user);
    await settle();
    t.is(realpathSync(FTDI_LINK), back.path);
    t.is(realpathSync('/dev/serial/by-id/vtty-FTDI_FT232R_USB_UART_A5XK3RJT-if00-port0'), userPath);
    t.is((await udevProperties(userPath)).get('ID_BUS'), 'vtty');
    t.is(parentAttr(ttyName(userPath), 'virtual'), '1');
  } finally {
    await unprivileged.end();
    await rig.end();
    await removeTestRules(FAKE_RULES);
  }
});
