// SPDX-License-Identifier: GPL-2.0
/*
 * vtty - virtual serial ports whose hardware side is a userspace program
 *
 * Each open of the misc device /dev/vtmx (the "master") creates a serial
 * port /dev/ttyV<n>.  What the application writes to the port is read from
 * vtmx as packets, together with what a UART driver would program into the
 * hardware (termios, modem control lines, break); what the master writes to
 * vtmx is received data on the port.  The wire format is in vtty.h and
 * docs/protocol.md.
 *
 * Lifetime: struct vtty_port embeds a tty_port and lives exactly as long as
 * the tty_port's reference count.  The master file holds one reference, an
 * installed tty_struct holds another (taken in ->install, dropped in
 * ->cleanup), and the final put removes the index from the IDR, so a port
 * number is reused only once both sides are gone.
 *
 * Locking, outermost first:
 *   tty core locks (tty_mutex, tty lock) -> tty_port.mutex -> write_mutex;
 *   tty_port.mutex or read_mutex -> vtty_port.lock (always innermost);
 *   tty_mutex -> vtty_idr_mutex.  vtty_port.lock is a spinlock taken with
 *   interrupts off, because the tty ->write() method may be called from
 *   atomic context.  Nothing sleeps or copies to/from userspace under it.
 *
 * Output the application wrote stays readable by the master after the
 * application closes, as with a pty: a close never waits for the master
 * (closing_wait is NONE) and loses nothing.  A hangup discards it, as on a
 * UART.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/serial.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/termios.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_flip.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/wait.h>

#include "vtty.h"

/*
 * VTTY_KERNEL_AT_LEAST(major, minor) is LINUX_VERSION_CODE >=
 * KERNEL_VERSION(major, minor, 0); Kbuild defines it so that the version
 * tests below stay at the exact API boundaries they shim.
 */
#ifndef VTTY_KERNEL_AT_LEAST
#error "build vtty through its Kbuild file"
#endif

#if !VTTY_KERNEL_AT_LEAST(6, 1)
#error "vtty needs Linux 6.1 or later"
#endif

/* Linux 6.6 made the tty write and flip-buffer receive paths u8/size_t. */
#if VTTY_KERNEL_AT_LEAST(6, 6)
#define VTTY_WRITE_RET		ssize_t
#define VTTY_WRITE_COUNT	size_t
#define VTTY_RECV_RET		size_t
#define VTTY_LOOKAHEAD_COUNT	size_t
#define VTTY_XCHAR		u8
#else
#define VTTY_WRITE_RET		int
#define VTTY_WRITE_COUNT	int
#define VTTY_RECV_RET		int
#define VTTY_LOOKAHEAD_COUNT	unsigned int
#define VTTY_XCHAR		char
#endif

/* Linux 6.3 made carrier_raised() return bool and dtr_rts() take a bool. */
#if VTTY_KERNEL_AT_LEAST(6, 3)
#define VTTY_CARRIER_RET	bool
#define VTTY_DTR_RTS_ARG	bool
#else
#define VTTY_CARRIER_RET	int
#define VTTY_DTR_RTS_ARG	int
#endif

/*
 * Output queue between the application and the master (powers of two).
 * Every open port starts with VTTY_XMIT_SIZE: an idle one costs struct
 * vtty_port plus 8 KiB, and that still holds two of the application's
 * 4 KiB writes while the master reads the previous one.  When a stream
 * fills it anyway, the master's next read moves the queue to a ring of
 * VTTY_XMIT_MAX, so that one read of the master can carry up to eight
 * times as much; it stays until the tty's last close.
 * While output is paced or held by flow control only VTTY_XMIT_SIZE of it
 * is taken, as a UART's fixed buffer would: tcdrain() and a close stay as
 * short as they were.
 */
#define VTTY_XMIT_SIZE		SZ_8K
#define VTTY_XMIT_MAX		SZ_64K
/* Largest bounce buffer for one step of a master write. */
#define VTTY_WRITE_CHUNK	SZ_4K
/* Master writes up to this size bounce through the stack, not kmalloc. */
#define VTTY_WRITE_SMALL	256
/*
 * Control packets waiting for the master.  Break packets may fill all but
 * two slots, so that one termios and one modem state always fit after the
 * newest break (see vtty_queue_state()).
 */
#define VTTY_CTRL_SLOTS		16
#define VTTY_CTRL_BREAK_SLOTS	(VTTY_CTRL_SLOTS - 2)
/* With both extra state kinds enabled (see vtty_break_slots()). */
#define VTTY_CTRL_BREAK_SLOTS_MIN	(VTTY_CTRL_SLOTS - 4)
/* Longest a break request waits for the master to make room. */
#define VTTY_BREAK_WAIT		HZ
/*
 * Longest a blocking master write waits for a full ldisc to unthrottle, and
 * longest the bytes a write held back wait for someone to deliver them.
 */
#define VTTY_UNTHROTTLE_WAIT	(HZ / 20)
/*
 * n_tty's room when empty (its ring keeps one slot free), and at the least
 * when it unthrottles (at most TTY_THRESHOLD_UNTHROTTLE bytes left in it).
 */
#define VTTY_NTTY_ROOM_EMPTY		(N_TTY_BUF_SIZE - 1)
#define VTTY_NTTY_ROOM_UNTHROTTLED	(VTTY_NTTY_ROOM_EMPTY - 128)

#define VTTY_MAX_PORTS_LIMIT	16384

#define VTTY_OUTPUT_LINES	(TIOCM_DTR | TIOCM_RTS | TIOCM_OUT1 | \
				 TIOCM_OUT2 | TIOCM_LOOP)
#define VTTY_INPUT_LINES	(TIOCM_CTS | TIOCM_DSR | TIOCM_CAR | TIOCM_RNG)

#define VTTY_FEATURES		(VTTY_FEAT_MODEM_EVENTS | VTTY_FEAT_HW_FLOW | \
				 VTTY_FEAT_SW_FLOW | VTTY_FEAT_OPEN_EVENTS | \
				 VTTY_FEAT_FLUSH_EVENTS | VTTY_FEAT_LINE_RATE)

/*
 * Line-rate pacing releases output at least this far apart, so that a fast
 * line hands the master chunks instead of a timer interrupt per character.
 */
#define VTTY_PACE_TICK_NS	NSEC_PER_MSEC

/* What TIOCGSERIAL reports: a 16550A clocked at 1.8432 MHz. */
#define VTTY_FIFO_SIZE		16
#define VTTY_BAUD_BASE		115200
#define VTTY_SERIAL_FLAGS	ASYNC_SKIP_TEST

static_assert(VTMX_MAX_PACKET_SIZE == 1 + sizeof(struct termios2));
static_assert(VTTY_CTRL_BREAK_SLOTS_MIN >= 1);
static_assert(VTTY_RX_BREAK == TTY_BREAK && VTTY_RX_FRAME == TTY_FRAME &&
	      VTTY_RX_PARITY == TTY_PARITY && VTTY_RX_OVERRUN == TTY_OVERRUN);

/* What a pending x_char tells the master. */
#define VTTY_XFLOW_NONE		0
#define VTTY_XFLOW_XOFF		1
#define VTTY_XFLOW_XON		2

static unsigned int max_ports = 1024;
module_param(max_ports, uint, 0444);
MODULE_PARM_DESC(max_ports, "Maximum number of ttyV ports (1-16384, default 1024)");

struct vtty_ctrl {
	u8 tag;
	union {
		struct termios2 termios;
		u32 modem;
		s32 brk;
		u32 value;	/* TAG_OPEN_COUNT, TAG_FLUSH */
	};
};

/* Line event counters, kept in the shape of struct serial_icounter_struct. */
struct vtty_icount {
	u32 cts, dsr, rng, dcd;
	u32 rx, tx;
	u32 frame, overrun, parity, brk;
	u32 buf_overrun;
};

struct vtty_port {
	struct tty_port port;
	int index;			/* ttyV<index>, -1 until allocated */
	bool registered;		/* the /dev node exists */

	/* Protects every field from here to the mutexes. */
	spinlock_t lock;
	bool master_gone;		/* vtmx closed: refuse opens, drop output */

