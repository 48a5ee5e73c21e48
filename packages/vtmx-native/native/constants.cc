#include "constants.h"

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
  obj.Set("HAVE_VTTY_H", VTMX_HAVE_VTTY_H != 0);
  return obj;
}

}  // namespace vtmx
