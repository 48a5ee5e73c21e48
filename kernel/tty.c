// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - the application's side: the tty_port and tty operations
 *
 * Open, close and hangup (through the tty_port helpers, with open events
 * for the master), ->activate and ->shutdown, termios changes (passed to
 * the master as packets, and to pacing) and the driver's ioctls.  The two
 * operation tables gather the methods the other files implement.
 *
 * Locks: ->activate and ->shutdown run under tty_port.mutex, ->activate
 * then takes write_mutex, as ->hangup and an input TCFLSH do to discard
 * received data (vtty_rx_discard()); the port's state is under vtty_port.lock,
 * taken with spin_lock_irq(): every method here may sleep.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tty.h>
#include <linux/tty_flip.h>
#include <linux/uaccess.h>

#include "vtty_internal.h"

void vtty_ktermios_to_termios2(const struct ktermios *kt,
			       struct termios2 *t2)
{
	t2->c_iflag = kt->c_iflag;
	t2->c_oflag = kt->c_oflag;
	t2->c_cflag = kt->c_cflag;
	t2->c_lflag = kt->c_lflag;
	t2->c_line = kt->c_line;
	memcpy(t2->c_cc, kt->c_cc, min(sizeof(t2->c_cc), sizeof(kt->c_cc)));
	t2->c_ispeed = kt->c_ispeed;
	t2->c_ospeed = kt->c_ospeed;
}

static int vtty_activate(struct tty_port *port, struct tty_struct *tty)
{
	struct vtty_port *vp = to_vtty_port(port);
	u32 baud = tty_get_baud_rate(tty);
	u8 *buf = NULL;
	bool gone;

	/*
	 * tty_port_open() has set port->tty before calling us, and the master
	 * sets master_gone (or clears plugged) before it looks at port->tty:
	 * either we see the master or the device gone here, or it sees this
	 * tty and hangs it up.
	 */
	for (;;) {
		spin_lock_irq(&vp->lock);
		gone = vp->master_gone || !vp->plugged;
		if (gone || vp->xmit.buf || buf)
			break;
		spin_unlock_irq(&vp->lock);
		buf = kvmalloc(VTTY_XMIT_SIZE, GFP_KERNEL_ACCOUNT);
		if (!buf)
			return -ENOMEM;
	}
	if (!gone) {
		if (!vp->xmit.buf) {
			vp->xmit.buf = buf;
			vp->xmit.size = VTTY_XMIT_SIZE;
			vp->xmit.grow = false;
			vp->xmit.head = 0;
			vp->xmit.tail = 0;
			vp->xmit.avail = 0;
			vp->xmit.discard_pending = false;
			buf = NULL;
		}
		vp->active_tty = tty;
		vp->flow.crtscts = C_CRTSCTS(tty);
		vp->flow.stopped = vtty_tty_stopped(tty);
		vp->flow.throttled = false;
		vp->flow.remote_xoff = false;
		vtty_ktermios_to_termios2(&tty->termios, &vp->termios);
		vtty_pace_set_line(vp, baud, tty->termios.c_cflag);
	}
	spin_unlock_irq(&vp->lock);
	kvfree(buf);
	if (gone)
		return -ENODEV;

	/*
	 * Data the master wrote while no tty was attached stopped in the flip
	 * buffer; nothing else would restart its delivery.
	 */
	mutex_lock(&vp->write_mutex);
	tty_flip_buffer_push(port);
	mutex_unlock(&vp->write_mutex);
	vtty_wake_master_writer(vp);
	return 0;
}

/* Last close or hangup of the application side. */
static void vtty_shutdown(struct tty_port *port)
{
	struct vtty_port *vp = to_vtty_port(port);
	bool released;
	u8 *buf;

	spin_lock_irq(&vp->lock);
	vp->active_tty = NULL;
	vp->flow.throttled = false;
	vp->flow.stopped = false;
	/* Output left behind keeps its pace; a stop no longer stops it. */
	released = vtty_pace_update(vp);
	buf = vtty_xmit_release_idle(vp);
	spin_unlock_irq(&vp->lock);
	kvfree(buf);
	if (released)
		vtty_wake_master_reader(vp, VTTY_POLL_DATA);
	/*
	 * A master waiting for room is woken once the tty core is done
	 * flushing (vtty_release_tty(), vtty_hangup()): woken here, between
	 * the close's two flushes, what it stored would be discarded.
	 */
	wake_up_interruptible(&vp->ctrl_wait);
}

