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

#include <linux/idr.h>
#include <linux/jiffies.h>
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
#else
#define VTTY_WRITE_RET		int
#define VTTY_WRITE_COUNT	int
#define VTTY_RECV_RET		int
#define VTTY_LOOKAHEAD_COUNT	unsigned int
#endif

/* Linux 6.3 made carrier_raised() return bool and dtr_rts() take a bool. */
#if VTTY_KERNEL_AT_LEAST(6, 3)
#define VTTY_CARRIER_RET	bool
#define VTTY_DTR_RTS_ARG	bool
#else
#define VTTY_CARRIER_RET	int
#define VTTY_DTR_RTS_ARG	int
#endif

/* Output queue between the application and the master (power of two). */
#define VTTY_XMIT_SIZE		SZ_16K
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
/* Longest a break request waits for the master to make room. */
#define VTTY_BREAK_WAIT		HZ

#define VTTY_MAX_PORTS_LIMIT	16384

#define VTTY_OUTPUT_LINES	(TIOCM_DTR | TIOCM_RTS | TIOCM_OUT1 | \
				 TIOCM_OUT2 | TIOCM_LOOP)
#define VTTY_INPUT_LINES	(TIOCM_CTS | TIOCM_DSR | TIOCM_CAR | TIOCM_RNG)

static_assert(VTMX_MAX_PACKET_SIZE == 1 + sizeof(struct termios2));
static_assert(VTTY_CTRL_BREAK_SLOTS >= 1);

static unsigned int max_ports = 1024;
module_param(max_ports, uint, 0444);
MODULE_PARM_DESC(max_ports, "Maximum number of ttyV ports (1-16384, default 1024)");

struct vtty_ctrl {
	u8 tag;
	union {
		struct termios2 termios;
		u32 modem;
		s32 brk;
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
	u32 xmit_head;
	u32 xmit_tail;
	u32 xmit_flush_to;
	bool xmit_reading;
	bool xmit_flush_pending;
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
	struct vtty_icount icount;	/* except rx: under write_mutex */

