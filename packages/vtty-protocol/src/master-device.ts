// The master devices: the nodes of the two misc devices the vtty module registers
// (kernel/master.c names them "vtmx" and "vtmx-hotplug"; devtmpfs and udev put them in /dev).
// docs/protocol.md says what each does.

/** The master device: opening it creates a port, `/dev/ttyV<n>`, plugged in at once. @public */
export const DEFAULT_VTMX_PATH = '/dev/vtmx';

/**
 * The master device whose ports start unplugged and may take an identity, an index and a name
 * before they are plugged in (vtty 0.4.0+, docs/hardware-ports.md).
 *
 * @public
 */
export const HOTPLUG_VTMX_PATH = '/dev/vtmx-hotplug';
