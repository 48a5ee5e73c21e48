// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - modem lines, their counters and the serial info
 *
 * The application's output lines (DTR, RTS... through TIOCMSET, open,
 * close, B0) go to the master as modem packets; the master's input lines
 * (CTS, DSR, CAR, RNG through VTMX_SET_MODEM_LINES) count in the
 * async_icount, wake TIOCMIWAIT and, for CAR, open and hang up the tty.
 * TIOCGSERIAL/TIOCSSERIAL describe a 16550A; its spd_* aliases of B38400
 * select the line speed.
 *
 * Locks: struct vtty_lines under vtty_port.lock; struct vtty_serial is
 * written under tty_port.mutex and vtty_port.lock, read under either.
 * Everything here may sleep and takes vtty_port.lock with spin_lock_irq().
 */

#include <linux/capability.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>

#include "vtty_internal.h"

/*
 * The output lines changed without a TIOCM* call (open, close, B0,
 * throttling): a UART shows that on its pins, so with
 * VTTY_FEAT_MODEM_EVENTS the master gets a modem packet.
 */
bool vtty_auto_lines(struct vtty_port *vp, unsigned int old)
{
	lockdep_assert_held(&vp->lock);

	if (!(vp->features & VTTY_FEAT_MODEM_EVENTS) || vp->lines.out == old)
		return false;
	vtty_queue_modem(vp);
	return true;
}

/*
 * The old spd_* aliases of B38400 (setserial spd_hi, spd_cust...): the line
 * runs at another speed, which the packet's c_ispeed/c_ospeed then carry.
 */
void vtty_spd_speed(struct vtty_port *vp, struct termios2 *t)
{
	u32 speed;

	lockdep_assert_held(&vp->lock);

	if ((t->c_cflag & CBAUD) != B38400)
		return;
	switch (vp->serial.flags & ASYNC_SPD_MASK) {
	case ASYNC_SPD_HI:
		speed = 57600;
		break;
	case ASYNC_SPD_VHI:
		speed = 115200;
		break;
	case ASYNC_SPD_SHI:
		speed = 230400;
		break;
	case ASYNC_SPD_WARP:
		speed = 460800;
		break;
	case ASYNC_SPD_CUST:
		if (!vp->serial.custom_divisor)
			return;
		speed = vp->serial.baud_base / vp->serial.custom_divisor;
		break;
	default:
		return;
	}
	if (t->c_ispeed == t->c_ospeed)
		t->c_ispeed = speed;
	t->c_ospeed = speed;
}

VTTY_CARRIER_RET vtty_carrier_raised(struct tty_port *port)
{
	struct vtty_port *vp = to_vtty_port(port);
	bool dcd;

	spin_lock_irq(&vp->lock);
	dcd = vp->lines.in & TIOCM_CAR;
	spin_unlock_irq(&vp->lock);
	return dcd;
}

/*
 * DTR and RTS follow the port's open state as on a UART.  The master sees
 * the new levels in the next modem packet, or at once with
 * VTTY_FEAT_MODEM_EVENTS.
 */
void vtty_dtr_rts(struct tty_port *port, VTTY_DTR_RTS_ARG active)
{
	struct vtty_port *vp = to_vtty_port(port);
	unsigned int old;
	bool queued;

	spin_lock_irq(&vp->lock);
	old = vp->lines.out;
	if (active) {
		vp->lines.out |= TIOCM_DTR;
		if (!vp->flow.crtscts || !vp->flow.throttled ||
		    !(vp->features & VTTY_FEAT_HW_FLOW))
			vp->lines.out |= TIOCM_RTS;
	} else {
		vp->lines.out &= ~(TIOCM_DTR | TIOCM_RTS);
	}
	queued = vtty_auto_lines(vp, old);
	spin_unlock_irq(&vp->lock);
	if (queued)
		vtty_wake_master_reader(vp, VTTY_POLL_CTRL);
}

int vtty_tiocmget(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	int lines;

	spin_lock_irq(&vp->lock);
	lines = vp->lines.out | vp->lines.in;
	spin_unlock_irq(&vp->lock);
	return lines;
}

int vtty_tiocmset(struct tty_struct *tty, unsigned int set,
		  unsigned int clear)
{
	struct vtty_port *vp = tty->driver_data;

	spin_lock_irq(&vp->lock);
	vp->lines.out = ((vp->lines.out & ~clear) | set) & VTTY_OUTPUT_LINES;
	vtty_queue_modem(vp);
	spin_unlock_irq(&vp->lock);

	vtty_wake_master_reader(vp, VTTY_POLL_CTRL);
	return 0;
}

