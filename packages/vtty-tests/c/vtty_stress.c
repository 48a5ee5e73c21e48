// SPDX-License-Identifier: GPL-2.0
/*
 * vtty_stress - several ports driven from both sides at once, for a bounded
 * time, by processes that run on different CPUs where there are several.
 *
 *   make -C packages/vtty-tests/c
 *   uml/run.sh --kernel 7.2 -- \
 *       packages/vtty-tests/c/build/vtty_stress --seconds 60
 *
 * Each port has three processes: its master, an application process that
 * moves data and changes termios, and one that works the modem lines,
 * breaks, flushes and hangups on a second open of the same tty.  They race
 * on purpose: termios and flow control change while data flows, DCD drops
 * while CLOCAL is off, breaks wait for a master that is busy, and the port
 * is closed in every order (master first, application first, both at once)
 * and created again.
 *
 * The verdict: every call either succeeds or fails with an error the
 * interface allows in that race (docs/protocol.md: EAGAIN, EINTR; EIO on a
 * hung-up tty; ENOENT/ENXIO/ENODEV opening a port that is going away; EBUSY
 * for a break the master is too slow for), every master packet is well
 * formed, the master never sees POLLHUP or POLLERR, and a fresh port works
 * afterwards.  The runner adds the other half: a clean kernel log.
 *
 * Nothing here waits for an event without a bound: every descriptor is
 * non-blocking except in the blocking calls made on purpose (a drain, a
 * break, TIOCMIWAIT, an open waiting for carrier), and a periodic SIGALRM
 * without SA_RESTART ends those with EINTR.  poll() timeouts pace the loops.
 *
 * Only <asm/termbits.h> is used for termios (struct termios2), never
 * <termios.h>, because the two declare struct termios differently.
 */
#define _GNU_SOURCE
#include <asm/termbits.h>
#include <getopt.h>
#include <sched.h>

#include "vtty.h"
#include "vtty_util.h"

#ifndef TIOCM_OUT1
#define TIOCM_OUT1 0x2000	/* <asm/termios.h>, which clashes with glibc */
#define TIOCM_OUT2 0x4000
#endif

enum kind {
	K_M_OPEN, K_M_CLOSE_FIRST, K_M_CLOSE_LAST, K_M_CLOSE_TOGETHER,
	K_M_POLL, K_M_READ, K_M_WRITE, K_M_LINES,
	K_M_INJECT, K_M_FEATURES, K_M_STATE,
	K_T_OPEN, K_T_CLOSE, K_T_POLL, K_T_READ, K_T_WRITE, K_T_TERMIOS,
	K_T_FLUSH, K_T_DRAIN, K_T_TIOCM, K_T_BREAK, K_T_HANGUP, K_T_MIWAIT,
	K_T_QUERY, KINDS
};

static const char *const kind_names[KINDS] = {
	"master-open", "master-close-1st", "master-close-last",
	"master-close-both", "master-poll", "master-read",
	"master-write", "master-lines", "master-inject", "master-features",
	"master-state",
	"tty-open", "tty-close", "tty-poll", "tty-read", "tty-write",
	"tty-termios", "tty-flush", "tty-drain", "tty-tiocm", "tty-break",
	"tty-hangup", "tty-miwait", "tty-query",
};

/* What the interface allows, in the race, per kind of call. */
static const int e_again[] = { EAGAIN, EINTR, 0 };
static const int e_intr[] = { EINTR, 0 };
static const int e_tty_open[] = { ENOENT, ENXIO, ENODEV, EIO, EAGAIN, EINTR,
				  0 };
static const int e_tty_io[] = { EAGAIN, EIO, EINTR, 0 };
static const int e_tty_ioctl[] = { EIO, EINTR, 0 };
static const int e_tty_break[] = { EIO, EINTR, EBUSY, 0 };

enum role { ROLE_MASTER, ROLE_DATA, ROLE_CTRL, ROLES };
static const char *const role_names[ROLES] = { "master", "data", "ctrl" };
#define APPS (ROLES - 1)

/* How the master ends a port: alone, after its applications, with them. */
enum close_mode { CLOSE_NONE, CLOSE_MASTER_FIRST, CLOSE_APP_FIRST,
		  CLOSE_TOGETHER };

/*
 * A port as its three processes see it, in shared memory.  The master
 * publishes the index of the port it holds (-1 while it holds none) and a
 * generation that grows with every port it creates; the applications open
 * what is published.  A close request names a generation: the applications
 * close their descriptors of it and acknowledge; for CLOSE_TOGETHER they
 * then spin until the master says go, so that both sides close at once.
 */
