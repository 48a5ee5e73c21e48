// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - plugging ports in and out, and what they show of themselves
 *
 * A port is plugged in while its tty has a device, and so a node.  A port
 * of /dev/vtmx-hotplug also has a parent device then, on the "vtty" bus
 * under /sys/devices/vtty/, which shows the identity its master set: as
 * attributes named like a USB device's (created with the device, through
 * its type's attribute groups) and as uevent properties.  The parent
 * holds its own copy of the identity, made when it is plugged in, so that
 * nothing in sysfs refers to the port, which may be gone before a sysfs
 * reader is.  docs/hardware-ports.md gives the reasons for the design.
 *
 * Unplugging hangs the tty up, as a USB serial driver's disconnect does,
 * then removes the tty's device and its parent.  The port keeps its index
 * and name for the next plug.
 *
 * Locks: plug_mutex serialises a port's plug ioctls and guards its
 * identity and devices; it is taken before the tty core's locks (the
 * hangup takes the tty lock) and the driver core's.  plugged changes under
 * vtty_index_mutex, which ->install holds, and under vtty_port.lock, under
 * which ->activate and ->open look at it.
 */

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "vtty_internal.h"

/* The parent device of a hotplug port, with its own copy of the identity. */
struct vtty_hw {
	struct device dev;
	struct vtty_identity id;
	char name[VTTY_NAME_SIZE];
};

static const char *const vtty_kind_names[VTTY_FAMILIES] = {
	[VTTY_KIND_NONE] = "none",
	[VTTY_KIND_USB_SERIAL] = "usb-serial",
	[VTTY_KIND_USB_ACM] = "usb-acm",
};

VTTY_DEFINE_BUS(vtty_bus, "vtty");

/* /sys/devices/vtty, the parents' parent. */
static struct device *vtty_root;

static const struct vtty_hw *to_vtty_hw(VTTY_UEVENT_DEVICE *dev)
{
	return container_of(dev, struct vtty_hw, dev);
}

/* The namespace of the port's by-id link: see docs/hardware-ports.md. */
static const char *vtty_id_bus(const struct vtty_identity *id)
{
	return id->flags & VTTY_ID_BUS_USB ? "usb" : "vtty";
}

static ssize_t vtty_kind_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", vtty_kind_names[to_vtty_hw(dev)->id.kind]);
}

static ssize_t vtty_id_bus_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", vtty_id_bus(&to_vtty_hw(dev)->id));
}

static ssize_t vtty_virtual_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "1\n");
}

static ssize_t vtty_vendor_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%04x\n", to_vtty_hw(dev)->id.vendor_id);
}

static ssize_t vtty_product_id_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%04x\n", to_vtty_hw(dev)->id.product_id);
}

static ssize_t vtty_interface_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%02x\n",
			  to_vtty_hw(dev)->id.interface_number);
}

static ssize_t vtty_serial_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_vtty_hw(dev)->id.serial);
}

static ssize_t vtty_manufacturer_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_vtty_hw(dev)->id.manufacturer);
}

static ssize_t vtty_product_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_vtty_hw(dev)->id.product);
}

static ssize_t vtty_port_name_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_vtty_hw(dev)->name);
}

/*
 * The attributes a USB device and interface have, under their names, so
 * that udev rules written for the real device match the emulated one;
 * their C names are our own.
 */
#define VTTY_HW_ATTR(_var, _name)					\
	static struct device_attribute vtty_attr_##_var = {		\
		.attr = { .name = _name, .mode = 0444 },		\
		.show = vtty_##_var##_show,				\
	}

VTTY_HW_ATTR(kind, "kind");
VTTY_HW_ATTR(id_bus, "id_bus");
VTTY_HW_ATTR(virtual, "virtual");
VTTY_HW_ATTR(vendor, "idVendor");
VTTY_HW_ATTR(product_id, "idProduct");
VTTY_HW_ATTR(interface, "bInterfaceNumber");
VTTY_HW_ATTR(serial, "serial");
VTTY_HW_ATTR(manufacturer, "manufacturer");
VTTY_HW_ATTR(product, "product");
VTTY_HW_ATTR(port_name, "port_name");

