#include "constants.h"

#include <linux/ioctl.h>
#include <linux/types.h>
#include <sys/ioctl.h>

#include "tty_ioctl.h"

#if __has_include("vtty.h")
#include "vtty.h"
#define VTMX_HAVE_VTTY_H 1
#else
#define VTMX_HAVE_VTTY_H 0
#endif

// The seed interface: these equal TIOCGPTN / TIOCMSET by definition.
#ifndef VTMX_GET_VTTY_NUM
#define VTMX_GET_VTTY_NUM TIOCGPTN
#endif
#ifndef VTMX_SET_MODEM_LINES
#define VTMX_SET_MODEM_LINES TIOCMSET
#endif

// The extension interface (since 0.2.0): the same values as kernel/vtty.h, for a build
// without it. The binding names what it knows, whatever the loaded module supports; the
// module answers EINVAL (or ENOTTY, a seed module) for what it does not.
#ifndef VTMX_GET_FEATURES
#define VTMX_GET_FEATURES _IOR('V', 0xE0, __u32)
#define VTMX_SET_FEATURES _IOW('V', 0xE1, __u32)
#define VTMX_GET_ENABLED _IOR('V', 0xE2, __u32)
#define VTMX_REQUEST_STATE _IOW('V', 0xE3, __u32)
#define VTMX_INJECT_RX _IOW('V', 0xE4, __u32)
#endif
#ifndef VTTY_FEAT_MODEM_EVENTS
#define VTTY_FEAT_MODEM_EVENTS 0x01
#define VTTY_FEAT_HW_FLOW 0x02
#define VTTY_FEAT_SW_FLOW 0x04
#define VTTY_FEAT_OPEN_EVENTS 0x08
#define VTTY_FEAT_FLUSH_EVENTS 0x10
#endif
// Line-rate pacing, since 0.3.0.
#ifndef VTTY_FEAT_LINE_RATE
#define VTTY_FEAT_LINE_RATE 0x20
#endif
#ifndef VTTY_RX_NORMAL
#define VTTY_RX_NORMAL 0
#define VTTY_RX_BREAK 1
#define VTTY_RX_FRAME 2
#define VTTY_RX_PARITY 3
#define VTTY_RX_OVERRUN 4
#endif

namespace vtmx {

Napi::Object MakeConstants(Napi::Env env) {
  Napi::Object obj = Napi::Object::New(env);
  size_t count = 0;
  const NamedConstant* table = TtyConstants(&count);
  for (size_t i = 0; i < count; i++) obj.Set(table[i].name, table[i].value);
  obj.Set("VTMX_GET_VTTY_NUM", static_cast<double>(VTMX_GET_VTTY_NUM));
  obj.Set("VTMX_SET_MODEM_LINES", static_cast<double>(VTMX_SET_MODEM_LINES));
#ifdef VTMX_MAX_PACKET_SIZE
  obj.Set("VTMX_MAX_PACKET_SIZE", static_cast<double>(VTMX_MAX_PACKET_SIZE));
#else
  obj.Set("VTMX_MAX_PACKET_SIZE", 45.0);  // 1 + sizeof(struct termios2) on x86/arm
#endif
  const NamedConstant extensions[] = {
      {"VTMX_GET_FEATURES", static_cast<double>(VTMX_GET_FEATURES)},
      {"VTMX_SET_FEATURES", static_cast<double>(VTMX_SET_FEATURES)},
      {"VTMX_GET_ENABLED", static_cast<double>(VTMX_GET_ENABLED)},
      {"VTMX_REQUEST_STATE", static_cast<double>(VTMX_REQUEST_STATE)},
      {"VTMX_INJECT_RX", static_cast<double>(VTMX_INJECT_RX)},
      {"VTTY_FEAT_MODEM_EVENTS", VTTY_FEAT_MODEM_EVENTS},
      {"VTTY_FEAT_HW_FLOW", VTTY_FEAT_HW_FLOW},
      {"VTTY_FEAT_SW_FLOW", VTTY_FEAT_SW_FLOW},
      {"VTTY_FEAT_OPEN_EVENTS", VTTY_FEAT_OPEN_EVENTS},
      {"VTTY_FEAT_FLUSH_EVENTS", VTTY_FEAT_FLUSH_EVENTS},
      {"VTTY_FEAT_LINE_RATE", VTTY_FEAT_LINE_RATE},
      {"VTTY_RX_NORMAL", VTTY_RX_NORMAL},
      {"VTTY_RX_BREAK", VTTY_RX_BREAK},
      {"VTTY_RX_FRAME", VTTY_RX_FRAME},
      {"VTTY_RX_PARITY", VTTY_RX_PARITY},
      {"VTTY_RX_OVERRUN", VTTY_RX_OVERRUN},
  };
  for (const NamedConstant& constant : extensions) obj.Set(constant.name, constant.value);
  obj.Set("HAVE_VTTY_H", VTMX_HAVE_VTTY_H != 0);
  return obj;
}

}  // namespace vtmx
