// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - the output ring: what the application writes, until the master
 * reads it
 *
 * The tty methods that fill and measure the ring (->write, ->write_room,
 * ->chars_in_buffer, ->flush_buffer), output flow control (->stop,
 * ->start, ->send_xchar, CTS) and the master's read of output.  The ring
 * starts small and grows on the master's read once a stream fills it.
 *
 * Locks: struct vtty_xmit and struct vtty_flow are under vtty_port.lock.
 * The tty methods here may be called in atomic context and take it with
 * spin_lock_irqsave(); the master's read runs under read_mutex and copies
 * to userspace without the spinlock while xmit.reading is set.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "vtty_internal.h"

/*
 * Whether flow control stops the application's output (the flow control
 * extensions): CTS low with CRTSCTS, or the tty's output stopped.
 */
bool vtty_tx_stopped(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	return ((vp->features & VTTY_FEAT_HW_FLOW) && vp->flow.crtscts &&
		!(vp->lines.in & TIOCM_CTS)) ||
	       ((vp->features & VTTY_FEAT_SW_FLOW) && vp->flow.stopped);
}

/* Frees the output ring if nobody needs it; returns what to kvfree(). */
u8 *vtty_xmit_release_idle(struct vtty_port *vp)
{
	u8 *buf = NULL;

	lockdep_assert_held(&vp->lock);

	if (!vp->active_tty && !vp->xmit.reading &&
	    vp->xmit.head == vp->xmit.tail) {
		buf = vp->xmit.buf;
		vp->xmit.buf = NULL;
	}
	return buf;
}

/*
 * How much of the ring output may fill now: all of it while the master
 * streams, VTTY_XMIT_SIZE while the line is paced or flow control stops it.
 */
static u32 vtty_xmit_limit(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	return vtty_pacing(vp) || vtty_tx_stopped(vp) ? VTTY_XMIT_SIZE :
							vp->xmit.size;
}

/* Room left in the ring for the application's output; 0 without one. */
static u32 vtty_xmit_room(struct vtty_port *vp)
{
	u32 used, limit;

	lockdep_assert_held(&vp->lock);

	if (!vp->xmit.buf || vp->master_gone)
		return 0;
	used = vp->xmit.head - vp->xmit.tail;
	limit = vtty_xmit_limit(vp);
	return used < limit ? limit - used : 0;
}

/* Output the master has not read yet; 0 without a ring or a master. */
u32 vtty_xmit_unread(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	if (!vp->xmit.buf || vp->master_gone)
		return 0;
	return vp->xmit.head - (vp->xmit.discard_pending ?
				vp->xmit.discard_to : vp->xmit.tail);
}

/* May be called in atomic context and concurrently with itself. */
VTTY_WRITE_RET vtty_write(struct tty_struct *tty, const u8 *buf,
			  VTTY_WRITE_COUNT count)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	u32 n = 0, off, first;
	bool readable = false;

	if (!count)
		return 0;

	spin_lock_irqsave(&vp->lock, flags);
	if (vp->master_gone) {
		spin_unlock_irqrestore(&vp->lock, flags);
		return -EIO;
	}
	if (vp->xmit.buf) {
		n = min_t(size_t, count, vtty_xmit_room(vp));
		off = vp->xmit.head & (vp->xmit.size - 1);
		first = min_t(u32, n, vp->xmit.size - off);
		memcpy(vp->xmit.buf + off, buf, first);
		memcpy(vp->xmit.buf, buf + first, n - first);
		vp->xmit.head += n;
		if (n)
			readable = vtty_pace_queued(vp);
		/*
		 * A stream outran the small ring.  Allocating may sleep and
		 * ->write() must not, so the master's next read grows it.
		 */
		if (n < count && vp->xmit.size < VTTY_XMIT_MAX &&
		    vtty_xmit_limit(vp) == vp->xmit.size)
			vp->xmit.grow = true;
	}
	if (n < count)
		vp->xmit.wake_writers = true;
	spin_unlock_irqrestore(&vp->lock, flags);

	if (readable)
		vtty_wake_master_reader(vp, VTTY_POLL_DATA);
	return n;
}