	/*
	 * Application output not yet read by the master.  head and tail run
	 * freely and are masked on use.  The tty ->write() fills the ring
	 * under the lock; the master copies out of [tail, head) without the
	 * lock while xmit_reading is set, and commits by moving tail
	 * afterwards.  A flush while the master copies cannot move tail under
	 * it, so it records where the flush ends instead.  The ring exists
	 * while the tty is active or holds unread output; whoever finds it
	 * idle and empty frees it, but never while xmit_reading is set.
	 */
	bool active;			/* between ->activate and ->shutdown */
	u8 *xmit;
	u32 xmit_size;			/* of the ring at xmit */
	bool xmit_grow;			/* a stream filled it: enlarge it */
	u32 xmit_head;
	u32 xmit_tail;
	u32 xmit_flush_to;
	bool xmit_reading;
	bool xmit_flush_pending;
	/*
	 * Line-rate pacing (VTTY_FEAT_LINE_RATE): [tail, avail) has been
	 * "transmitted" and the master may read it; [avail, head) is still
	 * queued for the line.  Without pacing avail follows head.  A run is
	 * a stretch of back-to-back characters: character k of the run (k
	 * from 0) ends pace_start + (k + 1) character times in, so released
	 * counts come from the elapsed time, never from summed rounded ticks.
	 * pace_timer's callback runs in hard interrupt context and takes the
	 * lock with interrupts off like everyone else.
	 */
	u32 xmit_avail;
	bool pace_running;		/* a run is on the line */
	ktime_t pace_start;		/* when the run's first character began */
	u64 pace_sent;			/* characters of the run released */
	u32 pace_baud;			/* line speed; 0 (B0) means no pacing */
	u32 pace_half_bits;		/* line time of a character, in half bits */
	struct hrtimer pace_timer;
	/*
	 * Someone on the tty side saw output still queued (a short write, a
	 * poll, tcdrain, a full write_room): the master's next read must
	 * wake the tty's writers.  Reads skip the wakeup otherwise.
	 */
	bool xmit_wake;

	/* Control packets, oldest first. */
	struct vtty_ctrl ctrl[VTTY_CTRL_SLOTS];
	unsigned int ctrl_count;
	unsigned int ctrl_seq;		/* bumped whenever ctrl[0] changes */

	unsigned int mctrl_out;		/* application outputs (DTR, RTS...) */
	unsigned int mctrl_in;		/* master inputs (CTS, DSR, CAR, RNG) */
	struct vtty_icount icount;

	u32 features;			/* VTTY_FEAT_* the master enabled */
	struct termios2 termios;	/* the tty's settings, for REQUEST_STATE */
	bool crtscts;			/* C_CRTSCTS of the attached tty */
	bool tx_stopped;		/* ->stop() without ->start() since */
	bool rx_throttled;		/* ->throttle() without ->unthrottle() */
	u32 ntty_room;			/* n_tty has at least this much room */
	bool held;			/* held_len is not 0 */
	bool held_writer_waits;		/* a master write will deliver them */
	u8 x_char;			/* XON/XOFF to send ahead of output */
	u8 x_flow;			/* what x_char means: VTTY_XFLOW_* */
	bool remote_xoff;		/* the master's last flow char was XOFF */
	/* Issued TCSETSF/TCSETSF2/TCSETAF and not yet reached set_termios. */
	const struct task_struct *saflush_task;

	/* TIOCGSERIAL state; under tty_port.mutex. */
	u32 serial_flags;		/* ASYNC_* */
	u32 baud_base;
	u32 custom_divisor;

	/* Serialises master readers. */
	struct mutex read_mutex;
	/* Serialises producers into the port's flip buffer. */
	struct mutex write_mutex;
	/*
	 * The tail of a blocking master write that found the line discipline
	 * full (see vtty_hold()); under write_mutex.  The buffer holds up to
	 * VTTY_WRITE_CHUNK bytes and is allocated on first use.
	 */
	u8 *held_buf;
	size_t held_len;
	struct delayed_work held_work;

	wait_queue_head_t read_wait;	/* master: a packet is queued */
	wait_queue_head_t write_wait;	/* master: room in the flip buffer */
	wait_queue_head_t ctrl_wait;	/* application: room for a break */
};

static struct tty_driver *vtty_driver;

/* Maps a port index to its vtty_port; entries leave in ->destruct(). */
static DEFINE_IDR(vtty_idr);
/* Protects vtty_idr. */
static DEFINE_MUTEX(vtty_idr_mutex);

static struct vtty_port *to_vtty_port(struct tty_port *port)
{
	return container_of(port, struct vtty_port, port);
}

static void vtty_wake_master_reader(struct vtty_port *vp, __poll_t events)
{
	/* Pairs with the barrier in prepare_to_wait() / poll_wait() users. */
	if (wq_has_sleeper(&vp->read_wait))
		wake_up_interruptible_poll(&vp->read_wait, events);
}

static void vtty_wake_master_writer(struct vtty_port *vp)
{
	if (wq_has_sleeper(&vp->write_wait))
		wake_up_interruptible_poll(&vp->write_wait,
					   EPOLLOUT | EPOLLWRNORM);
}

/* ---- control packet queue ---------------------------------------------- */