	/* Serialises master readers. */
	struct mutex read_mutex;
	/* Serialises producers into the port's flip buffer. */
	struct mutex write_mutex;

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
 * Queue a termios or modem state.  This never fails and never sleeps: when
 * the queue is full, an older state is merged into the new one instead.
 * Only states queued after the newest break are candidates, so no state
 * ever moves across a break; the victim is the newest queued state of the
 * same kind, or, when there is none, the older of the two newest states of
 * the other kind (there are at least two, because breaks leave two slots
 * free behind them).  The newest state of each kind is therefore always
 * delivered, and always after every break queued before it.
 */
static void vtty_queue_state(struct vtty_port *vp, const struct vtty_ctrl *c)
{
	unsigned int first, i;

	lockdep_assert_held(&vp->lock);

	if (vp->ctrl_count == VTTY_CTRL_SLOTS) {
		for (first = vp->ctrl_count; first > 0; first--)
			if (vp->ctrl[first - 1].tag == TAG_BREAK_CTL)
				break;
		for (i = vp->ctrl_count; i > first; i--)
			if (vp->ctrl[i - 1].tag == c->tag)
				break;
		if (i > first)
			vtty_ctrl_del(vp, i - 1);
		else if (!WARN_ON_ONCE(vp->ctrl_count - first < 2))
			vtty_ctrl_del(vp, vp->ctrl_count - 2);
		else
			return;
	}
	vp->ctrl[vp->ctrl_count++] = *c;
}

static bool vtty_break_room(struct vtty_port *vp, struct tty_struct *tty)
{
	unsigned long flags;
	bool room;

	spin_lock_irqsave(&vp->lock, flags);
	room = vp->ctrl_count < VTTY_CTRL_BREAK_SLOTS || vp->master_gone;
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
		if (vp->ctrl_count < VTTY_CTRL_BREAK_SLOTS) {
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
 * the new levels in the next modem packet; the seed protocol has no packet
 * of its own for this.
 */
static void vtty_dtr_rts(struct tty_port *port, VTTY_DTR_RTS_ARG active)
{
	struct vtty_port *vp = to_vtty_port(port);
	unsigned long flags;

	spin_lock_irqsave(&vp->lock, flags);
	if (active)
		vp->mctrl_out |= TIOCM_DTR | TIOCM_RTS;
	else
		vp->mctrl_out &= ~(TIOCM_DTR | TIOCM_RTS);
	spin_unlock_irqrestore(&vp->lock, flags);
}

static int vtty_activate(struct tty_port *port, struct tty_struct *tty)
{
	struct vtty_port *vp = to_vtty_port(port);
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
			vp->xmit_head = 0;
			vp->xmit_tail = 0;
			vp->xmit_flush_pending = false;
			buf = NULL;
		}
		vp->active = true;
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
	u8 *buf;

	spin_lock_irq(&vp->lock);
	vp->active = false;
	buf = vtty_release_idle_xmit(vp);
	spin_unlock_irq(&vp->lock);
	kvfree(buf);

	/* The line discipline flush freed flip buffer space. */
	vtty_wake_master_writer(vp);
	wake_up_interruptible(&vp->ctrl_wait);
}

static void vtty_destruct(struct tty_port *port)
{
	struct vtty_port *vp = to_vtty_port(port);

	mutex_lock(&vtty_idr_mutex);
	if (vp->index >= 0)
		idr_remove(&vtty_idr, vp->index);
	mutex_unlock(&vtty_idr_mutex);
	kvfree(vp->xmit);
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

static int vtty_open(struct tty_struct *tty, struct file *filp)
{
	return tty_port_open(tty->port, tty, filp);
}

static void vtty_close(struct tty_struct *tty, struct file *filp)
{
	tty_port_close(tty->port, tty, filp);
}

static void vtty_hangup(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;

	tty_port_hangup(tty->port);
	wake_up_interruptible(&vp->ctrl_wait);
}

/* May be called in atomic context and concurrently with itself. */
static VTTY_WRITE_RET vtty_write(struct tty_struct *tty, const u8 *buf,
				 VTTY_WRITE_COUNT count)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	u32 n = 0, off, first;

	if (!count)
		return 0;

	spin_lock_irqsave(&vp->lock, flags);
	if (vp->master_gone) {
		spin_unlock_irqrestore(&vp->lock, flags);
		return -EIO;
	}
	if (vp->xmit) {
		n = min_t(size_t, count,
			  VTTY_XMIT_SIZE - (vp->xmit_head - vp->xmit_tail));
		off = vp->xmit_head & (VTTY_XMIT_SIZE - 1);
		first = min_t(u32, n, VTTY_XMIT_SIZE - off);
		memcpy(vp->xmit + off, buf, first);
		memcpy(vp->xmit, buf + first, n - first);
		vp->xmit_head += n;
	}
	if (n < count)
		vp->xmit_wake = true;
	spin_unlock_irqrestore(&vp->lock, flags);

	if (n)
		vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM);
	return n;
}

static unsigned int vtty_write_room(struct tty_struct *tty)
{
	struct vtty_port *vp = tty->driver_data;
	unsigned long flags;
	unsigned int room = 0;

	spin_lock_irqsave(&vp->lock, flags);
	if (vp->xmit && !vp->master_gone)
		room = VTTY_XMIT_SIZE - (vp->xmit_head - vp->xmit_tail);
	if (room < VTTY_XMIT_SIZE)
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
	}
	spin_unlock_irqrestore(&vp->lock, flags);
	tty_wakeup(tty);
}

static void vtty_set_termios(struct tty_struct *tty,
			     const struct ktermios *old)
{
	struct vtty_port *vp = tty->driver_data;
	struct vtty_ctrl c;

	memset(&c, 0, sizeof(c));
	c.tag = TAG_SET_TERMIOS;
	vtty_ktermios_to_termios2(&tty->termios, &c.termios);

	spin_lock_irq(&vp->lock);
	/* As a UART does: B0 drops DTR and RTS, leaving B0 raises them. */
	if ((old->c_cflag & CBAUD) && !C_BAUD(tty)) {
		vp->mctrl_out &= ~(TIOCM_DTR | TIOCM_RTS);
	} else if (!(old->c_cflag & CBAUD) && C_BAUD(tty)) {
		vp->mctrl_out |= TIOCM_DTR;
		if (!C_CRTSCTS(tty) || !tty_throttled(tty))
			vp->mctrl_out |= TIOCM_RTS;
	}
	vtty_queue_state(vp, &c);
	spin_unlock_irq(&vp->lock);

	vtty_wake_master_reader(vp, EPOLLIN | EPOLLRDNORM | EPOLLPRI);
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

/* Room in the line discipline again: the master may write once more. */
static void vtty_unthrottle(struct tty_struct *tty)
{
	vtty_wake_master_writer(tty->driver_data);
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
	.unthrottle		= vtty_unthrottle,
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
	vp->xmit_flush_pending = false;
	spin_unlock_irq(&vp->lock);
	wake_up_interruptible(&vp->ctrl_wait);

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
	mutex_init(&vp->read_mutex);
	mutex_init(&vp->write_mutex);
	init_waitqueue_head(&vp->read_wait);
	init_waitqueue_head(&vp->write_wait);
	init_waitqueue_head(&vp->ctrl_wait);

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

static bool vtty_master_readable(struct vtty_port *vp)
{
	bool readable;

	spin_lock_irq(&vp->lock);
	readable = vp->ctrl_count || (vp->xmit && vp->xmit_head != vp->xmit_tail);
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
 * Called with read_mutex held; returns 0 when no output waits.  *wake says
 * whether the tty's writers have to be told about the room made.
 */
static ssize_t vtty_read_data(struct vtty_port *vp, char __user *buf,
			      size_t count, bool *wake)
{
	u32 tail, n, off, first;
	u8 *xmit, *idle;
	int ret = 0;

	spin_lock_irq(&vp->lock);
	xmit = vp->xmit;
	n = xmit ? vp->xmit_head - vp->xmit_tail : 0;
	if (!n) {
		spin_unlock_irq(&vp->lock);
		return 0;
	}
	n = min_t(size_t, n, count - 1);
	tail = vp->xmit_tail;
	vp->xmit_reading = true;
	spin_unlock_irq(&vp->lock);

	/* While xmit_reading, the ring stays and [tail, tail + n) is ours. */
	off = tail & (VTTY_XMIT_SIZE - 1);
	first = min_t(u32, n, VTTY_XMIT_SIZE - off);
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

static ssize_t vtmx_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct vtty_port *vp = file->private_data;
	struct tty_port *port = &vp->port;
	u8 small[VTTY_WRITE_SMALL];
	u8 *bounce = small;
	size_t done = 0;
	ssize_t ret = 0;

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
		size_t room = tty_buffer_space_avail(port);
		size_t chunk, n;

		if (!room) {
			if (file->f_flags & O_NONBLOCK) {
				ret = -EAGAIN;
				break;
			}
			mutex_unlock(&vp->write_mutex);
			ret = wait_event_interruptible(vp->write_wait,
						       tty_buffer_space_avail(port));
			if (ret)
				goto out_free;
			if (mutex_lock_interruptible(&vp->write_mutex)) {
				ret = -ERESTARTSYS;
				goto out_free;
			}
			continue;
		}

		chunk = min3(count - done, room, (size_t)VTTY_WRITE_CHUNK);
		if (copy_from_user(bounce, ubuf + done, chunk)) {
			ret = -EFAULT;
			break;
		}
		n = tty_insert_flip_string(port, bounce, chunk);
		if (!n) {
			/* Room was there but the buffer could not grow. */
			ret = -ENOMEM;
			break;
		}
		tty_flip_buffer_push(port);
		done += n;
		vp->icount.rx += n;
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
	if (vp->xmit && vp->xmit_head != vp->xmit_tail)
		mask |= EPOLLIN | EPOLLRDNORM;
	spin_unlock_irq(&vp->lock);

	if (tty_buffer_space_avail(&vp->port))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static void vtty_set_input_lines(struct vtty_port *vp, unsigned int lines)
{
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
	/* Like a UART's TERI bit: count the trailing edge of a ring. */
	if ((changed & TIOCM_RNG) && !(lines & TIOCM_RNG))
		vp->icount.rng++;
	spin_unlock_irq(&vp->lock);

	if (!changed)
		return;
	wake_up_interruptible(&vp->port.delta_msr_wait);
	if (changed & TIOCM_CAR) {
		if (lines & TIOCM_CAR)
			wake_up_interruptible(&vp->port.open_wait);
		else
			tty_port_tty_hangup(&vp->port, true);
	}
}

static long vtmx_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vtty_port *vp = file->private_data;
	int lines;

	switch (cmd) {
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
