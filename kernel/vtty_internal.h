/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtty - what the module's files share: struct vtty_port, its limits, and
 * the functions one file calls in another
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
 * ->cleanup).  The index is not tied to that count: it is freed when the
 * second of the two sides is gone (the master's release, or the tty's
 * ->shutdown in its last close), before that close returns, as a pty's is;
 * the tty core frees the tty_struct, and with it our reference, later.
 *
 * Output the application wrote stays readable by the master after the
 * application closes, as with a pty: a close never waits for the master
 * (closing_wait is NONE) and loses nothing.  A hangup discards it, as on a
 * UART.
 *
 * Lock order, outermost first: while holding one of these locks, code
 * only takes locks listed after it.
 *
 *   0. vtty_port.plug_mutex (the plug ioctls and the master's release,
 *      around the hangup and the driver core's device registration)
 *   1. the tty core's tty_mutex and tty lock (held around ->install,
 *      ->open, ->close, ->hangup, ->shutdown)
 *   2. vtty_index_mutex
 *   3. tty_port.mutex (->activate, ->shutdown, TIOCGSERIAL/TIOCSSERIAL)
 *   4. vtty_port.read_mutex (master reads) or vtty_port.write_mutex (every
 *      producer of received data: master writes, VTMX_INJECT_RX,
 *      ->activate's push; and the driver's flushes of it); never both
 *   5. a reference to the line discipline (tty_ldisc_ref())
 *   6. the flip buffer's lock (tty_buffer_lock_exclusive())
 *   7. n_tty's locks while it receives (termios_rwsem for reading, its
 *      output and throttle mutexes); n_tty calls back into ->write()
 *      (echo) and ->throttle() from there (->unthrottle() comes from the
 *      application's read and from tty_unthrottle(), under the same kinds
 *      of locks)
 *   8. tty_port.lock (a spinlock, never held together with the next)
 *   9. vtty_port.lock (a spinlock, innermost: under it only the timer
 *      internals of hrtimer_start() take a lock of their own)
 *
 * Never held while waiting for something that takes them:
 * hrtimer_cancel() of the pace timer runs without vtty_port.lock (the
 * callback takes it).  Nothing sleeps or copies to/from userspace under a
 * spinlock.
 *
 * vtty_port.lock is taken with interrupts off, because the pace timer's
 * callback runs in hard interrupt context.  The rule: spin_lock_irq()
 * wherever the code may sleep (/dev/vtmx file operations, work items, and
 * the tty methods the core calls in process context); spin_lock_irqsave()
 * only where the caller may hold a spinlock or have interrupts off: the
 * tty ->write(), ->write_room(), ->chars_in_buffer(), ->flush_buffer(),
 * ->stop(), ->start() and ->send_xchar() methods, and the pace timer.
 *
 * Words with one meaning each: flow control "stops" output (->stop(), CTS
 * low) and "throttles" input; received bytes are "delivered" to the line
 * discipline, directly or through the flip buffer; "discard" throws data
 * away, as "flush" does where it is the kernel's or the ABI's word
 * (->flush_buffer, TAG_FLUSH).
 */
#ifndef _VTTY_INTERNAL_H
#define _VTTY_INTERNAL_H

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/serial.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/termios.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "vtty.h"
#include "vtty_compat.h"

/*
 * Output queue between the application and the master (powers of two).
 * Every open port starts with VTTY_XMIT_SIZE: an idle one costs struct
 * vtty_port plus 8 KiB, and that still holds two of the application's
 * 4 KiB writes while the master reads the previous one.  When a stream
 * fills it anyway, the master's next read moves the queue to a ring of
 * VTTY_XMIT_MAX, so that one read of the master can carry up to eight
 * times as much; it stays until the tty's last close.
 * While output is paced or stopped by flow control only VTTY_XMIT_SIZE of
 * it is taken, as a UART's fixed buffer would: tcdrain() and a close stay
 * as short as they were.
 */
#define VTTY_XMIT_SIZE		SZ_8K
#define VTTY_XMIT_MAX		SZ_64K
/* One step of a master write: the size of the port's bounce buffer. */
#define VTTY_WRITE_CHUNK	SZ_4K
/*
 * Master writes up to this size bounce through the stack, so that a port
 * whose master only ever writes a little never holds the 4 KiB buffer.
 */
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
 * What the master may have written that the application has not read is
 * bounded by 64 KiB: the flip buffer's limit in the tty core's accounting,
 * which counts a buffer of plain data at half its size (the flag bytes it
 * does not need hold data too), so up to twice this plus the rounding of
 * one buffer, in front of the line discipline's own 4 KiB.  That comes to
 * about 37 KiB, twice what a pty holds: a master writing 4 KiB blocks has
 * several blocks in hand before it sleeps, and a slow reader does not
 * stall it at every read.  See docs/protocol.md.
 */
