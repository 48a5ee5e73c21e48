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

/*
 * ---- Extensions (since 0.2.0) ----
 *
 * ioctls of vtty's own on a /dev/vtmx file descriptor, in the 'V' space at
 * numbers 0xE0-0xEF (they carry a direction and size, so they never equal
 * the legacy 0x56xx VT ioctls; a misc device sees only its own ioctls).
 * A master that never issues them sees exactly the interface above.
 *
 * VTMX_GET_FEATURES: (__u32 *) receives the VTTY_FEAT_* bits this module
 *                    supports.
 * VTMX_SET_FEATURES: (__u32 *) enables exactly the VTTY_FEAT_* bits given
 *                    for this port (0 returns to the seed interface);
 *                    EINVAL, and nothing changes, when a bit is unknown.
 * VTMX_GET_ENABLED:  (__u32 *) receives the bits enabled on this port.
 * VTMX_REQUEST_STATE: (__u32 *) flags, must be 0 (EINVAL otherwise);
 *                    queues the port's current state as
 *                    packets: TAG_SET_TERMIOS, TAG_SET_MODEM and, with
 *                    VTTY_FEAT_OPEN_EVENTS, TAG_OPEN_COUNT.  For a master
 *                    that starts (or restarts) after the application.
 * VTMX_INJECT_RX:    (__u32 *) one received byte with a line condition:
 *                    bits 0-7 the byte, bits 8-15 a VTTY_RX_* condition.
 *                    Delivered through the flip buffer like a UART's
 *                    error byte; TIOCGICOUNT counts it.  EINVAL for an
 *                    unknown condition, EAGAIN (O_NONBLOCK) or a wait when
 *                    the receive buffer is full.
 */
#define VTMX_GET_FEATURES	_IOR('V', 0xE0, __u32)
#define VTMX_SET_FEATURES	_IOW('V', 0xE1, __u32)
#define VTMX_GET_ENABLED	_IOR('V', 0xE2, __u32)
#define VTMX_REQUEST_STATE	_IOW('V', 0xE3, __u32)
#define VTMX_INJECT_RX		_IOW('V', 0xE4, __u32)

/*
 * VTTY_FEAT_MODEM_EVENTS: a TAG_SET_MODEM packet whenever the application's
 *     output lines change for any reason, not only its TIOCM* calls: DTR and
 *     RTS raised on open, dropped on the last close or hangup with HUPCL,
 *     dropped/raised around B0, RTS dropped/raised by input throttling.
 * VTTY_FEAT_HW_FLOW: with CRTSCTS set on the tty, CTS low (from the master)
 *     holds the application's output in the driver; the tty throttling its
 *     input drops RTS and stops taking master writes until it unthrottles.
 * VTTY_FEAT_SW_FLOW: the tty's output stop (IXON: the master sending
 *     VSTOP/VSTART; tcflow TCOOFF/TCOON) holds the application's output;
 *     XON/XOFF characters (IXOFF throttling, tcflow TCIOFF/TCION) are sent
 *     ahead of queued output, even while output is held; with IXOFF the
 *     tty throttling its input sends VSTOP, unthrottling sends VSTART.
 * VTTY_FEAT_OPEN_EVENTS: a TAG_OPEN_COUNT packet on every open, close and
 *     hangup of the tty.
 * VTTY_FEAT_FLUSH_EVENTS: a TAG_FLUSH packet on tcflush()/TCFLSH (and on
 *     tcsetattr(TCSAFLUSH) since 0.3.0).
 */
#define VTTY_FEAT_MODEM_EVENTS	0x01
#define VTTY_FEAT_HW_FLOW	0x02
#define VTTY_FEAT_SW_FLOW	0x04
#define VTTY_FEAT_OPEN_EVENTS	0x08
#define VTTY_FEAT_FLUSH_EVENTS	0x10

/*
 * ---- Since 0.3.0 ----
 *
 * VTTY_FEAT_LINE_RATE: the application's output reaches the master at the
 *     line rate its termios sets: each character takes 1 start bit, 5-8
 *     data bits (CSIZE), a parity bit with PARENB and 1 or 2 stop bits
 *     (CSTOPB; 1.5 with CS5) at the speed of the termios (BOTHER and the
 *     spd_* aliases of B38400 included), e.g. 115200 8N1 = 11520 bytes/s.
 *     A character becomes readable once its line time has passed, in
 *     chunks of at least 1 ms of line time; until then it counts in
 *     TIOCOUTQ, so tcdrain() takes as long as on a UART, and TIOCSERGETLSR
 *     reports TIOCSER_TEMT only when the line is idle and the master has
 *     read everything.  A speed change applies from the character on the
 *     line; flow control holds (VTTY_FEAT_HW_FLOW, VTTY_FEAT_SW_FLOW)
 *     pause the line but not reading what was already transmitted; B0
 *     (no line) releases output unpaced.  XON/XOFF sent ahead of the
 *     output (VTTY_FEAT_SW_FLOW) are not paced.
 *
 * Also since 0.3.0, with VTTY_FEAT_FLUSH_EVENTS a tcsetattr(TCSAFLUSH)
 * sends TAG_FLUSH with VTTY_FLUSH_INPUT ahead of its TAG_SET_TERMIOS.
 */
#define VTTY_FEAT_LINE_RATE	0x20