static void vtty_ctrl_del(struct vtty_port *vp, unsigned int i)
{
	lockdep_assert_held(&vp->lock);

	memmove(&vp->ctrl[i], &vp->ctrl[i + 1],
		(vp->ctrl_count - i - 1) * sizeof(vp->ctrl[0]));
	vp->ctrl_count--;
	if (i == 0)
		vp->ctrl_seq++;
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

/* Drops ctrl[i], which a newer packet of its kind at ctrl[j] supersedes. */
static void vtty_ctrl_supersede(struct vtty_port *vp, unsigned int i,
				unsigned int j)
{
	/* Flush events add up: the newer one carries both. */
	if (vp->ctrl[i].tag == TAG_FLUSH)
		vp->ctrl[j].value |= vp->ctrl[i].value;
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

	if (vp->ctrl_count == VTTY_CTRL_SLOTS) {
		for (first = vp->ctrl_count; first > 0; first--)
			if (vp->ctrl[first - 1].tag == TAG_BREAK_CTL)
				break;
		for (i = vp->ctrl_count; i > first; i--)
			if (vp->ctrl[i - 1].tag == nc.tag)
				break;
		if (i > first) {
			if (nc.tag == TAG_FLUSH)
				nc.value |= vp->ctrl[i - 1].value;
			vtty_ctrl_del(vp, i - 1);
			goto add;
		}
		for (i = vp->ctrl_count - 1; i-- > first;)
			for (j = i + 1; j < vp->ctrl_count; j++)
				if (vp->ctrl[j].tag == vp->ctrl[i].tag) {
					vtty_ctrl_supersede(vp, i, j);
					goto add;
				}
		/*
		 * Only when the master enabled more kinds while breaks filled
		 * the queue: the newest packet after the breaks gives way.
		 */
		if (first == vp->ctrl_count)
			return;
		vtty_ctrl_del(vp, vp->ctrl_count - 1);
	}
add:
	vp->ctrl[vp->ctrl_count++] = nc;
}

/* Queue a TAG_OPEN_COUNT or TAG_FLUSH packet when its feature is on. */
static bool vtty_queue_event(struct vtty_port *vp, u8 tag, u32 value)
{
	u32 feature = tag == TAG_FLUSH ? VTTY_FEAT_FLUSH_EVENTS :
					 VTTY_FEAT_OPEN_EVENTS;
	struct vtty_ctrl c;

	lockdep_assert_held(&vp->lock);

	if (!(vp->features & feature))
		return false;
	memset(&c, 0, sizeof(c));
	c.tag = tag;
	c.value = value;
	vtty_queue_state(vp, &c);
	return true;
}

/* Queue the current modem state; the caller wakes the master. */
static void vtty_queue_modem(struct vtty_port *vp)
{
	struct vtty_ctrl c;

	lockdep_assert_held(&vp->lock);

	memset(&c, 0, sizeof(c));
	c.tag = TAG_SET_MODEM;
	c.modem = vp->mctrl_out | vp->mctrl_in;
	vtty_queue_state(vp, &c);
}

/*
 * The output lines changed without a TIOCM* call (open, close, B0,
 * throttling): a UART shows that on its pins, so with
 * VTTY_FEAT_MODEM_EVENTS the master gets a modem packet.
 */
static bool vtty_auto_lines(struct vtty_port *vp, unsigned int old)
{
	lockdep_assert_held(&vp->lock);

	if (!(vp->features & VTTY_FEAT_MODEM_EVENTS) || vp->mctrl_out == old)
		return false;
	vtty_queue_modem(vp);
	return true;
}

static bool vtty_break_room(struct vtty_port *vp, struct tty_struct *tty)
{
	unsigned long flags;
	bool room;

	spin_lock_irqsave(&vp->lock, flags);
	room = vp->ctrl_count < vtty_break_slots(vp) || vp->master_gone;
	spin_unlock_irqrestore(&vp->lock, flags);
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
	struct vtty_ctrl c;
	long left;

	memset(&c, 0, sizeof(c));
	c.tag = TAG_BREAK_CTL;
	c.brk = state;

	for (;;) {
		spin_lock_irq(&vp->lock);
		if (vp->master_gone) {
			spin_unlock_irq(&vp->lock);
			return -EIO;
		}
		if (vp->ctrl_count < vtty_break_slots(vp)) {
			vp->ctrl[vp->ctrl_count++] = c;
			spin_unlock_irq(&vp->lock);
			vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM |
						EPOLLPRI);
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

static void vtty_ktermios_to_termios2(const struct ktermios *kt,
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

/*
 * The old spd_* aliases of B38400 (setserial spd_hi, spd_cust...): the line
 * runs at another speed, which the packet's c_ispeed/c_ospeed then carry.
 */
static void vtty_spd_speed(struct vtty_port *vp, struct termios2 *t)
{
	u32 speed;

	lockdep_assert_held(&vp->lock);

	if ((t->c_cflag & CBAUD) != B38400)
		return;
	switch (vp->serial_flags & ASYNC_SPD_MASK) {
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
		if (!vp->custom_divisor)
			return;
		speed = vp->baud_base / vp->custom_divisor;
		break;
	default:
		return;
	}
	if (t->c_ispeed == t->c_ospeed)
		t->c_ispeed = speed;
	t->c_ospeed = speed;
}

/* ---- line-rate pacing (VTTY_FEAT_LINE_RATE) ------------------------------ */

static bool vtty_tx_held(struct vtty_port *vp);
static void vtty_held_work(struct work_struct *work);
static void vtty_drop_held(struct vtty_port *vp);

static bool vtty_pacing(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	return (vp->features & VTTY_FEAT_LINE_RATE) && vp->pace_baud &&
	       !vp->master_gone;
}

/* Line time of chars characters, in ns, rounded down. */
static u64 vtty_pace_ns(struct vtty_port *vp, u64 chars)
{
	return mul_u64_u64_div_u64(chars, (u64)vp->pace_half_bits * NSEC_PER_SEC,
				   2ULL * vp->pace_baud);
}

/*
 * Releases to the master every character whose line time has ended by now,
 * starts a run when output waits on an idle line, and stops the run when
 * the line empties or flow control holds it.  After a hold a new run
 * starts: the character that was on the line when the hold began takes a
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

	if (!vtty_pacing(vp) || !vp->xmit) {
		vp->xmit_avail = vp->xmit_head;
		vp->pace_running = false;
		return 0;
	}
	pending = vp->xmit_head - vp->xmit_avail;
	if (vp->pace_running && ktime_after(now, vp->pace_start)) {
		done = mul_u64_u64_div_u64(ktime_to_ns(ktime_sub(now, vp->pace_start)),
					   2ULL * vp->pace_baud,
					   (u64)vp->pace_half_bits * NSEC_PER_SEC);
		done = done > vp->pace_sent ?
		       min_t(u64, done - vp->pace_sent, pending) : 0;
		vp->xmit_avail += done;
		vp->pace_sent += done;
		pending -= done;
	}
	if (!pending || vtty_tx_held(vp)) {
		vp->pace_running = false;
		return 0;
	}
	if (!vp->pace_running) {
		vp->pace_running = true;
		vp->pace_start = now;
		vp->pace_sent = 0;
	}
	/* The next character ends within this nanosecond. */
	next = ktime_add_ns(vp->pace_start,
			    vtty_pace_ns(vp, vp->pace_sent + 1) + 1);
	return ktime_after(next, ktime_add_ns(now, VTTY_PACE_TICK_NS)) ? next :
	       ktime_add_ns(now, VTTY_PACE_TICK_NS);
}

/*
 * Brings pacing up to date after anything it depends on changed and
 * (re)arms or stops the timer.  Never waits for the callback, which takes
 * the same lock.  Returns whether output became readable.
 */
static bool vtty_pace_update(struct vtty_port *vp)
{
	u32 avail = vp->xmit_avail;
	ktime_t next;

	lockdep_assert_held(&vp->lock);

	next = vtty_pace_run(vp, ktime_get());
	if (next)
		hrtimer_start(&vp->pace_timer, next, HRTIMER_MODE_ABS);
	else
		hrtimer_try_to_cancel(&vp->pace_timer);
	return avail != vp->xmit_avail;
}

static enum hrtimer_restart vtty_pace_timer(struct hrtimer *timer)
{
	struct vtty_port *vp = container_of(timer, struct vtty_port,
					    pace_timer);
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
	avail = vp->xmit_avail;
	next = vtty_pace_run(vp, ktime_get());
	if (next) {
		hrtimer_set_expires(timer, next);
		ret = HRTIMER_RESTART;
	}
	released = avail != vp->xmit_avail;
	spin_unlock_irqrestore(&vp->lock, flags);

	if (released)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM);
	return ret;
}

/*
 * The line settings pacing follows: the speed the tty core computed for
 * the termios (B0 gives 0: no line, no pacing), or the one an spd_* alias
 * of B38400 selects, and start + data + parity + stop bits per character
 * (1.5 stop bits for 5 data bits with CSTOPB, as on a 16550).  A change
 * applies from the character on the line: what ended before it stays
 * released, that character restarts at the new rate.  Returns whether
 * output became readable.
 */
static bool vtty_pace_set_line(struct vtty_port *vp, u32 baud, tcflag_t cflag)
{
	struct termios2 t = {
		.c_cflag = cflag, .c_ispeed = baud, .c_ospeed = baud,
	};
	u32 avail = vp->xmit_avail, half_bits, data;

	lockdep_assert_held(&vp->lock);

	vtty_spd_speed(vp, &t);
	switch (cflag & CSIZE) {
	case CS5:
		data = 5;
		break;
	case CS6:
		data = 6;
		break;
	case CS7:
		data = 7;
		break;
	default:
		data = 8;
		break;
	}
	half_bits = 2 * (1 + data) + (cflag & PARENB ? 2 : 0) +
		    (!(cflag & CSTOPB) ? 2 : data == 5 ? 3 : 4);

	if (t.c_ospeed != vp->pace_baud || half_bits != vp->pace_half_bits) {
		vtty_pace_run(vp, ktime_get());
		if (vp->pace_running) {
			vp->pace_start = ktime_add_ns(vp->pace_start,
						      vtty_pace_ns(vp, vp->pace_sent));
			vp->pace_sent = 0;
		}
		vp->pace_baud = t.c_ospeed;
		vp->pace_half_bits = half_bits;
	}
	vtty_pace_update(vp);
	return avail != vp->xmit_avail;
}

/* New output in the ring: start a run unless one is going. */
static bool vtty_pace_queued(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	if (!vtty_pacing(vp)) {
		vp->xmit_avail = vp->xmit_head;
		return true;
	}
	if (vp->pace_running)
		return false;
	return vtty_pace_update(vp);
}

/* ---- tty_port operations ------------------------------------------------ */

static VTTY_CARRIER_RET vtty_carrier_raised(struct tty_port *port)
{
	struct vtty_port *vp = to_vtty_port(port);
	unsigned long flags;
	bool dcd;

	spin_lock_irqsave(&vp->lock, flags);
	dcd = vp->mctrl_in & TIOCM_CAR;
	spin_unlock_irqrestore(&vp->lock, flags);
	return dcd;
}

/*
 * DTR and RTS follow the port's open state as on a UART.  The master sees
 * the new levels in the next modem packet, or at once with
 * VTTY_FEAT_MODEM_EVENTS.
 */
static void vtty_dtr_rts(struct tty_port *port, VTTY_DTR_RTS_ARG active)
{
	struct vtty_port *vp = to_vtty_port(port);
	unsigned long flags;
	unsigned int old;
	bool queued;

	spin_lock_irqsave(&vp->lock, flags);
	old = vp->mctrl_out;
	if (active) {
		vp->mctrl_out |= TIOCM_DTR;
		if (!vp->crtscts || !vp->rx_throttled ||
		    !(vp->features & VTTY_FEAT_HW_FLOW))
			vp->mctrl_out |= TIOCM_RTS;
	} else {
		vp->mctrl_out &= ~(TIOCM_DTR | TIOCM_RTS);
	}
	queued = vtty_auto_lines(vp, old);
	spin_unlock_irqrestore(&vp->lock, flags);
	if (queued)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM | EPOLLPRI);
}

static int vtty_activate(struct tty_port *port, struct tty_struct *tty)
{
	struct vtty_port *vp = to_vtty_port(port);
	u32 baud = tty_get_baud_rate(tty);
	u8 *buf = NULL;
	bool gone;

	/*
	 * tty_port_open() has set port->tty before calling us, and the master
	 * sets master_gone before it looks at port->tty: either we see the
	 * master gone here, or it sees this tty and hangs it up.
	 */
	for (;;) {
		spin_lock_irq(&vp->lock);
		gone = vp->master_gone;
		if (gone || vp->xmit || buf)
			break;
		spin_unlock_irq(&vp->lock);
		buf = kvmalloc(VTTY_XMIT_SIZE, GFP_KERNEL_ACCOUNT);
		if (!buf)
			return -ENOMEM;
	}
	if (!gone) {
		if (!vp->xmit) {
			vp->xmit = buf;
			vp->xmit_size = VTTY_XMIT_SIZE;
			vp->xmit_grow = false;
			vp->xmit_head = 0;
			vp->xmit_tail = 0;
			vp->xmit_avail = 0;
			vp->xmit_flush_pending = false;
			buf = NULL;
		}
		vp->active = true;
		vp->crtscts = C_CRTSCTS(tty);
		vp->tx_stopped = tty->flow.stopped;
		vp->rx_throttled = false;
		vp->ntty_room = VTTY_NTTY_ROOM_EMPTY;
		vp->remote_xoff = false;
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

/* Frees the output ring if nobody needs it; returns what to kvfree(). */
static u8 *vtty_release_idle_xmit(struct vtty_port *vp)
{
	u8 *buf = NULL;

	lockdep_assert_held(&vp->lock);

	if (!vp->active && !vp->xmit_reading &&
	    vp->xmit_head == vp->xmit_tail) {
		buf = vp->xmit;
		vp->xmit = NULL;
	}
	return buf;
}

/* Last close or hangup of the application side. */
static void vtty_shutdown(struct tty_port *port)
{
	struct vtty_port *vp = to_vtty_port(port);
	bool released;
	u8 *buf;

	spin_lock_irq(&vp->lock);
	vp->active = false;
	vp->rx_throttled = false;
	vp->tx_stopped = false;
	/* Output left behind keeps its pace; a stop no longer holds it. */
	released = vtty_pace_update(vp);
	buf = vtty_release_idle_xmit(vp);
	spin_unlock_irq(&vp->lock);
	kvfree(buf);
	if (released)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM);

	/* The line discipline flush freed flip buffer space. */
	vtty_wake_master_writer(vp);
	wake_up_interruptible(&vp->ctrl_wait);
}

static void vtty_destruct(struct tty_port *port)
{
	struct vtty_port *vp = to_vtty_port(port);

	/* Nothing re-arms it any more: the master and the tty are gone. */
	hrtimer_cancel(&vp->pace_timer);
	mutex_lock(&vtty_idr_mutex);
	if (vp->index >= 0)
		idr_remove(&vtty_idr, vp->index);
	mutex_unlock(&vtty_idr_mutex);
	kvfree(vp->xmit);
	kfree(vp->held_buf);
	kfree(vp);
}

static const struct tty_port_operations vtty_port_ops = {
	.carrier_raised	= vtty_carrier_raised,
	.dtr_rts	= vtty_dtr_rts,
	.activate	= vtty_activate,
	.shutdown	= vtty_shutdown,
	.destruct	= vtty_destruct,
};

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

static const struct tty_port_client_operations vtty_client_ops = {
	.receive_buf	= vtty_port_receive_buf,
	.lookahead_buf	= vtty_port_lookahead_buf,
	.write_wakeup	= vtty_port_write_wakeup,
};

/* ---- tty operations ----------------------------------------------------- */

static int vtty_install(struct tty_driver *driver, struct tty_struct *tty)
{
	struct vtty_port *vp;
	int ret;

	/* destruct() takes vtty_idr_mutex, so vp stays valid while held. */
	mutex_lock(&vtty_idr_mutex);
	vp = idr_find(&vtty_idr, tty->index);
	if (vp && (READ_ONCE(vp->master_gone) || !tty_port_get(&vp->port)))
		vp = NULL;
	mutex_unlock(&vtty_idr_mutex);
	if (!vp)
		return -ENODEV;

	ret = tty_port_install(&vp->port, driver, tty);
	if (ret) {
		tty_port_put(&vp->port);
		return ret;
	}
	tty->driver_data = vp;
	return 0;
}

static void vtty_cleanup(struct tty_struct *tty)
{
	tty_port_put(tty->port);
}

/* With VTTY_FEAT_OPEN_EVENTS, tell the master how often the tty is open. */
static void vtty_open_event(struct vtty_port *vp)
{
	unsigned long flags;
	unsigned int count;
	bool queued;

	spin_lock_irqsave(&vp->port.lock, flags);
	count = vp->port.count;
	spin_unlock_irqrestore(&vp->port.lock, flags);

	spin_lock_irqsave(&vp->lock, flags);
	queued = vtty_queue_event(vp, TAG_OPEN_COUNT, count);
	spin_unlock_irqrestore(&vp->lock, flags);
	if (queued)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM | EPOLLPRI);
}

static int vtty_open(struct tty_struct *tty, struct file *filp)
{
	int ret = tty_port_open(tty->port, tty, filp);

	if (!ret)
		vtty_open_event(tty->driver_data);
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
	wake_up_interruptible(&vp->ctrl_wait);
	vtty_open_event(vp);
}

/*
 * How much of the ring output may fill now: all of it while the master
 * streams, VTTY_XMIT_SIZE while the line is paced or flow control holds it.
 */
static u32 vtty_xmit_limit(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	return vtty_pacing(vp) || vtty_tx_held(vp) ? VTTY_XMIT_SIZE :
						     vp->xmit_size;
}

/* Room left in the ring for the application's output; 0 without one. */
static u32 vtty_xmit_room(struct vtty_port *vp)
{
	u32 used, limit;

	lockdep_assert_held(&vp->lock);

	if (!vp->xmit || vp->master_gone)
		return 0;
	used = vp->xmit_head - vp->xmit_tail;
	limit = vtty_xmit_limit(vp);
	return used < limit ? limit - used : 0;
}

/* May be called in atomic context and concurrently with itself. */
static VTTY_WRITE_RET vtty_write(struct tty_struct *tty, const u8 *buf,
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
	if (vp->xmit) {
		n = min_t(size_t, count, vtty_xmit_room(vp));
		off = vp->xmit_head & (vp->xmit_size - 1);
		first = min_t(u32, n, vp->xmit_size - off);
		memcpy(vp->xmit + off, buf, first);
		memcpy(vp->xmit, buf + first, n - first);
		vp->xmit_head += n;
		if (n)
			readable = vtty_pace_queued(vp);
		/*
		 * A stream outran the small ring.  Allocating may sleep and
		 * ->write() must not, so the master's next read grows it.
		 */
		if (n < count && vp->xmit_size < VTTY_XMIT_MAX &&
		    vtty_xmit_limit(vp) == vp->xmit_size)
			vp->xmit_grow = true;
	}
	if (n < count)
		vp->xmit_wake = true;
	spin_unlock_irqrestore(&vp->lock, flags);

	if (readable)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM);
	return n;
}