static struct attribute *vtty_hw_attrs[] = {
	&vtty_attr_kind.attr,
	&vtty_attr_id_bus.attr,
	&vtty_attr_virtual.attr,
	&vtty_attr_vendor.attr,
	&vtty_attr_product_id.attr,
	&vtty_attr_interface.attr,
	&vtty_attr_serial.attr,
	&vtty_attr_manufacturer.attr,
	&vtty_attr_product.attr,
	&vtty_attr_port_name.attr,
	NULL,
};

/* A field the master did not set has no attribute, as on a real device. */
static umode_t vtty_hw_attr_visible(struct kobject *kobj,
				    struct attribute *attr, int n)
{
	const struct vtty_hw *hw = to_vtty_hw(kobj_to_dev(kobj));
	bool shown = true;

	if (attr == &vtty_attr_vendor.attr ||
	    attr == &vtty_attr_product_id.attr)
		shown = hw->id.flags & VTTY_ID_USB_IDS;
	else if (attr == &vtty_attr_interface.attr)
		shown = hw->id.kind != VTTY_KIND_NONE;
	else if (attr == &vtty_attr_serial.attr)
		shown = hw->id.serial[0];
	else if (attr == &vtty_attr_manufacturer.attr)
		shown = hw->id.manufacturer[0];
	else if (attr == &vtty_attr_product.attr)
		shown = hw->id.product[0];
	else if (attr == &vtty_attr_port_name.attr)
		shown = hw->name[0];
	return shown ? attr->mode : 0;
}

static const struct attribute_group vtty_hw_group = {
	.attrs = vtty_hw_attrs,
	.is_visible = vtty_hw_attr_visible,
};

static const struct attribute_group *vtty_hw_groups[] = {
	&vtty_hw_group,
	NULL,
};

static int vtty_hw_uevent(VTTY_UEVENT_DEVICE *dev, struct kobj_uevent_env *env)
{
	const struct vtty_hw *hw = to_vtty_hw(dev);
	const struct vtty_identity *id = &hw->id;
	int ret;

	ret = add_uevent_var(env, "VTTY_KIND=%s", vtty_kind_names[id->kind]);
	if (!ret)
		ret = add_uevent_var(env, "VTTY_ID_BUS=%s", vtty_id_bus(id));
	if (!ret && id->flags & VTTY_ID_USB_IDS)
		ret = add_uevent_var(env, "VTTY_USB_ID=%04x:%04x",
				     id->vendor_id, id->product_id);
	if (!ret && id->serial[0])
		ret = add_uevent_var(env, "VTTY_SERIAL=%s", id->serial);
	if (!ret && hw->name[0])
		ret = add_uevent_var(env, "VTTY_NAME=%s", hw->name);
	return ret;
}

static void vtty_hw_release(struct device *dev)
{
	kfree(to_vtty_hw(dev));
}

static const struct device_type vtty_hw_type = {
	.name = "vtty_port",
	.groups = vtty_hw_groups,
	.uevent = vtty_hw_uevent,
	.release = vtty_hw_release,
};

/* The parent of a hotplug port's tty, named as the tty is.  plug_mutex. */
static struct device *vtty_hw_add(struct vtty_port *vp)
{
	struct vtty_hw *hw;
	int ret;

	hw = kzalloc_obj(*hw, GFP_KERNEL);
	if (!hw)
		return ERR_PTR(-ENOMEM);
	hw->id = vp->identity;
	mutex_lock(&vtty_index_mutex);
	strscpy(hw->name, vp->name, sizeof(hw->name));
	mutex_unlock(&vtty_index_mutex);

	device_initialize(&hw->dev);
	hw->dev.parent = vtty_root;
	hw->dev.bus = &vtty_bus;
	hw->dev.type = &vtty_hw_type;
	ret = dev_set_name(&hw->dev, "%s%d", vp->family->name, vp->index);
	if (!ret)
		ret = device_add(&hw->dev);
	if (ret) {
		put_device(&hw->dev);
		return ERR_PTR(ret);
	}
	return &hw->dev;
}

