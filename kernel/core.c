// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - virtual serial ports whose hardware side is a userspace program
 *
 * The module and the lifetime of its ports: the tty drivers (one per name
 * family) are registered here, a port is created when a master opens
 * /dev/vtmx or /dev/vtmx-hotplug, it takes an index in its family (at
 * once, at a VTMX_SET_INDEX or when it is first plugged in), ->install
 * finds it by index for the tty, the index is freed when both sides are
 * gone, and the last tty_port reference destroys the port.  How the
 * pieces fit together, and the lock order, is in vtty_internal.h.
 *
 * Locks: vtty_index_mutex guards the families' ports, which sides hold an
 * index, and the ports' names; ->install and ->shutdown run under the tty
 * core's tty_mutex and take it.  A port found in a family's ports under it
 * holds an index, so at least one side holds a reference to it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/tty_flip.h>
#include <linux/xarray.h>

#include "vtty_internal.h"

static unsigned int max_ports = 1024;
module_param(max_ports, uint, 0444);
MODULE_PARM_DESC(max_ports, "Ports per name family (1-16384, default 1024)");

/*
 * Each kind of port is a name family with its own tty driver and indices
 * (docs/hardware-ports.md says why ports with an identity are named so
 * that serial port listers find them); ttyV is the seed's.
 */
struct vtty_family vtty_families[VTTY_FAMILIES] = {
	[VTTY_KIND_NONE] = { .name = "ttyV", .driver_name = "vtty" },
	[VTTY_KIND_USB_SERIAL] = { .name = "ttyUSBV",
				   .driver_name = "vtty_usb" },
	[VTTY_KIND_USB_ACM] = { .name = "ttyACMV", .driver_name = "vtty_acm" },
};

/* Orders the families' ports with which sides hold an index, and names. */
DEFINE_MUTEX(vtty_index_mutex);
/* The ports that have a name, under vtty_index_mutex. */
LIST_HEAD(vtty_named);

/*
 * A new port for a master that opens /dev/vtmx (plugged in, with the
 * lowest free index of the ttyV family and its /dev node) or
 * /dev/vtmx-hotplug (neither yet).  The master's file holds the reference
 * this returns.
 */
struct vtty_port *vtty_port_create(bool hotplug)
{
	struct vtty_port *vp;
	int ret;

	vp = kzalloc_obj(*vp, GFP_KERNEL);
	if (!vp)
		return ERR_PTR(-ENOMEM);

	tty_port_init(&vp->port);
	vp->port.ops = &vtty_port_ops;
	vp->port.client_ops = &vtty_client_ops;
	/* Unread output outlives the close; see vtty_internal.h. */
	vp->port.closing_wait = ASYNC_CLOSING_WAIT_NONE;
	vp->hotplug = hotplug;
	vp->family = &vtty_families[VTTY_KIND_NONE];
	vp->index = -1;
	INIT_LIST_HEAD(&vp->named);
	mutex_init(&vp->plug_mutex);
	spin_lock_init(&vp->lock);
	vtty_pace_init(vp);
	mutex_init(&vp->read_mutex);
	mutex_init(&vp->write_mutex);
	init_waitqueue_head(&vp->read_wait);
	init_waitqueue_head(&vp->write_wait);
	init_waitqueue_head(&vp->ctrl_wait);
	vp->serial.flags = VTTY_SERIAL_FLAGS;
	vp->serial.baud_base = VTTY_BAUD_BASE;
	vtty_ktermios_to_termios2(&vp->family->driver->init_termios,
				  &vp->termios);
	/* What the master has outstanding; see VTTY_RX_FLIP_LIMIT. */
	tty_buffer_set_limit(&vp->port, VTTY_RX_FLIP_LIMIT);
	spin_lock_irq(&vp->lock);
	vtty_pace_set_line(vp, vp->termios.c_ospeed, vp->termios.c_cflag);
	spin_unlock_irq(&vp->lock);

