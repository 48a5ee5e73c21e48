// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - the master -> application path: received data
 *
 * A master write goes straight into the line discipline when the flip
 * buffer is empty (vtty_receive_direct()), else into the flip buffer; the
 * tail that a full n_tty leaves over is kept back as the backlog and goes
 * ahead of the next write.  Input flow control (->throttle, ->unthrottle:
 * RTS and XOFF with the extensions) and VTMX_INJECT_RX (one byte with a
 * line condition) are here too, and the client operations through which
 * the flip buffer's consumer wakes the master's writes.
 *
 * Locks: write_mutex serialises every producer into the flip buffer and
 * guards the backlog; below it come the ldisc reference and the flip
 * buffer's lock (see the lock order in vtty_internal.h).  struct vtty_rx
 * and the flow state are under vtty_port.lock, never held while n_tty
 * runs; everything here may sleep and takes it with spin_lock_irq().
 */

#include <linux/minmax.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tty_flip.h>
#include <linux/uaccess.h>

#include "vtty_internal.h"

static_assert(VTTY_RX_BREAK == TTY_BREAK && VTTY_RX_FRAME == TTY_FRAME &&
	      VTTY_RX_PARITY == TTY_PARITY && VTTY_RX_OVERRUN == TTY_OVERRUN);

/*
 * The line discipline consuming the flip buffer is what makes room for the
 * master's writes; the tty core has no other notification for it.
 */
static VTTY_RECV_RET vtty_port_receive_buf(struct tty_port *port,
					   const u8 *cp, const u8 *fp,
					   size_t count)
{
	VTTY_RECV_RET ret;

	ret = tty_port_default_client_ops.receive_buf(port, cp, fp, count);
	if (ret)
		vtty_wake_master_writer(to_vtty_port(port));
	return ret;
}

static void vtty_port_lookahead_buf(struct tty_port *port, const u8 *cp,
				    const u8 *fp, VTTY_LOOKAHEAD_COUNT count)
{
	tty_port_default_client_ops.lookahead_buf(port, cp, fp, count);
}

static void vtty_port_write_wakeup(struct tty_port *port)
{
	tty_port_default_client_ops.write_wakeup(port);
}

