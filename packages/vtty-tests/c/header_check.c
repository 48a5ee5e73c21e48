// SPDX-License-Identifier: GPL-2.0
/*
 * header_check - kernel/vtty.h must compile in C userspace next to glibc's
 * <termios.h> and <sys/ioctl.h>, and keep the seed interface's numbers.
 *   cc -Wall -Wextra -I kernel -o /tmp/header_check packages/vtty-tests/c/header_check.c
 */
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "vtty.h"

_Static_assert(VTMX_GET_VTTY_NUM == TIOCGPTN, "VTMX_GET_VTTY_NUM");
_Static_assert(VTMX_SET_MODEM_LINES == TIOCMSET, "VTMX_SET_MODEM_LINES");
_Static_assert(TAG_UART_RX == 0 && TAG_SET_TERMIOS == 1 &&
	       TAG_SET_MODEM == 2 && TAG_BREAK_CTL == 3, "tags");

int main(void)
{
	printf("VTMX_GET_VTTY_NUM=0x%lx VTMX_SET_MODEM_LINES=0x%x VTMX_MAX_PACKET_SIZE=%d\n",
	       (unsigned long)VTMX_GET_VTTY_NUM, VTMX_SET_MODEM_LINES,
	       VTMX_MAX_PACKET_SIZE);
	return 0;
}
