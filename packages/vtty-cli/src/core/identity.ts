/**
 * Ports that look like hardware (docs/hardware-ports.md): the options that give the ports a
 * command creates an identity, a fixed index or a name, and what they become for each port.
 * A port with any of them is created through `/dev/vtmx-hotplug`, given them, then plugged in,
 * so that udev sees the identity from the port's first event.
 *
 * @packageDocumentation
 */
import type { PortIdentity, PortKind } from 'vtty-protocol';
import { UsageError } from './errors.js';

/** Where and as what one port appears. @public */
export interface PortPlacement {
  /** The identity; absent for a plain `/dev/ttyV<n>` with a fixed index or a name. */
  readonly identity?: PortIdentity;
  /** The index to take in the port's name family. */
  readonly index?: number;
  /** Its name, `/dev/serial/by-vtty/<name>`. */
  readonly name?: string;
}

/** The parsed options, for every port of the command. @public */
export interface IdentityOptions {
  readonly usbId?: string;
  readonly kind?: string;
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly name?: string;
  readonly index?: string;
}

const KINDS: readonly PortKind[] = ['usb-serial', 'usb-acm', 'none'];

function parseUsbId(text: string): { vendorId: number; productId: number } {
  const m = /^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})$/.exec(text);
  if (m === null) throw new UsageError(`--usb-id must be VID:PID in hexadecimal (0403:6001), got '${text}'`);
  return { vendorId: parseInt(m[1] ?? '', 16), productId: parseInt(m[2] ?? '', 16) };
}

function parseIndex(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--index must be a number, got '${text}'`);
  return Number(text);
}

/**
 * What each of `count` ports becomes. Port i > 0 of a command with several ports (pair, split)
 * takes index + i, and `-<i+1>` after its name and serial number, so that their links differ.
 *
 * @param o - the options
 * @param count - how many ports the command creates
 * @returns one placement per port, or undefined when no option was given (plain ports)
 * @throws {@link UsageError} for malformed values
 * @public
 */
export function portPlacements(o: IdentityOptions, count: number): PortPlacement[] | undefined {
  const claims = o.usbId !== undefined || o.serialNumber !== undefined || o.manufacturer !== undefined || o.product !== undefined;
  if (!claims && o.kind === undefined && o.name === undefined && o.index === undefined) return undefined;
  const kind = (o.kind ?? (claims ? 'usb-serial' : 'none')) as PortKind;
  if (!KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}, got '${String(o.kind)}'`);
  const usbId = o.usbId === undefined ? undefined : parseUsbId(o.usbId);
  const index = o.index === undefined ? undefined : parseIndex(o.index);
  const suffix = (text: string | undefined, i: number): string | undefined => (text === undefined || i === 0 ? text : `${text}-${String(i + 1)}`);
  return Array.from({ length: count }, (_unused, i) => {
    const serialNumber = suffix(o.serialNumber, i);
    const name = suffix(o.name, i);
    return {
      identity: {
        kind,
        ...(usbId === undefined ? {} : { usbId }),
        ...(serialNumber === undefined ? {} : { serialNumber }),
        ...(o.manufacturer === undefined ? {} : { manufacturer: o.manufacturer }),
        ...(o.product === undefined ? {} : { product: o.product }),
      },
      ...(index === undefined ? {} : { index: index + i }),
      ...(name === undefined ? {} : { name }),
    };
  });
}

/** The options, as commander's `.option()` arguments. @public */
export const IDENTITY_OPTION_SPECS: readonly (readonly [string, string])[] = [
  ['--usb-id <vid:pid>', 'present the port as a USB device with these ids (hex), e.g. 0403:6001; the port is /dev/ttyUSBV<n>'],
  ['--kind <kind>', 'usb-serial (/dev/ttyUSBV<n>, the default with an identity), usb-acm (/dev/ttyACMV<n>) or none (/dev/ttyV<n>)'],
  ['--serial-number <text>', 'the USB serial number (in /dev/serial/by-id/)'],
  ['--manufacturer <text>', 'the USB manufacturer string'],
  ['--product <text>', 'the USB product string'],
  ['--name <name>', 'the link /dev/serial/by-vtty/<name> (udev rules of the module); fails when another port has it'],
  ['--index <n>', 'the port number n of its node; fails when another port has it'],
];