const struct tty_port_client_operations vtty_client_ops = {
	.receive_buf	= vtty_port_receive_buf,
	.lookahead_buf	= vtty_port_lookahead_buf,
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

/* Room in the line discipline again: the master may write once more. */
void vtty_unthrottle(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned int old;
	bool wake;

	spin_lock_irq(&vp->lock);
	vp->flow.throttled = false;
	vp->rx.ntty_room = max_t(u32, vp->rx.ntty_room,
				 VTTY_NTTY_ROOM_UNTHROTTLED);
	/*
	 * A backlog no write waits to deliver goes after a tick, unless the
	 * master writes again first, as a streaming master does at once
	 * (see vtty_backlog_keep()).
	 */
	if (vp->rx.backlog && !vp->rx.backlog_writer && !vp->master_gone)
		mod_delayed_work(system_wq, &vp->backlog.work, 1);
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
 * Room for the master's writes: the flip buffer's, or none while the tty
 * throttles its input under CRTSCTS with VTTY_FEAT_HW_FLOW (RTS is low).
 */
size_t vtty_master_write_room(struct vtty_port *vp)
{
	bool rts_low;

	spin_lock_irq(&vp->lock);
	rts_low = (vp->features & VTTY_FEAT_HW_FLOW) && vp->flow.crtscts &&
		  vp->flow.throttled && vp->active;
	spin_unlock_irq(&vp->lock);
	return rts_low ? 0 : tty_buffer_space_avail(&vp->port);
}

/*
 * Hands master bytes straight to the line discipline from the writer's own
 * context, as the kernel's paste_selection() does: no copy into the flip
 * buffer and, above all, no kworker between the master and the application
 * (on a loaded machine that extra context switch is most of the cost of a
 * round trip and of a streamed 4 KiB).  Only while the flip buffer is empty,
 * so nothing queued earlier (a write that found the ldisc full, an injected
 * error byte, data from before the open) is overtaken, and under the
 * buffer's exclusive lock, which keeps flush_to_ldisc() out meanwhile.
 * Returns what the ldisc took, 0 when it took nothing or no ldisc is there.
 *
 * n_tty is offered no more than it is known to have room for, less one
 * byte: filled to the brim it marks itself "no room", and the
 * application's next read then wakes the flip buffer's kworker, which
 * finds nothing to do (a context switch per n_tty load for nothing).  The
 * known room is what n_tty left in tty->receive_room after the last
 * delivery, raised by an unthrottle: it only errs low, by what the
 * application read since.
 *
 * Called with write_mutex held (the only producer of the flip buffer) and
 * never with vp->lock: n_tty may echo into vtty_write() and throttle through
 * vtty_throttle(), and both take vp->lock; it may also sleep (termios_rwsem,
 * its output and throttle mutexes).  The ldisc reference is taken before
 * the buffer lock, the order tty_ldisc_flush() and paste_selection() use
 * (see the lock order in vtty_internal.h).
 */
static size_t vtty_ntty_offer(struct vtty_port *vp, size_t count)
{
	size_t offer;

	spin_lock_irq(&vp->lock);
	if (vp->rx.ntty_room > 1)
		offer = min_t(size_t, count, vp->rx.ntty_room - 1);
	else
		/* Full: wait for the unthrottle, or let n_tty say so. */
		offer = vp->flow.throttled ? 0 : count;
	spin_unlock_irq(&vp->lock);
	return offer;
}

static size_t vtty_receive_direct(struct vtty_port *vp, const u8 *p,
				  size_t count)
{
	struct tty_bufhead *buf = &vp->port.buf;
	struct tty_struct *tty;
	struct tty_ldisc *ld;
	size_t n = 0;

	tty = tty_port_tty_get(&vp->port);
	if (!tty)
		return 0;
	ld = tty_ldisc_ref(tty);
	if (ld) {
		bool ntty = ld->ops->num == N_TTY;

		if (ntty)
			count = vtty_ntty_offer(vp, count);
		tty_buffer_lock_exclusive(&vp->port);
		if (count && buf->head == buf->tail &&
		    buf->head->read == buf->head->used) {
			n = tty_ldisc_receive_buf(ld, p, NULL, count);
			if (ntty) {
				spin_lock_irq(&vp->lock);
				vp->rx.ntty_room = READ_ONCE(tty->receive_room);
				spin_unlock_irq(&vp->lock);
			}
		}
		tty_buffer_unlock_exclusive(&vp->port);
		tty_ldisc_deref(ld);
	}
	tty_kref_put(tty);
	return n;
}

/*
 * Whether a blocking write the ldisc took only part of should wait for it
 * to unthrottle.  Not under IXON: the rest goes to the flip buffer at once,
 * whose lookahead acts on a VSTOP or VSTART even while n_tty has no room.
 */
static bool vtty_rx_throttled(struct vtty_port *vp)
{
	bool throttled;

	spin_lock_irq(&vp->lock);
	throttled = vp->flow.throttled && vp->active &&
		    !(vp->termios.c_iflag & IXON);
	spin_unlock_irq(&vp->lock);
	return throttled;
}

/*
 * The ldisc took part of a blocking write and throttled: wait for it to
 * unthrottle (the application reading), so that the rest goes the direct
 * way too instead of into the flip buffer, which would then carry every
 * later write through the kworker until it drains.  Bounded, because an
 * input flush empties n_tty without unthrottling it: after the timeout the
 * rest goes into the flip buffer as before, which the flush has kicked.
 * Returns nonzero on a signal.  Called with write_mutex held; drops it
 * while waiting.
 */
static int vtty_wait_unthrottle(struct vtty_port *vp)
{
	long ret;

	mutex_unlock(&vp->write_mutex);
	ret = wait_event_interruptible_timeout(vp->write_wait,
					       !vtty_rx_throttled(vp),
					       VTTY_UNTHROTTLE_WAIT);
	if (ret < 0)
		return ret;
	return mutex_lock_interruptible(&vp->write_mutex);
}

/* Received bytes the tty now has, in TIOCGICOUNT's rx. */
static void vtty_count_rx(struct vtty_port *vp, size_t n)
{
	spin_lock_irq(&vp->lock);
	vp->lines.icount.rx += n;
	spin_unlock_irq(&vp->lock);
}

/*
 * The backlog: the tail of a blocking master write that filled the line
 * discipline.  n_tty holds 4,095 bytes, so a stream of 4 KiB writes leaves
 * a few bytes over from every write.  Handed over by themselves after the
 * application's read, they would wake it for a read of those few bytes: a
 * second round trip between the two processes for every 4 KiB.  So the
 * write keeps them back and returns, and they go into n_tty together with
 * the next write's bytes.  Whoever comes first delivers them: the master's
 * next write, ahead of its own bytes; the backlog work, a tick after the
 * application's read unthrottled n_tty with no write waiting to deliver
 * them (the tick leaves a streaming master, which writes again at once,
 * the time to do it); or the backlog work VTTY_UNTHROTTLE_WAIT after the
 * write, moving them into the flip buffer if n_tty is still full, as a
 * full ldisc did with the rest of a write before.  The backlog is always
 * younger than the flip buffer's bytes (it is kept only after a direct
 * delivery, which needs the flip buffer empty) and older than anything
 * written after it, which is why every producer delivers it first.
 * TCIFLUSH discards it with the flip buffer.
 * All under write_mutex; vp->rx.backlog mirrors backlog.len for
 * vtty_unthrottle().
 */
static void vtty_backlog_consumed(struct vtty_port *vp, size_t gone)
{
	/* A full n_tty took nothing: the common case while a stream waits. */
	if (!gone)
		return;
	vp->backlog.len -= gone;
	memmove(vp->backlog.buf, vp->backlog.buf + gone, vp->backlog.len);
	spin_lock_irq(&vp->lock);
	vp->rx.backlog = vp->backlog.len;
	spin_unlock_irq(&vp->lock);
}

/* Keeps the tail of a write back; false when there is no memory for it. */
static bool vtty_backlog_keep(struct vtty_port *vp, const u8 *p, size_t count)
{
	if (!vp->backlog.buf) {
		vp->backlog.buf = kmalloc(VTTY_WRITE_CHUNK, GFP_KERNEL);
		if (!vp->backlog.buf)
			return false;
	}
	memcpy(vp->backlog.buf, p, count);
	vp->backlog.len = count;
	spin_lock_irq(&vp->lock);
	vp->rx.backlog = true;
	spin_unlock_irq(&vp->lock);
	vtty_count_rx(vp, count);
	mod_delayed_work(system_wq, &vp->backlog.work, VTTY_UNTHROTTLE_WAIT);
	return true;
}

/* Hands the backlog to the ldisc; true when none of it is left. */
static bool vtty_backlog_to_ldisc(struct vtty_port *vp)
{
	if (vp->backlog.len)
		vtty_backlog_consumed(vp,
				      vtty_receive_direct(vp, vp->backlog.buf,
							  vp->backlog.len));
	return !vp->backlog.len;
}

/* Moves the backlog into the flip buffer; false when none of it would go. */
static bool vtty_backlog_to_flip(struct vtty_port *vp)
{
	size_t n = tty_insert_flip_string(&vp->port, vp->backlog.buf,
					  min(vp->backlog.len,
					      vtty_master_write_room(vp)));

	if (!n)
		return false;
	tty_flip_buffer_push(&vp->port);
	vtty_backlog_consumed(vp, n);
	return true;
}

/* Delivers the backlog, to the ldisc or the flip buffer; true when none is left. */
static bool vtty_backlog_deliver(struct vtty_port *vp)
{
	return vtty_backlog_to_ldisc(vp) ||
	       (vtty_backlog_to_flip(vp) && !vp->backlog.len);
}

void vtty_backlog_work(struct work_struct *work)
{
	struct vtty_port *vp = container_of(to_delayed_work(work),
					    struct vtty_port, backlog.work);

	mutex_lock(&vp->write_mutex);
	if (!vtty_backlog_deliver(vp))
		/* The flip buffer is full too: try again later. */
		mod_delayed_work(system_wq, &vp->backlog.work,
				 VTTY_UNTHROTTLE_WAIT);
	mutex_unlock(&vp->write_mutex);
}

/* An input flush: the backlog goes the way of the flip buffer's bytes. */
void vtty_backlog_discard(struct vtty_port *vp)
{
	mutex_lock(&vp->write_mutex);
	if (vp->backlog.len)
		vtty_backlog_consumed(vp, vp->backlog.len);
	mutex_unlock(&vp->write_mutex);
}

/*
 * vtty_wait_unthrottle() for a write whose backlog n_tty could not take:
 * meanwhile the unthrottle leaves it to this write.
 */
static int vtty_wait_unthrottle_backlog(struct vtty_port *vp)
{
	int ret;

	spin_lock_irq(&vp->lock);
	vp->rx.backlog_writer = true;
	spin_unlock_irq(&vp->lock);
	ret = vtty_wait_unthrottle(vp);
	spin_lock_irq(&vp->lock);
	vp->rx.backlog_writer = false;
	spin_unlock_irq(&vp->lock);
	return ret;
}

/* The master's write(): received data for the application. */
ssize_t vtty_master_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct vtty_port *vp = file->private_data;
	struct tty_port *port = &vp->port;
	u8 small[VTTY_WRITE_SMALL];
	u8 *bounce = small;
	size_t done = 0, was_pending;
	ssize_t ret = 0;
	bool nonblock = file->f_flags & O_NONBLOCK;
	bool waited = false;

	if (!count)
		return 0;

	if (count > sizeof(small)) {
		bounce = kmalloc(min_t(size_t, count, VTTY_WRITE_CHUNK),
				 GFP_KERNEL);
		if (!bounce)
			return -ENOMEM;
	}

	if (mutex_lock_interruptible(&vp->write_mutex)) {
		ret = -ERESTARTSYS;
		goto out_free;
	}
	while (done < count) {
		size_t room = vtty_master_write_room(vp);
		size_t chunk, n;

		if (!room) {
			if (nonblock) {
				ret = -EAGAIN;
				break;
			}
			mutex_unlock(&vp->write_mutex);
			ret = wait_event_interruptible(vp->write_wait,
						       vtty_master_write_room(vp));
			if (ret)
				goto out_free;
			if (mutex_lock_interruptible(&vp->write_mutex)) {
				ret = -ERESTARTSYS;
				goto out_free;
			}
			continue;
		}

		/*
		 * The backlog of an earlier write goes first.  While n_tty
		 * is full, a blocking write waits for the application to read
		 * as long as each wait ends with it taking something; after a
		 * wait in vain, it goes to the flip buffer.
		 */
		if (vp->backlog.len) {
			was_pending = vp->backlog.len;
			if (!vtty_backlog_to_ldisc(vp)) {
				if (vp->backlog.len < was_pending)
					waited = false;
				if (!nonblock && !waited &&
				    vtty_rx_throttled(vp)) {
					waited = true;
					if (vtty_wait_unthrottle_backlog(vp)) {
						ret = -ERESTARTSYS;
						goto out_free;
					}
				} else if (!vtty_backlog_to_flip(vp)) {
					ret = -ENOMEM;
					break;
				}
				continue;
			}
			waited = false;
		}

		chunk = min_t(size_t, count - done, VTTY_WRITE_CHUNK);
		if (copy_from_user(bounce, ubuf + done, chunk)) {
			ret = -EFAULT;
			break;
		}
		n = vtty_receive_direct(vp, bounce, chunk);
		if (!n && !nonblock && !waited && vtty_rx_throttled(vp)) {
			waited = true;
			if (vtty_wait_unthrottle(vp)) {
				ret = -ERESTARTSYS;
				goto out_free;
			}
			continue;
		}
		if (n) {
			waited = false;
			done += n;
			vtty_count_rx(vp, n);
			/*
			 * The ldisc is full.  A blocking write keeps the rest
			 * back (or, without memory for that, waits for the
			 * ldisc); a non-blocking one moves it into the flip
			 * buffer on the next round.
			 */
			if (n < chunk && !nonblock && vtty_rx_throttled(vp)) {
				if (vtty_backlog_keep(vp, bounce + n,
						      chunk - n)) {
					done += chunk - n;
				} else if (vtty_wait_unthrottle(vp)) {
					ret = -ERESTARTSYS;
					goto out_free;
				}
			}
			continue;
		}

		chunk = min(chunk, room);
		n = tty_insert_flip_string(port, bounce, chunk);
		if (!n) {
			/* Room was there but the buffer could not grow. */
			ret = -ENOMEM;
			break;
		}
		tty_flip_buffer_push(port);
		done += n;
		vtty_count_rx(vp, n);
	}
	mutex_unlock(&vp->write_mutex);
out_free:
	if (bounce != small)
		kfree(bounce);
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
	bool drop;
	int ret;

	if (arg >> 16 || cond > VTTY_RX_OVERRUN)
		return -EINVAL;

	if (mutex_lock_interruptible(&vp->write_mutex))
		return -ERESTARTSYS;
	/* The backlog is older: it goes first. */
	while (!vtty_backlog_deliver(vp) || vtty_master_write_room(vp) < 2) {
		mutex_unlock(&vp->write_mutex);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(vp->write_wait,
					       vtty_master_write_room(vp) >= 2);
		if (ret)
			return ret;
		if (mutex_lock_interruptible(&vp->write_mutex))
			return -ERESTARTSYS;
	}
	flag = vtty_rx_flag(port, cond, &drop);
	if (drop)
		ret = 1;
	else if (cond == VTTY_RX_OVERRUN)
		ret = tty_insert_flip_char(port, ch, TTY_NORMAL) &&
		      (flag == TTY_NORMAL ||
		       tty_insert_flip_char(port, 0, TTY_OVERRUN));
	else
		ret = tty_insert_flip_char(port, ch, flag);
	if (ret) {
		if (!drop)
			tty_flip_buffer_push(port);
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
	return ret ? 0 : -ENOMEM;
}