struct port_slot {
	int idx;
	unsigned int gen;
	int close_mode;
	unsigned int close_gen;
	int acks;
	int go;
};

static struct port_slot *slots;
static long long end_ms;

#define TICK_MS		1	/* a poll() that paces a loop */
#define ALARM_US	10000	/* how long a blocked call may wait */

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

struct worker {
	struct vt_worker *w;
	struct port_slot *slot;
	struct vt_rng rng;
	int fd;
	unsigned int gen;	/* the generation fd belongs to */
	int hung;		/* fd's tty was hung up: reopen it */
	unsigned int acked;	/* the close request answered last */
	unsigned long iter;	/* loop iterations */
	uint32_t features;
	unsigned char buf[65536];
};

static int over(struct worker *p)
{
	/* The clock is a system call in UML: look at it now and then. */
	return !(++p->iter & 31) && vt_now_ms() >= end_ms;
}

/* A poll tick: 0 ms mostly, TICK_MS now and then; returns revents. */
static short tick(struct worker *p, int kind, short events)
{
	struct pollfd pfd = { .fd = p->fd, .events = events };
	int n;

	vt_begin(p->w, kind);
	n = poll(&pfd, 1, vt_below(&p->rng, 4) ? 0 : TICK_MS);
	if (!vt_note(p->w, kind, n, errno, e_intr))
		return 0;
	return n ? pfd.revents : 0;
}

/* ---- the master ---------------------------------------------------------- */

static void check_packet(struct worker *p, const unsigned char *b, long n)
{
	if (!vt_packet_ok(b, n))
		vt_fail(p->w, K_M_READ,
			"malformed packet: tag %u, %ld bytes, word %d", b[0], n,
			vt_packet_word(b, n));
}

static void master_open(struct worker *p)
{
	static const uint32_t choices[] = {
		0, VTTY_FEAT_MODEM_EVENTS | VTTY_FEAT_OPEN_EVENTS |
		VTTY_FEAT_FLUSH_EVENTS, VTTY_FEAT_HW_FLOW, VTTY_FEAT_SW_FLOW,
		VTTY_FEAT_HW_FLOW | VTTY_FEAT_SW_FLOW | VTTY_FEAT_MODEM_EVENTS,
	};
	unsigned int idx;
	uint32_t f;
	long r;

	vt_begin(p->w, K_M_OPEN);
	p->fd = open("/dev/vtmx", O_RDWR | O_NONBLOCK);
	if (!vt_note(p->w, K_M_OPEN, p->fd, errno, NULL))
		return;
	vt_begin(p->w, K_M_STATE);
	r = ioctl(p->fd, VTMX_GET_VTTY_NUM, &idx);
	vt_note(p->w, K_M_STATE, r, errno, NULL);
	/* Extensions a master may enable; line-rate pacing would slow all. */
	f = choices[vt_below(&p->rng, ARRAY_SIZE(choices))];
	vt_begin(p->w, K_M_FEATURES);
	r = ioctl(p->fd, VTMX_SET_FEATURES, &f);
	vt_note(p->w, K_M_FEATURES, r, errno, NULL);
	p->features = f;
	p->gen++;
	STORE(p->slot->close_mode, CLOSE_NONE);
	STORE(p->slot->idx, (int)idx);
	STORE(p->slot->gen, p->gen);
}

static void master_read(struct worker *p)
{
	/* One packet or a burst; buffers from the minimum to 64 KiB. */
	int reads = 1 + (int)vt_below(&p->rng, 8);
	size_t size = VTMX_MAX_PACKET_SIZE +
		      vt_below(&p->rng, sizeof(p->buf) - VTMX_MAX_PACKET_SIZE);

	while (reads--) {
		long n;

		vt_begin(p->w, K_M_READ);
		n = read(p->fd, p->buf, size);
		if (!vt_note(p->w, K_M_READ, n, errno, e_again))
			return;
		check_packet(p, p->buf, n);
	}
}

/* Sleeps until the applications have acknowledged, or 200 ms. */
static void master_await_acks(struct worker *p)
{
	long long until = vt_now_ms() + 200;

	while (LOAD(p->slot->acks) < APPS && vt_now_ms() < until) {
		/* Keep reading: an application may drain before it closes. */
		if (tick(p, K_M_POLL, POLLIN) & POLLIN)
			master_read(p);
	}
}

