// SPDX-License-Identifier: GPL-2.0
/*
 * vtty_fuzz - a bounded, seeded fuzz of both sides of vtty: /dev/vtmx and
 * /dev/ttyV<n>, from several processes at once.
 *
 *   make -C packages/vtty-tests/c
 *   uml/run.sh --kernel 7.2 -- \
 *       packages/vtty-tests/c/build/vtty_fuzz --seed 1 --ops 1000000
 *
 * Each process runs its own stream of random calls, derived from the seed
 * and its number: opens (random flags, other processes' ports too), closes,
 * reads and writes (sizes from 0 to 64 KiB, short buffers, good, misaligned,
 * read-only, partly or wholly bad pointers), polls (random events) and
 * ioctls: every command of vtty.h and of a serial application, on both
 * sides, with good, bad and random arguments, and unknown commands in
 * vtty's 'V' space, the tty's 'T' space and anywhere else.  Each operation
 * takes one number from the stream and draws all its choices from that, so
 * a seed always gives the same choices.  With one process that is the same
 * run (only how soon a blocked call is interrupted varies); with several,
 * the scheduler decides which calls meet, so a failure found with several
 * may need a few runs of the same seed to come back.
 *
 * --ops N counts operations; some make a second call (closing a slot to
 * open another, VTMX_GET_VTTY_NUM after an open), so the calls counted in
 * the report come to a little more.
 *
 * Checks, besides the clean kernel log the runner looks at:
 * - a call whose whole user buffer is bad fails with EFAULT, unless it fails
 *   earlier for a reason of its own (EAGAIN, EMSGSIZE, EBADF, a hung-up
 *   tty's EIO...) or, for a tty read, returns EOF; it never succeeds;
 * - a buffer that starts good and runs into a PROT_NONE page may give a
 *   short count, never more than its good part; a good buffer never gives
 *   EFAULT;
 * - an unknown command fails with ENOTTY on the master and on the tty (EIO
 *   once the tty is hung up), as do the tty's commands on the master and
 *   the master's on the tty; the master's own commands behave as
 *   docs/protocol.md says (EINVAL exactly for bad values);
 * - every packet read from the master is well formed; poll() never reports
 *   POLLHUP or POLLERR on a master; EIO from a tty comes with POLLHUP;
 * - afterwards no port is left behind and a fresh port works.
 *
 * Blocking calls end: a call that may block (on a blocking descriptor, a
 * drain, a break, TIOCMIWAIT, a tty's close, an O_DIRECT open of a tty,
 * which ends in a close) runs under a SIGALRM every 5 ms without
 * SA_RESTART, and EINTR is then a fine result.  Any other call that blocks
 * is a finding: the parent names it, with every worker's kernel stack,
 * after 20 s without progress.
 *
 * Commands never issued, because they change state outside the port (from
 * include/uapi/asm-generic/ioctls.h and the VFS's fs.h):
 * - TIOCSTI: fakes input; on a controlling tty that is typing into a shell.
 * - TIOCCONS: redirects the system console to this tty.
 * - TIOCSETD: changes the line discipline, which loads modules (N_PPP,
 *   N_GSM...): state of the whole kernel, and not vtty's code.
 * - TIOCSCTTY, TIOCNOTTY, TIOCSPGRP: controlling tty and foreground group of
 *   the session; with TIOCSCTTY's force argument, root steals another
 *   session's tty.
 * - TIOCSLCKTRMIOS: locks termios fields for the port's life, which would
 *   silently turn later termios calls into no-ops.
 * - and termios arguments with a c_line other than N_TTY: the tty core
 *   stores c_line from TCSETS* as it is, and after a hangup the next open
 *   makes it the line discipline (a bad number fails that open with
 *   EINVAL, a good one loads and attaches that discipline): TIOCSETD again.
 * - VTMX_UNPLUG: takes the port away from the tty side for good (its
 *   master here never plugs it in again); docs/hardware-ports.md's
 *   ioctls are tested in the ava suite (hardware-ports, hotplug).
 * - ioctl types 0x00, 'f', 'X', 0x94 and 0x15 as a whole: the VFS answers
 *   them for every file before the driver sees them (FIBMAP, FIGETBSZ,
 *   FS_IOC_*, FIFREEZE/FITHAW freeze the file system /dev lives on,
 *   FS_IOC_SETFLAGS can make the device node immutable, FICLONE* work on
 *   other descriptors): not vtty's, and some of them global.
 * Opens always carry O_NOCTTY (and never O_CREAT: a port that vanished must
 * not leave a regular file in /dev).
 *
 * Only <asm/termbits.h> is used for termios (struct termios2), never
 * <termios.h>, because the two declare struct termios differently.
 */
#define _GNU_SOURCE
#include <asm/termbits.h>
#include <getopt.h>
#include <linux/serial.h>
#include <stddef.h>

#include "vtty.h"
#include "vtty_util.h"

enum kind {
	K_OPEN_M, K_OPEN_T, K_CLOSE_M, K_CLOSE_T, K_READ_M, K_READ_T,
	K_WRITE_M, K_WRITE_T, K_BAD_M, K_BAD_T, K_POLL, K_IOCTL_M, K_IOCTL_T,
	K_UNKNOWN_M, K_UNKNOWN_T, K_FCNTL, KINDS
};

static const char *const kind_names[KINDS] = {
	"open-master", "open-tty", "close-master", "close-tty",
	"read-master", "read-tty", "write-master", "write-tty",
	"badptr-master", "badptr-tty", "poll", "ioctl-master", "ioctl-tty",
	"unknown-master", "unknown-tty", "fcntl",
};

#define NSLOTS		6	/* descriptors a process holds at most */
#define REGION		(68 * 1024)	/* 64 KiB and room to misalign */
#define ALARM_US	5000	/* how long a blocked call may wait */

/* ---- the user memory the calls point at ---------------------------------- */

/*
 * One mapping, cut in four: good memory, a PROT_NONE guard right after it
 * (so a buffer can run from good into bad), read-only memory, and a hole
 * that was unmapped.  Set up before the workers fork; nothing maps memory
 * afterwards, so the hole stays a hole.
 */
static unsigned char *good, *guard, *rdonly, *hole;
static size_t low_bad;	/* bytes from address 0 that are unmapped */

/*
 * Addresses in the kernel's half, which access_ok() refuses on every
 * kernel (the x86 direct map and text, the first non-canonical one, the
 * top page), and high user addresses that are unmapped here: UML's task
 * size, and the first address beyond 47 bits (a user address with 5-level
 * page tables, the kernel's without).  Checked unmapped at start.
 */
static uintptr_t wild[] = {
	0xffff888000000000UL, 0xffffffff81000000UL, 0x8000000000000000UL,
	0xfffffffffffff000UL,
};
static int nwild = ARRAY_SIZE(wild);
static uintptr_t high[] = { 0x7fc0000000UL, 0x0000800000000000UL };
static int nhigh = ARRAY_SIZE(high);

