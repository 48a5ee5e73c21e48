// The constants object: tty constants from kernel headers plus the vtmx
// ioctls (from kernel/vtty.h when it is present at build time).
#pragma once

#include <napi.h>

namespace vtmx {

Napi::Object MakeConstants(Napi::Env env);

}  // namespace vtmx