#define VTTY_RX_FLIP_LIMIT	SZ_16K

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

/* What a pending x_char tells the master. */
#define VTTY_XFLOW_NONE		0
#define VTTY_XFLOW_XOFF		1
#define VTTY_XFLOW_XON		2

/* The events a master reader or poller waits for. */
#define VTTY_POLL_DATA		(EPOLLIN | EPOLLRDNORM)
#define VTTY_POLL_CTRL		(EPOLLIN | EPOLLRDNORM | EPOLLPRI)

/* A control packet waiting for the master. */
struct vtty_ctrl {
	u8 tag;
	union {
		struct termios2 termios;
		u32 modem;
		s32 brk;
		u32 value;	/* TAG_OPEN_COUNT, TAG_FLUSH */
	};
};

/* Control packets, oldest first (ctrl.c).  Under vtty_port.lock. */
struct vtty_ctrl_queue {
	struct vtty_ctrl pkt[VTTY_CTRL_SLOTS];
	unsigned int count;
	unsigned int seq;		/* bumped whenever pkt[0] changes */
};

/*
 * The application's output not yet read by the master (xmit.c).  Under
 * vtty_port.lock; only the bytes a master read copies out while reading
 * is set are read without it.  head and tail run freely and are masked on
 * use.  The tty ->write() fills the ring under the lock; the master copies
 * out of [tail, avail) without the lock while reading is set, and commits
 * by moving tail afterwards.  A discard while the master copies cannot
 * move tail under it, so it records where the discard ends instead.
 * grow is also peeked at with READ_ONCE() before a read takes the lock.
 * The ring exists while the tty is active or holds unread output; whoever
 * finds it idle and empty frees it, but never while reading is set.  With
 * line-rate pacing [tail, avail) has been "transmitted" and the master may
 * read it, and [avail, head) is still queued for the line; without pacing
 * avail follows head.
 */
struct vtty_xmit {
	u8 *buf;
	u32 size;			/* of the ring at buf */
	bool grow;			/* a stream filled it: enlarge it */
	u32 head;
	u32 tail;
	u32 avail;
	u32 discard_to;
	bool discard_pending;
	bool reading;
	/*
	 * Someone on the tty side saw output still queued (a short write, a
	 * poll, tcdrain, a full write_room): the master's next read must
	 * wake the tty's writers.  Reads skip the wakeup otherwise.
	 */
	bool wake_writers;
};

/*
 * Line-rate pacing, VTTY_FEAT_LINE_RATE (pace.c).  Under vtty_port.lock,
 * which the timer's callback takes in hard interrupt context.  A run is a
 * stretch of back-to-back characters: character k of the run (k from 0)
 * ends start + (k + 1) character times in, so released counts come from
 * the elapsed time, never from summed rounded ticks.
 */
struct vtty_pace {
	bool running;			/* a run is on the line */
	ktime_t start;			/* when the run's first character began */
	u64 sent;			/* characters of the run released */
	u32 baud;			/* line speed; 0 (B0) means no pacing */
	u32 half_bits;			/* line time of a character, in half bits */
	struct hrtimer timer;
};

/*
 * Flow control in both directions, as the tty core and the master drive
 * it.  Under vtty_port.lock.
 */
struct vtty_flow {
	bool crtscts;			/* C_CRTSCTS of the attached tty */
	bool stopped;			/* ->stop() without ->start() since */
	bool throttled;			/* ->throttle() without ->unthrottle() */
	u8 x_char;			/* XON/XOFF to send ahead of output */
	u8 x_flow;			/* what x_char means: VTTY_XFLOW_* */
	bool remote_xoff;		/* the master's last flow char was XOFF */
};

/*
 * Modem lines and the line event counters (lines.c).  Under
 * vtty_port.lock.
 */
struct vtty_lines {
	unsigned int out;		/* application outputs (DTR, RTS...) */
	unsigned int in;		/* master inputs (CTS, DSR, CAR, RNG) */
	struct async_icount icount;
};

/*
 * What TIOCGSERIAL reports and TIOCSSERIAL sets (lines.c).  Written under
 * tty_port.mutex and vtty_port.lock both; read under either.
 */
struct vtty_serial {
	u32 flags;			/* ASYNC_* */
	u32 baud_base;
	u32 custom_divisor;
};

/*
 * The master -> application path (rx.c).  Under vtty_port.lock; changed
 * only under write_mutex too, except where the flip buffer's consumer
 * counts down what the line discipline took.
 */