static void master_close(struct worker *p)
{
	int mode = CLOSE_MASTER_FIRST + (int)vt_below(&p->rng, 3);
	long r;

	if (mode != CLOSE_MASTER_FIRST) {
		STORE(p->slot->acks, 0);
		STORE(p->slot->go, 0);
		STORE(p->slot->close_gen, p->gen);
		STORE(p->slot->close_mode, mode);
		master_await_acks(p);
	}
	STORE(p->slot->idx, -1);
	STORE(p->slot->go, 1);
	/* The kinds are in the order of the modes. */
	vt_begin(p->w, K_M_CLOSE_FIRST + mode - CLOSE_MASTER_FIRST);
	r = close(p->fd);
	vt_note(p->w, K_M_CLOSE_FIRST + mode - CLOSE_MASTER_FIRST, r, errno,
		NULL);
	p->fd = -1;
}

static void master_op(struct worker *p, short revents)
{
	uint32_t r = vt_below(&p->rng, 100), v;
	size_t len;
	long n;

	if (r < 35) {
		if (revents & POLLIN)
			master_read(p);
	} else if (r < 55) {
		if (!(revents & POLLOUT))
			return;
		len = 1 + vt_below(&p->rng, 4096);
		vt_begin(p->w, K_M_WRITE);
		n = write(p->fd, p->buf, len);
		vt_note(p->w, K_M_WRITE, n, errno, e_again);
	} else if (r < 75) {
		/* DCD drops hang the tty up whenever its CLOCAL is off. */
		int lines = (int)vt_below(&p->rng, 0x200) &
			    (TIOCM_CTS | TIOCM_DSR | TIOCM_CAR | TIOCM_RNG);

		vt_begin(p->w, K_M_LINES);
		n = ioctl(p->fd, VTMX_SET_MODEM_LINES, &lines);
		vt_note(p->w, K_M_LINES, n, errno, NULL);
	} else if (r < 87) {
		/* Mostly breaks: the master's side of a break. */
		v = VTTY_INJECT(vt_rand(&p->rng),
				vt_below(&p->rng, 3) ? VTTY_RX_BREAK :
				vt_below(&p->rng, VTTY_RX_OVERRUN + 1));
		vt_begin(p->w, K_M_INJECT);
		n = ioctl(p->fd, VTMX_INJECT_RX, &v);
		vt_note(p->w, K_M_INJECT, n, errno, e_again);
	} else if (r < 93) {
		v = 0;
		vt_begin(p->w, K_M_STATE);
		n = ioctl(p->fd, vt_below(&p->rng, 2) ? VTMX_REQUEST_STATE :
			  VTMX_GET_ENABLED, &v);
		vt_note(p->w, K_M_STATE, n, errno, NULL);
	} else {
		/* Flow control switched on and off under running data. */
		v = p->features ^ (vt_below(&p->rng, 2) ? VTTY_FEAT_HW_FLOW :
				   VTTY_FEAT_SW_FLOW);
		vt_begin(p->w, K_M_FEATURES);
		n = ioctl(p->fd, VTMX_SET_FEATURES, &v);
		if (vt_note(p->w, K_M_FEATURES, n, errno, NULL))
			p->features = v;
	}
}

static void master_loop(struct worker *p)
{
	unsigned long close_at = 0;

	while (!over(p)) {
		short revents;

		if (p->fd < 0) {
			master_open(p);
			/*
			 * A port lives 30 to 600 rounds of its master (20 to
			 * 400 ms on UML 6.1), then goes in some order.  Counted
			 * in rounds, not time, so that the applications get
			 * their turns on a kernel of any speed.
			 */
			close_at = p->iter + 30 + vt_below(&p->rng, 570);
			continue;
		}
		revents = tick(p, K_M_POLL, POLLIN | POLLPRI | POLLOUT);
		if (revents & (POLLHUP | POLLERR | POLLNVAL))
			vt_fail(p->w, K_M_POLL, "revents %#x", revents);
		master_op(p, revents);
		if (p->iter >= close_at)
			master_close(p);
	}
	if (p->fd >= 0)
		master_close(p);
}

/* ---- the applications ---------------------------------------------------- */

static void tty_close(struct worker *p)
{
	long r;

	vt_begin(p->w, K_T_CLOSE);
	r = close(p->fd);
	vt_note(p->w, K_T_CLOSE, r, errno, NULL);
	p->fd = -1;
}

