/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vtty - virtual serial ports driven from userspace
 *
 * Userspace interface of /dev/vtmx, the master side of the /dev/ttyV<n>
 * virtual serial ports.  See docs/protocol.md for the full description.
 *
 * This header may be included from C userspace together with <termios.h>
 * and <sys/ioctl.h>.  The TAG_SET_TERMIOS payload is a struct termios2,
 * which glibc does not declare: take it from <asm/termbits.h> in a
 * translation unit that does not also include <termios.h>, or copy the
 * layout documented in docs/protocol.md.
 */
#ifndef _UAPI_LINUX_VTTY_H
#define _UAPI_LINUX_VTTY_H

#include <linux/types.h>
#include <asm/ioctls.h>

/*
 * ioctls on a /dev/vtmx file descriptor.  Their numbers are those of the
 * pty and tty ioctls they resemble, as in the original vtty interface.
 *
 * VTMX_GET_VTTY_NUM:    (unsigned int *) receives <n> of /dev/ttyV<n>.
 * VTMX_SET_MODEM_LINES: (int *) TIOCM_* bits; only the input lines
 *                       TIOCM_CTS, TIOCM_DSR, TIOCM_CAR and TIOCM_RNG are
 *                       taken, the other bits are ignored.
 */
#define VTMX_GET_VTTY_NUM	TIOCGPTN
#define VTMX_SET_MODEM_LINES	TIOCMSET

/*
 * Every read() of /dev/vtmx returns exactly one packet: one tag byte, then
 * the payload in host byte order.
 *
 * TAG_UART_RX:     1..n bytes the application wrote to the tty.
 * TAG_SET_TERMIOS: struct termios2, as the application set it.
 * TAG_SET_MODEM:   __u32 TIOCM_* state (application outputs | master inputs).
 * TAG_BREAK_CTL:   __s32, >0 break for that many ms, -1 break on, 0 off.
 */
#define TAG_UART_RX		0
#define TAG_SET_TERMIOS		1
#define TAG_SET_MODEM		2
#define TAG_BREAK_CTL		3

#define VTTY_TAG_UART_RX	TAG_UART_RX
#define VTTY_TAG_SET_TERMIOS	TAG_SET_TERMIOS
#define VTTY_TAG_SET_MODEM	TAG_SET_MODEM
#define VTTY_TAG_BREAK_CTL	TAG_BREAK_CTL

/*
 * Size of struct termios2 (the TAG_SET_TERMIOS payload) and of the largest
 * packet.  A read() with a smaller buffer fails with EMSGSIZE.  The module
 * refuses to build where these disagree with the kernel's struct termios2.
 */
#if defined(__mips__)
#define VTTY_TERMIOS2_SIZE	48
#else
#define VTTY_TERMIOS2_SIZE	44
#endif
#define VTMX_MAX_PACKET_SIZE	(1 + VTTY_TERMIOS2_SIZE)

#endif /* _UAPI_LINUX_VTTY_H */
