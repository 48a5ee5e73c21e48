// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - the master -> application path: received data
 *
 * A master write hands its bytes straight to the line discipline when
 * nothing of ours waits in the flip buffer (vtty_receive_direct()), and puts
 * what the line discipline does not take into the flip buffer, whose limit
 * bounds what the master may have outstanding (VTTY_RX_FLIP_LIMIT).  Past
 * it, a write sleeps until the flip buffer's consumer hands bytes to the
 * line discipline, which the client operations below report.  Input flow
 * control (->throttle, ->unthrottle: RTS and XOFF with the extensions) and
 * VTMX_INJECT_RX (one byte with a line condition) are here too.
 *
 * Locks: write_mutex serialises every producer into the flip buffer and
 * every reset of rx.in_flip; below it come the ldisc reference and the
 * flip buffer's lock (see the lock order in vtty_internal.h).  struct
 * vtty_rx and the flow state are under vtty_port.lock, never held while
 * the line discipline runs; everything here may sleep and takes it with
 * spin_lock_irq().
 */

#include <linux/minmax.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/tty_flip.h>
#include <linux/uaccess.h>

#include "vtty_internal.h"

static_assert(VTTY_RX_BREAK == TTY_BREAK && VTTY_RX_FRAME == TTY_FRAME &&
	      VTTY_RX_PARITY == TTY_PARITY && VTTY_RX_OVERRUN == TTY_OVERRUN);

/*
 * The flip buffer handing bytes to the line discipline is what makes room
 * for the master's writes; the tty core has no other notification for it.
 * The writer is woken on every call, even one the line discipline took
 * nothing from: the flip buffer frees a consumed buffer only on its next
 * round, just before it offers the following one, and that freed memory is
 * the room a sleeping writer waits for.
 */
static VTTY_RECV_RET vtty_port_receive_buf(struct tty_port *port,
					   const u8 *cp, const u8 *fp,
					   size_t count)
{
	struct vtty_port *vp = to_vtty_port(port);
	VTTY_RECV_RET ret;

	ret = tty_port_default_client_ops.receive_buf(port, cp, fp, count);
	spin_lock_irq(&vp->lock);
	vp->rx.in_flip -= min_t(u32, vp->rx.in_flip, ret);
	spin_unlock_irq(&vp->lock);
	vtty_wake_master_writer(vp);
	return ret;
}

#if VTTY_HAVE_LOOKAHEAD
static void vtty_port_lookahead_buf(struct tty_port *port, const u8 *cp,
				    const u8 *fp, VTTY_LOOKAHEAD_COUNT count)
{
	tty_port_default_client_ops.lookahead_buf(port, cp, fp, count);
}
#endif

static void vtty_port_write_wakeup(struct tty_port *port)
{
	tty_port_default_client_ops.write_wakeup(port);
}

const struct tty_port_client_operations vtty_client_ops = {
	.receive_buf	= vtty_port_receive_buf,
#if VTTY_HAVE_LOOKAHEAD
	.lookahead_buf	= vtty_port_lookahead_buf,
#endif
	.write_wakeup	= vtty_port_write_wakeup,
};

/*
 * With VTTY_FEAT_SW_FLOW and IXOFF, throttling sends XOFF (xoff true) and
 * unthrottling XON, ahead of the output.  Only what changes the master's
 * view goes out: when the last flow character it read already says so, a
 * pending one is withdrawn instead.  Returns whether to wake the master.
 */
static bool vtty_send_xflow(struct vtty_port *vp, struct tty_struct *tty,
			    bool xoff)
{
	lockdep_assert_held(&vp->lock);

	if (!(vp->features & VTTY_FEAT_SW_FLOW) || !I_IXOFF(tty))
		return false;
	if (vp->flow.remote_xoff == xoff) {
		vp->flow.x_char = 0;
	} else {
		vp->flow.x_char = xoff ? STOP_CHAR(tty) : START_CHAR(tty);
		vp->flow.x_flow = xoff ? VTTY_XFLOW_XOFF : VTTY_XFLOW_XON;
	}
	return true;
}