/*
 * DCD fell: a tty that watches carrier (-clocal) is hung up, as a UART's
 * modem-status interrupt does.  tty_hangup() queues the tty's hangup work,
 * which the tty core flushes in the final close, after ->shutdown; queued
 * any later, it would run on a freed tty.  A tty_port_tty_get() reference
 * taken before the close does not prevent that.  So the work is queued
 * only for the active tty, under the lock with which vtty_shutdown() ends
 * its activity.
 */
static void vtty_carrier_lost(struct vtty_port *vp)
{
	spin_lock_irq(&vp->lock);
	if (vp->active_tty && !(vp->termios.c_cflag & CLOCAL))
		tty_hangup(vp->active_tty);
	spin_unlock_irq(&vp->lock);
}

void vtty_set_input_lines(struct vtty_port *vp, unsigned int lines)
{
	bool released = false;
	unsigned int changed;

	lines &= VTTY_INPUT_LINES;

	spin_lock_irq(&vp->lock);
	changed = vp->lines.in ^ lines;
	vp->lines.in = lines;
	if (changed & TIOCM_CTS)
		vp->lines.icount.cts++;
	if (changed & TIOCM_DSR)
		vp->lines.icount.dsr++;
	if (changed & TIOCM_CAR)
		vp->lines.icount.dcd++;
	/* Every edge, as USB serial adapters count it, so TIOCMIWAIT wakes. */
	if (changed & TIOCM_RNG)
		vp->lines.icount.rng++;
	/* CTS stops or resumes paced output. */
	if (changed & TIOCM_CTS)
		released = vtty_pace_update(vp);
	spin_unlock_irq(&vp->lock);

	if (!changed)
		return;
	wake_up_interruptible(&vp->port.delta_msr_wait);
	/* CTS rising may restart stopped output. */
	if ((lines & changed & TIOCM_CTS) || released)
		vtty_wake_master_reader(vp, VTTY_POLL_DATA);
	if (changed & TIOCM_CAR) {
		if (lines & TIOCM_CAR)
			wake_up_interruptible(&vp->port.open_wait);
		else
			vtty_carrier_lost(vp);
	}
}

/* A modem input changed since *prev, or the port went away. */
static bool vtty_msr_changed(struct vtty_port *vp, struct tty_struct *tty,
			     unsigned long mask, struct async_icount *prev)
{
	struct async_icount now;
	bool gone;

	spin_lock_irq(&vp->lock);
	now = vp->lines.icount;
	gone = vp->master_gone;
	spin_unlock_irq(&vp->lock);

	if (gone || tty_io_error(tty) || !tty_port_initialized(&vp->port))
		return true;
	return ((mask & TIOCM_RNG) && now.rng != prev->rng) ||
	       ((mask & TIOCM_DSR) && now.dsr != prev->dsr) ||
	       ((mask & TIOCM_CAR) && now.dcd != prev->dcd) ||
	       ((mask & TIOCM_CTS) && now.cts != prev->cts);
}

/* TIOCMIWAIT: sleep until one of the lines in mask changes. */
int vtty_wait_modem(struct vtty_port *vp, struct tty_struct *tty,
		    unsigned long mask)
{
	struct async_icount prev;
	int ret;

	spin_lock_irq(&vp->lock);
	prev = vp->lines.icount;
	spin_unlock_irq(&vp->lock);

	ret = wait_event_interruptible(vp->port.delta_msr_wait,
				       vtty_msr_changed(vp, tty, mask, &prev));
	if (ret)
		return ret;
	if (READ_ONCE(vp->master_gone) || tty_io_error(tty) ||
	    !tty_port_initialized(&vp->port))
		return -EIO;
	return 0;
}

int vtty_get_icount(struct tty_struct *tty,
		    struct serial_icounter_struct *icount)
{
	struct vtty_port *vp = tty->driver_data;
	struct async_icount c;

	spin_lock_irq(&vp->lock);
	c = vp->lines.icount;
	spin_unlock_irq(&vp->lock);

	icount->cts = c.cts;
	icount->dsr = c.dsr;
	icount->rng = c.rng;
	icount->dcd = c.dcd;
	icount->rx = c.rx;
	icount->tx = c.tx;
	icount->frame = c.frame;
	icount->overrun = c.overrun;
	icount->parity = c.parity;
	icount->brk = c.brk;
	icount->buf_overrun = c.buf_overrun;
	return 0;
}