static unsigned int vtty_write_room(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	unsigned int room = 0;

	spin_lock_irqsave(&vp->lock, flags);
	room = vtty_xmit_room(vp);
	/* Output is queued, or there is nowhere to put it yet. */
	if (!vp->xmit || vp->xmit_head != vp->xmit_tail)
		vp->xmit_wake = true;
	spin_unlock_irqrestore(&vp->lock, flags);
	return room;
}

/* What the master has not read yet (TIOCOUTQ, tcdrain). */
static unsigned int vtty_chars_in_buffer(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	unsigned int chars = 0;

	spin_lock_irqsave(&vp->lock, flags);
	if (vp->xmit && !vp->master_gone)
		chars = vp->xmit_head - (vp->xmit_flush_pending ?
					 vp->xmit_flush_to : vp->xmit_tail);
	if (chars)
		vp->xmit_wake = true;
	spin_unlock_irqrestore(&vp->lock, flags);
	return chars;
}

static void vtty_flush_buffer(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	if (vp->xmit) {
		if (vp->xmit_reading) {
			vp->xmit_flush_to = vp->xmit_head;
			vp->xmit_flush_pending = true;
		} else {
			vp->xmit_tail = vp->xmit_head;
		}
		/* Flushed output never reaches the line; the run ends. */
		vp->xmit_avail = vp->xmit_head;
		vtty_pace_update(vp);
	}
	spin_unlock_irqrestore(&vp->lock, flags);
	tty_wakeup(tty);
}