struct vtty_rx {
	/*
	 * Bytes we put into the flip buffer that the line discipline has not
	 * taken.  Never less than what is there: a flush by the tty core
	 * leaves it counting bytes that are gone (see vtty_rx_discard()).
	 */
	u32 in_flip;
	/*
	 * Where a master write over VTTY_WRITE_SMALL bytes copies its chunk
	 * before handing it on (VTTY_WRITE_CHUNK bytes, under write_mutex).
	 * Kept from the first such write until the port goes: allocating it
	 * per write cost a zeroed 4 KiB on kernels that clear allocations.
	 */
	u8 *bounce;
};

/*
 * A name family (core.c): one tty driver and its own index space, for the
 * ports of one VTTY_KIND_*.  ports maps an index to its vtty_port while a
 * side holds the index; changed under vtty_index_mutex.
 */
struct vtty_family {
	const char *name;		/* of the nodes: "ttyV", "ttyUSBV"... */
	const char *driver_name;
	struct tty_driver *driver;
	struct xarray ports;
};

#define VTTY_FAMILIES		(VTTY_KIND_USB_ACM + 1)

struct vtty_port {
	struct tty_port port;
	bool hotplug;			/* created by /dev/vtmx-hotplug */

	/* Under vtty_index_mutex. */
	struct vtty_family *family;	/* changes only while no index held */
	int index;			/* in family, -1 until allocated */
	bool master_holds_index;	/* which sides hold the index */
	bool tty_holds_index;
	char name[VTTY_NAME_SIZE];	/* "" or unique among all ports */
	struct list_head named;		/* in vtty_named while name[0] */

	/*
	 * Plugging in and out (device.c): serialised by plug_mutex, which
	 * is taken before any other lock (see the lock order).
	 */
	struct mutex plug_mutex;
	struct vtty_identity identity;	/* what the next plug shows */
	struct device *tty_dev;		/* the tty's device while plugged */
	struct device *hw_dev;		/* its parent, for hotplug ports */

	/* Guards every field from here to rx. */
	spinlock_t lock;
	bool master_gone;		/* vtmx closed: refuse opens, drop output */
	/*
	 * The tty may be opened (its node exists).  Written under
	 * vtty_index_mutex and this lock both, by plug_mutex's holder; read
	 * under either.
	 */
	bool plugged;
	u32 plug_gen;			/* counts the plug-ins */
	u32 tty_gen;			/* plug_gen the tty was set up for */
	/*
	 * The tty between ->activate and ->shutdown, NULL otherwise.  No
	 * reference: the tty core frees a tty only after its ->shutdown.
	 */
	struct tty_struct *active_tty;
	u32 features;			/* VTTY_FEAT_* the master enabled */
	struct termios2 termios;	/* the tty's settings, for REQUEST_STATE */
	/* Issued TCSETSF/TCSETSF2/TCSETAF and not yet reached set_termios. */
	const struct task_struct *saflush_task;
	struct vtty_ctrl_queue ctrl;
	struct vtty_xmit xmit;
	struct vtty_pace pace;
	struct vtty_flow flow;
	struct vtty_lines lines;
	struct vtty_rx rx;

	struct vtty_serial serial;	/* its own rule: see struct vtty_serial */

	/* Serialises master readers. */
	struct mutex read_mutex;
	/* Serialises producers into the port's flip buffer. */
	struct mutex write_mutex;

	wait_queue_head_t read_wait;	/* master: a packet is queued */
	wait_queue_head_t write_wait;	/* master: room in the flip buffer */
	wait_queue_head_t ctrl_wait;	/* application: room for a break */
};

static inline struct vtty_port *to_vtty_port(struct tty_port *port)
{
	return container_of(port, struct vtty_port, port);
}

static inline void vtty_wake_master_reader(struct vtty_port *vp,
					   __poll_t events)
{
	/* Pairs with the barrier in prepare_to_wait() / poll_wait() users. */
	if (wq_has_sleeper(&vp->read_wait))
		wake_up_interruptible_poll(&vp->read_wait, events);
}

static inline void vtty_wake_master_writer(struct vtty_port *vp)
{
	if (wq_has_sleeper(&vp->write_wait))
		wake_up_interruptible_poll(&vp->write_wait,
					   EPOLLOUT | EPOLLWRNORM);
}

/* core.c: module, port lifetime and index */
extern struct vtty_family vtty_families[VTTY_FAMILIES];
extern struct mutex vtty_index_mutex;
extern struct list_head vtty_named;
struct vtty_port *vtty_port_create(bool hotplug);
int vtty_take_index(struct vtty_port *vp);
int vtty_set_index(struct vtty_port *vp, u32 index);
int vtty_install(struct tty_driver *driver, struct tty_struct *tty);
void vtty_cleanup(struct tty_struct *tty);
void vtty_release_tty(struct tty_struct *tty);
void vtty_release_master_index(struct vtty_port *vp);
void vtty_destruct(struct tty_port *port);

