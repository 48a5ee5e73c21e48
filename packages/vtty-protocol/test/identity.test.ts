import test from 'ava';
import { IDENTITY_LAYOUT, VTTY_ID_BUS_USB, VTTY_ID_USB_IDS, VTTY_KIND_USB_ACM, encodeIdentity, encodePortName, isProtocolError } from 'vtty-protocol';

test('encodeIdentity puts every field where struct vtty_identity has it', (t) => {
  const bytes = encodeIdentity({
    kind: 'usb-acm',
    usbId: { vendorId: 0x303a, productId: 0x1001 },
    interfaceNumber: 2,
    serialNumber: 'S1',
    manufacturer: 'Espressif',
    product: 'USB JTAG',
    usbNamespace: true,
  });
  const view = new DataView(bytes.buffer);
  t.is(bytes.length, IDENTITY_LAYOUT.size);
  t.is(view.getUint32(IDENTITY_LAYOUT.flags, true), VTTY_ID_USB_IDS | VTTY_ID_BUS_USB);
  t.is(view.getUint16(IDENTITY_LAYOUT.vendor_id, true), 0x303a);
  t.is(view.getUint16(IDENTITY_LAYOUT.product_id, true), 0x1001);
  t.is(bytes[IDENTITY_LAYOUT.kind], VTTY_KIND_USB_ACM);
  t.is(bytes[IDENTITY_LAYOUT.interface_number], 2);
  const text = (at: number): string => Buffer.from(bytes.subarray(at, bytes.indexOf(0, at))).toString();
  t.is(text(IDENTITY_LAYOUT.serial), 'S1');
  t.is(text(IDENTITY_LAYOUT.manufacturer), 'Espressif');
  t.is(text(IDENTITY_LAYOUT.product), 'USB JTAG');
});

test('encodeIdentity refuses what the driver would refuse', (t) => {
  const invalid = { is: (error: unknown) => isProtocolError(error, 'INVALID_VALUE') };
  for (const identity of [
    { kind: 'usb-serial' as const, product: 'a/b' },
    { kind: 'usb-serial' as const, serialNumber: 'x'.repeat(64) },
    { kind: 'usb-serial' as const, manufacturer: 'caf\u00e9' },
    { kind: 'usb-serial' as const, usbId: { vendorId: 0x10000, productId: 1 } },
    { kind: 'usb-serial' as const, interfaceNumber: 256 },
  ]) {
    t.true(invalid.is(t.throws(() => encodeIdentity(identity))), JSON.stringify(identity));
  }
});

test('encodePortName takes 1-31 of [A-Za-z0-9._-] without a leading dot, or ""', (t) => {
  t.is(Buffer.from(encodePortName('gps-1.a_b')).toString('latin1').replace(/\0+$/, ''), 'gps-1.a_b');
  t.deepEqual(encodePortName(''), new Uint8Array(32));
  for (const name of ['.hidden', 'a/b', 'a b', 'x'.repeat(32)]) t.throws(() => encodePortName(name), undefined, name);
});