VTTY_ROOM_RET vtty_write_room(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	unsigned int room = 0;

	spin_lock_irqsave(&vp->lock, flags);
	room = vtty_xmit_room(vp);
	/* Output is queued, or there is nowhere to put it yet. */
	if (!vp->xmit.buf || vp->xmit.head != vp->xmit.tail)
		vp->xmit.wake_writers = true;
	spin_unlock_irqrestore(&vp->lock, flags);
	return room;
}

/* What the master has not read yet (TIOCOUTQ, tcdrain). */
VTTY_ROOM_RET vtty_chars_in_buffer(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	unsigned int chars;

	spin_lock_irqsave(&vp->lock, flags);
	chars = vtty_xmit_unread(vp);
	if (chars)
		vp->xmit.wake_writers = true;
	spin_unlock_irqrestore(&vp->lock, flags);
	return chars;
}

void vtty_flush_buffer(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	if (vp->xmit.buf) {
		if (vp->xmit.reading) {
			vp->xmit.discard_to = vp->xmit.head;
			vp->xmit.discard_pending = true;
		} else {
			vp->xmit.tail = vp->xmit.head;
		}
		/* Discarded output never reaches the line; the run ends. */
		vp->xmit.avail = vp->xmit.head;
		vtty_pace_update(vp);
	}
	spin_unlock_irqrestore(&vp->lock, flags);
	tty_wakeup(tty);
}

/* ->stop() and ->start(); called under the tty's flow.lock spinlock. */
static void vtty_set_stopped(struct vtty_port *vp, bool stopped)
{
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	vp->flow.stopped = stopped;
	vtty_pace_update(vp);
	spin_unlock_irqrestore(&vp->lock, flags);
}

/* Output stopped (IXON from the master, tcflow TCOOFF). */
void vtty_stop(struct tty_struct *tty)
{
	vtty_set_stopped(tty->driver_data, true);
}

void vtty_start(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;

	vtty_set_stopped(vp, false);
	vtty_wake_master_reader(vp, VTTY_POLL_DATA);
}

/*
 * XON/XOFF from the tty layer (tcflow TCION/TCIOFF, IXOFF).  With
 * VTTY_FEAT_SW_FLOW it goes ahead of queued output; otherwise it is queued
 * behind it, as the tty core does for drivers without this method.
 */
void vtty_send_xchar(struct tty_struct *tty, VTTY_XCHAR ch)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	bool wake = false;

	spin_lock_irqsave(&vp->lock, flags);
	if (vp->master_gone) {
		/* Nobody to send it to. */
	} else if (vp->features & VTTY_FEAT_SW_FLOW) {
		vp->flow.x_char = ch;
		vp->flow.x_flow = ch == STOP_CHAR(tty) ? VTTY_XFLOW_XOFF :
				  ch == START_CHAR(tty) ? VTTY_XFLOW_XON :
				  VTTY_XFLOW_NONE;
		wake = true;
	} else if (vtty_xmit_room(vp)) {
		vp->xmit.buf[vp->xmit.head & (vp->xmit.size - 1)] = ch;
		vp->xmit.head++;
		wake = vtty_pace_queued(vp);
	}
	spin_unlock_irqrestore(&vp->lock, flags);
	if (wake)
		vtty_wake_master_reader(vp, VTTY_POLL_DATA);
}

/* Data the master may read now: an XON/XOFF, or output not stopped. */
bool vtty_data_readable(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	/* Paced output already released is on the far side of the line. */
	return vp->flow.x_char ||
	       (vp->xmit.buf && vp->xmit.avail != vp->xmit.tail &&
		(vtty_pacing(vp) || !vtty_tx_stopped(vp)));
}

/*
 * Moves the output queue to a ring of VTTY_XMIT_MAX after a stream filled
 * the small one.  Positions run freely, so every queued byte keeps its
 * position and only the mask changes.  Called with read_mutex held, so no
 * copy out of the old ring is in progress.  Without memory the small ring
 * simply stays.
 */
static void vtty_xmit_grow(struct vtty_port *vp)
{
	u8 *big, *old = NULL;
	u32 pos, len;

	big = kvmalloc(VTTY_XMIT_MAX, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);

	spin_lock_irq(&vp->lock);
	vp->xmit.grow = false;
	if (big && vp->xmit.buf && vp->xmit.size < VTTY_XMIT_MAX) {
		for (pos = vp->xmit.tail; pos != vp->xmit.head; pos += len) {
			u32 from = pos & (vp->xmit.size - 1);
			u32 to = pos & (VTTY_XMIT_MAX - 1);

			len = min3(vp->xmit.head - pos, vp->xmit.size - from,
				   VTTY_XMIT_MAX - to);
			memcpy(big + to, vp->xmit.buf + from, len);
		}
		old = vp->xmit.buf;
		vp->xmit.buf = big;
		vp->xmit.size = VTTY_XMIT_MAX;
		big = NULL;
	}
	spin_unlock_irq(&vp->lock);
	kvfree(big);
	kvfree(old);
}