/*
 * Packets only sent when their feature is enabled (since 0.2.0):
 *
 * TAG_OPEN_COUNT:  __u32, how many times the tty is open now (0 after the
 *                  last close or a hangup).
 * TAG_FLUSH:       __u32, VTTY_FLUSH_* bits: which queues the application
 *                  discarded (input: what the master wrote and the
 *                  application had not read; output: what it wrote and the
 *                  master had not read).
 */
#define TAG_OPEN_COUNT		4
#define TAG_FLUSH		5
#define VTTY_TAG_OPEN_COUNT	TAG_OPEN_COUNT
#define VTTY_TAG_FLUSH		TAG_FLUSH

#define VTTY_FLUSH_INPUT	0x1
#define VTTY_FLUSH_OUTPUT	0x2

/* VTMX_INJECT_RX conditions (the values of the kernel's TTY_* flags). */
#define VTTY_RX_NORMAL		0
#define VTTY_RX_BREAK		1
#define VTTY_RX_FRAME		2
#define VTTY_RX_PARITY		3
#define VTTY_RX_OVERRUN		4
#define VTTY_INJECT(ch, cond)	((__u32)(__u8)(ch) | ((__u32)(cond) << 8))

/*
 * ---- Since 0.4.0: ports that look like hardware ----
 *
 * Opening /dev/vtmx-hotplug creates a port that is not plugged in: it has
 * no device and no index yet.  Its master gives it an identity (and, if it
 * wants, an index and a name), then plugs it in: the port's devices appear
 * with the identity already in place, so the first uevent carries it.
 * Unplugging does to the application what pulling a USB adapter does: the
 * tty is hung up (reads return 0, writes fail with EIO) and the node goes;
 * plugging it in again brings it back under the same index and name.
 * Ports of /dev/vtmx start plugged in as always; they may be unplugged
 * and plugged in again too, but take no identity and no name.
 *
 * VTMX_SET_IDENTITY: (struct vtty_identity *) ports of /dev/vtmx-hotplug
 *     only, while unplugged (EINVAL otherwise, or for unknown flags or
 *     kinds, non-zero reserved bytes, strings that are not NUL-terminated
 *     or hold characters outside 0x20-0x7e or '/', or a kind of another
 *     name family than the index the port holds).  VTTY_ID_BUS_USB needs
 *     CAP_SYS_ADMIN (EPERM).
 * VTMX_GET_IDENTITY: (struct vtty_identity *) receives the identity.
 * VTMX_SET_INDEX:    (__u32 *) the index the port takes in its name
 *     family, while unplugged: EBUSY when another port holds it, or when
 *     the application still holds the port's previous tty; EINVAL beyond
 *     the last index.  A port without one takes the lowest free index
 *     when it is plugged in; VTMX_GET_VTTY_NUM fails with EINVAL until then.
 * VTMX_SET_NAME:     (struct vtty_name *) the port's name, unique among
 *     all ports (EBUSY when taken), ports of /dev/vtmx-hotplug only, while
 *     unplugged: 1-31 characters of [A-Za-z0-9._-], not starting with '.'
 *     (EINVAL otherwise); an empty string clears it.
 * VTMX_PLUG:         (__u32 *) flags, must be 0; plugs the port in.
 *     EINVAL when plugged in already; ENOSPC when its family has no free
 *     index.
 * VTMX_UNPLUG:       (__u32 *) flags, must be 0; unplugs the port.
 *     EINVAL when not plugged in.
 */
#define VTTY_ID_STRING_SIZE	64
#define VTTY_NAME_SIZE		32

/*
 * What the port presents itself as; each kind is a name family with its
 * own indices: /dev/ttyV<n>, /dev/ttyUSBV<n>, /dev/ttyACMV<n>.
 */
#define VTTY_KIND_NONE		0	/* no kind: ttyV<n> */
#define VTTY_KIND_USB_SERIAL	1	/* a USB serial adapter (FTDI, CP210x) */
#define VTTY_KIND_USB_ACM	2	/* a USB CDC-ACM device (modems, boards) */

/* struct vtty_identity flags */
#define VTTY_ID_USB_IDS		0x1	/* vendor_id and product_id are set */
#define VTTY_ID_BUS_USB		0x2	/* links in the usb- namespace */

struct vtty_identity {
	__u32 flags;			/* VTTY_ID_* */
	__u16 vendor_id;
	__u16 product_id;
	__u8 kind;			/* VTTY_KIND_* */
	__u8 interface_number;
	__u8 reserved[6];		/* must be 0 */
	char serial[VTTY_ID_STRING_SIZE];	/* "" when not set */
	char manufacturer[VTTY_ID_STRING_SIZE];
	char product[VTTY_ID_STRING_SIZE];
};

struct vtty_name {
	char name[VTTY_NAME_SIZE];
};

#define VTMX_SET_IDENTITY	_IOW('V', 0xE5, struct vtty_identity)
#define VTMX_GET_IDENTITY	_IOR('V', 0xE6, struct vtty_identity)
#define VTMX_SET_INDEX		_IOW('V', 0xE7, __u32)
#define VTMX_SET_NAME		_IOW('V', 0xE8, struct vtty_name)
#define VTMX_PLUG		_IOW('V', 0xE9, __u32)
#define VTMX_UNPLUG		_IOW('V', 0xEA, __u32)

#endif /* _UAPI_LINUX_VTTY_H */