static void vtty_set_termios(struct tty_struct *tty,
			     const struct ktermios *old)
{
	struct vtty_port *vp = tty->driver_data;
	u32 baud = tty_get_baud_rate(tty);
	struct vtty_ctrl c;

	unsigned int old_lines;
	bool lines_queued;

	memset(&c, 0, sizeof(c));
	c.tag = TAG_SET_TERMIOS;
	vtty_ktermios_to_termios2(&tty->termios, &c.termios);

	spin_lock_irq(&vp->lock);
	vp->termios = c.termios;
	vp->crtscts = C_CRTSCTS(tty);
	vtty_spd_speed(vp, &c.termios);
	old_lines = vp->mctrl_out;
	/* As a UART does: B0 drops DTR and RTS, leaving B0 raises them. */
	if ((old->c_cflag & CBAUD) && !C_BAUD(tty)) {
		vp->mctrl_out &= ~(TIOCM_DTR | TIOCM_RTS);
	} else if (!(old->c_cflag & CBAUD) && C_BAUD(tty)) {
		vp->mctrl_out |= TIOCM_DTR;
		if (!C_CRTSCTS(tty) || !tty_throttled(tty))
			vp->mctrl_out |= TIOCM_RTS;
	}
	/*
	 * TCSAFLUSH: the tty core flushed the input just before calling us
	 * (see vtty_ioctl()); the event goes ahead of the new settings.
	 */
	if (vp->saflush_task == current) {
		vp->saflush_task = NULL;
		vtty_queue_event(vp, TAG_FLUSH, VTTY_FLUSH_INPUT);
	}
	vtty_queue_state(vp, &c);
	lines_queued = vtty_auto_lines(vp, old_lines);
	/* Speed, character size or CRTSCTS may change the output's pace. */
	vtty_pace_set_line(vp, baud, tty->termios.c_cflag);
	spin_unlock_irq(&vp->lock);

	vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM | EPOLLPRI);
	/* CRTSCTS may have changed what holds either direction. */
	if (lines_queued || (old->c_cflag ^ tty->termios.c_cflag) & CRTSCTS)
		vtty_wake_master_writer(vp);
}

static int vtty_tiocmget(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	int lines;

	spin_lock_irqsave(&vp->lock, flags);
	lines = vp->mctrl_out | vp->mctrl_in;
	spin_unlock_irqrestore(&vp->lock, flags);
	return lines;
}

static int vtty_tiocmset(struct tty_struct *tty, unsigned int set,
			 unsigned int clear)
{
	struct vtty_port *vp = tty->driver_data;
	struct vtty_ctrl c;

	memset(&c, 0, sizeof(c));
	c.tag = TAG_SET_MODEM;

	spin_lock_irq(&vp->lock);
	vp->mctrl_out = ((vp->mctrl_out & ~clear) | set) & VTTY_OUTPUT_LINES;
	c.modem = vp->mctrl_out | vp->mctrl_in;
	vtty_queue_state(vp, &c);
	spin_unlock_irq(&vp->lock);

	vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM | EPOLLPRI);
	return 0;
}

/*
 * With TTY_DRIVER_HARDWARE_BREAK the core passes the duration in ms for
 * TCSBRK/TCSBRKP, -1 for TIOCSBRK and 0 for TIOCCBRK; all go to the master.
 */
static int vtty_break_ctl(struct tty_struct *tty, int state)
{
	return vtty_queue_break(tty->driver_data, tty, state);
}

/*
 * The line discipline is nearly full.  With the flow control extensions,
 * as a UART with automatic flow control: RTS drops (CRTSCTS) and XOFF goes
 * out ahead of the output (IXOFF).
 */
static void vtty_throttle(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	unsigned int old;
	bool wake = false;

	spin_lock_irqsave(&vp->lock, flags);
	vp->rx_throttled = true;
	old = vp->mctrl_out;
	if ((vp->features & VTTY_FEAT_HW_FLOW) && C_CRTSCTS(tty))
		vp->mctrl_out &= ~TIOCM_RTS;
	wake = vtty_auto_lines(vp, old);
	if ((vp->features & VTTY_FEAT_SW_FLOW) && I_IXOFF(tty)) {
		/* Only what changes the master's view goes out. */
		if (vp->remote_xoff) {
			vp->x_char = 0;
		} else {
			vp->x_char = STOP_CHAR(tty);
			vp->x_flow = VTTY_XFLOW_XOFF;
		}
		wake = true;
	}
	spin_unlock_irqrestore(&vp->lock, flags);
	if (wake)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM | EPOLLPRI);
}

/* Room in the line discipline again: the master may write once more. */
static void vtty_unthrottle(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	unsigned int old;
	bool wake = false;

	spin_lock_irqsave(&vp->lock, flags);
	vp->rx_throttled = false;
	vp->ntty_room = max_t(u32, vp->ntty_room, VTTY_NTTY_ROOM_UNTHROTTLED);
	/*
	 * Held bytes no write waits to deliver go after a tick, unless the
	 * master writes again first, as a streaming master does at once
	 * (see vtty_hold()).
	 */
	if (vp->held && !vp->held_writer_waits && !vp->master_gone)
		mod_delayed_work(system_wq, &vp->held_work, 1);
	old = vp->mctrl_out;
	if ((vp->features & VTTY_FEAT_HW_FLOW) && C_CRTSCTS(tty) &&
	    C_BAUD(tty))
		vp->mctrl_out |= TIOCM_RTS;
	wake = vtty_auto_lines(vp, old);
	if ((vp->features & VTTY_FEAT_SW_FLOW) && I_IXOFF(tty)) {
		/* An XOFF the master has not read yet is simply withdrawn. */
		if (vp->remote_xoff) {
			vp->x_char = START_CHAR(tty);
			vp->x_flow = VTTY_XFLOW_XON;
		} else {
			vp->x_char = 0;
		}
		wake = true;
	}
	spin_unlock_irqrestore(&vp->lock, flags);
	if (wake)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM | EPOLLPRI);
	vtty_wake_master_writer(vp);
}

/* Output stopped (IXON from the master, tcflow TCOOFF); may be atomic. */
static void vtty_stop(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	vp->tx_stopped = true;
	vtty_pace_update(vp);
	spin_unlock_irqrestore(&vp->lock, flags);
}

static void vtty_start(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	vp->tx_stopped = false;
	vtty_pace_update(vp);
	spin_unlock_irqrestore(&vp->lock, flags);
	vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM);
}

/*
 * XON/XOFF from the tty layer (tcflow TCION/TCIOFF, IXOFF).  With
 * VTTY_FEAT_SW_FLOW it goes ahead of queued output; otherwise it is queued
 * behind it, as the tty core does for drivers without this method.
 */
static void vtty_send_xchar(struct tty_struct *tty, VTTY_XCHAR ch)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	bool wake = false;

	spin_lock_irqsave(&vp->lock, flags);
	if (vp->master_gone) {
		/* Nobody to send it to. */
	} else if (vp->features & VTTY_FEAT_SW_FLOW) {
		vp->x_char = ch;
		vp->x_flow = ch == STOP_CHAR(tty) ? VTTY_XFLOW_XOFF :
			     ch == START_CHAR(tty) ? VTTY_XFLOW_XON :
			     VTTY_XFLOW_NONE;
		wake = true;
	} else if (vtty_xmit_room(vp)) {
		vp->xmit[vp->xmit_head & (vp->xmit_size - 1)] = ch;
		vp->xmit_head++;
		wake = vtty_pace_queued(vp);
	}
	spin_unlock_irqrestore(&vp->lock, flags);
	if (wake)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM);
}

