// Only kernel UAPI headers plus <sys/ioctl.h> here: never <termios.h>.
#include "tty_ioctl.h"

#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <fcntl.h>
#include <linux/serial.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

// <asm/termios.h> would define these but clashes with glibc's <sys/ioctl.h>.
#ifndef TIOCM_OUT1
#define TIOCM_OUT1 0x2000
#endif
#ifndef TIOCM_OUT2
#define TIOCM_OUT2 0x4000
#endif
#ifndef TIOCM_LOOP
#define TIOCM_LOOP 0x8000
#endif

namespace vtmx {

static_assert(sizeof(((struct termios2*)nullptr)->c_cc) == kTermios2Nccs, "termios2 NCCS mismatch");

int GetTermios2(int fd, Termios2Raw* out) {
  struct termios2 t {};
  if (::ioctl(fd, TCGETS2, &t) < 0) return errno;
  out->iflag = t.c_iflag;
  out->oflag = t.c_oflag;
  out->cflag = t.c_cflag;
  out->lflag = t.c_lflag;
  out->line = t.c_line;
  std::memcpy(out->cc, t.c_cc, kTermios2Nccs);
  out->ispeed = t.c_ispeed;
  out->ospeed = t.c_ospeed;
  return 0;
}

int SetTermios2(int fd, const Termios2Raw& in, TermiosWhen when) {
  struct termios2 t {};
  t.c_iflag = in.iflag;
  t.c_oflag = in.oflag;
  t.c_cflag = in.cflag;
  t.c_lflag = in.lflag;
  t.c_line = in.line;
  std::memcpy(t.c_cc, in.cc, kTermios2Nccs);
  t.c_ispeed = in.ispeed;
  t.c_ospeed = in.ospeed;
  unsigned long request = when == TermiosWhen::kNow ? TCSETS2 : when == TermiosWhen::kDrain ? TCSETSW2 : TCSETSF2;
  int r;
  do {
    r = ::ioctl(fd, request, &t);
  } while (r < 0 && errno == EINTR);
  return r < 0 ? errno : 0;
}

int GetIcount(int fd, IcountRaw* out) {
  struct serial_icounter_struct c {};
  if (::ioctl(fd, TIOCGICOUNT, &c) < 0) return errno;
  *out = IcountRaw{c.cts, c.dsr, c.rng, c.dcd, c.rx, c.tx, c.frame, c.overrun, c.parity, c.brk, c.buf_overrun};
  return 0;
}

int GetSerial(int fd, SerialRaw* out) {
  struct serial_struct s {};
  if (::ioctl(fd, TIOCGSERIAL, &s) < 0) return errno;
  out->type = s.type;
  out->line = s.line;
  out->port = s.port;
  out->irq = s.irq;
  out->flags = s.flags;
  out->xmit_fifo_size = s.xmit_fifo_size;
  out->custom_divisor = s.custom_divisor;
  out->baud_base = s.baud_base;
  out->close_delay = s.close_delay;
  out->io_type = static_cast<unsigned char>(s.io_type);
  out->hub6 = s.hub6;
  out->closing_wait = s.closing_wait;
  out->closing_wait2 = s.closing_wait2;
  out->iomem_reg_shift = s.iomem_reg_shift;
  out->port_high = s.port_high;
  out->iomap_base = s.iomap_base;
  return 0;
}

int SetSerial(int fd, const SerialRaw& in) {
  // Start from the current state so fields we do not model survive.
  struct serial_struct s {};
  if (::ioctl(fd, TIOCGSERIAL, &s) < 0) return errno;
  s.type = in.type;
  s.line = in.line;
  s.port = in.port;
  s.irq = in.irq;
  s.flags = in.flags;
  s.xmit_fifo_size = in.xmit_fifo_size;
  s.custom_divisor = in.custom_divisor;
  s.baud_base = in.baud_base;
  s.close_delay = in.close_delay;
  s.io_type = static_cast<char>(in.io_type);
  s.hub6 = in.hub6;
  s.closing_wait = in.closing_wait;
  s.closing_wait2 = in.closing_wait2;
  s.iomem_reg_shift = in.iomem_reg_shift;
  s.port_high = in.port_high;
  s.iomap_base = in.iomap_base;
  if (::ioctl(fd, TIOCSSERIAL, &s) < 0) return errno;
  return 0;
}

#define C(name) {#name, static_cast<double>(name)}

static const NamedConstant kConstants[] = {
    // c_iflag
    C(IGNBRK), C(BRKINT), C(IGNPAR), C(PARMRK), C(INPCK), C(ISTRIP), C(INLCR), C(IGNCR), C(ICRNL), C(IUCLC),
    C(IXON), C(IXANY), C(IXOFF), C(IMAXBEL), C(IUTF8),
    // c_oflag
    C(OPOST), C(OLCUC), C(ONLCR), C(OCRNL), C(ONOCR), C(ONLRET), C(OFILL), C(OFDEL),
    // c_cflag
    C(CBAUD), C(CBAUDEX), C(BOTHER), C(CSIZE), C(CS5), C(CS6), C(CS7), C(CS8), C(CSTOPB), C(CREAD), C(PARENB),
    C(PARODD), C(HUPCL), C(CLOCAL), C(CIBAUD), C(CMSPAR), C(CRTSCTS), C(IBSHIFT),
    // c_lflag
    C(ISIG), C(ICANON), C(ECHO), C(ECHOE), C(ECHOK), C(ECHONL), C(NOFLSH), C(TOSTOP), C(ECHOCTL), C(ECHOPRT),
    C(ECHOKE), C(FLUSHO), C(PENDIN), C(IEXTEN), C(EXTPROC),
    // c_cc indices
    C(VINTR), C(VQUIT), C(VERASE), C(VKILL), C(VEOF), C(VTIME), C(VMIN), C(VSWTC), C(VSTART), C(VSTOP), C(VSUSP),
    C(VEOL), C(VREPRINT), C(VDISCARD), C(VWERASE), C(VLNEXT), C(VEOL2),
    // standard baud codes
    C(B0), C(B50), C(B75), C(B110), C(B134), C(B150), C(B200), C(B300), C(B600), C(B1200), C(B1800), C(B2400),
    C(B4800), C(B9600), C(B19200), C(B38400), C(B57600), C(B115200), C(B230400), C(B460800), C(B500000),
    C(B576000), C(B921600), C(B1000000), C(B1152000), C(B1500000), C(B2000000), C(B2500000), C(B3000000),
    C(B3500000), C(B4000000),
    // modem lines
    C(TIOCM_LE), C(TIOCM_DTR), C(TIOCM_RTS), C(TIOCM_ST), C(TIOCM_SR), C(TIOCM_CTS), C(TIOCM_CAR), C(TIOCM_CD),
    C(TIOCM_RNG), C(TIOCM_RI), C(TIOCM_DSR), C(TIOCM_OUT1), C(TIOCM_OUT2), C(TIOCM_LOOP),
    // flush selectors
    C(TCIFLUSH), C(TCOFLUSH), C(TCIOFLUSH),
    // ioctl requests
    C(TCGETS), C(TCSETS), C(TCGETS2), C(TCSETS2), C(TCSETSW2), C(TCSETSF2), C(TCSBRK), C(TCSBRKP), C(TCFLSH),
    C(TIOCSBRK), C(TIOCCBRK), C(TIOCMGET), C(TIOCMSET), C(TIOCMBIS), C(TIOCMBIC), C(TIOCMIWAIT), C(TIOCGICOUNT),
    C(TIOCOUTQ), C(TIOCINQ), C(FIONREAD), C(TIOCGSERIAL), C(TIOCSSERIAL), C(TIOCGPTN), C(TIOCSPTLCK),
    C(TIOCSERGETLSR), C(TIOCEXCL), C(TIOCNXCL), C(TIOCSCTTY), C(TIOCNOTTY),
    // serial_struct flags
    C(ASYNC_SPD_MASK), C(ASYNC_SPD_CUST), C(ASYNC_LOW_LATENCY), C(ASYNC_SKIP_TEST),
    C(TIOCSER_TEMT),
    // open(2) flags
    C(O_RDONLY), C(O_WRONLY), C(O_RDWR), C(O_NONBLOCK), C(O_NOCTTY), C(O_CLOEXEC), C(O_EXCL),
};

#undef C

const NamedConstant* TtyConstants(size_t* count) {
  *count = sizeof(kConstants) / sizeof(kConstants[0]);
  return kConstants;
}

}  // namespace vtmx