enum { BUF_GOOD, BUF_PARTIAL, BUF_BAD, BUF_WILD };

struct ubuf {
	unsigned char *p;
	size_t len;
	size_t good_len;	/* BUF_PARTIAL: the bytes before the guard */
	int kind;		/* BUF_WILD: bad, and refused by access_ok() */
};

static int unmapped(uintptr_t addr, size_t len)
{
	unsigned char vec[32];

	addr &= ~4095UL;
	return mincore((void *)addr, len < 4096 ? 4096 : len, vec) < 0;
}

static void setup_memory(uint64_t seed)
{
	struct vt_rng r = vt_stream(seed, 1000);
	unsigned char *m = mmap(NULL, 4 * REGION, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int n = 0;

	if (m == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	good = m;
	guard = m + REGION;
	rdonly = m + 2 * REGION;
	hole = m + 3 * REGION;
	/*
	 * The guard is never touched, so it has no page: UML's uaccess takes
	 * a present page for accessible even when it is PROT_NONE.
	 */
	for (size_t i = 0; i < REGION; i++) {
		good[i] = (unsigned char)vt_rand(&r);
		rdonly[i] = (unsigned char)vt_rand(&r);
	}
	if (mprotect(guard, REGION, PROT_NONE) ||
	    mprotect(rdonly, REGION, PROT_READ) || munmap(hole, REGION)) {
		perror("mprotect");
		exit(2);
	}
	while (low_bad < 65536 && unmapped(low_bad, 4096))
		low_bad += 4096;
	for (int i = 0; i < nwild; i++)
		if (unmapped(wild[i], 4096))
			wild[n++] = wild[i];
	nwild = n;
	for (int i = n = 0; i < nhigh; i++)
		if (unmapped(high[i], 65536))
			high[n++] = high[i];
	nhigh = n;
	if (!unmapped((uintptr_t)hole, REGION) || !low_bad || !nwild) {
		fprintf(stderr, "vtty_fuzz: the bad addresses are not bad here\n");
		exit(2);
	}
}

/* Where a bad buffer of len bytes may lie whole: [base, base + span). */
static struct ubuf bad_in(struct vt_rng *r, uintptr_t base, size_t span,
			  size_t len)
{
	struct ubuf b = { .kind = BUF_BAD };

	b.len = len < span ? len : span;
	b.p = (unsigned char *)(base +
				vt_below(r, (uint32_t)(span - b.len + 1)));
	return b;
}

/*
 * A buffer of len bytes: good (sometimes misaligned; read-only when the
 * kernel only reads it and we do not fill it), partly good (running into
 * the guard), or wholly bad, then perhaps shorter than len to fit in the
 * bad region.
 */
static struct ubuf pick_buf(struct vt_rng *r, size_t len, int kernel_writes,
			    int we_fill)
{
	uint32_t c = vt_below(r, 100);
	struct ubuf b = { .len = len, .kind = BUF_GOOD };

	if (c < 55 || !len) {
		b.p = (c < 45 || kernel_writes || we_fill ? good : rdonly) +
		      vt_below(r, 8);
		return b;
	}
	if (c < 68 && len >= 2) {
		b.kind = BUF_PARTIAL;
		b.good_len = 1 + vt_below(r, (uint32_t)(len - 1));
		b.p = guard - b.good_len;
		return b;
	}
	switch (vt_below(r, kernel_writes ? 6 : 5)) {
	case 0:
		return bad_in(r, 0, low_bad, len);
	case 1:
		return bad_in(r, (uintptr_t)hole, REGION, len);
	case 2:
		return bad_in(r, (uintptr_t)guard, REGION, len);
	case 3:
		b.kind = BUF_WILD;
		b.p = (unsigned char *)(wild[vt_below(r, (uint32_t)nwild)] +
					vt_below(r, 4096));
		return b;
	case 4:
		if (nhigh)
			return bad_in(r, high[vt_below(r, (uint32_t)nhigh)],
				      65536, len);
		return bad_in(r, (uintptr_t)hole, REGION, len);
	default:
		return bad_in(r, (uintptr_t)rdonly, REGION, len);
	}
}

/*
 * Lengths around the interesting sizes: 0, 1, a packet, a page, 64 KiB;
 * otherwise short (a 64 KiB call costs as much as dozens of short ones).
 */
static size_t pick_len(struct vt_rng *r)
{
	static const size_t lens[] = { 0, 1, 2, 44, 45, 46, 64, 4095, 4096,
				       65536 };
	uint32_t c = vt_below(r, 16);

	if (c < 10)
		return lens[c];
	return 1 + vt_below(r, c < 14 ? 512 : 4096);
}

/* A value argument: mostly small, sometimes anything. */
static unsigned long pick_value(struct vt_rng *r)
{
	switch (vt_below(r, 6)) {
	case 0:
	case 1:
		return vt_below(r, 4);
	case 2:
		return vt_below(r, 256);
	case 3:
		return (uint32_t)vt_rand(r);
	case 4:
		return (unsigned long)-1L - vt_below(r, 2);
	default:
		return (unsigned long)vt_rand(r);
	}
}

/* ---- the commands -------------------------------------------------------- */

enum arg { A_NONE, A_VAL, A_IN, A_OUT };

enum fill { F_RANDOM, F_INT, F_LINES, F_TERMIOS, F_SERIAL, F_FEATURES,
	    F_INJECT };

/* How a command behaves on a vtty tty. */
#define T_SLEEPS	0x01	/* may wait: run under the alarm */
#define T_ENOTTY	0x02	/* not for this tty: ENOTTY whatever the arg */
#define T_EIO		0x04	/* TIOCGPTPEER: EIO on anything but a pty */
#define T_NOPTR		0x08	/* may succeed without reading its pointer */
#define T_VFS		0x10	/* the VFS answers it, on the master too */

struct ioc {
	const char *name;
	unsigned long cmd;
	unsigned char arg;
	unsigned char fill;
	unsigned char tflags;
	unsigned short size;
};

#define IOC(c, a, f, t, s)	{ #c, c, a, f, t, s }
#define TERMIOS1	36	/* the kernel's struct termios (TCGETS) */

/*
 * The tty's ioctls from include/uapi/asm-generic/ioctls.h (the deny list
 * in the header comment left out) and vtty.h's.  On the master, anything
 * but vtty.h's and the VFS's fails with ENOTTY; on the tty, vtty.h's own
 * ('V') commands do.
 */
static const struct ioc iocs[] = {
	IOC(TCGETS, A_OUT, 0, 0, TERMIOS1),
	IOC(TCSETS, A_IN, F_TERMIOS, 0, TERMIOS1),
	IOC(TCSETSW, A_IN, F_TERMIOS, T_SLEEPS, TERMIOS1),
	IOC(TCSETSF, A_IN, F_TERMIOS, T_SLEEPS, TERMIOS1),
	IOC(TCGETA, A_OUT, 0, 0, sizeof(struct termio)),
	IOC(TCSETA, A_IN, F_TERMIOS, 0, sizeof(struct termio)),
	IOC(TCSETAW, A_IN, F_TERMIOS, T_SLEEPS, sizeof(struct termio)),
	IOC(TCSETAF, A_IN, F_TERMIOS, T_SLEEPS, sizeof(struct termio)),
	IOC(TCGETS2, A_OUT, 0, 0, sizeof(struct termios2)),
	IOC(TCSETS2, A_IN, F_TERMIOS, 0, sizeof(struct termios2)),
	IOC(TCSETSW2, A_IN, F_TERMIOS, T_SLEEPS, sizeof(struct termios2)),
	IOC(TCSETSF2, A_IN, F_TERMIOS, T_SLEEPS, sizeof(struct termios2)),
	IOC(TCSBRK, A_VAL, 0, T_SLEEPS, 0),
	IOC(TCSBRKP, A_VAL, 0, T_SLEEPS, 0),
	IOC(TIOCSBRK, A_NONE, 0, T_SLEEPS, 0),
	IOC(TIOCCBRK, A_NONE, 0, T_SLEEPS, 0),
	IOC(TCXONC, A_VAL, 0, 0, 0),
	IOC(TCFLSH, A_VAL, 0, 0, 0),
	IOC(TIOCEXCL, A_NONE, 0, 0, 0),
	IOC(TIOCNXCL, A_NONE, 0, 0, 0),
	IOC(TIOCGEXCL, A_OUT, 0, 0, sizeof(int)),
	IOC(TIOCGPGRP, A_OUT, 0, T_ENOTTY, sizeof(int)),
	IOC(TIOCGSID, A_OUT, 0, T_ENOTTY, sizeof(int)),
	IOC(TIOCOUTQ, A_OUT, 0, 0, sizeof(int)),
	IOC(TIOCINQ, A_OUT, 0, 0, sizeof(int)),
	IOC(TIOCGWINSZ, A_OUT, 0, 0, sizeof(struct winsize)),
	IOC(TIOCSWINSZ, A_IN, F_RANDOM, 0, sizeof(struct winsize)),
	IOC(TIOCMGET, A_OUT, 0, 0, sizeof(int)),
	IOC(TIOCMBIS, A_IN, F_LINES, 0, sizeof(int)),
	IOC(TIOCMBIC, A_IN, F_LINES, 0, sizeof(int)),
	IOC(TIOCMSET, A_IN, F_LINES, 0, sizeof(int)),
	IOC(TIOCGSOFTCAR, A_OUT, 0, 0, sizeof(int)),
	IOC(TIOCSSOFTCAR, A_IN, F_INT, 0, sizeof(int)),
	IOC(TIOCLINUX, A_IN, F_RANDOM, T_ENOTTY, 1),
	IOC(TIOCGSERIAL, A_OUT, 0, 0, sizeof(struct serial_struct)),
	IOC(TIOCSSERIAL, A_IN, F_SERIAL, T_SLEEPS,
	    sizeof(struct serial_struct)),
	IOC(TIOCPKT, A_IN, F_INT, T_ENOTTY, sizeof(int)),
	IOC(FIONBIO, A_IN, F_INT, T_VFS, sizeof(int)),
	IOC(FIOASYNC, A_IN, F_INT, T_VFS, sizeof(int)),
	IOC(FIOCLEX, A_NONE, 0, T_VFS, 0),
	IOC(FIONCLEX, A_NONE, 0, T_VFS, 0),
	IOC(FIOQSIZE, A_OUT, 0, T_VFS | T_ENOTTY, sizeof(long long)),
	IOC(TIOCGETD, A_OUT, 0, 0, sizeof(int)),
	IOC(TIOCGDEV, A_OUT, 0, 0, sizeof(unsigned int)),
	IOC(TIOCGPTN, A_OUT, 0, T_ENOTTY, sizeof(unsigned int)),
	IOC(TIOCSPTLCK, A_IN, F_INT, T_ENOTTY, sizeof(int)),
	IOC(TIOCSIG, A_VAL, 0, T_ENOTTY, 0),
	IOC(TIOCVHANGUP, A_NONE, 0, T_SLEEPS, 0),
	IOC(TIOCGPKT, A_OUT, 0, T_ENOTTY, sizeof(int)),
	IOC(TIOCGPTLCK, A_OUT, 0, T_ENOTTY, sizeof(int)),
	IOC(TIOCGPTPEER, A_VAL, 0, T_EIO, 0),
	IOC(TIOCGRS485, A_OUT, 0, T_ENOTTY, sizeof(struct serial_rs485)),
	IOC(TIOCSRS485, A_IN, F_RANDOM, T_ENOTTY, sizeof(struct serial_rs485)),
	IOC(TIOCGISO7816, A_OUT, 0, T_ENOTTY, sizeof(struct serial_iso7816)),
	IOC(TIOCSISO7816, A_IN, F_RANDOM, T_ENOTTY,
	    sizeof(struct serial_iso7816)),
	IOC(TCGETX, A_OUT, 0, T_ENOTTY, 32),
	IOC(TCSETX, A_IN, F_RANDOM, T_ENOTTY, 32),
	IOC(TCSETXF, A_IN, F_RANDOM, T_ENOTTY, 32),
	IOC(TCSETXW, A_IN, F_RANDOM, T_ENOTTY, 32),
	IOC(TIOCSERCONFIG, A_NONE, 0, T_ENOTTY, 0),
	IOC(TIOCSERGWILD, A_OUT, 0, T_ENOTTY, sizeof(int)),
	IOC(TIOCSERSWILD, A_IN, F_INT, T_ENOTTY, sizeof(int)),
	IOC(TIOCGLCKTRMIOS, A_OUT, 0, 0, TERMIOS1),
	IOC(TIOCSERGSTRUCT, A_OUT, 0, T_ENOTTY, 64),
	IOC(TIOCSERGETLSR, A_OUT, 0, 0, sizeof(unsigned int)),
	IOC(TIOCSERGETMULTI, A_OUT, 0, T_ENOTTY, 64),
	IOC(TIOCSERSETMULTI, A_IN, F_RANDOM, T_ENOTTY, 64),
	IOC(TIOCMIWAIT, A_VAL, 0, T_SLEEPS | T_NOPTR, 0),
	IOC(TIOCGICOUNT, A_OUT, 0, 0, sizeof(struct serial_icounter_struct)),
	/* vtty.h: VTMX_GET_VTTY_NUM is TIOCGPTN, VTMX_SET_MODEM_LINES TIOCMSET */
	IOC(VTMX_GET_FEATURES, A_OUT, 0, T_ENOTTY, sizeof(__u32)),
	IOC(VTMX_SET_FEATURES, A_IN, F_FEATURES, T_ENOTTY, sizeof(__u32)),
	IOC(VTMX_GET_ENABLED, A_OUT, 0, T_ENOTTY, sizeof(__u32)),
	IOC(VTMX_REQUEST_STATE, A_IN, F_INT, T_ENOTTY, sizeof(__u32)),
	IOC(VTMX_INJECT_RX, A_IN, F_INJECT, T_ENOTTY, sizeof(__u32)),
	/* On a /dev/vtmx port, always plugged in: EINVAL but for GET. */
	IOC(VTMX_SET_IDENTITY, A_IN, F_RANDOM, T_ENOTTY,
	    sizeof(struct vtty_identity)),
	IOC(VTMX_GET_IDENTITY, A_OUT, 0, T_ENOTTY,
	    sizeof(struct vtty_identity)),
	IOC(VTMX_SET_INDEX, A_IN, F_INT, T_ENOTTY, sizeof(__u32)),
	IOC(VTMX_SET_NAME, A_IN, F_RANDOM, T_ENOTTY, sizeof(struct vtty_name)),
	IOC(VTMX_PLUG, A_IN, F_INT, T_ENOTTY, sizeof(__u32)),
};
#define NIOCS	ARRAY_SIZE(iocs)

/* Never issued: see the header comment. */
static const unsigned long denied[] = {
	TIOCSTI, TIOCCONS, TIOCSETD, TIOCSCTTY, TIOCNOTTY, TIOCSPGRP,
	TIOCSLCKTRMIOS, VTMX_UNPLUG,
};

static int known_cmd(unsigned long cmd)
{
	unsigned int type = _IOC_TYPE(cmd);

	if (type == 0x00 || type == 'f' || type == 'X' || type == 0x94 ||
	    type == 0x15)
		return 1;
	for (size_t i = 0; i < NIOCS; i++)
		if (iocs[i].cmd == cmd)
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(denied); i++)
		if (denied[i] == cmd)
			return 1;
	return 0;
}

/* A command nobody on either side knows: vtty's space, the tty's, any. */
static unsigned long unknown_cmd(struct vt_rng *r)
{
	unsigned long cmd;

	do {
		unsigned int dir = vt_below(r, 4), nr = vt_below(r, 256);
		unsigned int size = vt_below(r, 2) ? vt_below(r, 0x4000) :
				    4U << vt_below(r, 4);

		switch (vt_below(r, 4)) {
		case 0:
			cmd = _IOC(dir, 'V', nr, size);
			break;
		case 1:
			cmd = 0x5600 | nr;	/* the VT's legacy 'V' ioctls */
			break;
		case 2:
			cmd = vt_below(r, 2) ? _IOC(dir, 'T', nr, size) :
			      0x5400 | nr;
			break;
		default:
			cmd = (uint32_t)vt_rand(r);
			break;
		}
	} while (known_cmd(cmd));
	return cmd;
}

/* ---- a worker ------------------------------------------------------------ */

enum { S_FREE, S_MASTER, S_TTY };

struct slot {
	int fd;
	int type;
	int idx;		/* the port's index */
	int acc;		/* O_ACCMODE of the open */
	int nonblock;
	int hung;		/* a tty known to be hung up */
	uint32_t enabled;	/* a master's features, as last set */
};

struct fuzzer {
	struct vt_worker *w;
	struct vt_rng stream;	/* one number per call */
	struct vt_rng r;	/* the current call's choices */
	struct slot s[NSLOTS];
	int max_idx;		/* tty indices tried: 0 .. max_idx - 1 */
};

static const int e_tty_open[] = { ENOENT, ENXIO, ENODEV, EIO, EAGAIN, EINTR,
				  0 };
static const int e_direct[] = { EINVAL, 0 };
static const int e_tty_open_direct[] = { ENOENT, ENXIO, ENODEV, EIO, EAGAIN,
					 EINTR, EINVAL, 0 };
static const int e_intr[] = { EINTR, 0 };

static struct termios2 tio_template;	/* a new port's settings */
static uint32_t supported;		/* VTMX_GET_FEATURES */

static int readable(const struct slot *s)
{
	return s->acc == O_RDONLY || s->acc == O_RDWR;
}

static int writable(const struct slot *s)
{
	return s->acc == O_WRONLY || s->acc == O_RDWR;
}

/*
 * EIO from a tty must mean that it is hung up, perhaps a moment later (see
 * vt_hung_up()).  The slot remembers, so that later calls go mostly to
 * live descriptors.
 */
static int tty_hung(struct slot *s)
{
	if (!s->hung && vt_hung_up(s->fd, (long long)(10000 * vt_pace())))
		s->hung = 1;
	return s->hung;
}

/*
 * Periodic, not one-shot: a lone alarm can go off before the call starts
 * (the worker preempted in between) and leave the call unbounded.
 */
static void may_block(int on)
{
	if (on)
		vt_alarm(ALARM_US, ALARM_US);
}

static void unblock(int on)
{
	if (on)
		vt_alarm(0, 0);
}

/* Flags a program might give open(), and some it should not. */
static int open_flags(struct vt_rng *r)
{
	static const int acc[] = { O_RDWR, O_RDWR, O_RDWR, O_RDWR, O_RDWR,
				   O_RDWR, O_RDONLY, O_WRONLY, 3 };
	static const int extra[] = { O_APPEND, O_SYNC, O_CLOEXEC, O_NOATIME,
				     O_EXCL, O_NOFOLLOW, O_DSYNC, O_ASYNC,
				     O_LARGEFILE };
	int flags = acc[vt_below(r, ARRAY_SIZE(acc))] | O_NOCTTY;

	if (vt_below(r, 10))
		flags |= O_NONBLOCK;
	for (size_t i = 0; i < ARRAY_SIZE(extra); i++)
		if (!vt_below(r, 8))
			flags |= extra[i];
	if (!vt_below(r, 50))
		flags |= O_DIRECT;
	return flags;
}

/*
 * A slot holding a descriptor (of the given type, if any), from a random
 * one on.  A tty known to be hung up is taken one time in eight (its calls
 * are the hung-up tty's, the same every time), or when nothing else is.
 */
static struct slot *used_slot(struct fuzzer *f, int type)
{
	int start = (int)vt_below(&f->r, NSLOTS), live = vt_below(&f->r, 8);
	struct slot *any = NULL;

	for (int k = 0; k < NSLOTS; k++) {
		struct slot *s = &f->s[(start + k) % NSLOTS];

		if (s->type == S_FREE || (type && s->type != type))
			continue;
		if (!live || !s->hung)
			return s;
		any = any ? any : s;
	}
	return any;
}

/* A slot to close: a hung-up tty when there is one, mostly. */
static struct slot *slot_to_close(struct fuzzer *f)
{
	if (vt_below(&f->r, 4)) {
		for (int k = 0; k < NSLOTS; k++)
			if (f->s[k].type == S_TTY && f->s[k].hung)
				return &f->s[k];
	}
	return used_slot(f, 0);
}

static void do_close(struct fuzzer *f, struct slot *s)
{
	int tty = s->type == S_TTY, kind = tty ? K_CLOSE_T : K_CLOSE_M;
	long r;

	/* A tty's close waits for output when TIOCSSERIAL set closing_wait. */
	may_block(tty);
	vt_begin(f->w, kind);
	r = close(s->fd);
	vt_note(f->w, kind, r, errno, NULL);
	unblock(tty);
	s->type = S_FREE;
	s->fd = -1;
}

/* A free slot; when none is, one is closed first. */
static struct slot *free_slot(struct fuzzer *f)
{
	struct slot *s;

	for (int k = 0; k < NSLOTS; k++)
		if (f->s[k].type == S_FREE)
			return &f->s[k];
	s = slot_to_close(f);
	do_close(f, s);
	return s;
}

static void take(struct slot *s, int fd, int type, int idx, int flags)
{
	s->fd = fd;
	s->type = type;
	s->idx = idx;
	s->acc = flags & O_ACCMODE;
	s->nonblock = !!(flags & O_NONBLOCK);
	s->hung = 0;
	s->enabled = 0;
}

static void op_open_master(struct fuzzer *f)
{
	struct slot *s = free_slot(f);
	int flags = open_flags(&f->r), fd;
	unsigned int idx = 0;
	long r;

	vt_begin(f->w, K_OPEN_M);
	fd = open("/dev/vtmx", flags);
	if (!vt_note(f->w, K_OPEN_M, fd, errno,
		     flags & O_DIRECT ? e_direct : NULL))
		return;
	vt_begin(f->w, K_IOCTL_M);
	r = ioctl(fd, VTMX_GET_VTTY_NUM, &idx);
	vt_note(f->w, K_IOCTL_M, r, errno, NULL);
	take(s, fd, S_MASTER, (int)idx, flags);
}

static void op_open_tty(struct fuzzer *f)
{
	struct slot *s = free_slot(f), *m = used_slot(f, S_MASTER);
	int flags = open_flags(&f->r), fd;
	int idx = (int)vt_below(&f->r, (uint32_t)f->max_idx);
	/*
	 * The VFS refuses O_DIRECT only after the tty's open has succeeded,
	 * and releases the file as the call returns: that is a close, which
	 * waits for the port's output to drain (closing_wait) as any close
	 * does, O_NONBLOCK or not.
	 */
	int sleeps = !(flags & O_NONBLOCK) || (flags & O_DIRECT);

	/* Mostly a port of our own; otherwise anyone's, or none. */
	if (m && vt_below(&f->r, 5) < 3)
		idx = m->idx;
	may_block(sleeps);
	vt_begin(f->w, K_OPEN_T);
	fd = open(vt_tty_path(idx), flags);
	unblock(sleeps);
	if (vt_note(f->w, K_OPEN_T, fd, errno,
		    flags & O_DIRECT ? e_tty_open_direct : e_tty_open))
		take(s, fd, S_TTY, idx, flags);
}

/*
 * Judges a read or write of b on s that returned ret: see the header
 * comment for the rules.  what is "read" or "write".
 */
static void judge_io(struct fuzzer *f, struct slot *s, const struct ubuf *b,
		     int is_read, long ret, int err)
{
	int master = s->type == S_MASTER, bad = b->kind >= BUF_BAD;
	int kind = bad ? (master ? K_BAD_M : K_BAD_T) :
		   is_read ? (master ? K_READ_M : K_READ_T) :
		   (master ? K_WRITE_M : K_WRITE_T);
	int mode_ok = is_read ? readable(s) : writable(s);
	const char *what = is_read ? "read" : "write";
	int short_read = master && is_read && b->len < VTMX_MAX_PACKET_SIZE;
	int expect = 0;	/* an errno the call must fail with */

	if (!mode_ok)
		expect = EBADF;
	else if (b->kind == BUF_WILD && b->len)
		expect = EFAULT;
	else if (short_read && b->kind != BUF_BAD)
		expect = EMSGSIZE;
	if (expect) {
		if (ret >= 0 || err != expect)
			vt_fail(f->w, kind, "%s of %zu on fd %d: %ld, %s; want %s",
				what, b->len, s->fd, ret,
				ret < 0 ? vt_errname(err) : "-",
				vt_errname(expect));
		else
			f->w->count[kind].err[err]++;
		return;
	}
	if (ret >= 0) {
		size_t limit = b->kind == BUF_GOOD ? b->len :
			       b->kind == BUF_PARTIAL ? b->good_len : 0;

		if ((size_t)ret > limit ||
		    (master && !ret && b->len))
			vt_fail(f->w, kind,
				"%s of %zu (%zu good) on fd %d returned %ld",
				what, b->len, limit, s->fd, ret);
		else if (master && is_read && !vt_packet_ok(b->p, ret))
			vt_fail(f->w, kind,
				"malformed packet: tag %u, %ld bytes, word %d",
				b->p[0], ret, vt_packet_word(b->p, ret));
		else
			f->w->count[kind].ok++;
		return;
	}
	/*
	 * The race's errors, and the buffer's; a bad short master read gets
	 * EMSGSIZE or, when access_ok() refuses the address, EFAULT first.
	 */
	if (err == EAGAIN || err == EINTR || (err == EMSGSIZE && short_read) ||
	    (err == EFAULT && b->kind != BUF_GOOD) ||
	    (err == EIO && !master && tty_hung(s))) {
		f->w->count[kind].err[err]++;
		return;
	}
	vt_fail(f->w, kind, "%s of %zu (%s buffer) on fd %d: %s", what, b->len,
		b->kind == BUF_GOOD ? "good" : b->kind == BUF_PARTIAL ?
		"partial" : "bad", s->fd, vt_errname(err));
}

static void op_io(struct fuzzer *f, int is_read)
{
	struct slot *s = used_slot(f, 0);
	struct ubuf b;
	long ret;

	if (!s) {
		op_open_master(f);
		return;
	}
	b = pick_buf(&f->r, pick_len(&f->r), is_read, 0);
	may_block(!s->nonblock);
	vt_begin(f->w, is_read ? K_READ_M : K_WRITE_M);
	ret = is_read ? read(s->fd, b.p, b.len) : write(s->fd, b.p, b.len);
	judge_io(f, s, &b, is_read, ret, errno);
	unblock(!s->nonblock);
}

static void op_poll(struct fuzzer *f)
{
	struct pollfd p[4];
	int n = 1 + (int)vt_below(&f->r, 4), ret;
	int timeout = vt_below(&f->r, 8) ? 0 : 1 + (int)vt_below(&f->r, 3);

	for (int i = 0; i < n; i++) {
		struct slot *s = &f->s[vt_below(&f->r, NSLOTS)];

		p[i].fd = s->type == S_FREE ? -1 : s->fd;
		/* Now and then any bits at all, meaningful or not. */
		p[i].events = vt_below(&f->r, 4) ?
			      POLLIN | POLLOUT | POLLPRI :
			      (short)vt_rand(&f->r);
		p[i].revents = 0;
	}
	vt_begin(f->w, K_POLL);
	ret = poll(p, (nfds_t)n, timeout);
	if (!vt_note(f->w, K_POLL, ret, errno, e_intr))
		return;
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < NSLOTS; k++) {
			if (f->s[k].type != S_MASTER || f->s[k].fd != p[i].fd)
				continue;
			if (p[i].revents & (POLLHUP | POLLERR | POLLNVAL))
				vt_fail(f->w, K_POLL, "master revents %#x",
					p[i].revents);
		}
	}
}