/* A modem input changed since *prev (updated), or the port went away. */
static bool vtty_msr_changed(struct vtty_port *vp, struct tty_struct *tty,
			     unsigned long mask, struct vtty_icount *prev)
{
	struct vtty_icount now;
	bool gone;

	spin_lock_irq(&vp->lock);
	now = vp->icount;
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
static int vtty_wait_modem(struct vtty_port *vp, struct tty_struct *tty,
			   unsigned long mask)
{
	struct vtty_icount prev;
	int ret;

	spin_lock_irq(&vp->lock);
	prev = vp->icount;
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
		lsr = (!vp->xmit || vp->master_gone ||
		       vp->xmit_head == (vp->xmit_flush_pending ?
					 vp->xmit_flush_to : vp->xmit_tail)) &&
		      !vp->x_char ? TIOCSER_TEMT : 0;
		spin_unlock_irq(&vp->lock);
		return put_user(lsr, (unsigned int __user *)arg);
	case TCFLSH:
		/*
		 * Noted here; the tty core flushes the flip buffer and the
		 * line discipline, the driver what a master write held back.
		 */
		if (arg == TCIFLUSH || arg == TCIOFLUSH) {
			vtty_drop_held(vp);
			what |= VTTY_FLUSH_INPUT;
		}
		if (arg == TCOFLUSH || arg == TCIOFLUSH)
			what |= VTTY_FLUSH_OUTPUT;
		if (what) {
			spin_lock_irq(&vp->lock);
			queued = vtty_queue_event(vp, TAG_FLUSH, what);
			spin_unlock_irq(&vp->lock);
			if (queued)
				vtty_wake_master_reader(vp, EPOLLIN |
							EPOLLRDNORM | EPOLLPRI);
		}
		return -ENOIOCTLCMD;
	}
	return -ENOIOCTLCMD;
}

static int vtty_get_icount(struct tty_struct *tty,
			   struct serial_icounter_struct *icount)
{
	struct vtty_port *vp = tty->driver_data;
	struct vtty_icount c;

	spin_lock_irq(&vp->lock);
	c = vp->icount;
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

static int vtty_get_serial(struct tty_struct *tty, struct serial_struct *ss)
{
	struct vtty_port *vp = tty->driver_data;
	struct tty_port *port = &vp->port;

	mutex_lock(&port->mutex);
	ss->type = PORT_16550A;
	ss->line = tty->index;
	ss->flags = vp->serial_flags;
	ss->xmit_fifo_size = VTTY_FIFO_SIZE;
	ss->baud_base = vp->baud_base;
	ss->custom_divisor = vp->custom_divisor;
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
static int vtty_set_serial(struct tty_struct *tty, struct serial_struct *ss)
{
	struct vtty_port *vp = tty->driver_data;
	struct tty_port *port = &vp->port;
	unsigned int close_delay, closing_wait;
	u32 baud = tty_get_baud_rate(tty);
	bool speed_changed, queued = false;
	struct vtty_ctrl c;
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
	    ((ss->baud_base && ss->baud_base != vp->baud_base) ||
	     close_delay != port->close_delay ||
	     closing_wait != port->closing_wait ||
	     ((ss->flags ^ vp->serial_flags) & ~ASYNC_USR_MASK))) {
		ret = -EPERM;
		goto out;
	}
	speed_changed = ((ss->flags ^ vp->serial_flags) & ASYNC_SPD_MASK) ||
			ss->custom_divisor != vp->custom_divisor ||
			(ss->baud_base && ss->baud_base != vp->baud_base);
	port->close_delay = close_delay;
	port->closing_wait = closing_wait;
	spin_lock_irq(&vp->lock);
	if (ss->baud_base)
		vp->baud_base = ss->baud_base;
	vp->custom_divisor = ss->custom_divisor;
	vp->serial_flags = ss->flags;
	/*
	 * The spd_* aliases change the line speed of a B38400 port: tell the
	 * master, as if the application had set that speed.
	 */
	if (speed_changed && (vp->termios.c_cflag & CBAUD) == B38400) {
		memset(&c, 0, sizeof(c));
		c.tag = TAG_SET_TERMIOS;
		c.termios = vp->termios;
		vtty_spd_speed(vp, &c.termios);
		vtty_queue_state(vp, &c);
		queued = true;
	}
	vtty_pace_set_line(vp, baud, vp->termios.c_cflag);
	spin_unlock_irq(&vp->lock);
out:
	mutex_unlock(&port->mutex);
	if (queued)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM | EPOLLPRI);
	return ret;
}