/*
 * Opens are allowed from here on, or no more.  A plug makes the port a
 * new device: its counters and serial settings start again, and a tty
 * that outlived the last unplug is reset at its next open (see
 * vtty_open()).
 */
static void vtty_set_plugged(struct vtty_port *vp, bool plugged)
{
	const struct ktermios *init = &vp->family->driver->init_termios;

	mutex_lock(&vtty_index_mutex);
	mutex_lock(&vp->port.mutex);
	spin_lock_irq(&vp->lock);
	vp->plugged = plugged;
	if (plugged && vp->plug_gen++) {
		memset(&vp->lines.icount, 0, sizeof(vp->lines.icount));
		vp->serial.flags = VTTY_SERIAL_FLAGS;
		vp->serial.baud_base = VTTY_BAUD_BASE;
		vp->serial.custom_divisor = 0;
		vtty_ktermios_to_termios2(init, &vp->termios);
		vtty_pace_set_line(vp, vp->termios.c_ospeed,
				   vp->termios.c_cflag);
	}
	spin_unlock_irq(&vp->lock);
	mutex_unlock(&vp->port.mutex);
	mutex_unlock(&vtty_index_mutex);
}

/* Plugs the port in: its index, its parent, its tty's device and node. */
int vtty_plug(struct vtty_port *vp)
{
	struct device *hw = NULL, *dev;
	int ret;

	mutex_lock(&vp->plug_mutex);
	if (vp->plugged) {
		ret = -EINVAL;
		goto out;
	}
	ret = vtty_take_index(vp);
	if (ret)
		goto out;
	if (vp->hotplug) {
		hw = vtty_hw_add(vp);
		if (IS_ERR(hw)) {
			ret = PTR_ERR(hw);
			goto out;
		}
	}
	/* The node may be opened as soon as it exists. */
	vtty_set_plugged(vp, true);
	dev = tty_register_device_attr(vp->family->driver, vp->index, hw,
				       NULL, NULL);
	if (IS_ERR(dev)) {
		vtty_set_plugged(vp, false);
		if (hw)
			device_unregister(hw);
		ret = PTR_ERR(dev);
		goto out;
	}
	vp->tty_dev = dev;
	vp->hw_dev = hw;
out:
	mutex_unlock(&vp->plug_mutex);
	return ret;
}

/*
 * What pulling a USB adapter out does to the application.  Opens are
 * refused first, so that ->activate either sees that or has its tty hung
 * up here.  The hangup makes a read return 0, a write fail with EIO and
 * poll report POLLHUP.  A read that sleeps returns 0 too, where the
 * master's close, which hangs the tty up itself first, gives it EIO: after
 * an unplug the tty may be opened again at the next plug.  Then the tty's
 * device and node go, and their parent, as when a USB serial driver lets
 * go of a disconnected port.  plug_mutex held.
 */
void vtty_remove_devices(struct vtty_port *vp)
{
	struct tty_struct *tty;

	lockdep_assert_held(&vp->plug_mutex);
	if (!vp->tty_dev)
		return;
	vtty_set_plugged(vp, false);
	tty = tty_port_tty_get(&vp->port);
	if (tty) {
		tty_vhangup(tty);
		tty_kref_put(tty);
	}
	tty_unregister_device(vp->family->driver, vp->index);
	vp->tty_dev = NULL;
	if (vp->hw_dev) {
		device_unregister(vp->hw_dev);
		vp->hw_dev = NULL;
	}
}

/* VTMX_UNPLUG.  The port keeps its index and name for the next plug. */
int vtty_unplug(struct vtty_port *vp)
{
	int ret = 0;

	mutex_lock(&vp->plug_mutex);
	if (vp->plugged)
		vtty_remove_devices(vp);
	else
		ret = -EINVAL;
	mutex_unlock(&vp->plug_mutex);
	return ret;
}

static bool vtty_string_ok(const char *s, size_t size)
{
	size_t len = strnlen(s, size);
	size_t i;

	if (len == size)
		return false;
	/* A '/' would make a directory of udev's by-id link. */
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '/')
			return false;
	return true;
}

