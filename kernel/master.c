// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - the master devices, /dev/vtmx and /dev/vtmx-hotplug
 *
 * Each open creates a port (plugged in, or for /dev/vtmx-hotplug not
 * yet); the release tears down the master's side (the port lives on while
 * a tty uses it).  A read returns one packet: a control packet if one
 * waits, else output (xmit.c); poll reports both and room for writes; the
 * ioctls set the input lines, enable the extensions, queue the current
 * state, inject received bytes, and (device.c) set the identity, index
 * and name and plug the port in or out.  Writes are the master ->
 * application path, in rx.c.
 *
 * Locks: reads serialise on read_mutex; the port's state is under
 * vtty_port.lock, taken with spin_lock_irq() since every file operation
 * may sleep.  The release cancels the pace timer synchronously, holding
 * no spinlock, and removes the port's devices under plug_mutex.
 */

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "vtty_internal.h"

/* Tears down the master's side; the port lives on while a tty uses it. */
void vtty_master_release(struct vtty_port *vp)
{
	struct tty_struct *tty;

	/*
	 * From here on no tty can be installed or activated, output is
	 * discarded (so a close or tcdrain waiting for it returns) and
	 * break requests fail.
	 */
	spin_lock_irq(&vp->lock);
	WRITE_ONCE(vp->master_gone, true);
	vp->xmit.tail = vp->xmit.head;
	vp->xmit.avail = vp->xmit.head;
	vp->xmit.discard_pending = false;
	vp->pace.running = false;
	spin_unlock_irq(&vp->lock);
	/* With master_gone set nothing re-arms them. */
	hrtimer_cancel(&vp->pace.timer);
	wake_up_interruptible(&vp->ctrl_wait);
	wake_up_interruptible(&vp->port.delta_msr_wait);

	tty = tty_port_tty_get(&vp->port);
	if (tty) {
		/*
		 * As when a pty master closes: a read blocked in the line
		 * discipline fails with EIO, later reads see the hangup's EOF.
		 */
		set_bit(TTY_OTHER_CLOSED, &tty->flags);
		tty_wakeup(tty);
		tty_vhangup(tty);
		tty_kref_put(tty);
	}

	mutex_lock(&vp->plug_mutex);
	vtty_remove_devices(vp);
	mutex_unlock(&vp->plug_mutex);
	vtty_release_master_index(vp);
	tty_port_put(&vp->port);
}

static struct miscdevice vtmx_hotplug_misc;

static int vtmx_open(struct inode *inode, struct file *file)
{
	/* misc_open() left the miscdevice opened in private_data. */
	bool hotplug = file->private_data == &vtmx_hotplug_misc;
	struct vtty_port *vp = vtty_port_create(hotplug);

	if (IS_ERR(vp))
		return PTR_ERR(vp);
	file->private_data = vp;
	stream_open(inode, file);
	return 0;
}

static int vtmx_release(struct inode *inode, struct file *file)
{
	vtty_master_release(file->private_data);
	return 0;
}

static bool vtty_master_readable(struct vtty_port *vp)
{
	bool readable;

	spin_lock_irq(&vp->lock);
	readable = vp->ctrl.count || vtty_data_readable(vp);
	spin_unlock_irq(&vp->lock);
	return readable;
}

static ssize_t vtmx_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos)
{
	struct vtty_port *vp = file->private_data;
	bool data, wake = false;
	ssize_t ret;

	if (count < VTMX_MAX_PACKET_SIZE)
		return -EMSGSIZE;

	for (;;) {
		if (mutex_lock_interruptible(&vp->read_mutex))
			return -ERESTARTSYS;
		data = false;
		ret = vtty_ctrl_read(vp, buf);
		if (!ret) {
			ret = vtty_xmit_read(vp, buf, count, &wake);
			data = true;
		}
		mutex_unlock(&vp->read_mutex);
		if (ret)
			break;

		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(vp->read_wait,
					       vtty_master_readable(vp));
		if (ret)
			return ret;
	}

	if (ret > 0) {
		if (data && wake)
			tty_port_tty_wakeup(&vp->port);
		else if (!data)
			wake_up_interruptible(&vp->ctrl_wait);
	}
	return ret;
}

static __poll_t vtmx_poll(struct file *file, poll_table *wait)
{
	struct vtty_port *vp = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &vp->read_wait, wait);
	poll_wait(file, &vp->write_wait, wait);

	spin_lock_irq(&vp->lock);
	if (vp->ctrl.count)
		mask |= VTTY_POLL_CTRL;
	if (vtty_data_readable(vp))
		mask |= VTTY_POLL_DATA;
	spin_unlock_irq(&vp->lock);

	if (vtty_master_write_room(vp))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/* VTMX_REQUEST_STATE: the current settings as packets, for a late master. */
