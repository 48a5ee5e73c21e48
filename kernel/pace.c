// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - line-rate pacing (VTTY_FEAT_LINE_RATE)
 *
 * Output reaches the master no faster than the termios' line would carry
 * it: the ring's [tail, avail) is on the far side of the line, [avail,
 * head) still waits for it.  An hrtimer moves avail as the line time of
 * each character ends; flow control stops the line, and B0 (no line)
 * releases output unpaced.
 *
 * Locks: struct vtty_pace and xmit.avail are under vtty_port.lock.  The
 * timer's callback runs in hard interrupt context and takes the lock with
 * spin_lock_irqsave(); nobody cancels the timer synchronously under it.
 */

#include <linux/math64.h>

#include "vtty_internal.h"

bool vtty_pacing(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	return (vp->features & VTTY_FEAT_LINE_RATE) && vp->pace.baud &&
	       !vp->master_gone;
}

/* Line time of chars characters, in ns, rounded down. */
static u64 vtty_pace_ns(struct vtty_port *vp, u64 chars)
{
	return mul_u64_u64_div_u64(chars, (u64)vp->pace.half_bits * NSEC_PER_SEC,
				   2ULL * vp->pace.baud);
}

/*
 * Releases to the master every character whose line time has ended by now,
 * starts a run when output waits on an idle line, and stops the run when
 * the line empties or flow control stops it.  After a stop a new run
 * starts: the character that was on the line when the stop began takes a
 * full character time again (at most one character time later than a
 * UART that finishes it first).  Returns when the next release is due, or
 * 0 when no timer is needed.
 */
static ktime_t vtty_pace_run(struct vtty_port *vp, ktime_t now)
{
	u32 pending;
	u64 done = 0;
	ktime_t next;

	lockdep_assert_held(&vp->lock);

	if (!vtty_pacing(vp) || !vp->xmit.buf) {
		vp->xmit.avail = vp->xmit.head;
		vp->pace.running = false;
		return 0;
	}
	pending = vp->xmit.head - vp->xmit.avail;
	if (vp->pace.running && ktime_after(now, vp->pace.start)) {
		done = mul_u64_u64_div_u64(ktime_to_ns(ktime_sub(now, vp->pace.start)),
					   2ULL * vp->pace.baud,
					   (u64)vp->pace.half_bits * NSEC_PER_SEC);
		done = done > vp->pace.sent ?
		       min_t(u64, done - vp->pace.sent, pending) : 0;
		vp->xmit.avail += done;
		vp->pace.sent += done;
		pending -= done;
	}
	if (!pending || vtty_tx_stopped(vp)) {
		vp->pace.running = false;
		return 0;
	}
	if (!vp->pace.running) {
		vp->pace.running = true;
		vp->pace.start = now;
		vp->pace.sent = 0;
	}
	/* The next character ends within this nanosecond. */
	next = ktime_add_ns(vp->pace.start,
			    vtty_pace_ns(vp, vp->pace.sent + 1) + 1);
	return ktime_after(next, ktime_add_ns(now, VTTY_PACE_TICK_NS)) ? next :
	       ktime_add_ns(now, VTTY_PACE_TICK_NS);
}

/*
 * Brings pacing up to date after anything it depends on changed and
 * (re)arms or stops the timer.  Never waits for the callback, which takes
 * the same lock.  Returns whether output became readable.
 */
bool vtty_pace_update(struct vtty_port *vp)
{
	u32 avail = vp->xmit.avail;
	ktime_t next;

	lockdep_assert_held(&vp->lock);

	next = vtty_pace_run(vp, ktime_get());
	if (next)
		hrtimer_start(&vp->pace.timer, next, HRTIMER_MODE_ABS);
	else
		hrtimer_try_to_cancel(&vp->pace.timer);
	return avail != vp->xmit.avail;
}

static enum hrtimer_restart vtty_pace_timer(struct hrtimer *timer)
{
	struct vtty_port *vp = container_of(timer, struct vtty_port, pace.timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	unsigned long flags;
	bool released;
	ktime_t next;
	u32 avail;

	spin_lock_irqsave(&vp->lock, flags);
	/* Re-armed while we waited for the lock: that expiry does the work. */
	if (hrtimer_is_queued(timer)) {
		spin_unlock_irqrestore(&vp->lock, flags);
		return HRTIMER_NORESTART;
	}
	avail = vp->xmit.avail;
	next = vtty_pace_run(vp, ktime_get());
	if (next) {
		hrtimer_set_expires(timer, next);
		ret = HRTIMER_RESTART;
	}
	released = avail != vp->xmit.avail;
	spin_unlock_irqrestore(&vp->lock, flags);

	if (released)
		vtty_wake_master_reader(vp, VTTY_POLL_DATA);
	return ret;
}

/*
 * The line settings pacing follows: the speed the tty core computed for
 * the termios (B0 gives 0: no line, no pacing), or the one an spd_* alias
 * of B38400 selects, and the bits of a character as tty_get_frame_size()
 * counts them, except 1.5 stop bits for 5 data bits with CSTOPB, as on a
 * 16550.  A change applies from the character on the line: what ended
 * before it stays released, that character restarts at the new rate.
 * Returns whether output became readable.
 */
bool vtty_pace_set_line(struct vtty_port *vp, u32 baud, tcflag_t cflag)
{
	struct termios2 t = {
		.c_cflag = cflag, .c_ispeed = baud, .c_ospeed = baud,
	};
	u32 avail = vp->xmit.avail, half_bits;

	lockdep_assert_held(&vp->lock);

	vtty_spd_speed(vp, &t);
	/*
	 * ADDRB (the address bit of RS-485 9-bit addressing) is one more bit
	 * on the line, and tty_get_frame_size() counts it: so does pacing.
	 * The tty core lets only ->rs485_config() change ADDRB, which a vtty
	 * port has none of, so today it is never set here.
	 */
	half_bits = 2 * vtty_frame_size(cflag);
	if ((cflag & CSIZE) == CS5 && (cflag & CSTOPB))
		half_bits--;

	if (t.c_ospeed != vp->pace.baud || half_bits != vp->pace.half_bits) {
		vtty_pace_run(vp, ktime_get());
		if (vp->pace.running) {
			vp->pace.start = ktime_add_ns(vp->pace.start,
						      vtty_pace_ns(vp, vp->pace.sent));
			vp->pace.sent = 0;
		}
		vp->pace.baud = t.c_ospeed;
		vp->pace.half_bits = half_bits;
	}
	vtty_pace_update(vp);
	return avail != vp->xmit.avail;
}

/* New output in the ring: start a run unless one is going. */
bool vtty_pace_queued(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	if (!vtty_pacing(vp)) {
		vp->xmit.avail = vp->xmit.head;
		return true;
	}
	if (vp->pace.running)
		return false;
	return vtty_pace_update(vp);
}

void vtty_pace_init(struct vtty_port *vp)
{
	vtty_hrtimer_setup(&vp->pace.timer, vtty_pace_timer, CLOCK_MONOTONIC,
			   HRTIMER_MODE_ABS);
}