const struct tty_port_operations vtty_port_ops = {
	.carrier_raised	= vtty_carrier_raised,
	.dtr_rts	= vtty_dtr_rts,
	.activate	= vtty_activate,
	.shutdown	= vtty_shutdown,
	.destruct	= vtty_destruct,
};

/* How many times the tty is open now (TAG_OPEN_COUNT). */
unsigned int vtty_open_count(struct vtty_port *vp)
{
	unsigned int count;

	spin_lock_irq(&vp->port.lock);
	count = vp->port.count;
	spin_unlock_irq(&vp->port.lock);
	return count;
}

/* With VTTY_FEAT_OPEN_EVENTS, tell the master how often the tty is open. */
static void vtty_open_event(struct vtty_port *vp)
{
	unsigned int count = vtty_open_count(vp);
	bool queued;

	spin_lock_irq(&vp->lock);
	queued = vtty_queue_event(vp, TAG_OPEN_COUNT, count);
	spin_unlock_irq(&vp->lock);
	if (queued)
		vtty_wake_master_reader(vp, VTTY_POLL_CTRL);
}

/*
 * A tty that an application kept open across an unplug is the one the
 * tty core opens again after the plug.  It starts from the driver's
 * settings, as the new tty of a replugged adapter would; its line
 * discipline stays.  Under the tty lock, which guards c_line.
 */
static void vtty_reset_termios(struct tty_struct *tty)
{
	struct ktermios termios = tty->driver->init_termios;

	termios.c_line = tty->termios.c_line;
	tty_set_termios(tty, &termios);
}

static int vtty_open(struct tty_struct *tty, struct file *filp)
{
	struct vtty_port *vp = tty->driver_data;
	bool stale;
	int ret;

	spin_lock_irq(&vp->lock);
	stale = vp->plugged && vp->tty_gen != vp->plug_gen;
	if (stale)
		vp->tty_gen = vp->plug_gen;
	spin_unlock_irq(&vp->lock);
	if (stale)
		vtty_reset_termios(tty);

	/*
	 * An unplugged port is refused by vtty_activate(), inside
	 * tty_port_open(): the tty core closes a failed open, and that close
	 * must find the open counted, or it unbalances port.count.
	 */
	ret = tty_port_open(tty->port, tty, filp);
	if (!ret)
		vtty_open_event(vp);
	return ret;
}

static void vtty_close(struct tty_struct *tty, struct file *filp)
{
	tty_port_close(tty->port, tty, filp);
	vtty_open_event(tty->driver_data);
}

static void vtty_hangup(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;

	tty_port_hangup(tty->port);
	/*
	 * Nobody will read what the master wrote for this session, and a
	 * master waiting for room must not wait for the application's close.
	 * What it writes meanwhile goes too, at that last close.
	 */
	vtty_rx_discard(vp, tty);
	wake_up_interruptible(&vp->ctrl_wait);
	vtty_open_event(vp);
}