/*
 * EIO from a tty means it was hung up (by TIOCVHANGUP, DCD, or the master
 * closing), perhaps a moment later (see vt_hung_up()).  Then the descriptor
 * is only good for closing.
 */
static void tty_error(struct worker *p, int kind, int err)
{
	if (err != EIO)
		return;
	if (!vt_hung_up(p->fd, (long long)(10000 * vt_pace())))
		vt_fail(p->w, kind, "EIO, but no hangup within 10 s");
	p->hung = 1;
}

/*
 * Answers the master's close request once: closes the descriptor if it
 * belongs to the port being closed and acknowledges.  Returns 1 when it
 * acted.
 */
static int app_close_request(struct worker *p)
{
	int mode = LOAD(p->slot->close_mode);
	unsigned int gen = LOAD(p->slot->close_gen);
	long long until;

	if (mode == CLOSE_NONE || gen == p->acked)
		return 0;
	p->acked = gen;
	if (p->fd < 0 || p->gen != gen) {
		__atomic_add_fetch(&p->slot->acks, 1, __ATOMIC_ACQ_REL);
		return 1;
	}
	if (mode == CLOSE_APP_FIRST) {
		tty_close(p);
		__atomic_add_fetch(&p->slot->acks, 1, __ATOMIC_ACQ_REL);
		return 1;
	}
	/* Together: wait for the master's go, then both close at once. */
	__atomic_add_fetch(&p->slot->acks, 1, __ATOMIC_ACQ_REL);
	until = vt_now_ms() + 200;
	while (!LOAD(p->slot->go) && vt_now_ms() < until)
		sched_yield();
	tty_close(p);
	return 1;
}

/* Sleeps one tick: nothing to do until the master publishes a port. */
static void app_idle(struct worker *p)
{
	long n;

	vt_begin(p->w, K_T_POLL);
	n = poll(NULL, 0, TICK_MS);
	vt_note(p->w, K_T_POLL, n, errno, e_intr);
}

/* Opens the published port when fd is closed, hung up or of a dead port. */
static int app_ensure_open(struct worker *p, int ctrl)
{
	unsigned int gen = LOAD(p->slot->gen);
	int idx = LOAD(p->slot->idx), flags = O_RDWR | O_NOCTTY | O_NONBLOCK;

	if (p->fd >= 0 && !p->hung && gen == p->gen)
		return 1;
	if (p->fd >= 0) {
		tty_close(p);
		p->hung = 0;
	}
	/* A port the master is closing is not opened again. */
	if (idx < 0 || (LOAD(p->slot->close_mode) != CLOSE_NONE &&
			LOAD(p->slot->close_gen) == gen)) {
		app_idle(p);
		return 0;
	}
	/* Now and then a blocking open: it waits for DCD when CLOCAL is off. */
	if (ctrl && !vt_below(&p->rng, 8))
		flags &= ~O_NONBLOCK;
	vt_begin(p->w, K_T_OPEN);
	p->fd = open(vt_tty_path(idx), flags);
	if (!vt_note(p->w, K_T_OPEN, p->fd, errno, e_tty_open)) {
		p->fd = -1;
		app_idle(p);
		return 0;
	}
	p->gen = gen;
	p->hung = 0;
	if (!(flags & O_NONBLOCK))
		fcntl(p->fd, F_SETFL, O_NONBLOCK);
	return 1;
}

/* A random speed, standard or not; now and then B0 (the line dropped). */
static void random_speed(struct worker *p, struct termios2 *t)
{
	static const unsigned int std[] = { B0, B1200, B9600, B38400, B115200,
					    B230400, B921600 };
	uint32_t r = vt_below(&p->rng, 4);

	t->c_cflag &= ~CBAUD;
	if (r) {
		t->c_cflag |= BOTHER;
		t->c_ispeed = t->c_ospeed = 50 + vt_below(&p->rng, 4000000);
	} else {
		t->c_cflag |= std[vt_below(&p->rng, ARRAY_SIZE(std))];
	}
}