static void op_fcntl(struct fuzzer *f)
{
	struct slot *s = used_slot(f, 0);
	int flags = 0;
	long r;

	if (!s) {
		op_open_master(f);
		return;
	}
	if (vt_below(&f->r, 2))
		flags |= O_NONBLOCK;
	if (!vt_below(&f->r, 4))
		flags |= O_APPEND;
	if (!vt_below(&f->r, 16))
		flags |= O_DIRECT;
	vt_begin(f->w, K_FCNTL);
	r = fcntl(s->fd, F_SETFL, flags);
	if (r >= 0) {
		f->w->count[K_FCNTL].ok++;
		s->nonblock = !!(flags & O_NONBLOCK);
	} else if ((errno == EINVAL && (flags & O_DIRECT)) ||
		   /* clearing O_ASYNC calls a hung-up tty's fasync */
		   (errno == ENOTTY && s->type == S_TTY && tty_hung(s))) {
		f->w->count[K_FCNTL].err[errno]++;
	} else {
		vt_fail(f->w, K_FCNTL, "F_SETFL %#x: %s", flags,
			vt_errname(errno));
	}
}

/* ---- ioctls -------------------------------------------------------------- */

/*
 * Termios arguments keep c_line at N_TTY: the tty core stores it from any
 * TCSETS*, and after a hangup a reopen makes it the line discipline,
 * module loading included: TIOCSETD by the back door (see the deny list).
 */
