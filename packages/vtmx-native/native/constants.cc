#include "constants.h"

#include "tty_ioctl.h"

// Only what the system's kernel headers define: termios flags, c_cc indices, baud codes,
// TIOCM_* bits and tty ioctl numbers. The numbers of the vtmx interface (kernel/vtty.h) are
// not here: vtty-protocol owns them (and checks them against the header when it is built),
// and the TypeScript side passes them to the ioctls, so this addon builds the same with or
// without the repository's kernel/ directory.

namespace vtmx {

Napi::Object MakeConstants(Napi::Env env) {
  Napi::Object obj = Napi::Object::New(env);
  size_t count = 0;
  const NamedConstant* table = TtyConstants(&count);
  for (size_t i = 0; i < count; i++) obj.Set(table[i].name, table[i].value);
  return obj;
}

}  // namespace vtmx
