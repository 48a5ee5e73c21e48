// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - virtual serial ports whose hardware side is a userspace program
 *
 * The module and the lifetime of its ports: the tty driver and /dev/vtmx
 * are registered here, a port is created with its index when a master
 * opens /dev/vtmx, ->install finds it by index for the tty, the index is
 * freed when both sides are gone, and the last tty_port reference
 * destroys the port.  How the pieces fit together, and the lock order, is
 * in vtty_internal.h.
 *
 * Locks: vtty_index_mutex guards vtty_ports and which sides hold an index;
 * ->install and ->shutdown run under the tty core's tty_mutex and take it.
 * A port found in vtty_ports under it holds an index, so at least one side
 * holds a reference to it.
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
MODULE_PARM_DESC(max_ports, "Maximum number of ttyV ports (1-16384, default 1024)");

struct tty_driver *vtty_driver;

/* Maps a port index to its vtty_port, while a side holds the index. */
static DEFINE_XARRAY_ALLOC(vtty_ports);
/* Orders vtty_ports' changes with which sides hold an index. */
static DEFINE_MUTEX(vtty_index_mutex);

/*
 * A new port for a master that opens /dev/vtmx: its index and its /dev
 * node.  The master's file holds the reference this returns.
 */
struct vtty_port *vtty_port_create(void)
{
	struct vtty_port *vp;
	struct device *dev;
	u32 index;
	int ret;

	vp = kzalloc_obj(*vp, GFP_KERNEL);
	if (!vp)
		return ERR_PTR(-ENOMEM);

	tty_port_init(&vp->port);
	vp->port.ops = &vtty_port_ops;
	vp->port.client_ops = &vtty_client_ops;
	/* Unread output outlives the close; see vtty_internal.h. */
	vp->port.closing_wait = ASYNC_CLOSING_WAIT_NONE;
	vp->index = -1;
	spin_lock_init(&vp->lock);
	vtty_pace_init(vp);
	mutex_init(&vp->read_mutex);
	mutex_init(&vp->write_mutex);
	init_waitqueue_head(&vp->read_wait);
	init_waitqueue_head(&vp->write_wait);
	init_waitqueue_head(&vp->ctrl_wait);
	vp->serial.flags = VTTY_SERIAL_FLAGS;
	vp->serial.baud_base = VTTY_BAUD_BASE;
	vtty_ktermios_to_termios2(&vtty_driver->init_termios, &vp->termios);
	/* What the master has outstanding; see VTTY_RX_FLIP_LIMIT. */
	tty_buffer_set_limit(&vp->port, VTTY_RX_FLIP_LIMIT);
	spin_lock_irq(&vp->lock);
	vtty_pace_set_line(vp, vp->termios.c_ospeed, vp->termios.c_cflag);
	spin_unlock_irq(&vp->lock);

	mutex_lock(&vtty_index_mutex);
	/* The lowest free index, as ptmx hands out pty numbers. */
	ret = xa_alloc(&vtty_ports, &index, vp, XA_LIMIT(0, max_ports - 1),
		       GFP_KERNEL);
	if (!ret) {
		vp->index = index;
		vp->master_holds_index = true;
	}
	mutex_unlock(&vtty_index_mutex);
	if (ret) {
		tty_port_put(&vp->port);
		/* Every index taken: ENOSPC, the errno the ABI documents. */
		return ERR_PTR(ret == -EBUSY ? -ENOSPC : ret);
	}

	dev = tty_register_device(vtty_driver, index, NULL);
	if (IS_ERR(dev)) {
		vtty_master_release(vp);
		return ERR_CAST(dev);
	}
	vp->registered = true;
	return vp;
}

int vtty_install(struct tty_driver *driver, struct tty_struct *tty)
{
	struct vtty_port *vp;
	int ret = -ENODEV;

	/* A port in vtty_ports has a side holding it: vp stays valid. */
	mutex_lock(&vtty_index_mutex);
	vp = xa_load(&vtty_ports, tty->index);
	if (vp && (!vp->master_holds_index || READ_ONCE(vp->master_gone)))
		vp = NULL;
	if (vp) {
		tty_port_get(&vp->port);
		ret = tty_port_install(&vp->port, driver, tty);
		if (ret)
			tty_port_put(&vp->port);
		else
			vp->tty_holds_index = true;
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
		xa_erase(&vtty_ports, vp->index);
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
	kfree(vp);
}

static int __init vtty_init(void)
{
	struct tty_driver *driver;
	int ret;

	if (max_ports < 1 || max_ports > VTTY_MAX_PORTS_LIMIT) {
		pr_err("max_ports must be between 1 and %u\n",
		       VTTY_MAX_PORTS_LIMIT);
		return -EINVAL;
	}

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

	driver->driver_name = "vtty";
	driver->name = "ttyV";
	driver->major = 0;
	driver->minor_start = 0;
	driver->type = TTY_DRIVER_TYPE_SERIAL;
	driver->subtype = SERIAL_TYPE_NORMAL;
	/* A UART's power-on settings: 9600 8N1, receiver on, no carrier wait. */
	driver->init_termios = tty_std_termios;
	driver->init_termios.c_cflag = B9600 | CS8 | CREAD | HUPCL | CLOCAL;
	driver->init_termios.c_ispeed = 9600;
	driver->init_termios.c_ospeed = 9600;
	tty_set_operations(driver, &vtty_ops);

	ret = tty_register_driver(driver);
	if (ret)
		goto err_put;

	vtty_driver = driver;
	ret = vtty_master_register();
	if (ret)
		goto err_unregister;
	return 0;

err_unregister:
	vtty_driver = NULL;
	tty_unregister_driver(driver);
err_put:
	tty_driver_kref_put(driver);
	return ret;
}

/* No port can exist here: every master file and every tty pins the module. */
static void __exit vtty_exit(void)
{
	vtty_master_unregister();
	tty_unregister_driver(vtty_driver);
	tty_driver_kref_put(vtty_driver);
	xa_destroy(&vtty_ports);
}

module_init(vtty_init);
module_exit(vtty_exit);

MODULE_DESCRIPTION("Virtual serial ports driven from userspace through /dev/vtmx");
MODULE_AUTHOR("vtty developers");
MODULE_LICENSE("GPL");