static void keep_n_tty(const struct ioc *c, unsigned char *p)
{
	p[c->size == sizeof(struct termio) ? offsetof(struct termio, c_line) :
	  offsetof(struct termios2, c_line)] = N_TTY;
}

/* Fills a good input buffer: sometimes sense, sometimes noise. */
static void fill_arg(struct fuzzer *f, const struct ioc *c, unsigned char *p)
{
	struct vt_rng *r = &f->r;
	uint32_t v = (uint32_t)vt_rand(r);

	if (!vt_below(r, 8) || c->fill == F_RANDOM) {
		for (size_t i = 0; i < c->size; i++)
			p[i] = (unsigned char)vt_rand(r);
		if (c->fill == F_TERMIOS)
			keep_n_tty(c, p);
		return;
	}
	switch (c->fill) {
	case F_INT:
		v = vt_below(r, 3);
		break;
	case F_LINES:
		v &= 0xffff;
		break;
	case F_FEATURES:
		v = vt_below(r, 4) ? v & supported : v & 0x3ff;
		break;
	case F_INJECT:
		v = VTTY_INJECT(v, vt_below(r, 8) ? vt_below(r, 5) : v >> 8);
		if (!vt_below(r, 8))
			v |= (uint32_t)vt_rand(r) << 16;
		break;
	case F_TERMIOS: {
		struct termios2 t = tio_template;

		t.c_iflag ^= (tcflag_t)vt_rand(r) & 0x7ff;
		t.c_oflag ^= vt_below(r, 2) ? OPOST : 0;
		t.c_lflag ^= (tcflag_t)vt_rand(r) & (ICANON | ECHO | ISIG |
						     IEXTEN | ECHOE);
		t.c_cflag ^= (tcflag_t)vt_rand(r) &
			     (CSIZE | CSTOPB | PARENB | PARODD | CLOCAL |
			      CRTSCTS | HUPCL | CMSPAR);
		if (vt_below(r, 2)) {
			t.c_cflag = (t.c_cflag & ~CBAUD) |
				    (vt_below(r, 2) ? BOTHER : vt_below(r, 16));
			t.c_ispeed = t.c_ospeed = vt_below(r, 4000000);
		}
		for (int i = 0; i < 3; i++)
			t.c_cc[vt_below(r, NCCS)] = (cc_t)vt_rand(r);
		memcpy(p, &t, c->size);	/* a prefix for the older layouts */
		keep_n_tty(c, p);
		return;
	}
	case F_SERIAL: {
		struct serial_struct ss = {
			.type = vt_below(r, 4) ? PORT_16550A : vt_below(r, 40),
			.line = (int)vt_below(r, 4),
			.baud_base = vt_below(r, 2) ? 115200 : (int)v,
			.xmit_fifo_size = vt_below(r, 4) ? 16 : (int)v,
			/* deprecated flags rarely: each one logs a line */
			.flags = (int)(vt_rand(r) & 0xffff &
				       (vt_below(r, 16) ? ~ASYNC_DEPRECATED :
					~0U)),
			.close_delay = (unsigned short)vt_below(r, 100),
			.closing_wait = vt_below(r, 2) ?
					ASYNC_CLOSING_WAIT_NONE :
					(unsigned short)vt_rand(r),
			.custom_divisor = (int)vt_below(r, 1000),
		};

		memcpy(p, &ss, sizeof(ss));
		return;
	}
	}
	memcpy(p, &v, sizeof(v) < c->size ? sizeof(v) : c->size);
}

