// Generated from the Linux 6.1 uapi headers include/uapi/asm-generic/termbits.h and
// include/uapi/asm-generic/termbits-common.h (values are the asm-generic ones, valid for every
// TermiosArch). Regenerate with scripts/gen-termios-flags.py; do not edit by hand.

/** Ignore a received break condition. (`c_iflag`) @public */
export const IGNBRK = 0x1;
/** A received break flushes queues and sends SIGINT. (`c_iflag`) @public */
export const BRKINT = 0x2;
/** Ignore characters with parity or framing errors. (`c_iflag`) @public */
export const IGNPAR = 0x4;
/** Mark parity and framing errors with `\377 \0`. (`c_iflag`) @public */
export const PARMRK = 0x8;
/** Enable input parity checking. (`c_iflag`) @public */
export const INPCK = 0x10;
/** Strip the eighth bit of input characters. (`c_iflag`) @public */
export const ISTRIP = 0x20;
/** Translate NL to CR on input. (`c_iflag`) @public */
export const INLCR = 0x40;
/** Ignore CR on input. (`c_iflag`) @public */
export const IGNCR = 0x80;
/** Translate CR to NL on input. (`c_iflag`) @public */
export const ICRNL = 0x100;
/** Any character restarts stopped output. (`c_iflag`) @public */
export const IXANY = 0x800;
/** Enable implementation-defined output processing. (`c_oflag`) @public */
export const OPOST = 0x1;
/** Map CR to NL on output. (`c_oflag`) @public */
export const OCRNL = 0x8;
/** Do not output CR at column 0. (`c_oflag`) @public */
export const ONOCR = 0x10;
/** NL performs the CR function. (`c_oflag`) @public */
export const ONLRET = 0x20;
/** Use fill characters for delays. (`c_oflag`) @public */
export const OFILL = 0x40;
/** Fill character is DEL. (`c_oflag`) @public */
export const OFDEL = 0x80;
/** Speed code for 0 baud (hang up: drop DTR). (`c_cflag`) @public */
export const B0 = 0x0;
/** Speed code for 50 baud. (`c_cflag`) @public */
export const B50 = 0x1;
/** Speed code for 75 baud. (`c_cflag`) @public */
export const B75 = 0x2;
/** Speed code for 110 baud. (`c_cflag`) @public */
export const B110 = 0x3;
/** Speed code for 134 baud. (`c_cflag`) @public */
export const B134 = 0x4;
/** Speed code for 150 baud. (`c_cflag`) @public */
export const B150 = 0x5;
/** Speed code for 200 baud. (`c_cflag`) @public */
export const B200 = 0x6;
/** Speed code for 300 baud. (`c_cflag`) @public */
export const B300 = 0x7;
/** Speed code for 600 baud. (`c_cflag`) @public */
export const B600 = 0x8;
/** Speed code for 1200 baud. (`c_cflag`) @public */
export const B1200 = 0x9;
/** Speed code for 1800 baud. (`c_cflag`) @public */
export const B1800 = 0xa;
/** Speed code for 2400 baud. (`c_cflag`) @public */
export const B2400 = 0xb;
/** Speed code for 4800 baud. (`c_cflag`) @public */
export const B4800 = 0xc;
/** Speed code for 9600 baud. (`c_cflag`) @public */
export const B9600 = 0xd;
/** Speed code for 19200 baud. (`c_cflag`) @public */
export const B19200 = 0xe;
/** Speed code for 38400 baud. (`c_cflag`) @public */
export const B38400 = 0xf;
/** Historical alias of B19200. (`c_cflag`) @public */
export const EXTA = B19200;
/** Historical alias of B38400. (`c_cflag`) @public */
export const EXTB = B38400;
/** Address bit (RS-485 9-bit addressing). (`c_cflag`) @public */
export const ADDRB = 0x20000000;
/** Mark or space (stick) parity, with PARODD selecting mark. (`c_cflag`) @public */
export const CMSPAR = 0x40000000;
/** RTS/CTS hardware flow control. (`c_cflag`) @public */
export const CRTSCTS = 0x80000000;
/** Shift from CBAUD to CIBAUD. (`c_cflag`) @public */
export const IBSHIFT = 16;
/** tcflow: suspend output. @public */
export const TCOOFF = 0;
/** tcflow: restart output. @public */
export const TCOON = 1;
/** tcflow: send a STOP character. @public */
export const TCIOFF = 2;
/** tcflow: send a START character. @public */
export const TCION = 3;
/** tcflush: discard received data. @public */
export const TCIFLUSH = 0;
/** tcflush: discard unsent data. @public */
export const TCOFLUSH = 1;
/** tcflush: discard both. @public */
export const TCIOFLUSH = 2;
/** Index of the INTR (^C) character in `c_cc`. @public */
export const VINTR = 0;
/** Index of the QUIT (^\\) character in `c_cc`. @public */
export const VQUIT = 1;
/** Index of the ERASE (DEL) character in `c_cc`. @public */
export const VERASE = 2;
/** Index of the KILL (^U) character in `c_cc`. @public */
export const VKILL = 3;
/** Index of the EOF (^D) character in `c_cc`. @public */
export const VEOF = 4;
/** Index of the TIME (deciseconds, non-canonical) character in `c_cc`. @public */
export const VTIME = 5;
/** Index of the MIN (bytes, non-canonical) character in `c_cc`. @public */
export const VMIN = 6;
/** Index of the SWTC character in `c_cc`. @public */
export const VSWTC = 7;
/** Index of the START / XON (^Q) character in `c_cc`. @public */
export const VSTART = 8;
/** Index of the STOP / XOFF (^S) character in `c_cc`. @public */
export const VSTOP = 9;
/** Index of the SUSP (^Z) character in `c_cc`. @public */
export const VSUSP = 10;
/** Index of the EOL character in `c_cc`. @public */
export const VEOL = 11;
/** Index of the REPRINT (^R) character in `c_cc`. @public */
export const VREPRINT = 12;
/** Index of the DISCARD (^O) character in `c_cc`. @public */
export const VDISCARD = 13;
/** Index of the WERASE (^W) character in `c_cc`. @public */
export const VWERASE = 14;
/** Index of the LNEXT (^V) character in `c_cc`. @public */
export const VLNEXT = 15;
/** Index of the EOL2 character in `c_cc`. @public */
export const VEOL2 = 16;
/** Map upper case to lower case on input. (`c_iflag`) @public */
export const IUCLC = 0x200;
/** XON/XOFF flow control of output (the port obeys START/STOP it receives). (`c_iflag`) @public */
export const IXON = 0x400;
/** XON/XOFF flow control of input (the port sends START/STOP). (`c_iflag`) @public */
export const IXOFF = 0x1000;
/** Ring the bell when the input queue is full. (`c_iflag`) @public */
export const IMAXBEL = 0x2000;
/** Input is UTF-8 (for character erase in canonical mode). (`c_iflag`) @public */
export const IUTF8 = 0x4000;
/** Map lower case to upper case on output. (`c_oflag`) @public */
export const OLCUC = 0x2;
/** Map NL to CR-NL on output. (`c_oflag`) @public */
export const ONLCR = 0x4;
/** Mask of the NL output delay. (`c_oflag`) @public */
export const NLDLY = 0x100;
/** Output delay value (NL0). (`c_oflag`) @public */
export const NL0 = 0x0;
/** Output delay value (NL1). (`c_oflag`) @public */
export const NL1 = 0x100;
/** Mask of the CR output delay. (`c_oflag`) @public */
export const CRDLY = 0x600;
/** Output delay value (CR0). (`c_oflag`) @public */
export const CR0 = 0x0;
/** Output delay value (CR1). (`c_oflag`) @public */
export const CR1 = 0x200;
/** Output delay value (CR2). (`c_oflag`) @public */
export const CR2 = 0x400;
/** Output delay value (CR3). (`c_oflag`) @public */
export const CR3 = 0x600;
/** Mask of the TAB output delay. (`c_oflag`) @public */
export const TABDLY = 0x1800;
/** Output delay value (TAB0). (`c_oflag`) @public */
export const TAB0 = 0x0;
/** Output delay value (TAB1). (`c_oflag`) @public */
export const TAB1 = 0x800;
/** Output delay value (TAB2). (`c_oflag`) @public */
export const TAB2 = 0x1000;
/** Output delay value (TAB3). (`c_oflag`) @public */
export const TAB3 = 0x1800;
/** Output delay value (XTABS). (`c_oflag`) @public */
export const XTABS = 0x1800;
/** Mask of the BS output delay. (`c_oflag`) @public */
export const BSDLY = 0x2000;
/** Output delay value (BS0). (`c_oflag`) @public */
export const BS0 = 0x0;
/** Output delay value (BS1). (`c_oflag`) @public */
export const BS1 = 0x2000;
/** Mask of the VT output delay. (`c_oflag`) @public */
export const VTDLY = 0x4000;
/** Output delay value (VT0). (`c_oflag`) @public */
export const VT0 = 0x0;
/** Output delay value (VT1). (`c_oflag`) @public */
export const VT1 = 0x4000;
/** Mask of the FF output delay. (`c_oflag`) @public */
export const FFDLY = 0x8000;
/** Output delay value (FF0). (`c_oflag`) @public */
export const FF0 = 0x0;
/** Output delay value (FF1). (`c_oflag`) @public */
export const FF1 = 0x8000;
/** Mask of the output speed code (Bnnn or BOTHER). (`c_cflag`) @public */
export const CBAUD = 0x100f;
/** Mask of the character size. (`c_cflag`) @public */
export const CSIZE = 0x30;
/** 5 data bits. (`c_cflag`) @public */
export const CS5 = 0x0;
/** 6 data bits. (`c_cflag`) @public */
export const CS6 = 0x10;
/** 7 data bits. (`c_cflag`) @public */
export const CS7 = 0x20;
/** 8 data bits. (`c_cflag`) @public */
export const CS8 = 0x30;
/** Two stop bits (one when clear). (`c_cflag`) @public */
export const CSTOPB = 0x40;
/** Enable the receiver. (`c_cflag`) @public */
export const CREAD = 0x80;
/** Enable parity generation and checking. (`c_cflag`) @public */
export const PARENB = 0x100;
/** Odd parity (even when clear). (`c_cflag`) @public */
export const PARODD = 0x200;
/** Drop modem control lines (DTR/RTS) on last close. (`c_cflag`) @public */
export const HUPCL = 0x400;
/** Ignore modem control lines (no carrier detect). (`c_cflag`) @public */
export const CLOCAL = 0x800;
/** Extended speed code bit. (`c_cflag`) @public */
export const CBAUDEX = 0x1000;
/** Speed code meaning "the speed is in c_ospeed / c_ispeed". (`c_cflag`) @public */
export const BOTHER = 0x1000;
/** Speed code for 57600 baud. (`c_cflag`) @public */
export const B57600 = 0x1001;
/** Speed code for 115200 baud. (`c_cflag`) @public */
export const B115200 = 0x1002;
/** Speed code for 230400 baud. (`c_cflag`) @public */
export const B230400 = 0x1003;
/** Speed code for 460800 baud. (`c_cflag`) @public */
export const B460800 = 0x1004;
/** Speed code for 500000 baud. (`c_cflag`) @public */
export const B500000 = 0x1005;
/** Speed code for 576000 baud. (`c_cflag`) @public */
export const B576000 = 0x1006;
/** Speed code for 921600 baud. (`c_cflag`) @public */
export const B921600 = 0x1007;
/** Speed code for 1000000 baud. (`c_cflag`) @public */
export const B1000000 = 0x1008;
/** Speed code for 1152000 baud. (`c_cflag`) @public */
export const B1152000 = 0x1009;
/** Speed code for 1500000 baud. (`c_cflag`) @public */
export const B1500000 = 0x100a;
/** Speed code for 2000000 baud. (`c_cflag`) @public */
export const B2000000 = 0x100b;
/** Speed code for 2500000 baud. (`c_cflag`) @public */
export const B2500000 = 0x100c;
/** Speed code for 3000000 baud. (`c_cflag`) @public */
export const B3000000 = 0x100d;
/** Speed code for 3500000 baud. (`c_cflag`) @public */
export const B3500000 = 0x100e;
/** Speed code for 4000000 baud. (`c_cflag`) @public */
export const B4000000 = 0x100f;
/** Mask of the input speed code (CBAUD shifted by IBSHIFT; B0 there means "same as output"). (`c_cflag`) @public */
export const CIBAUD = 0x100f0000;
/** Generate signals for INTR, QUIT, SUSP. (`c_lflag`) @public */
export const ISIG = 0x1;
/** Canonical (line-by-line) input. (`c_lflag`) @public */
export const ICANON = 0x2;
/** Obsolete case conversion. (`c_lflag`) @public */
export const XCASE = 0x4;
/** Echo input characters. (`c_lflag`) @public */
export const ECHO = 0x8;
/** ERASE erases the preceding character. (`c_lflag`) @public */
export const ECHOE = 0x10;
/** KILL erases the line. (`c_lflag`) @public */
export const ECHOK = 0x20;
/** Echo NL even when ECHO is off. (`c_lflag`) @public */
export const ECHONL = 0x40;
/** Do not flush queues on INTR/QUIT/SUSP. (`c_lflag`) @public */
export const NOFLSH = 0x80;
/** SIGTTOU for background output. (`c_lflag`) @public */
export const TOSTOP = 0x100;
/** Echo control characters as ^X. (`c_lflag`) @public */
export const ECHOCTL = 0x200;
/** Print erased characters. (`c_lflag`) @public */
export const ECHOPRT = 0x400;
/** KILL erases each character. (`c_lflag`) @public */
export const ECHOKE = 0x800;
/** Output is being flushed. (`c_lflag`) @public */
export const FLUSHO = 0x1000;
/** Reprint pending input at next read. (`c_lflag`) @public */
export const PENDIN = 0x4000;
/** Enable implementation-defined input processing. (`c_lflag`) @public */
export const IEXTEN = 0x8000;
/** External processing (pty packet mode). (`c_lflag`) @public */
export const EXTPROC = 0x10000;
/** tcsetattr: change immediately. @public */
export const TCSANOW = 0;
/** tcsetattr: change after output drained. @public */
export const TCSADRAIN = 1;
/** tcsetattr: change after output drained, discarding input. @public */
export const TCSAFLUSH = 2;
