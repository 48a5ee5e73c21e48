import { ProtocolError } from './errors.js';

// The identity of a port of /dev/vtmx-hotplug (kernel/vtty.h, since 0.4.0): what it presents
// itself as once plugged in. docs/hardware-ports.md says what each part does.

/** Size of each string of `struct vtty_identity`, its NUL included. @public */
export const VTTY_ID_STRING_SIZE = 64;
/** Size of `struct vtty_name` (a port name, its NUL included). @public */
export const VTTY_NAME_SIZE = 32;

/** Kind: none, the port is `/dev/ttyV<n>`. @public */
export const VTTY_KIND_NONE = 0;
/** Kind: a USB serial adapter (FTDI, CP210x), `/dev/ttyUSBV<n>`. @public */
export const VTTY_KIND_USB_SERIAL = 1;
/** Kind: a USB CDC-ACM device (modems, boards), `/dev/ttyACMV<n>`. @public */
export const VTTY_KIND_USB_ACM = 2;

/** Identity flag: vendor and product id are set. @public */
export const VTTY_ID_USB_IDS = 0x1;
/** Identity flag: the by-id link is in the `usb-` namespace (needs CAP_SYS_ADMIN). @public */
export const VTTY_ID_BUS_USB = 0x2;

/** What a port presents itself as: its name family. @public */
export type PortKind = 'none' | 'usb-serial' | 'usb-acm';

/** The `VTTY_KIND_*` value of each kind, and the prefix of its nodes (`/dev/<prefix><n>`). @public */
export const PORT_KINDS: Readonly<Record<PortKind, { readonly value: number; readonly prefix: string }>> = {
  none: { value: VTTY_KIND_NONE, prefix: 'ttyV' },
  'usb-serial': { value: VTTY_KIND_USB_SERIAL, prefix: 'ttyUSBV' },
  'usb-acm': { value: VTTY_KIND_USB_ACM, prefix: 'ttyACMV' },
};

/**
 * Byte offsets of `struct vtty_identity`'s members and its size; the build checks them against
 * kernel/vtty.h.
 *
 * @public
 */
export const IDENTITY_LAYOUT = {
  flags: 0,
  vendor_id: 4,
  product_id: 6,
  kind: 8,
  interface_number: 9,
  reserved: 10,
  serial: 16,
  manufacturer: 80,
  product: 144,
  size: 208,
} as const;

/** A port's identity, as `VTMX_SET_IDENTITY` takes it. @public */
export interface PortIdentity {
  /** The name family and what udev's links say the device is. */
  kind: PortKind;
  /** USB vendor and product id, 0-0xffff each; absent when not claimed. */
  usbId?: { vendorId: number; productId: number };
  /** USB interface number, 0-255 (default 0). */
  interfaceNumber?: number;
  /** Strings of up to 63 characters 0x20-0x7e but "/"; absent or "" when not set. */
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  /** The by-id link in the `usb-` namespace where real adapters' are: needs CAP_SYS_ADMIN. */
  usbNamespace?: boolean;
}

function isU16(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffff;
}

function putString(view: Uint8Array, offset: number, value: string | undefined, field: string): void {
  const text = value ?? '';
  if (text.length >= VTTY_ID_STRING_SIZE || !/^[\x20-\x2e\x30-\x7e]*$/.test(text)) {
    throw new ProtocolError('INVALID_VALUE', `${field} must be up to ${VTTY_ID_STRING_SIZE - 1} printable ASCII characters but "/"`, offset);
  }
  for (let i = 0; i < text.length; i++) view[offset + i] = text.charCodeAt(i);
}

/**
 * `struct vtty_identity` in host (little-endian) byte order, for `VTMX_SET_IDENTITY`.
 *
 * @throws {@link ProtocolError} `INVALID_VALUE` for an id, interface number or string out of range
 * @public
 */
export function encodeIdentity(identity: PortIdentity): Uint8Array {
  const out = new Uint8Array(IDENTITY_LAYOUT.size);
  const view = new DataView(out.buffer);
  let flags = 0;
  if (identity.usbId !== undefined) {
    const { vendorId, productId } = identity.usbId;
    if (!isU16(vendorId) || !isU16(productId)) {
      throw new ProtocolError('INVALID_VALUE', 'vendor and product id must be 0-0xffff', IDENTITY_LAYOUT.vendor_id);
    }
    view.setUint16(IDENTITY_LAYOUT.vendor_id, vendorId, true);
    view.setUint16(IDENTITY_LAYOUT.product_id, productId, true);
    flags |= VTTY_ID_USB_IDS;
  }
  if (identity.usbNamespace === true) flags |= VTTY_ID_BUS_USB;
  view.setUint32(IDENTITY_LAYOUT.flags, flags, true);
  out[IDENTITY_LAYOUT.kind] = PORT_KINDS[identity.kind].value;
  const iface = identity.interfaceNumber ?? 0;
  if (!Number.isInteger(iface) || iface < 0 || iface > 0xff) {
    throw new ProtocolError('INVALID_VALUE', 'interface number must be 0-255', IDENTITY_LAYOUT.interface_number);
  }
  out[IDENTITY_LAYOUT.interface_number] = iface;
  putString(out, IDENTITY_LAYOUT.serial, identity.serialNumber, 'serial number');
  putString(out, IDENTITY_LAYOUT.manufacturer, identity.manufacturer, 'manufacturer');
  putString(out, IDENTITY_LAYOUT.product, identity.product, 'product');
  return out;
}

/**
 * `struct vtty_name` for `VTMX_SET_NAME`: 1-31 characters of `[A-Za-z0-9._-]` not starting with
 * a dot, or "" to clear the name.
 *
 * @throws {@link ProtocolError} `INVALID_VALUE` for any other name
 * @public
 */
export function encodePortName(name: string): Uint8Array {
  if (name.length >= VTTY_NAME_SIZE || !/^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*)?$/.test(name)) {
    throw new ProtocolError('INVALID_VALUE', `a port name is 1-${VTTY_NAME_SIZE - 1} characters of [A-Za-z0-9._-], not starting with "."`, 0);
  }
  const out = new Uint8Array(VTTY_NAME_SIZE);
  for (let i = 0; i < name.length; i++) out[i] = name.charCodeAt(i);
  return out;
}
