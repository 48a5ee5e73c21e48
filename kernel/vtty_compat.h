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

#include <linux/version.h>

/*
 * VTTY_KERNEL_AT_LEAST(major, minor) is LINUX_VERSION_CODE >=
 * KERNEL_VERSION(major, minor, 0); Kbuild defines it, so that each test
 * below reads as the API boundary it is.
 */
#ifndef VTTY_KERNEL_AT_LEAST
#error "build vtty through its Kbuild file"
#endif

/* Linux 6.1 is the oldest kernel vtty is built and tested on. */
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

#endif /* _VTTY_COMPAT_H */