/* tty.c: the application's side */
extern const struct tty_operations vtty_ops;
extern const struct tty_port_operations vtty_port_ops;
void vtty_ktermios_to_termios2(const struct ktermios *kt,
			       struct termios2 *t2);
unsigned int vtty_open_count(struct vtty_port *vp);

/* ctrl.c: control packets */
bool vtty_queue_event(struct vtty_port *vp, u8 tag, u32 value);
void vtty_queue_modem(struct vtty_port *vp);
void vtty_queue_termios(struct vtty_port *vp);
int vtty_break_ctl(struct tty_struct *tty, int state);
ssize_t vtty_ctrl_read(struct vtty_port *vp, char __user *buf);

/* lines.c: modem lines, counters, serial info */
bool vtty_auto_lines(struct vtty_port *vp, unsigned int old);
void vtty_spd_speed(struct vtty_port *vp, struct termios2 *t);
VTTY_CARRIER_RET vtty_carrier_raised(struct tty_port *port);
void vtty_dtr_rts(struct tty_port *port, VTTY_DTR_RTS_ARG active);
int vtty_tiocmget(struct tty_struct *tty);
int vtty_tiocmset(struct tty_struct *tty, unsigned int set,
		  unsigned int clear);
int vtty_wait_modem(struct vtty_port *vp, struct tty_struct *tty,
		    unsigned long mask);
int vtty_get_icount(struct tty_struct *tty,
		    struct serial_icounter_struct *icount);
int vtty_get_serial(struct tty_struct *tty, struct serial_struct *ss);
int vtty_set_serial(struct tty_struct *tty, struct serial_struct *ss);
void vtty_set_input_lines(struct vtty_port *vp, unsigned int lines);

/* xmit.c: the output ring */
bool vtty_tx_stopped(struct vtty_port *vp);
u8 *vtty_xmit_release_idle(struct vtty_port *vp);
u32 vtty_xmit_unread(struct vtty_port *vp);
VTTY_WRITE_RET vtty_write(struct tty_struct *tty, const u8 *buf,
			  VTTY_WRITE_COUNT count);
VTTY_ROOM_RET vtty_write_room(struct tty_struct *tty);
VTTY_ROOM_RET vtty_chars_in_buffer(struct tty_struct *tty);
void vtty_flush_buffer(struct tty_struct *tty);
void vtty_stop(struct tty_struct *tty);
void vtty_start(struct tty_struct *tty);
void vtty_send_xchar(struct tty_struct *tty, VTTY_XCHAR ch);
bool vtty_data_readable(struct vtty_port *vp);
ssize_t vtty_xmit_read(struct vtty_port *vp, char __user *buf,
		       size_t count, bool *wake);

/* pace.c: line-rate pacing */
void vtty_pace_init(struct vtty_port *vp);
bool vtty_pacing(struct vtty_port *vp);
bool vtty_pace_update(struct vtty_port *vp);
bool vtty_pace_set_line(struct vtty_port *vp, u32 baud, tcflag_t cflag);
bool vtty_pace_queued(struct vtty_port *vp);

/* rx.c: the master -> application path */
extern const struct tty_port_client_operations vtty_client_ops;
void vtty_throttle(struct tty_struct *tty);
void vtty_unthrottle(struct tty_struct *tty);
size_t vtty_master_write_room(struct vtty_port *vp);
ssize_t vtty_master_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos);
int vtty_inject_rx(struct vtty_port *vp, struct file *file, u32 arg);
void vtty_rx_discard(struct vtty_port *vp, struct tty_struct *tty);

/* device.c: plugging in and out, the identity, the port's devices */
int vtty_device_init(void);
void vtty_device_exit(void);
int vtty_plug(struct vtty_port *vp);
int vtty_unplug(struct vtty_port *vp);
void vtty_remove_devices(struct vtty_port *vp);
int vtty_set_identity(struct vtty_port *vp,
		      const struct vtty_identity __user *uid);
int vtty_get_identity(struct vtty_port *vp, struct vtty_identity __user *uid);
int vtty_set_name(struct vtty_port *vp, const struct vtty_name __user *uname);
void vtty_clear_name(struct vtty_port *vp);

/* master.c: /dev/vtmx */
int vtty_master_register(void);
void vtty_master_unregister(void);
void vtty_master_release(struct vtty_port *vp);

#endif /* _VTTY_INTERNAL_H */