	if (hotplug)
		return vp;
	ret = vtty_plug(vp);
	if (ret) {
		vtty_master_release(vp);
		return ERR_PTR(ret);
	}
	return vp;
}

/*
 * The lowest free index of the port's family, unless it holds one
 * already.  ENOSPC when every index is taken, the errno the ABI documents.
 */
int vtty_take_index(struct vtty_port *vp)
{
	u32 index;
	int ret = 0;

	mutex_lock(&vtty_index_mutex);
	if (vp->index < 0) {
		/* The lowest free index, as ptmx hands out pty numbers. */
		ret = xa_alloc(&vp->family->ports, &index, vp,
			       XA_LIMIT(0, max_ports - 1), GFP_KERNEL);
		if (!ret) {
			vp->index = index;
			vp->master_holds_index = true;
		}
	}
	mutex_unlock(&vtty_index_mutex);
	return ret == -EBUSY ? -ENOSPC : ret;
}

/*
 * VTMX_SET_INDEX, while unplugged (plug_mutex held): moves the port to
 * the index asked for, if nobody holds it.  Not while the application
 * still holds the tty of the old index: that tty lets go of the index
 * the port has (vtty_release_tty()).
 */
int vtty_set_index(struct vtty_port *vp, u32 index)
{
	int ret = 0;

	if (index >= max_ports)
		return -EINVAL;
	mutex_lock(&vtty_index_mutex);
	if (vp->index == index)
		goto out;
	if (vp->tty_holds_index) {
		ret = -EBUSY;
		goto out;
	}
	ret = xa_insert(&vp->family->ports, index, vp, GFP_KERNEL);
	if (ret)
		goto out;
	if (vp->index >= 0)
		xa_erase(&vp->family->ports, vp->index);
	vp->index = index;
	vp->master_holds_index = true;
out:
	mutex_unlock(&vtty_index_mutex);
	return ret;
}

int vtty_install(struct tty_driver *driver, struct tty_struct *tty)
{
	struct vtty_family *family = driver->driver_state;
	struct vtty_port *vp;
	int ret = -ENODEV;

	/*
	 * A port in a family's ports has a side holding it: vp stays valid.
	 * An unplugged port has no node, but a tty may still be opened
	 * through a node someone made; the index stays the port's.
	 */
	mutex_lock(&vtty_index_mutex);
	vp = xa_load(&family->ports, tty->index);
	if (vp && (!vp->master_holds_index || READ_ONCE(vp->master_gone) ||
		   !vp->plugged))
		vp = NULL;
	if (vp) {
		tty_port_get(&vp->port);
		ret = tty_port_install(&vp->port, driver, tty);
		if (ret) {
			tty_port_put(&vp->port);
		} else {
			vp->tty_holds_index = true;
			/* A new tty starts from the driver's settings. */
			spin_lock_irq(&vp->lock);
			vp->tty_gen = vp->plug_gen;
			spin_unlock_irq(&vp->lock);
		}
	}
	mutex_unlock(&vtty_index_mutex);
	if (ret)
		return ret;
	tty->driver_data = vp;
	return 0;
}

/* Frees the index once neither side holds it.  Under vtty_index_mutex. */
static void vtty_free_index(struct vtty_port *vp)
{
	lockdep_assert_held(&vtty_index_mutex);
	if (vp->index >= 0 && !vp->master_holds_index &&
	    !vp->tty_holds_index) {
		xa_erase(&vp->family->ports, vp->index);
		vp->index = -1;
	}
}

/*
 * The master's side lets go of the index; its /dev node is already gone,
 * so a new port may take both at once.
 */
void vtty_release_master_index(struct vtty_port *vp)
{
	mutex_lock(&vtty_index_mutex);
	vp->master_holds_index = false;
	vtty_free_index(vp);
	list_del_init(&vp->named);
	mutex_unlock(&vtty_index_mutex);
}