static void vtty_request_state(struct vtty_port *vp)
{
	unsigned int count = vtty_open_count(vp);

	spin_lock_irq(&vp->lock);
	vtty_queue_termios(vp);
	vtty_queue_modem(vp);
	vtty_queue_event(vp, TAG_OPEN_COUNT, count);
	spin_unlock_irq(&vp->lock);
	vtty_wake_master_reader(vp, VTTY_POLL_CTRL);
}

static int vtty_set_features(struct vtty_port *vp, u32 features)
{
	if (features & ~VTTY_FEATURES)
		return -EINVAL;
	spin_lock_irq(&vp->lock);
	vp->features = features;
	/* Output queued before pacing was enabled is released as it was. */
	vtty_pace_update(vp);
	spin_unlock_irq(&vp->lock);
	/* What stops either direction may have changed. */
	vtty_wake_master_reader(vp, VTTY_POLL_DATA);
	vtty_wake_master_writer(vp);
	return 0;
}

/* VTMX_GET_VTTY_NUM: EINVAL while a hotplug port has no index yet. */
static int vtty_get_index(struct vtty_port *vp, unsigned int __user *uarg)
{
	int index;

	mutex_lock(&vtty_index_mutex);
	index = vp->index;
	mutex_unlock(&vtty_index_mutex);
	if (index < 0)
		return -EINVAL;
	return put_user((unsigned int)index, uarg);
}

/* VTMX_SET_INDEX: while unplugged. */
static int vtty_set_port_index(struct vtty_port *vp, u32 index)
{
	int ret;

	mutex_lock(&vp->plug_mutex);
	ret = vp->plugged ? -EINVAL : vtty_set_index(vp, index);
	mutex_unlock(&vp->plug_mutex);
	return ret;
}

static long vtmx_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vtty_port *vp = file->private_data;
	u32 __user *uarg = (u32 __user *)arg;
	u32 val;
	int lines;

	switch (cmd) {
	case VTMX_GET_FEATURES:
		return put_user((u32)VTTY_FEATURES, uarg);
	case VTMX_SET_FEATURES:
		if (get_user(val, uarg))
			return -EFAULT;
		return vtty_set_features(vp, val);
	case VTMX_GET_ENABLED:
		spin_lock_irq(&vp->lock);
		val = vp->features;
		spin_unlock_irq(&vp->lock);
		return put_user(val, uarg);
	case VTMX_REQUEST_STATE:
		if (get_user(val, uarg))
			return -EFAULT;
		if (val)
			return -EINVAL;
		vtty_request_state(vp);
		return 0;
	case VTMX_INJECT_RX:
		if (get_user(val, uarg))
			return -EFAULT;
		return vtty_inject_rx(vp, file, val);
	case VTMX_SET_IDENTITY:
		return vtty_set_identity(vp, (void __user *)arg);
	case VTMX_GET_IDENTITY:
		return vtty_get_identity(vp, (void __user *)arg);
	case VTMX_SET_NAME:
		return vtty_set_name(vp, (void __user *)arg);
	case VTMX_SET_INDEX:
		if (get_user(val, uarg))
			return -EFAULT;
		return vtty_set_port_index(vp, val);
	case VTMX_PLUG:
	case VTMX_UNPLUG:
		if (get_user(val, uarg))
			return -EFAULT;
		if (val)
			return -EINVAL;
		return cmd == VTMX_PLUG ? vtty_plug(vp) : vtty_unplug(vp);
	case VTMX_GET_VTTY_NUM:
		return vtty_get_index(vp, (unsigned int __user *)arg);
	case VTMX_SET_MODEM_LINES:
		if (get_user(lines, (int __user *)arg))
			return -EFAULT;
		vtty_set_input_lines(vp, lines);
		return 0;
	}
	return -ENOTTY;
}

static const struct file_operations vtmx_fops = {
	.owner		= THIS_MODULE,
	.open		= vtmx_open,
	.release	= vtmx_release,
	.read		= vtmx_read,
	.write		= vtty_master_write,
	.poll		= vtmx_poll,
	.unlocked_ioctl	= vtmx_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice vtmx_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vtmx",
	.fops	= &vtmx_fops,
};

/* The same master, whose ports start unplugged (device.c). */
static struct miscdevice vtmx_hotplug_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vtmx-hotplug",
	.fops	= &vtmx_fops,
};

int vtty_master_register(void)
{
	int ret = misc_register(&vtmx_misc);

	if (ret)
		return ret;
	ret = misc_register(&vtmx_hotplug_misc);
	if (ret)
		misc_deregister(&vtmx_misc);
	return ret;
}

void vtty_master_unregister(void)
{
	misc_deregister(&vtmx_hotplug_misc);
	misc_deregister(&vtmx_misc);
}
