/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtty - every difference between the kernel versions the module builds on
 *
 * The module is built out of tree against several kernels.  Each guard
 * below sits at the exact version that changed the API it shims, and says
 * which version that is; the rest of the module uses the names defined
 * here and never tests a version itself.
 */
#ifndef _VTTY_COMPAT_H
#define _VTTY_COMPAT_H

#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/version.h>

/*
 * VTTY_KERNEL_AT_LEAST(major, minor) is LINUX_VERSION_CODE >=
 * KERNEL_VERSION(major, minor, 0); Kbuild defines it, so that each test
 * below reads as the API boundary it is.
 */
#ifndef VTTY_KERNEL_AT_LEAST
#error "build vtty through its Kbuild file"
#endif

/* Linux 5.10 is the oldest kernel vtty builds against. */
#if !VTTY_KERNEL_AT_LEAST(5, 10)
#error "vtty needs Linux 5.10 or later"
#endif

/*
 * TTY_DRIVER_RESET_SAVED_TERMIOS came with a 2026 fix of a race around
 * saved termios and was backported to the stable series (Debian's 6.1 and
 * 6.12 have it), so no version tells whether a kernel has it.  A kernel
 * without it forgets an index's saved termios on every device
 * registration, unasked: what the flag asks for.  Up to 6.12 the driver
 * flags are macros, which #ifdef sees; later they are an enum (7.2's has
 * the flag), which it does not: there, defining it as 0 would silently
 * keep the previous port's termios for a reused index.
 */
#if !VTTY_KERNEL_AT_LEAST(6, 13) && !defined(TTY_DRIVER_RESET_SAVED_TERMIOS)
#define TTY_DRIVER_RESET_SAVED_TERMIOS	0
#endif

/*
 * Linux 5.14 made write_room() and chars_in_buffer() return unsigned int,
 * gathered the flow-control state of tty_struct under tty->flow, and added
 * tty_get_frame_size().
 */
#if VTTY_KERNEL_AT_LEAST(5, 14)
#define VTTY_ROOM_RET		unsigned int
#define vtty_tty_stopped(tty)	((tty)->flow.stopped)
#define vtty_frame_size		tty_get_frame_size
#else
#define VTTY_ROOM_RET		int
#define vtty_tty_stopped(tty)	((tty)->stopped)

/* Start bit, data bits, parity bit, stop bits: tty_get_frame_size(). */
static inline unsigned char vtty_frame_size(unsigned int cflag)
{
	static const unsigned char data_bits[] = {
		[CS5 >> 4] = 5, [CS6 >> 4] = 6, [CS7 >> 4] = 7, [CS8 >> 4] = 8,
	};

	return 1 + data_bits[(cflag & CSIZE) >> 4] + !!(cflag & PARENB) +
	       ((cflag & CSTOPB) ? 2 : 1);
}
#endif

/*
 * Linux 6.0 added the client lookahead_buf(), through which n_tty acts on
 * a VSTOP or VSTART still waiting in the flip buffer.
 */
#define VTTY_HAVE_LOOKAHEAD	VTTY_KERNEL_AT_LEAST(6, 0)

/* Linux 6.1 made the old termios that ->set_termios() gets const. */
#if VTTY_KERNEL_AT_LEAST(6, 1)
#define VTTY_OLD_TERMIOS	const struct ktermios
#else
#define VTTY_OLD_TERMIOS	struct ktermios
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
 * Linux 6.13 added hrtimer_setup(), which sets the callback with the rest;
 * 6.15 removed hrtimer_init(), whose callers set ->function themselves.
 */
#if VTTY_KERNEL_AT_LEAST(6, 13)
#define vtty_hrtimer_setup	hrtimer_setup
#else
static inline void
vtty_hrtimer_setup(struct hrtimer *timer,
		   enum hrtimer_restart (*function)(struct hrtimer *),
		   clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/*
 * Linux 7.0 added kzalloc_obj(), which sizes an allocation by its type;
 * stable kernels have it too (Debian's 6.12.118 does), so the macro itself
 * is what is tested.
 */
#ifndef kzalloc_obj
#define kzalloc_obj(obj, gfp)	kzalloc(sizeof(obj), gfp)
#endif

/*
 * Linux 6.3 gave the uevent() of a bus or device type a const struct
 * device.
 */
#if VTTY_KERNEL_AT_LEAST(6, 3)
#define VTTY_UEVENT_DEVICE	const struct device
#else
#define VTTY_UEVENT_DEVICE	struct device
#endif

/*
 * Linux 6.4 moved the driver core's private data out of struct bus_type,
 * and bus_register() takes it const; before, the core writes to it, so it
 * cannot be const there (and checkpatch, which knows only the new rule,
 * is not shown the type and the missing const on one line).
 */
#if VTTY_KERNEL_AT_LEAST(6, 4)
#define VTTY_DEFINE_BUS(var, bus_name)					\
	static const struct bus_type var = { .name = bus_name }
#else
#define VTTY_DEFINE_BUS(var, bus_name)					\
	static struct							\
	bus_type var = { .name = bus_name }
#endif

#endif /* _VTTY_COMPAT_H */
