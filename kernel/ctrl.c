// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - the control queue: packets other than output for the master
 *
 * Termios, modem, open-count and flush packets are states: when the queue
 * is full an older one merges into a newer one of its kind (see
 * vtty_queue_state()), so queueing them never fails or sleeps.  Breaks are
 * events: never merged, they wait for room instead.  The master reads the
 * queue before any output.
 *
 * Locks: the queue is under vtty_port.lock; vtty_ctrl_read() runs under
 * read_mutex and copies to userspace without the spinlock.
 */

#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "vtty_internal.h"

static_assert(VTMX_MAX_PACKET_SIZE == 1 + sizeof(struct termios2));
static_assert(VTTY_CTRL_BREAK_SLOTS_MIN >= 1);

static void vtty_ctrl_del(struct vtty_port *vp, unsigned int i)
{
	lockdep_assert_held(&vp->lock);

	memmove(&vp->ctrl.pkt[i], &vp->ctrl.pkt[i + 1],
		(vp->ctrl.count - i - 1) * sizeof(vp->ctrl.pkt[0]));
	vp->ctrl.count--;
	if (i == 0)
		vp->ctrl.seq++;
}

/*
 * How many break packets may wait unread: the rest of the queue stays free
 * for one packet of each state kind the port can queue (termios and modem;
 * with the extensions also the open count and flush events).
 */
static unsigned int vtty_break_slots(struct vtty_port *vp)
{
	unsigned int slots = VTTY_CTRL_BREAK_SLOTS;

	lockdep_assert_held(&vp->lock);

	if (vp->features & VTTY_FEAT_OPEN_EVENTS)
		slots--;
	if (vp->features & VTTY_FEAT_FLUSH_EVENTS)
		slots--;
	return slots;
}

/* Drops pkt[i], which a newer packet of its kind at pkt[j] supersedes. */
static void vtty_ctrl_supersede(struct vtty_port *vp, unsigned int i,
				unsigned int j)
{
	/* Flush events add up: the newer one carries both. */
	if (vp->ctrl.pkt[i].tag == TAG_FLUSH)
		vp->ctrl.pkt[j].value |= vp->ctrl.pkt[i].value;
	vtty_ctrl_del(vp, i);
}

/*
 * Queue a state (termios, modem, open count) or a flush event.  This never
 * fails and never sleeps: when the queue is full, an older packet is merged
 * into a newer one of its kind instead.  Only packets queued after the
 * newest break are candidates, so nothing ever moves across a break; the
 * victim is the newest queued packet of the new one's kind, or, when there
 * is none, the newest packet that a newer one of its own kind follows
 * (there is one, because breaks leave a slot per kind free behind them;
 * with only termios and modem states this is the older of the two newest).
 * The newest state of each kind is therefore always delivered, and always
 * after every break queued before it.
 */
static void vtty_queue_state(struct vtty_port *vp, const struct vtty_ctrl *c)
{
	unsigned int first, i, j;
	struct vtty_ctrl nc = *c;

	lockdep_assert_held(&vp->lock);

	if (vp->ctrl.count == VTTY_CTRL_SLOTS) {
		for (first = vp->ctrl.count; first > 0; first--)
			if (vp->ctrl.pkt[first - 1].tag == TAG_BREAK_CTL)
				break;
		for (i = vp->ctrl.count; i > first; i--)
			if (vp->ctrl.pkt[i - 1].tag == nc.tag)
				break;
		if (i > first) {
			if (nc.tag == TAG_FLUSH)
				nc.value |= vp->ctrl.pkt[i - 1].value;
			vtty_ctrl_del(vp, i - 1);
			goto add;
		}
		for (i = vp->ctrl.count - 1; i-- > first;)
			for (j = i + 1; j < vp->ctrl.count; j++)
				if (vp->ctrl.pkt[j].tag == vp->ctrl.pkt[i].tag) {
					vtty_ctrl_supersede(vp, i, j);
					goto add;
				}
		/*
		 * Only when the master enabled more kinds while breaks filled
		 * the queue: the newest packet after the breaks gives way.
		 */
		if (first == vp->ctrl.count)
			return;
		vtty_ctrl_del(vp, vp->ctrl.count - 1);
	}
add:
	vp->ctrl.pkt[vp->ctrl.count++] = nc;
}

/* Queue a TAG_OPEN_COUNT or TAG_FLUSH packet when its feature is on. */
bool vtty_queue_event(struct vtty_port *vp, u8 tag, u32 value)
{
	u32 feature = tag == TAG_FLUSH ? VTTY_FEAT_FLUSH_EVENTS :
					 VTTY_FEAT_OPEN_EVENTS;
	struct vtty_ctrl c = { .tag = tag, .value = value };

	lockdep_assert_held(&vp->lock);

	if (!(vp->features & feature))
		return false;
	vtty_queue_state(vp, &c);
	return true;
}