/*
 * The line discipline is nearly full.  With the flow control extensions,
 * as a UART with automatic flow control: RTS drops (CRTSCTS) and XOFF goes
 * out ahead of the output (IXOFF).
 */
void vtty_throttle(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned int old;
	bool wake;

	spin_lock_irq(&vp->lock);
	vp->flow.throttled = true;
	old = vp->lines.out;
	if ((vp->features & VTTY_FEAT_HW_FLOW) && C_CRTSCTS(tty))
		vp->lines.out &= ~TIOCM_RTS;
	wake = vtty_auto_lines(vp, old);
	wake |= vtty_send_xflow(vp, tty, true);
	spin_unlock_irq(&vp->lock);
	if (wake)
		vtty_wake_master_reader(vp, VTTY_POLL_CTRL);
}

/*
 * Room in the line discipline again.  Nothing waits for this to deliver
 * data: the line discipline itself restarts the flip buffer when it has
 * room.  But RTS rises again, and with it the master's room.
 */
void vtty_unthrottle(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned int old;
	bool wake;

	spin_lock_irq(&vp->lock);
	vp->flow.throttled = false;
	old = vp->lines.out;
	if ((vp->features & VTTY_FEAT_HW_FLOW) && C_CRTSCTS(tty) &&
	    C_BAUD(tty))
		vp->lines.out |= TIOCM_RTS;
	wake = vtty_auto_lines(vp, old);
	wake |= vtty_send_xflow(vp, tty, false);
	spin_unlock_irq(&vp->lock);
	if (wake)
		vtty_wake_master_reader(vp, VTTY_POLL_CTRL);
	vtty_wake_master_writer(vp);
}

/*
 * Room for the master's writes, in the flip buffer's own accounting: a
 * write, a poll and an injection all ask this one question, so that
 * POLLOUT means a write would store at least one byte.  There is none
 * while the tty throttles its input under CRTSCTS with VTTY_FEAT_HW_FLOW
 * (RTS is low), even when the line discipline could take bytes directly.
 */
size_t vtty_master_write_room(struct vtty_port *vp)
{
	bool rts_low;

	spin_lock_irq(&vp->lock);
	rts_low = (vp->features & VTTY_FEAT_HW_FLOW) && vp->flow.crtscts &&
		  vp->flow.throttled && vp->active_tty;
	spin_unlock_irq(&vp->lock);
	return rts_low ? 0 : tty_buffer_space_avail(&vp->port);
}

/* Whether nothing of ours waits in the flip buffer.  Under write_mutex. */
static bool vtty_flip_empty(struct vtty_port *vp)
{
	bool empty;

	spin_lock_irq(&vp->lock);
	empty = !vp->rx.in_flip;
	spin_unlock_irq(&vp->lock);
	return empty;
}

/*
 * Hands master bytes straight to the line discipline from the writer's own
 * context, as the kernel's paste_selection() does: no copy into the flip
 * buffer and, above all, no kworker between the master and the application
 * (on an SMP machine that hop is most of the cost of a round trip).  Only
 * while the flip buffer holds nothing of ours, so that nothing queued
 * earlier (the rest of a write the line discipline had no room for, an
 * injected byte, data from before the open) is overtaken, and under the
 * buffer's exclusive lock, which keeps flush_to_ldisc() out meanwhile.
 * Returns what the line discipline took: 0 when it is full or there is no
 * tty or line discipline.
 *
 * Called with write_mutex held and never with vp->lock: n_tty may echo into
 * vtty_write() and throttle through vtty_throttle(), both of which take
 * vp->lock, and it may sleep.  The ldisc reference is taken before the
 * buffer lock, the order tty_ldisc_flush() and paste_selection() use.
 */
static size_t vtty_receive_direct(struct vtty_port *vp, const u8 *p,
				  size_t count)
{
	struct tty_struct *tty;
	struct tty_ldisc *ld;
	size_t n = 0;

	tty = tty_port_tty_get(&vp->port);
	if (!tty)
		return 0;
	ld = tty_ldisc_ref(tty);
	if (ld) {
		tty_buffer_lock_exclusive(&vp->port);
		n = tty_ldisc_receive_buf(ld, p, NULL, count);
		tty_buffer_unlock_exclusive(&vp->port);
		tty_ldisc_deref(ld);
	}
	tty_kref_put(tty);
	return n;
}