static bool vtty_identity_ok(const struct vtty_identity *id)
{
	size_t i;

	if (id->flags & ~(VTTY_ID_USB_IDS | VTTY_ID_BUS_USB) ||
	    id->kind >= VTTY_FAMILIES)
		return false;
	for (i = 0; i < sizeof(id->reserved); i++)
		if (id->reserved[i])
			return false;
	return vtty_string_ok(id->serial, sizeof(id->serial)) &&
	       vtty_string_ok(id->manufacturer, sizeof(id->manufacturer)) &&
	       vtty_string_ok(id->product, sizeof(id->product));
}

/*
 * VTMX_SET_IDENTITY.  A by-id link in the usb- namespace, where a real
 * adapter's is, takes CAP_SYS_ADMIN, as the privileged fields of
 * TIOCSSERIAL do; see docs/hardware-ports.md.
 */
int vtty_set_identity(struct vtty_port *vp,
		      const struct vtty_identity __user *uid)
{
	struct vtty_identity id;
	struct vtty_family *family;
	int ret = 0;

	if (copy_from_user(&id, uid, sizeof(id)))
		return -EFAULT;
	if (!vp->hotplug || !vtty_identity_ok(&id))
		return -EINVAL;
	if (id.flags & VTTY_ID_BUS_USB && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	family = &vtty_families[id.kind];

	mutex_lock(&vp->plug_mutex);
	if (vp->plugged) {
		ret = -EINVAL;
		goto out;
	}
	mutex_lock(&vtty_index_mutex);
	/* An index belongs to one family's driver. */
	if (vp->index >= 0 && vp->family != family)
		ret = -EINVAL;
	else
		vp->family = family;
	mutex_unlock(&vtty_index_mutex);
	if (!ret)
		vp->identity = id;
out:
	mutex_unlock(&vp->plug_mutex);
	return ret;
}

int vtty_get_identity(struct vtty_port *vp, struct vtty_identity __user *uid)
{
	struct vtty_identity id;

	mutex_lock(&vp->plug_mutex);
	id = vp->identity;
	mutex_unlock(&vp->plug_mutex);
	return copy_to_user(uid, &id, sizeof(id)) ? -EFAULT : 0;
}

/* A name is one file name under /dev/serial/by-vtty/. */
static bool vtty_name_ok(const char *name)
{
	size_t len = strnlen(name, VTTY_NAME_SIZE);
	size_t i;

	if (len == VTTY_NAME_SIZE || name[0] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("._-", name[i]))
			return false;
	return true;
}

/* VTMX_SET_NAME: a name no other port has, or "" for none. */
int vtty_set_name(struct vtty_port *vp, const struct vtty_name __user *uname)
{
	struct vtty_port *other;
	struct vtty_name name;
	int ret = 0;

	if (copy_from_user(&name, uname, sizeof(name)))
		return -EFAULT;
	if (!vp->hotplug || !vtty_name_ok(name.name))
		return -EINVAL;

	mutex_lock(&vp->plug_mutex);
	if (vp->plugged) {
		ret = -EINVAL;
		goto out;
	}
	mutex_lock(&vtty_index_mutex);
	list_for_each_entry(other, &vtty_named, named) {
		if (other != vp && !strcmp(other->name, name.name)) {
			ret = -EBUSY;
			break;
		}
	}
	if (!ret) {
		strscpy(vp->name, name.name, sizeof(vp->name));
		if (!vp->name[0])
			list_del_init(&vp->named);
		else if (list_empty(&vp->named))
			list_add(&vp->named, &vtty_named);
	}
	mutex_unlock(&vtty_index_mutex);
out:
	mutex_unlock(&vp->plug_mutex);
	return ret;
}

int vtty_device_init(void)
{
	int ret;

	ret = bus_register(&vtty_bus);
	if (ret)
		return ret;
	vtty_root = root_device_register("vtty");
	if (IS_ERR(vtty_root)) {
		bus_unregister(&vtty_bus);
		return PTR_ERR(vtty_root);
	}
	return 0;
}

void vtty_device_exit(void)
{
	root_device_unregister(vtty_root);
	bus_unregister(&vtty_bus);
}