/* Queue the current modem state; the caller wakes the master. */
void vtty_queue_modem(struct vtty_port *vp)
{
	struct vtty_ctrl c = {
		.tag = TAG_SET_MODEM,
		.modem = vp->lines.out | vp->lines.in,
	};

	lockdep_assert_held(&vp->lock);

	vtty_queue_state(vp, &c);
}

/*
 * Queue the tty's settings; the caller wakes the master.  An spd_* alias
 * of B38400 shows as the speed it selects.
 */
void vtty_queue_termios(struct vtty_port *vp)
{
	struct vtty_ctrl c = { .tag = TAG_SET_TERMIOS, .termios = vp->termios };

	lockdep_assert_held(&vp->lock);

	vtty_spd_speed(vp, &c.termios);
	vtty_queue_state(vp, &c);
}

static bool vtty_break_room(struct vtty_port *vp, struct tty_struct *tty)
{
	bool room;

	spin_lock_irq(&vp->lock);
	room = vp->ctrl.count < vtty_break_slots(vp) || vp->master_gone;
	spin_unlock_irq(&vp->lock);
	return room || tty_io_error(tty);
}

/*
 * Break requests are events, not states, so they are never merged.  With
 * VTTY_CTRL_BREAK_SLOTS of them unread, a request waits for the master like
 * a transmitter that is still busy, but for at most VTTY_BREAK_WAIT: then
 * it fails with EBUSY and nothing is queued, so an application that floods
 * breaks at a stalled master (or at itself) neither hangs nor silently
 * loses one.  A signal, a hangup or the master going away end the wait.
 */
static int vtty_queue_break(struct vtty_port *vp, struct tty_struct *tty,
			    int state)
{
	unsigned long deadline = jiffies + VTTY_BREAK_WAIT;
	struct vtty_ctrl c = { .tag = TAG_BREAK_CTL, .brk = state };
	long left;

	for (;;) {
		spin_lock_irq(&vp->lock);
		if (vp->master_gone) {
			spin_unlock_irq(&vp->lock);
			return -EIO;
		}
		if (vp->ctrl.count < vtty_break_slots(vp)) {
			vp->ctrl.pkt[vp->ctrl.count++] = c;
			spin_unlock_irq(&vp->lock);
			vtty_wake_master_reader(vp, VTTY_POLL_CTRL);
			return 0;
		}
		spin_unlock_irq(&vp->lock);

		left = (long)(deadline - jiffies);
		if (left <= 0)
			return -EBUSY;
		left = wait_event_interruptible_timeout(vp->ctrl_wait,
							vtty_break_room(vp, tty),
							left);
		if (left < 0)
			return left;
		if (tty_io_error(tty))
			return -EIO;
	}
}

/*
 * With TTY_DRIVER_HARDWARE_BREAK the core passes the duration in ms for
 * TCSBRK/TCSBRKP, -1 for TIOCSBRK and 0 for TIOCCBRK; all go to the master.
 */
int vtty_break_ctl(struct tty_struct *tty, int state)
{
	/*
	 * TCSBRKP's n x 100 ms overflows an int for a huge n, and the core
	 * passes the wrapped, negative duration on: the packet says the
	 * longest break it can instead of a value the ABI does not have.
	 */
	if (state < -1)
		state = INT_MAX;
	return vtty_queue_break(tty->driver_data, tty, state);
}

/* Called with read_mutex held; returns 0 when no control packet waits. */
ssize_t vtty_ctrl_read(struct vtty_port *vp, char __user *buf)
{
	u8 pkt[VTMX_MAX_PACKET_SIZE];
	struct vtty_ctrl c;
	unsigned int seq;
	size_t len;

	spin_lock_irq(&vp->lock);
	if (!vp->ctrl.count) {
		spin_unlock_irq(&vp->lock);
		return 0;
	}
	c = vp->ctrl.pkt[0];
	seq = vp->ctrl.seq;
	spin_unlock_irq(&vp->lock);

	pkt[0] = c.tag;
	switch (c.tag) {
	case TAG_SET_TERMIOS:
		len = sizeof(c.termios);
		memcpy(&pkt[1], &c.termios, len);
		break;
	case TAG_SET_MODEM:
		len = sizeof(c.modem);
		memcpy(&pkt[1], &c.modem, len);
		break;
	case TAG_OPEN_COUNT:
	case TAG_FLUSH:
		len = sizeof(c.value);
		memcpy(&pkt[1], &c.value, len);
		break;
	default:
		len = sizeof(c.brk);
		memcpy(&pkt[1], &c.brk, len);
		break;
	}
	len++;
	if (copy_to_user(buf, pkt, len))
		return -EFAULT;

	/*
	 * Consume the packet unless the queue merged it away meanwhile; then
	 * the newer state that replaced it is still queued and comes next.
	 */
	spin_lock_irq(&vp->lock);
	if (vp->ctrl.seq == seq && vp->ctrl.count)
		vtty_ctrl_del(vp, 0);
	spin_unlock_irq(&vp->lock);
	return len;
}