static void app_termios(struct worker *p)
{
	static const unsigned long how[] = { TCSETS2, TCSETSW2, TCSETSF2 };
	static const tcflag_t sizes[] = { CS5, CS6, CS7, CS8 };
	struct termios2 t;
	uint32_t r = (uint32_t)vt_rand(&p->rng);
	long n;

	vt_begin(p->w, K_T_TERMIOS);
	n = ioctl(p->fd, TCGETS2, &t);
	if (!vt_note(p->w, K_T_TERMIOS, n, errno, e_tty_ioctl)) {
		tty_error(p, K_T_TERMIOS, errno);
		return;
	}
	if (r & 1)
		random_speed(p, &t);
	t.c_cflag &= ~(CSIZE | PARENB | PARODD | CMSPAR | CSTOPB | CRTSCTS |
		       CLOCAL);
	t.c_cflag |= sizes[(r >> 1) & 3];
	if (r & 8)
		t.c_cflag |= PARENB | (r & 16 ? PARODD : 0);
	if (r & 32)
		t.c_cflag |= CSTOPB;
	if (r & 64)
		t.c_cflag |= CRTSCTS;
	/* CLOCAL off a quarter of the time: then DCD falling hangs up. */
	if (r & 0x180)
		t.c_cflag |= CLOCAL;
	/* Raw or cooked input, with or without XON/XOFF. */
	if (r & 0x200) {
		t.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
		t.c_iflag &= ~(ICRNL | INLCR | IGNCR);
		t.c_oflag &= ~OPOST;
	} else {
		t.c_lflag |= ICANON | ECHO | ISIG;
		t.c_oflag |= OPOST | ONLCR;
	}
	if (r & 0x400)
		t.c_iflag |= IXON | IXOFF;
	else
		t.c_iflag &= ~(IXON | IXOFF);
	t.c_iflag = (t.c_iflag & ~(INPCK | IGNPAR | PARMRK | IGNBRK | BRKINT)) |
		    (r >> 11 & (INPCK | IGNPAR | PARMRK | IGNBRK | BRKINT));
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	vt_begin(p->w, K_T_TERMIOS);
	n = ioctl(p->fd, how[(r >> 20) % 3], &t);
	if (!vt_note(p->w, K_T_TERMIOS, n, errno, e_tty_ioctl))
		tty_error(p, K_T_TERMIOS, errno);
}

static void app_io(struct worker *p, int kind, short revents)
{
	long n;

	if (kind == K_T_WRITE) {
		size_t len = 1 + vt_below(&p->rng, 2048);

		if (!(revents & POLLOUT))
			return;
		vt_begin(p->w, kind);
		n = write(p->fd, p->buf, len);
	} else {
		if (!(revents & (POLLIN | POLLHUP)))
			return;
		vt_begin(p->w, kind);
		n = read(p->fd, p->buf, 1 + vt_below(&p->rng, 4096));
		if (n == 0)
			p->hung = 1;	/* EOF: hung up or the master gone */
	}
	if (!vt_note(p->w, kind, n, errno, e_tty_io))
		tty_error(p, kind, errno);
}

/* A tty ioctl that may fail only as a hung-up tty does (or a signal). */
static void app_ioctl(struct worker *p, int kind, unsigned long cmd,
		      unsigned long arg)
{
	long n;

	vt_begin(p->w, kind);
	n = ioctl(p->fd, cmd, arg);
	if (!vt_note(p->w, kind, n, errno,
		     kind == K_T_BREAK ? e_tty_break : e_tty_ioctl))
		tty_error(p, kind, errno);
}

static void data_op(struct worker *p, short revents)
{
	uint32_t r = vt_below(&p->rng, 100);

	if (r < 35)
		app_io(p, K_T_WRITE, revents);
	else if (r < 75)
		app_io(p, K_T_READ, revents);
	else if (r < 88)
		app_termios(p);
	else if (r < 94)
		app_ioctl(p, K_T_FLUSH, TCFLSH, vt_below(&p->rng, 3));
	else if (r < 98)
		app_ioctl(p, K_T_DRAIN, TCSBRK, 1);	/* tcdrain() */
	else
		tty_close(p);	/* the application closes first */
}