static int int_at(const unsigned char *p)
{
	int v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The master's own commands, as docs/protocol.md describes them. */
static void judge_master_cmd(struct fuzzer *f, struct slot *s,
			     const struct ioc *c, const struct ubuf *b,
			     long ret, int err)
{
	uint32_t in = 0, out = 0;
	int want = 0;	/* 0: success */

	if (b->kind != BUF_GOOD) {
		want = EFAULT;
	} else {
		memcpy(&in, b->p, sizeof(in));
		if (c->cmd == VTMX_SET_FEATURES && (in & ~supported))
			want = EINVAL;
		if (c->cmd == VTMX_REQUEST_STATE && in)
			want = EINVAL;
		if (c->cmd == VTMX_INJECT_RX &&
		    (in >> 16 || (in >> 8 & 0xff) > VTTY_RX_OVERRUN))
			want = EINVAL;
		/* A /dev/vtmx port takes no identity or name, is plugged. */
		if (c->cmd == VTMX_SET_IDENTITY || c->cmd == VTMX_SET_INDEX ||
		    c->cmd == VTMX_SET_NAME || c->cmd == VTMX_PLUG)
			want = EINVAL;
	}
	if (!want && ret < 0 && c->cmd == VTMX_INJECT_RX &&
	    (err == EAGAIN || err == EINTR)) {
		f->w->count[K_IOCTL_M].err[err]++;
		return;
	}
	if (want ? ret >= 0 || err != want : ret < 0) {
		vt_fail(f->w, K_IOCTL_M, "%s (%s buffer, %#x): %ld, %s; want %s",
			c->name, b->kind == BUF_GOOD ? "good" : "bad", in, ret,
			ret < 0 ? vt_errname(err) : "-",
			want ? vt_errname(want) : "success");
		return;
	}
	if (want) {
		f->w->count[K_IOCTL_M].err[want]++;
		return;
	}
	memcpy(&out, b->p, sizeof(out));
	if (c->cmd == VTMX_SET_FEATURES)
		s->enabled = in;
	if ((c->cmd == VTMX_GET_ENABLED && out != s->enabled) ||
	    (c->cmd == VTMX_GET_FEATURES && out != supported) ||
	    (c->cmd == VTMX_GET_VTTY_NUM && out != (uint32_t)s->idx)) {
		vt_fail(f->w, K_IOCTL_M, "%s gave %#x", c->name, out);
		return;
	}
	f->w->count[K_IOCTL_M].ok++;
}

static int vtmx_cmd(unsigned long cmd)
{
	return cmd == VTMX_GET_VTTY_NUM || cmd == VTMX_SET_MODEM_LINES ||
	       _IOC_TYPE(cmd) == 'V';
}

/*
 * A known command on the master: vtty.h's as documented, the VFS's, and
 * every other one ENOTTY.
 */
static void judge_ioctl_master(struct fuzzer *f, struct slot *s,
			       const struct ioc *c, const struct ubuf *b,
			       long ret, int err)
{
	int ptr = c->arg == A_IN || c->arg == A_OUT;

	if (vtmx_cmd(c->cmd) && ptr) {
		judge_master_cmd(f, s, c, b, ret, err);
		return;
	}
	if (!(c->tflags & T_VFS) || (c->tflags & T_ENOTTY)) {
		if (ret >= 0 || err != ENOTTY)
			vt_fail(f->w, K_IOCTL_M, "%s: %ld, %s; want ENOTTY",
				c->name, ret, ret < 0 ? vt_errname(err) : "-");
		else
			f->w->count[K_IOCTL_M].err[ENOTTY]++;
		return;
	}
	/* FIONBIO, FIOASYNC (ENOTTY: the master has no fasync), FIO*CLEX. */
	if (ret >= 0) {
		f->w->count[K_IOCTL_M].ok++;
		if (c->cmd == FIONBIO && b->kind == BUF_GOOD)
			s->nonblock = int_at(b->p) != 0;
	} else if ((ptr && b->kind != BUF_GOOD && err == EFAULT) ||
		   (c->cmd == FIOASYNC && err == ENOTTY)) {
		f->w->count[K_IOCTL_M].err[err]++;
	} else {
		vt_fail(f->w, K_IOCTL_M, "%s: %s", c->name, vt_errname(err));
	}
}

/*
 * A known command on the tty.  Errors allowed: what a hung-up tty gives
 * (EIO, checked), a signal (EINTR, for the commands that wait), EINVAL and
 * EBUSY for values the command refuses, and EFAULT only for a bad pointer,
 * which must fail.  ENOTTY exactly where the command is not this tty's.
 */
static void judge_ioctl_tty(struct fuzzer *f, struct slot *s,
			    const struct ioc *c, const struct ubuf *b,
			    long ret, int err)
{
	int ptr = c->arg == A_IN || c->arg == A_OUT;
	int bad = ptr && b->kind != BUF_GOOD;

	if (ret >= 0) {
		if (bad && !(c->tflags & T_NOPTR))
			vt_fail(f->w, K_IOCTL_T, "%s succeeded with a bad pointer",
				c->name);
		else if (c->tflags & (T_ENOTTY | T_EIO))
			vt_fail(f->w, K_IOCTL_T, "%s succeeded", c->name);
		else
			f->w->count[K_IOCTL_T].ok++;
		if (c->cmd == FIONBIO && !bad)
			s->nonblock = int_at(b->p) != 0;
		return;
	}
	if (err == EIO && !(c->tflags & T_VFS) &&
	    ((c->tflags & T_EIO) || tty_hung(s))) {
		f->w->count[K_IOCTL_T].err[err]++;
		return;
	}
	if (c->tflags & T_ENOTTY) {
		if (err != ENOTTY)
			vt_fail(f->w, K_IOCTL_T, "%s: %s; want ENOTTY", c->name,
				vt_errname(err));
		else
			f->w->count[K_IOCTL_T].err[err]++;
		return;
	}
	if ((err == EFAULT && bad) ||
	    (err == EINTR && (c->tflags & T_SLEEPS)) ||
	    (!bad && (err == EINVAL || err == EBUSY)) ||
	    (c->cmd == FIOASYNC && err == ENOTTY && tty_hung(s))) {
		f->w->count[K_IOCTL_T].err[err]++;
		return;
	}
	vt_fail(f->w, K_IOCTL_T, "%s (%s argument): %s", c->name,
		!ptr ? "value" : bad ? "bad" : "good", vt_errname(err));
}

static void op_ioctl(struct fuzzer *f)
{
	const struct ioc *c = &iocs[vt_below(&f->r, NIOCS)];
	struct slot *s = used_slot(f, 0);
	struct ubuf b = { .p = good, .kind = BUF_GOOD };
	unsigned long arg;
	int sleeps;
	long ret;

	if (!s) {
		op_open_master(f);
		return;
	}
	if (c->arg == A_IN || c->arg == A_OUT) {
		if (vt_below(&f->r, 10) < 6)
			b.p = good + 8 * vt_below(&f->r, 64);
		else
			b = pick_buf(&f->r, c->size, c->arg == A_OUT, 1);
		if (b.kind == BUF_GOOD && c->arg == A_IN)
			fill_arg(f, c, b.p);
		/* Short of the command's size, a bad region is not bad all. */
		if (b.kind >= BUF_BAD && b.len < c->size)
			b.p = (unsigned char *)wild[0];
		arg = (unsigned long)b.p;
	} else {
		arg = c->arg == A_VAL ? pick_value(&f->r) : vt_rand(&f->r);
	}
	/* What may wait on the master is only an injection without room. */
	sleeps = s->type == S_MASTER ?
		 c->cmd == VTMX_INJECT_RX && !s->nonblock :
		 (c->tflags & T_SLEEPS) != 0;
	may_block(sleeps);
	vt_begin(f->w, s->type == S_MASTER ? K_IOCTL_M : K_IOCTL_T);
	ret = ioctl(s->fd, c->cmd, arg);
	if (s->type == S_MASTER)
		judge_ioctl_master(f, s, c, &b, ret, errno);
	else
		judge_ioctl_tty(f, s, c, &b, ret, errno);
	unblock(sleeps);
}

static void op_unknown(struct fuzzer *f)
{
	unsigned long cmd = unknown_cmd(&f->r), arg;
	struct slot *s = used_slot(f, 0);
	int kind;
	long ret;

	if (!s) {
		op_open_master(f);
		return;
	}
	kind = s->type == S_MASTER ? K_UNKNOWN_M : K_UNKNOWN_T;
	switch (vt_below(&f->r, 4)) {
	case 0:
		arg = (unsigned long)(good + vt_below(&f->r, 4096));
		break;
	case 1:
		arg = (unsigned long)pick_buf(&f->r, 64, 1, 0).p;
		break;
	default:
		arg = pick_value(&f->r);
		break;
	}
	vt_begin(f->w, kind);
	ret = ioctl(s->fd, cmd, arg);
	if (ret < 0 && (errno == ENOTTY ||
			(errno == EIO && kind == K_UNKNOWN_T &&
			 tty_hung(s))))
		f->w->count[kind].err[errno]++;
	else
		vt_fail(f->w, kind, "command %#lx: %ld, %s; want ENOTTY", cmd,
			ret, ret < 0 ? vt_errname(errno) : "-");
}

static void one_op(struct fuzzer *f)
{
	uint32_t c;

	f->r.s = vt_rand(&f->stream);
	/* Opens and closes cost ten cheap calls each: fewer of them. */
	c = vt_below(&f->r, 100);
	if (c < 2) {
		op_open_master(f);
	} else if (c < 6) {
		op_open_tty(f);
	} else if (c < 9) {
		struct slot *s = slot_to_close(f);

		if (s)
			do_close(f, s);
	} else if (c < 25) {
		op_io(f, 1);
	} else if (c < 39) {
		op_io(f, 0);
	} else if (c < 47) {
		op_poll(f);
	} else if (c < 83) {
		op_ioctl(f);
	} else if (c < 96) {
		op_unknown(f);
	} else {
		op_fcntl(f);
	}
}

/* What every worker is given. */
struct run {
	uint64_t seed;
	uint64_t ops;		/* in all */
	int procs;
	long long end_ms;	/* 0: no time limit */
};

static int run_worker(struct vt_worker *w, int i, void *runp)
{
	const struct run *run = runp;
	struct fuzzer *f = calloc(1, sizeof(*f));
	uint64_t ops = run->ops / (uint64_t)run->procs +
		       ((uint64_t)i < run->ops % (uint64_t)run->procs);

	if (!f || !unmapped((uintptr_t)hole, REGION)) {
		fprintf(stderr, "FAIL %s: the hole got mapped\n", w->name);
		return 2;
	}
	f->w = w;
	f->stream = vt_stream(run->seed, (unsigned int)i);
	f->max_idx = 2 * run->procs * NSLOTS;
	for (int k = 0; k < NSLOTS; k++)
		f->s[k].fd = -1;
	for (w->rounds = 0; w->rounds < ops; w->rounds++) {
		if (!(w->rounds & 255) && run->end_ms &&
		    vt_now_ms() >= run->end_ms)
			break;
		one_op(f);
	}
	for (int k = 0; k < NSLOTS; k++)
		if (f->s[k].type != S_FREE)
			do_close(f, &f->s[k]);
	return 0;
}

/*
 * From a first port: what the module supports (to judge VTMX_SET_FEATURES)
 * and a new port's termios (the template of termios arguments).
 */
static int first_port(void)
{
	int m = open("/dev/vtmx", O_RDWR), t = -1;
	unsigned int idx;

	if (m >= 0 && !ioctl(m, VTMX_GET_FEATURES, &supported) &&
	    !ioctl(m, VTMX_GET_VTTY_NUM, &idx))
		t = open(vt_tty_path((int)idx), O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (t < 0 || ioctl(t, TCGETS2, &tio_template)) {
		perror("vtty_fuzz: a first port");
		return 1;
	}
	close(t);
	close(m);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vtty_fuzz [--seed S] [--procs P] [--ops N] [--seconds T]\n"
		"  N operations in all, split among P processes; T bounds the time\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 'S' },
		{ "procs", required_argument, NULL, 'p' },
		{ "ops", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct run run = {
		.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20),
		.ops = 100000,
		.procs = 4,
	};
	int seconds = 0, c;
	uint64_t done = 0;
	struct vt_totals t;
	struct vt_worker *w;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			run.seed = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			run.procs = atoi(optarg);
			break;
		case 'n':
			run.ops = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seconds = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || run.procs < 1 || run.procs > 64 || seconds < 0)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("vtty_fuzz: seed %llu, %d processes, %llu ops%s (reproduce: vtty_fuzz --seed %llu --procs %d --ops %llu)\n",
	       (unsigned long long)run.seed, run.procs,
	       (unsigned long long)run.ops, seconds ? " or the time limit" : "",
	       (unsigned long long)run.seed, run.procs,
	       (unsigned long long)run.ops);
	vt_kind_names = kind_names;
	vt_kinds = KINDS;
	vt_signals();
	/* Everything mapped before the hole is made, so nothing fills it. */
	w = vt_workers_alloc(run.procs);
	setup_memory(run.seed);

	if (first_port())
		return 2;

	for (int i = 0; i < run.procs; i++)
		snprintf(w[i].name, sizeof(w[i].name), "fuzz%d", i);
	if (seconds)
		run.end_ms = vt_now_ms() + seconds * 1000LL;
	t = vt_run("vtty_fuzz", w, run.procs, run_worker, &run);
	for (int i = 0; i < run.procs; i++)
		done += w[i].rounds;
	printf("vtty_fuzz: seed %llu, %d processes: %llu of %llu operations%s, %llu calls in %.1f s (%.0f/s), %llu expected errors, %llu unexpected, %d other failures\n",
	       (unsigned long long)run.seed, run.procs,
	       (unsigned long long)done, (unsigned long long)run.ops,
	       done < run.ops ? " (the time limit)" : "",
	       (unsigned long long)t.ops, t.seconds, t.ops / t.seconds,
	       (unsigned long long)t.errs, (unsigned long long)t.bad,
	       t.failures);
	return t.bad || t.failures ? 1 : 0;
}