/*
 * Queues bytes in the flip buffer, at most room of them, and starts its
 * delivery.  The line discipline takes them as it makes room: n_tty, once
 * full, restarts the flip buffer when the application reads, and its
 * lookahead acts on a VSTOP or VSTART among them meanwhile.  Returns what
 * was stored.  Called with write_mutex held.
 */
static size_t vtty_receive_queued(struct vtty_port *vp, const u8 *p,
				  size_t count, size_t room)
{
	size_t n = tty_insert_flip_string(&vp->port, p, min(count, room));

	if (n) {
		spin_lock_irq(&vp->lock);
		vp->rx.in_flip += n;
		spin_unlock_irq(&vp->lock);
		tty_flip_buffer_push(&vp->port);
	}
	return n;
}

/* Received bytes the tty now has, in TIOCGICOUNT's rx. */
static void vtty_count_rx(struct vtty_port *vp, size_t n)
{
	spin_lock_irq(&vp->lock);
	vp->lines.icount.rx += n;
	spin_unlock_irq(&vp->lock);
}

/*
 * Waits, without write_mutex, until the master may write again.  Returns
 * nonzero on a signal; then write_mutex is not held.
 */
static int vtty_wait_master_room(struct vtty_port *vp)
{
	mutex_unlock(&vp->write_mutex);
	if (wait_event_interruptible(vp->write_wait,
				     vtty_master_write_room(vp)))
		return -ERESTARTSYS;
	if (mutex_lock_interruptible(&vp->write_mutex))
		return -ERESTARTSYS;
	return 0;
}

/*
 * Discards received bytes the application has not read: the flip
 * buffer's and the line discipline's, and with them our count of what the
 * flip buffer holds.  The tty core flushes the flip buffer on its own too
 * (an input flush, a close, SAK) without telling the driver, which leaves
 * rx.in_flip counting bytes that are gone: every later write then goes the
 * flip buffer's way, correct but slower, until this runs.  Flushing here
 * under write_mutex is what makes the zero exact: no producer runs, and
 * flush_to_ldisc() is shut out while the buffer is emptied.
 */
void vtty_rx_discard(struct vtty_port *vp, struct tty_struct *tty)
{
	mutex_lock(&vp->write_mutex);
	tty_ldisc_flush(tty);
	spin_lock_irq(&vp->lock);
	vp->rx.in_flip = 0;
	spin_unlock_irq(&vp->lock);
	mutex_unlock(&vp->write_mutex);
	vtty_wake_master_writer(vp);
}

/*
 * The master's write(): received data for the application.  A blocking
 * write stores everything, sleeping while there is no room; a signal ends
 * it with the count stored so far, or with a restart when that is none.
 */
ssize_t vtty_master_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct vtty_port *vp = file->private_data;
	u8 small[VTTY_WRITE_SMALL];
	u8 *bounce = small;
	size_t done = 0;
	ssize_t ret = 0;

	if (!count)
		return 0;

	if (mutex_lock_interruptible(&vp->write_mutex))
		return -ERESTARTSYS;
	if (count > sizeof(small)) {
		if (!vp->rx.bounce)
			vp->rx.bounce = kmalloc(VTTY_WRITE_CHUNK, GFP_KERNEL);
		if (!vp->rx.bounce) {
			mutex_unlock(&vp->write_mutex);
			return -ENOMEM;
		}
		bounce = vp->rx.bounce;
	}
	while (done < count) {
		size_t room = vtty_master_write_room(vp);
		size_t chunk, n = 0;

		if (!room) {
			if (file->f_flags & O_NONBLOCK) {
				ret = -EAGAIN;
				break;
			}
			ret = vtty_wait_master_room(vp);
			if (ret)
				return done ? done : ret;
			continue;
		}

		chunk = min_t(size_t, count - done, VTTY_WRITE_CHUNK);
		if (copy_from_user(bounce, ubuf + done, chunk)) {
			ret = -EFAULT;
			break;
		}
		if (vtty_flip_empty(vp))
			n = vtty_receive_direct(vp, bounce, chunk);
		if (n < chunk)
			n += vtty_receive_queued(vp, bounce + n, chunk - n,
						 room);
		if (!n) {
			/* There was room, but no memory for a buffer. */
			ret = -ENOMEM;
			break;
		}
		done += n;
		vtty_count_rx(vp, n);
	}
	mutex_unlock(&vp->write_mutex);
	return done ? done : ret;
}