static void ctrl_op(struct worker *p)
{
	static const unsigned long tiocm[] = { TIOCMSET, TIOCMBIS, TIOCMBIC,
					       TIOCMGET };
	static const unsigned long query[] = { TIOCGICOUNT, TIOCOUTQ, TIOCINQ,
					       TIOCSERGETLSR, TIOCGSERIAL };
	uint32_t r = vt_below(&p->rng, 1000);
	int lines = (int)vt_below(&p->rng, 0x10000) &
		    (TIOCM_DTR | TIOCM_RTS | TIOCM_OUT1 | TIOCM_OUT2);

	if (r < 350) {
		app_ioctl(p, K_T_TIOCM, tiocm[r & 3], (unsigned long)&lines);
	} else if (r < 550) {
		switch (r & 3) {
		case 0:
			app_ioctl(p, K_T_BREAK, TCSBRK, 0);
			break;
		case 1:
			app_ioctl(p, K_T_BREAK, TCSBRKP, vt_below(&p->rng, 4));
			break;
		case 2:
			app_ioctl(p, K_T_BREAK, TIOCSBRK, 0);
			break;
		default:
			app_ioctl(p, K_T_BREAK, TIOCCBRK, 0);
			break;
		}
	} else if (r < 680) {
		app_ioctl(p, K_T_FLUSH, TCFLSH, vt_below(&p->rng, 3));
	} else if (r < 900) {
		app_ioctl(p, K_T_QUERY, query[vt_below(&p->rng, 5)],
			  (unsigned long)p->buf);
	} else if (r < 960) {
		/* Ends on a line change, a hangup, or the next SIGALRM. */
		app_ioctl(p, K_T_MIWAIT, TIOCMIWAIT,
			  TIOCM_CTS | TIOCM_DSR | TIOCM_CD | TIOCM_RI);
	} else if (r < 975) {
		app_ioctl(p, K_T_HANGUP, TIOCVHANGUP, 0);
		p->hung = 1;
	} else {
		tty_close(p);
	}
}

static void app_loop(struct worker *p, int ctrl)
{
	while (!over(p)) {
		short revents;

		if (app_close_request(p) || !app_ensure_open(p, ctrl))
			continue;
		revents = tick(p, K_T_POLL, POLLIN | POLLOUT);
		if (ctrl)
			ctrl_op(p);
		else
			data_op(p, revents);
	}
	if (p->fd >= 0)
		tty_close(p);
}

/* ---- main ---------------------------------------------------------------- */

static int run_worker(struct vt_worker *w, int i, void *seedp)
{
	struct worker *p = calloc(1, sizeof(*p));
	int port = i / ROLES, role = i % ROLES;

	p->w = w;
	p->slot = &slots[port];
	p->rng = vt_stream(*(uint64_t *)seedp, (unsigned int)i);
	p->fd = -1;
	for (size_t k = 0; k < sizeof(p->buf); k++)
		p->buf[k] = (unsigned char)vt_rand(&p->rng);
	/* Every blocking call ends within ALARM_US: EINTR, no restart. */
	vt_alarm(ALARM_US, ALARM_US);
	if (role == ROLE_MASTER)
		master_loop(p);
	else
		app_loop(p, role == ROLE_CTRL);
	vt_alarm(0, 0);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vtty_stress [--seconds N] [--ports N] [--seed S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "ports", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int seconds = 30, ports = 3, nworkers, c;
	uint64_t seed = (uint64_t)time(NULL);
	struct vt_totals t;
	struct vt_worker *w;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seconds = atoi(optarg);
			break;
		case 'p':
			ports = atoi(optarg);
			break;
		case 'S':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || seconds < 1 || ports < 1 || ports > 64)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	vt_kind_names = kind_names;
	vt_kinds = KINDS;
	vt_signals();
	printf("vtty_stress: %d s, %d ports, %d processes each, seed %llu, %ld CPUs\n",
	       seconds, ports, ROLES, (unsigned long long)seed,
	       sysconf(_SC_NPROCESSORS_ONLN));

	nworkers = ports * ROLES;
	w = vt_workers_alloc(nworkers);
	slots = mmap(NULL, sizeof(*slots) * (size_t)ports,
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slots == MAP_FAILED) {
		perror("vtty_stress");
		return 2;
	}
	for (int i = 0; i < ports; i++)
		slots[i].idx = -1;
	for (int i = 0; i < nworkers; i++)
		snprintf(w[i].name, sizeof(w[i].name), "port%d-%s",
			 i / ROLES, role_names[i % ROLES]);
	end_ms = vt_now_ms() + seconds * 1000LL;
	t = vt_run("vtty_stress", w, nworkers, run_worker, &seed);
	printf("vtty_stress: %.1f s, %d ports x %d processes: %llu ops (%.0f/s), %llu allowed errors, %llu unexpected, %d other failures\n",
	       t.seconds, ports, ROLES, (unsigned long long)t.ops,
	       t.ops / t.seconds, (unsigned long long)t.errs,
	       (unsigned long long)t.bad, t.failures);
	return t.bad || t.failures ? 1 : 0;
}