static const struct tty_operations vtty_ops = {
	.install		= vtty_install,
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

/* ---- the vtmx master device --------------------------------------------- */

/* Tears down the master's side; the port lives on while a tty uses it. */
static void vtty_master_release(struct vtty_port *vp)
{
	struct tty_struct *tty;

	/*
	 * From here on no tty can be installed or activated, output is
	 * discarded (so a close or tcdrain waiting for it returns) and
	 * break requests fail.
	 */
	spin_lock_irq(&vp->lock);
	WRITE_ONCE(vp->master_gone, true);
	vp->xmit_tail = vp->xmit_head;
	vp->xmit_avail = vp->xmit_head;
	vp->xmit_flush_pending = false;
	vp->pace_running = false;
	spin_unlock_irq(&vp->lock);
	/* With master_gone set nothing re-arms them. */
	hrtimer_cancel(&vp->pace_timer);
	cancel_delayed_work_sync(&vp->held_work);
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

	if (vp->registered)
		tty_unregister_device(vtty_driver, vp->index);
	tty_port_put(&vp->port);
}

static int vtmx_open(struct inode *inode, struct file *file)
{
	struct vtty_port *vp;
	struct device *dev;
	int index;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;

	tty_port_init(&vp->port);
	vp->port.ops = &vtty_port_ops;
	vp->port.client_ops = &vtty_client_ops;
	/* Unread output outlives the close; see the comment at the top. */
	vp->port.closing_wait = ASYNC_CLOSING_WAIT_NONE;
	vp->index = -1;
	spin_lock_init(&vp->lock);
	hrtimer_init(&vp->pace_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	vp->pace_timer.function = vtty_pace_timer;
	mutex_init(&vp->read_mutex);
	mutex_init(&vp->write_mutex);
	INIT_DELAYED_WORK(&vp->held_work, vtty_held_work);
	init_waitqueue_head(&vp->read_wait);
	init_waitqueue_head(&vp->write_wait);
	init_waitqueue_head(&vp->ctrl_wait);
	vp->serial_flags = VTTY_SERIAL_FLAGS;
	vp->baud_base = VTTY_BAUD_BASE;
	vtty_ktermios_to_termios2(&vtty_driver->init_termios, &vp->termios);
	spin_lock_irq(&vp->lock);
	vtty_pace_set_line(vp, vp->termios.c_ospeed, vp->termios.c_cflag);
	spin_unlock_irq(&vp->lock);

	mutex_lock(&vtty_idr_mutex);
	index = idr_alloc(&vtty_idr, vp, 0, max_ports, GFP_KERNEL);
	if (index >= 0)
		vp->index = index;
	mutex_unlock(&vtty_idr_mutex);
	if (index < 0) {
		tty_port_put(&vp->port);
		return index;
	}

	dev = tty_register_device(vtty_driver, index, NULL);
	if (IS_ERR(dev)) {
		vtty_master_release(vp);
		return PTR_ERR(dev);
	}
	vp->registered = true;

	file->private_data = vp;
	stream_open(inode, file);
	return 0;
}

static int vtmx_release(struct inode *inode, struct file *file)
{
	vtty_master_release(file->private_data);
	return 0;
}

/*
 * Whether the application's output is held back (flow control extensions):
 * CTS low with CRTSCTS, or the tty's output stopped.
 */
static bool vtty_tx_held(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	return ((vp->features & VTTY_FEAT_HW_FLOW) && vp->crtscts &&
		!(vp->mctrl_in & TIOCM_CTS)) ||
	       ((vp->features & VTTY_FEAT_SW_FLOW) && vp->tx_stopped);
}

/* Data the master may read now: an XON/XOFF, or unheld output. */
static bool vtty_data_readable(struct vtty_port *vp)
{
	lockdep_assert_held(&vp->lock);

	/* Paced output already released is on the far side of the line. */
	return vp->x_char || (vp->xmit && vp->xmit_avail != vp->xmit_tail &&
			      (vtty_pacing(vp) || !vtty_tx_held(vp)));
}

static bool vtty_master_readable(struct vtty_port *vp)
{
	bool readable;

	spin_lock_irq(&vp->lock);
	readable = vp->ctrl_count || vtty_data_readable(vp);
	spin_unlock_irq(&vp->lock);
	return readable;
}

/* Called with read_mutex held; returns 0 when no control packet waits. */
static ssize_t vtty_read_ctrl(struct vtty_port *vp, char __user *buf)
{
	u8 pkt[VTMX_MAX_PACKET_SIZE];
	struct vtty_ctrl c;
	unsigned int seq;
	size_t len;

	spin_lock_irq(&vp->lock);
	if (!vp->ctrl_count) {
		spin_unlock_irq(&vp->lock);
		return 0;
	}
	c = vp->ctrl[0];
	seq = vp->ctrl_seq;
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
	if (vp->ctrl_seq == seq && vp->ctrl_count)
		vtty_ctrl_del(vp, 0);
	spin_unlock_irq(&vp->lock);
	return len;
}

/*
 * Moves the output queue to a ring of VTTY_XMIT_MAX after a stream filled
 * the small one.  Positions run freely, so every queued byte keeps its
 * position and only the mask changes.  Called with read_mutex held, so no
 * copy out of the old ring is in progress.  Without memory the small ring
 * simply stays.
 */
static void vtty_grow_xmit(struct vtty_port *vp)
{
	u8 *big, *old = NULL;
	u32 pos, len;

	big = kvmalloc(VTTY_XMIT_MAX, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);

	spin_lock_irq(&vp->lock);
	vp->xmit_grow = false;
	if (big && vp->xmit && vp->xmit_size < VTTY_XMIT_MAX) {
		for (pos = vp->xmit_tail; pos != vp->xmit_head; pos += len) {
			u32 from = pos & (vp->xmit_size - 1);
			u32 to = pos & (VTTY_XMIT_MAX - 1);

			len = min3(vp->xmit_head - pos, vp->xmit_size - from,
				   VTTY_XMIT_MAX - to);
			memcpy(big + to, vp->xmit + from, len);
		}
		old = vp->xmit;
		vp->xmit = big;
		vp->xmit_size = VTTY_XMIT_MAX;
		big = NULL;
	}
	spin_unlock_irq(&vp->lock);
	kvfree(big);
	kvfree(old);
}

/*
 * Called with read_mutex held; returns 0 when no output waits.  *wake says
 * whether the tty's writers have to be told about the room made.
 */
static ssize_t vtty_read_data(struct vtty_port *vp, char __user *buf,
			      size_t count, bool *wake)
{
	u32 tail, n, off, first, size;
	u8 *xmit, *idle;
	int ret = 0;

	if (READ_ONCE(vp->xmit_grow))
		vtty_grow_xmit(vp);

	spin_lock_irq(&vp->lock);
	if (vp->x_char) {
		u8 pkt[2] = { TAG_UART_RX, vp->x_char };

		/* Ahead of everything, held output or not, as on a UART. */
		vp->x_char = 0;
		if (vp->x_flow != VTTY_XFLOW_NONE)
			vp->remote_xoff = vp->x_flow == VTTY_XFLOW_XOFF;
		vp->icount.tx++;
		spin_unlock_irq(&vp->lock);
		return copy_to_user(buf, pkt, sizeof(pkt)) ? -EFAULT : 2;
	}
	xmit = vp->xmit;
	size = vp->xmit_size;
	n = xmit && (vtty_pacing(vp) || !vtty_tx_held(vp)) ?
	    vp->xmit_avail - vp->xmit_tail : 0;
	if (!n) {
		spin_unlock_irq(&vp->lock);
		return 0;
	}
	n = min_t(size_t, n, count - 1);
	tail = vp->xmit_tail;
	vp->xmit_reading = true;
	spin_unlock_irq(&vp->lock);

	/* While xmit_reading, the ring stays and [tail, tail + n) is ours. */
	off = tail & (size - 1);
	first = min_t(u32, n, size - off);
	if (put_user((u8)TAG_UART_RX, buf) ||
	    copy_to_user(buf + 1, xmit + off, first) ||
	    copy_to_user(buf + 1 + first, xmit, n - first))
		ret = -EFAULT;

	spin_lock_irq(&vp->lock);
	vp->xmit_reading = false;
	if (vp->xmit_flush_pending)
		vp->xmit_tail = vp->xmit_flush_to;
	else if (!ret)
		vp->xmit_tail = tail + n;
	vp->xmit_flush_pending = false;
	if (!ret)
		vp->icount.tx += n;
	*wake = vp->xmit_wake;
	vp->xmit_wake = false;
	idle = vtty_release_idle_xmit(vp);
	spin_unlock_irq(&vp->lock);
	kvfree(idle);

	return ret ? ret : n + 1;
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
		ret = vtty_read_ctrl(vp, buf);
		if (!ret) {
			ret = vtty_read_data(vp, buf, count, &wake);
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

/*
 * Room for the master's writes: the flip buffer's, or none while the tty
 * throttles its input under CRTSCTS with VTTY_FEAT_HW_FLOW (RTS is low).
 */
static size_t vtty_write_room_master(struct vtty_port *vp)
{
	bool held;

	spin_lock_irq(&vp->lock);
	held = (vp->features & VTTY_FEAT_HW_FLOW) && vp->crtscts &&
	       vp->rx_throttled && vp->active;
	spin_unlock_irq(&vp->lock);
	return held ? 0 : tty_buffer_space_avail(&vp->port);
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
 * the buffer lock, the order tty_ldisc_flush() and paste_selection() use.
 */
static size_t vtty_ntty_offer(struct vtty_port *vp, size_t count)
{
	size_t offer;

	spin_lock_irq(&vp->lock);
	if (vp->ntty_room > 1)
		offer = min_t(size_t, count, vp->ntty_room - 1);
	else
		/* Full: wait for the unthrottle, or let n_tty say so. */
		offer = vp->rx_throttled ? 0 : count;
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
				vp->ntty_room = READ_ONCE(tty->receive_room);
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
	throttled = vp->rx_throttled && vp->active &&
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

/*
 * Held bytes: the tail of a blocking master write that filled the line
 * discipline.  n_tty holds 4,095 bytes, so a stream of 4 KiB writes leaves
 * a few bytes over from every write.  Handed over by themselves after the
 * application's read, they would wake it for a read of those few bytes: a
 * second round trip between the two processes for every 4 KiB.  So the
 * write holds them and returns, and they go into n_tty together with the
 * next write's bytes.  Whoever comes first delivers them: the master's next
 * write, ahead of its own bytes; held_work, a tick after the application's
 * read unthrottled n_tty with no write waiting to deliver them (the tick
 * leaves a streaming master, which writes again at once, the time to do
 * it); or held_work VTTY_UNTHROTTLE_WAIT after the write, moving them into
 * the flip buffer if n_tty is still full, as a full ldisc did with the rest
 * of a write before.  Held bytes are always younger than the flip
 * buffer's (they are held only after a direct delivery, which needs it
 * empty) and older than anything written after them, which is why every
 * producer delivers or parks them first.  TCIFLUSH discards them with the
 * flip buffer.
 * All under write_mutex; vp->held mirrors held_len for vtty_unthrottle().
 */
static void vtty_held_update(struct vtty_port *vp, size_t gone)
{
	/* A full n_tty took nothing: the common case while a stream waits. */
	if (!gone)
		return;
	vp->held_len -= gone;
	memmove(vp->held_buf, vp->held_buf + gone, vp->held_len);
	spin_lock_irq(&vp->lock);
	vp->held = vp->held_len;
	spin_unlock_irq(&vp->lock);
}

/* Holds the tail of a write; false when there is no memory to hold it. */
static bool vtty_hold(struct vtty_port *vp, const u8 *p, size_t count)
{
	if (!vp->held_buf) {
		vp->held_buf = kmalloc(VTTY_WRITE_CHUNK, GFP_KERNEL);
		if (!vp->held_buf)
			return false;
	}
	memcpy(vp->held_buf, p, count);
	vp->held_len = count;
	spin_lock_irq(&vp->lock);
	vp->held = true;
	vp->icount.rx += count;
	spin_unlock_irq(&vp->lock);
	mod_delayed_work(system_wq, &vp->held_work, VTTY_UNTHROTTLE_WAIT);
	return true;
}

/* Hands held bytes to the ldisc; true when none are left. */
static bool vtty_deliver_held(struct vtty_port *vp)
{
	if (vp->held_len)
		vtty_held_update(vp, vtty_receive_direct(vp, vp->held_buf,
							 vp->held_len));
	return !vp->held_len;
}

/* Moves held bytes into the flip buffer; false when none would go. */
static bool vtty_park_held(struct vtty_port *vp)
{
	size_t n = tty_insert_flip_string(&vp->port, vp->held_buf,
					  min(vp->held_len,
					      vtty_write_room_master(vp)));

	if (!n)
		return false;
	tty_flip_buffer_push(&vp->port);
	vtty_held_update(vp, n);
	return true;
}

/* Delivers or parks held bytes; true when none are left. */
static bool vtty_flush_held(struct vtty_port *vp)
{
	return vtty_deliver_held(vp) ||
	       (vtty_park_held(vp) && !vp->held_len);
}

static void vtty_held_work(struct work_struct *work)
{
	struct vtty_port *vp = container_of(to_delayed_work(work),
					    struct vtty_port, held_work);

	mutex_lock(&vp->write_mutex);
	if (!vtty_flush_held(vp))
		/* The flip buffer is full too: try again later. */
		mod_delayed_work(system_wq, &vp->held_work,
				 VTTY_UNTHROTTLE_WAIT);
	mutex_unlock(&vp->write_mutex);
}

/* An input flush: held bytes go the way of the flip buffer's. */
static void vtty_drop_held(struct vtty_port *vp)
{
	mutex_lock(&vp->write_mutex);
	if (vp->held_len)
		vtty_held_update(vp, vp->held_len);
	mutex_unlock(&vp->write_mutex);
}

/*
 * vtty_wait_unthrottle() for a write whose held bytes n_tty could not take:
 * meanwhile the unthrottle leaves them to this write.
 */
static int vtty_wait_unthrottle_held(struct vtty_port *vp)
{
	int ret;

	spin_lock_irq(&vp->lock);
	vp->held_writer_waits = true;
	spin_unlock_irq(&vp->lock);
	ret = vtty_wait_unthrottle(vp);
	spin_lock_irq(&vp->lock);
	vp->held_writer_waits = false;
	spin_unlock_irq(&vp->lock);
	return ret;
}

static ssize_t vtmx_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct vtty_port *vp = file->private_data;
	struct tty_port *port = &vp->port;
	u8 small[VTTY_WRITE_SMALL];
	u8 *bounce = small;
	size_t done = 0, was_held;
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
		size_t room = vtty_write_room_master(vp);
		size_t chunk, n;

		if (!room) {
			if (nonblock) {
				ret = -EAGAIN;
				break;
			}
			mutex_unlock(&vp->write_mutex);
			ret = wait_event_interruptible(vp->write_wait,
						       vtty_write_room_master(vp));
			if (ret)
				goto out_free;
			if (mutex_lock_interruptible(&vp->write_mutex)) {
				ret = -ERESTARTSYS;
				goto out_free;
			}
			continue;
		}

		/*
		 * Bytes held back by an earlier write go first.  While n_tty
		 * is full, a blocking write waits for the application to read
		 * as long as each wait ends with it taking something; after a
		 * wait in vain, the bytes go to the flip buffer.
		 */
		if (vp->held_len) {
			was_held = vp->held_len;
			if (!vtty_deliver_held(vp)) {
				if (vp->held_len < was_held)
					waited = false;
				if (!nonblock && !waited &&
				    vtty_rx_throttled(vp)) {
					waited = true;
					if (vtty_wait_unthrottle_held(vp)) {
						ret = -ERESTARTSYS;
						goto out_free;
					}
				} else if (!vtty_park_held(vp)) {
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
			spin_lock_irq(&vp->lock);
			vp->icount.rx += n;
			spin_unlock_irq(&vp->lock);
			/*
			 * The ldisc is full.  A blocking write holds the rest
			 * (or, without memory for that, waits for the ldisc);
			 * a non-blocking one parks it in the flip buffer on
			 * the next round.
			 */
			if (n < chunk && !nonblock && vtty_rx_throttled(vp)) {
				if (vtty_hold(vp, bounce + n, chunk - n)) {
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
		spin_lock_irq(&vp->lock);
		vp->icount.rx += n;
		spin_unlock_irq(&vp->lock);
	}
	mutex_unlock(&vp->write_mutex);
out_free:
	if (bounce != small)
		kfree(bounce);
	return done ? done : ret;
}

static __poll_t vtmx_poll(struct file *file, poll_table *wait)
{
	struct vtty_port *vp = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &vp->read_wait, wait);
	poll_wait(file, &vp->write_wait, wait);

	spin_lock_irq(&vp->lock);
	if (vp->ctrl_count)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLPRI;
	if (vtty_data_readable(vp))
		mask |= EPOLLIN | EPOLLRDNORM;
	spin_unlock_irq(&vp->lock);

	if (vtty_write_room_master(vp))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static void vtty_set_input_lines(struct vtty_port *vp, unsigned int lines)
{
	bool released = false;
	unsigned int changed;

	lines &= VTTY_INPUT_LINES;

	spin_lock_irq(&vp->lock);
	changed = vp->mctrl_in ^ lines;
	vp->mctrl_in = lines;
	if (changed & TIOCM_CTS)
		vp->icount.cts++;
	if (changed & TIOCM_DSR)
		vp->icount.dsr++;
	if (changed & TIOCM_CAR)
		vp->icount.dcd++;
	/* Every edge, as USB serial adapters count it, so TIOCMIWAIT wakes. */
	if (changed & TIOCM_RNG)
		vp->icount.rng++;
	/* CTS holds or resumes paced output. */
	if (changed & TIOCM_CTS)
		released = vtty_pace_update(vp);
	spin_unlock_irq(&vp->lock);

	if (!changed)
		return;
	wake_up_interruptible(&vp->port.delta_msr_wait);
	/* CTS rising may release held output. */
	if ((lines & changed & TIOCM_CTS) || released)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM);
	if (changed & TIOCM_CAR) {
		if (lines & TIOCM_CAR)
			wake_up_interruptible(&vp->port.open_wait);
		else
			tty_port_tty_hangup(&vp->port, true);
	}
}

/* VTMX_REQUEST_STATE: the current settings as packets, for a late master. */
static void vtty_request_state(struct vtty_port *vp)
{
	unsigned long flags;
	unsigned int count;
	struct vtty_ctrl c;

	spin_lock_irqsave(&vp->port.lock, flags);
	count = vp->port.count;
	spin_unlock_irqrestore(&vp->port.lock, flags);

	memset(&c, 0, sizeof(c));
	c.tag = TAG_SET_TERMIOS;
	spin_lock_irq(&vp->lock);
	c.termios = vp->termios;
	vtty_spd_speed(vp, &c.termios);
	vtty_queue_state(vp, &c);
	vtty_queue_modem(vp);
	vtty_queue_event(vp, TAG_OPEN_COUNT, count);
	spin_unlock_irq(&vp->lock);
	vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM | EPOLLPRI);
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
	/* What holds either direction may have changed. */
	vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM);
	vtty_wake_master_writer(vp);
	return 0;
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
static int vtty_inject_rx(struct vtty_port *vp, struct file *file, u32 arg)
{
	struct tty_port *port = &vp->port;
	u8 ch = arg & 0xff, cond = (arg >> 8) & 0xff, flag;
	bool drop;
	int ret;

	if (arg >> 16 || cond > VTTY_RX_OVERRUN)
		return -EINVAL;

	if (mutex_lock_interruptible(&vp->write_mutex))
		return -ERESTARTSYS;
	/* Bytes a write held back are older: they go first. */
	while (!vtty_flush_held(vp) || vtty_write_room_master(vp) < 2) {
		mutex_unlock(&vp->write_mutex);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(vp->write_wait,
					       vtty_write_room_master(vp) >= 2);
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
		vp->icount.rx++;
		switch (cond) {
		case VTTY_RX_BREAK:
			vp->icount.brk++;
			break;
		case VTTY_RX_FRAME:
			vp->icount.frame++;
			break;
		case VTTY_RX_PARITY:
			vp->icount.parity++;
			break;
		case VTTY_RX_OVERRUN:
			vp->icount.overrun++;
			break;
		}
		spin_unlock_irq(&vp->lock);
	}
	mutex_unlock(&vp->write_mutex);
	return ret ? 0 : -ENOMEM;
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
	case VTMX_GET_VTTY_NUM:
		return put_user((unsigned int)vp->index,
				(unsigned int __user *)arg);
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
	.write		= vtmx_write,
	.poll		= vtmx_poll,
	.unlocked_ioctl	= vtmx_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice vtmx_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vtmx",
	.fops	= &vtmx_fops,
};

/* ---- module ------------------------------------------------------------- */

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
	ret = misc_register(&vtmx_misc);
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
	misc_deregister(&vtmx_misc);
	tty_unregister_driver(vtty_driver);
	tty_driver_kref_put(vtty_driver);
	idr_destroy(&vtty_idr);
}

module_init(vtty_init);
module_exit(vtty_exit);

MODULE_DESCRIPTION("Virtual serial ports driven from userspace through /dev/vtmx");
MODULE_AUTHOR("vtty developers");
MODULE_LICENSE("GPL");