/*
 * ->shutdown: the tty's last close, in the closing task and before the
 * close returns (the tty_struct itself is freed later, from a work item).
 * Its received bytes go, and with them our count of what the flip buffer
 * holds; then the tty lets go of the index.
 */
void vtty_release_tty(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;

	vtty_rx_discard(vp, tty);
	mutex_lock(&vtty_index_mutex);
	vp->tty_holds_index = false;
	vtty_free_index(vp);
	mutex_unlock(&vtty_index_mutex);
}

void vtty_cleanup(struct tty_struct *tty)
{
	tty_port_put(tty->port);
}

void vtty_destruct(struct tty_port *port)
{
	struct vtty_port *vp = to_vtty_port(port);

	/* Nothing re-arms it any more: the master and the tty are gone. */
	hrtimer_cancel(&vp->pace.timer);
	kvfree(vp->xmit.buf);
	kfree(vp->rx.bounce);
	kfree(vp);
}

static void vtty_unregister_families(unsigned int count)
{
	struct vtty_family *family;

	while (count--) {
		family = &vtty_families[count];
		tty_unregister_driver(family->driver);
		tty_driver_kref_put(family->driver);
		family->driver = NULL;
		xa_destroy(&family->ports);
	}
}

static int vtty_register_family(struct vtty_family *family)
{
	struct tty_driver *driver;
	int ret;

	/*
	 * RESET_SAVED_TERMIOS: a reused index is a new port and must start
	 * from the defaults, not from the previous application's settings.
	 */
	driver = tty_alloc_driver(max_ports, TTY_DRIVER_REAL_RAW |
				  TTY_DRIVER_DYNAMIC_DEV |
				  TTY_DRIVER_HARDWARE_BREAK |
				  TTY_DRIVER_RESET_SAVED_TERMIOS);
	if (IS_ERR(driver))
		return PTR_ERR(driver);

	driver->driver_name = family->driver_name;
	driver->name = family->name;
	driver->major = 0;
	driver->minor_start = 0;
	driver->type = TTY_DRIVER_TYPE_SERIAL;
	driver->subtype = SERIAL_TYPE_NORMAL;
	/* A UART's power-on settings: 9600 8N1, receiver on, no carrier wait. */
	driver->init_termios = tty_std_termios;
	driver->init_termios.c_cflag = B9600 | CS8 | CREAD | HUPCL | CLOCAL;
	driver->init_termios.c_ispeed = 9600;
	driver->init_termios.c_ospeed = 9600;
	driver->driver_state = family;
	tty_set_operations(driver, &vtty_ops);

	xa_init_flags(&family->ports, XA_FLAGS_ALLOC);
	ret = tty_register_driver(driver);
	if (ret) {
		tty_driver_kref_put(driver);
		return ret;
	}
	family->driver = driver;
	return 0;
}

static int __init vtty_init(void)
{
	unsigned int count;
	int ret = 0;

	if (max_ports < 1 || max_ports > VTTY_MAX_PORTS_LIMIT) {
		pr_err("max_ports must be between 1 and %u\n",
		       VTTY_MAX_PORTS_LIMIT);
		return -EINVAL;
	}

	for (count = 0; count < VTTY_FAMILIES; count++) {
		ret = vtty_register_family(&vtty_families[count]);
		if (ret)
			goto err_families;
	}
	ret = vtty_device_init();
	if (ret)
		goto err_families;
	ret = vtty_master_register();
	if (ret)
		goto err_device;
	return 0;

err_device:
	vtty_device_exit();
err_families:
	vtty_unregister_families(count);
	return ret;
}

/* No port can exist here: every master file and every tty pins the module. */
static void __exit vtty_exit(void)
{
	vtty_master_unregister();
	vtty_device_exit();
	vtty_unregister_families(VTTY_FAMILIES);
}

module_init(vtty_init);
module_exit(vtty_exit);

MODULE_DESCRIPTION("Virtual serial ports driven from userspace through /dev/vtmx");
MODULE_AUTHOR("vtty developers");
MODULE_LICENSE("GPL");