/*
 * The flag a UART driver would report for cond under the tty's termios.
 * The driver is TTY_DRIVER_REAL_RAW, so as serial_core's ignore and read
 * status masks do, it drops what IGNBRK/IGNPAR ignore and reports parity
 * and framing errors only with INPCK; the line discipline does the rest.
 */
static u8 vtty_rx_flag(struct tty_port *port, u8 cond, bool *drop)
{
	struct tty_struct *tty = tty_port_tty_get(port);
	tcflag_t iflag;

	*drop = false;
	if (!tty)
		return cond;
	iflag = tty->termios.c_iflag;
	tty_kref_put(tty);

	switch (cond) {
	case VTTY_RX_BREAK:
		*drop = iflag & IGNBRK;
		break;
	case VTTY_RX_FRAME:
	case VTTY_RX_PARITY:
		if (!(iflag & INPCK))
			return TTY_NORMAL;
		*drop = iflag & IGNPAR;
		break;
	case VTTY_RX_OVERRUN:
		/* Ignoring parity and breaks ignores overruns too. */
		if ((iflag & (IGNBRK | IGNPAR)) == (IGNBRK | IGNPAR))
			return TTY_NORMAL;
		break;
	}
	return cond;
}

/*
 * VTMX_INJECT_RX: one received byte with a line condition, as a UART
 * driver reports it: the byte with its TTY_* flag; an overrun is the byte
 * itself followed by a TTY_OVERRUN marker (the bytes before it were lost).
 */
int vtty_inject_rx(struct vtty_port *vp, struct file *file, u32 arg)
{
	struct tty_port *port = &vp->port;
	u8 ch = arg & 0xff, cond = (arg >> 8) & 0xff, flag;
	unsigned int stored = 0;
	bool drop;
	int ret;

	if (arg >> 16 || cond > VTTY_RX_OVERRUN)
		return -EINVAL;

	if (mutex_lock_interruptible(&vp->write_mutex))
		return -ERESTARTSYS;
	/*
	 * Room as a write means it, so that POLLOUT holds for this too.  The
	 * room is counted in the flip buffer's allocation units of 256 bytes,
	 * so any room at all fits an overrun's two characters.
	 */
	while (!vtty_master_write_room(vp)) {
		if (file->f_flags & O_NONBLOCK) {
			mutex_unlock(&vp->write_mutex);
			return -EAGAIN;
		}
		ret = vtty_wait_master_room(vp);
		if (ret)
			return ret;
	}
	flag = vtty_rx_flag(port, cond, &drop);
	if (!drop) {
		/* An overrun's byte is a good one; the marker comes after it. */
		stored = tty_insert_flip_char(port, ch, cond == VTTY_RX_OVERRUN ?
					      TTY_NORMAL : flag);
		if (stored && cond == VTTY_RX_OVERRUN && flag != TTY_NORMAL)
			stored += tty_insert_flip_char(port, 0, TTY_OVERRUN);
		if (stored) {
			spin_lock_irq(&vp->lock);
			vp->rx.in_flip += stored;
			spin_unlock_irq(&vp->lock);
			tty_flip_buffer_push(port);
		}
	}
	ret = drop || stored ? 0 : -ENOMEM;
	if (!ret) {
		spin_lock_irq(&vp->lock);
		vp->lines.icount.rx++;
		switch (cond) {
		case VTTY_RX_BREAK:
			vp->lines.icount.brk++;
			break;
		case VTTY_RX_FRAME:
			vp->lines.icount.frame++;
			break;
		case VTTY_RX_PARITY:
			vp->lines.icount.parity++;
			break;
		case VTTY_RX_OVERRUN:
			vp->lines.icount.overrun++;
			break;
		}
		spin_unlock_irq(&vp->lock);
	}
	mutex_unlock(&vp->write_mutex);
	return ret;
}