/*
 * Hands the pending XON/XOFF to the master, ahead of everything, stopped
 * output or not, as on a UART.  Called with read_mutex and vp->lock held;
 * releases the lock.  The data path looks for one in the locked section it
 * takes anyway, so that the common case locks once.  The character counts as
 * read before the copy, so that a throttle or unthrottle meanwhile decides
 * against what the master is about to see.  A copy that faults puts it back,
 * unless a newer one has taken its place: a read into a bad buffer loses
 * nothing, as with every other packet.
 */
static int vtty_xchar_read(struct vtty_port *vp, char __user *buf)
	__releases(&vp->lock)
{
	bool remote_xoff;
	u8 pkt[2], x_flow;

	pkt[0] = TAG_UART_RX;
	pkt[1] = vp->flow.x_char;
	x_flow = vp->flow.x_flow;
	remote_xoff = vp->flow.remote_xoff;
	vp->flow.x_char = 0;
	if (x_flow != VTTY_XFLOW_NONE)
		vp->flow.remote_xoff = x_flow == VTTY_XFLOW_XOFF;
	vp->lines.icount.tx++;
	spin_unlock_irq(&vp->lock);

	if (!copy_to_user(buf, pkt, sizeof(pkt)))
		return sizeof(pkt);

	spin_lock_irq(&vp->lock);
	vp->lines.icount.tx--;
	if (!vp->flow.x_char) {
		vp->flow.x_char = pkt[1];
		vp->flow.x_flow = x_flow;
		vp->flow.remote_xoff = remote_xoff;
	}
	spin_unlock_irq(&vp->lock);
	return -EFAULT;
}

/*
 * Called with read_mutex held; returns 0 when no output waits.  *wake says
 * whether the tty's writers have to be told about the room made.
 */
ssize_t vtty_xmit_read(struct vtty_port *vp, char __user *buf, size_t count,
		       bool *wake)
{
	u32 tail, n, off, first, size;
	u8 *xmit, *idle;
	int ret = 0;

	if (READ_ONCE(vp->xmit.grow))
		vtty_xmit_grow(vp);

	spin_lock_irq(&vp->lock);
	if (unlikely(vp->flow.x_char))
		return vtty_xchar_read(vp, buf);
	xmit = vp->xmit.buf;
	size = vp->xmit.size;
	n = xmit && (vtty_pacing(vp) || !vtty_tx_stopped(vp)) ?
	    vp->xmit.avail - vp->xmit.tail : 0;
	if (!n) {
		spin_unlock_irq(&vp->lock);
		return 0;
	}
	n = min_t(size_t, n, count - 1);
	tail = vp->xmit.tail;
	vp->xmit.reading = true;
	spin_unlock_irq(&vp->lock);

	/* While reading is set, the ring stays and [tail, tail + n) is ours. */
	off = tail & (size - 1);
	first = min_t(u32, n, size - off);
	if (put_user((u8)TAG_UART_RX, buf) ||
	    copy_to_user(buf + 1, xmit + off, first) ||
	    copy_to_user(buf + 1 + first, xmit, n - first))
		ret = -EFAULT;

	spin_lock_irq(&vp->lock);
	vp->xmit.reading = false;
	if (vp->xmit.discard_pending)
		vp->xmit.tail = vp->xmit.discard_to;
	else if (!ret)
		vp->xmit.tail = tail + n;
	vp->xmit.discard_pending = false;
	if (!ret)
		vp->lines.icount.tx += n;
	*wake = vp->xmit.wake_writers;
	vp->xmit.wake_writers = false;
	idle = vtty_xmit_release_idle(vp);
	spin_unlock_irq(&vp->lock);
	kvfree(idle);

	/* Not ?: here: with n unsigned, -EFAULT would become a huge count. */
	if (ret)
		return ret;
	return n + 1;
}