static void vtty_set_termios(struct tty_struct *tty, VTTY_OLD_TERMIOS *old)
{
	struct vtty_port *vp = tty->driver_data;
	u32 baud = tty_get_baud_rate(tty);
	unsigned int old_lines;
	bool lines_queued;

	spin_lock_irq(&vp->lock);
	vtty_ktermios_to_termios2(&tty->termios, &vp->termios);
	vp->flow.crtscts = C_CRTSCTS(tty);
	old_lines = vp->lines.out;
	/* As a UART does: B0 drops DTR and RTS, leaving B0 raises them. */
	if ((old->c_cflag & CBAUD) && !C_BAUD(tty)) {
		vp->lines.out &= ~(TIOCM_DTR | TIOCM_RTS);
	} else if (!(old->c_cflag & CBAUD) && C_BAUD(tty)) {
		vp->lines.out |= TIOCM_DTR;
		if (!C_CRTSCTS(tty) || !tty_throttled(tty))
			vp->lines.out |= TIOCM_RTS;
	}
	/*
	 * TCSAFLUSH: the tty core flushed the input just before calling us
	 * (see vtty_ioctl()); the event goes ahead of the new settings.
	 */
	if (vp->saflush_task == current) {
		vp->saflush_task = NULL;
		vtty_queue_event(vp, TAG_FLUSH, VTTY_FLUSH_INPUT);
	}
	vtty_queue_termios(vp);
	lines_queued = vtty_auto_lines(vp, old_lines);
	/* Speed, character size or CRTSCTS may change the output's pace. */
	vtty_pace_set_line(vp, baud, tty->termios.c_cflag);
	spin_unlock_irq(&vp->lock);

	vtty_wake_master_reader(vp, VTTY_POLL_CTRL);
	/* CRTSCTS may have changed what stops either direction. */
	if (lines_queued || (old->c_cflag ^ tty->termios.c_cflag) & CRTSCTS)
		vtty_wake_master_writer(vp);
}

static int vtty_ioctl(struct tty_struct *tty, unsigned int cmd,
		      unsigned long arg)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned int lsr;
	u32 what = 0;
	bool queued;

	/*
	 * Every termios ioctl passes here before the tty core handles it.  A
	 * TCSAFLUSH flushes the line discipline's input right before it calls
	 * ->set_termios(), but no driver method tells it apart from TCSADRAIN
	 * there: note who asked, and let that set_termios() report the flush.
	 * A request that fails before reaching set_termios() leaves the mark
	 * stale only until the next ioctl.
	 */
	spin_lock_irq(&vp->lock);
	vp->saflush_task = cmd == TCSETSF || cmd == TCSETAF ||
			   cmd == TCSETSF2 ? current : NULL;
	spin_unlock_irq(&vp->lock);

	switch (cmd) {
	case TIOCMIWAIT:
		return vtty_wait_modem(vp, tty, arg);
	case TIOCSERGETLSR:
		/* The transmitter is empty once the master read everything. */
		spin_lock_irq(&vp->lock);
		lsr = !vtty_xmit_unread(vp) && !vp->flow.x_char ?
		      TIOCSER_TEMT : 0;
		spin_unlock_irq(&vp->lock);
		return put_user(lsr, (unsigned int __user *)arg);
	case TCFLSH:
		/*
		 * Noted here; the tty core has just discarded the flip buffer
		 * and goes on to the line discipline's input.
		 */
		if (arg == TCIFLUSH || arg == TCIOFLUSH) {
			vtty_rx_discard(vp, tty);
			what |= VTTY_FLUSH_INPUT;
		}
		if (arg == TCOFLUSH || arg == TCIOFLUSH)
			what |= VTTY_FLUSH_OUTPUT;
		if (what) {
			spin_lock_irq(&vp->lock);
			queued = vtty_queue_event(vp, TAG_FLUSH, what);
			spin_unlock_irq(&vp->lock);
			if (queued)
				vtty_wake_master_reader(vp, VTTY_POLL_CTRL);
		}
		return -ENOIOCTLCMD;
	}
	return -ENOIOCTLCMD;
}

const struct tty_operations vtty_ops = {
	.install		= vtty_install,
	.shutdown		= vtty_release_tty,
	.cleanup		= vtty_cleanup,
	.open			= vtty_open,
	.close			= vtty_close,
	.hangup			= vtty_hangup,
	.write			= vtty_write,
	.write_room		= vtty_write_room,
	.chars_in_buffer	= vtty_chars_in_buffer,
	.flush_buffer		= vtty_flush_buffer,
	.set_termios		= vtty_set_termios,
	.tiocmget		= vtty_tiocmget,
	.tiocmset		= vtty_tiocmset,
	.break_ctl		= vtty_break_ctl,
	.throttle		= vtty_throttle,
	.unthrottle		= vtty_unthrottle,
	.stop			= vtty_stop,
	.start			= vtty_start,
	.send_xchar		= vtty_send_xchar,
	.ioctl			= vtty_ioctl,
	.get_icount		= vtty_get_icount,
	.get_serial		= vtty_get_serial,
	.set_serial		= vtty_set_serial,
};