static unsigned int vtty_jiffies_to_cs(unsigned int j)
{
	return j == ASYNC_CLOSING_WAIT_NONE ? j : jiffies_to_msecs(j) / 10;
}

static unsigned int vtty_cs_to_jiffies(unsigned int cs)
{
	return cs == ASYNC_CLOSING_WAIT_NONE ? cs : msecs_to_jiffies(cs * 10);
}

int vtty_get_serial(struct tty_struct *tty, struct serial_struct *ss)
{
	struct vtty_port *vp = tty->driver_data;
	struct tty_port *port = &vp->port;

	mutex_lock(&port->mutex);
	ss->type = PORT_16550A;
	ss->line = tty->index;
	ss->flags = vp->serial.flags;
	ss->xmit_fifo_size = VTTY_FIFO_SIZE;
	ss->baud_base = vp->serial.baud_base;
	ss->custom_divisor = vp->serial.custom_divisor;
	ss->close_delay = vtty_jiffies_to_cs(port->close_delay);
	ss->closing_wait = vtty_jiffies_to_cs(port->closing_wait);
	mutex_unlock(&port->mutex);
	return 0;
}

/*
 * TIOCSSERIAL, with serial_core's rules: the "hardware" (type, port, irq,
 * FIFO) is fixed; anyone may change the ASYNC_USR_MASK flags (low latency,
 * the spd_* speed aliases of B38400) and the custom divisor; only
 * CAP_SYS_ADMIN may change baud_base, close_delay, closing_wait.
 */
int vtty_set_serial(struct tty_struct *tty, struct serial_struct *ss)
{
	struct vtty_port *vp = tty->driver_data;
	struct tty_port *port = &vp->port;
	unsigned int close_delay, closing_wait;
	u32 baud = tty_get_baud_rate(tty);
	bool speed_changed, queued = false;
	int ret = 0;

	if ((ss->type != PORT_16550A && ss->type != PORT_UNKNOWN) ||
	    ss->port || ss->port_high || ss->irq || ss->hub6 ||
	    ss->iomem_base || ss->iomem_reg_shift ||
	    (ss->xmit_fifo_size && ss->xmit_fifo_size != VTTY_FIFO_SIZE) ||
	    (ss->line >= 0 && ss->line != tty->index))
		return -EINVAL;
	if (ss->baud_base < 9600 && ss->baud_base)
		return -EINVAL;

	/* Kernel-internal flag bits are not the caller's to set. */
	ss->flags &= ASYNC_FLAGS;
	close_delay = vtty_cs_to_jiffies(ss->close_delay);
	closing_wait = vtty_cs_to_jiffies(ss->closing_wait);

	mutex_lock(&port->mutex);
	if (!capable(CAP_SYS_ADMIN) &&
	    ((ss->baud_base && ss->baud_base != vp->serial.baud_base) ||
	     close_delay != port->close_delay ||
	     closing_wait != port->closing_wait ||
	     ((ss->flags ^ vp->serial.flags) & ~ASYNC_USR_MASK))) {
		ret = -EPERM;
		goto out;
	}
	speed_changed = ((ss->flags ^ vp->serial.flags) & ASYNC_SPD_MASK) ||
			ss->custom_divisor != vp->serial.custom_divisor ||
			(ss->baud_base && ss->baud_base != vp->serial.baud_base);
	port->close_delay = close_delay;
	port->closing_wait = closing_wait;
	spin_lock_irq(&vp->lock);
	if (ss->baud_base)
		vp->serial.baud_base = ss->baud_base;
	vp->serial.custom_divisor = ss->custom_divisor;
	vp->serial.flags = ss->flags;
	/*
	 * The spd_* aliases change the line speed of a B38400 port: tell the
	 * master, as if the application had set that speed.
	 */
	if (speed_changed && (vp->termios.c_cflag & CBAUD) == B38400) {
		vtty_queue_termios(vp);
		queued = true;
	}
	vtty_pace_set_line(vp, baud, vp->termios.c_cflag);
	spin_unlock_irq(&vp->lock);
out:
	mutex_unlock(&port->mutex);
	if (queued)
		vtty_wake_master_reader(vp, VTTY_POLL_CTRL);
	return ret;
}
