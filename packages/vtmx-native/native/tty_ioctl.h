// termios2 / serial ioctls, compiled in their own translation unit because
// the kernel's <asm/termbits.h> conflicts with glibc's <termios.h>. This
// header declares plain structs only, so callers need neither.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vtmx {

constexpr size_t kTermios2Nccs = 19;

struct Termios2Raw {
  uint32_t iflag;
  uint32_t oflag;
  uint32_t cflag;
  uint32_t lflag;
  uint8_t line;
  uint8_t cc[kTermios2Nccs];
  uint32_t ispeed;
  uint32_t ospeed;
};

struct IcountRaw {
  int cts, dsr, rng, dcd, rx, tx, frame, overrun, parity, brk, buf_overrun;
};

struct SerialRaw {
  int type, line;
  unsigned int port;
  int irq, flags, xmit_fifo_size, custom_divisor, baud_base;
  unsigned short close_delay;
  unsigned char io_type;
  int hub6;
  unsigned short closing_wait, closing_wait2;
  unsigned char iomem_reg_shift;
  unsigned int port_high;
  unsigned long iomap_base;
};

enum class TermiosWhen { kNow, kDrain, kFlush };

// Each returns 0 or an errno value.
int GetTermios2(int fd, Termios2Raw* out);
int SetTermios2(int fd, const Termios2Raw& in, TermiosWhen when);
int GetIcount(int fd, IcountRaw* out);
int GetSerial(int fd, SerialRaw* out);
int SetSerial(int fd, const SerialRaw& in);

struct NamedConstant {
  const char* name;
  double value;
};

// Termios flags, modem bits and ioctl request numbers, from kernel headers.
const NamedConstant* TtyConstants(size_t* count);

}  // namespace vtmx
