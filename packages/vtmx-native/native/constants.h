// The constants object: tty constants from the system's kernel UAPI headers.
#pragma once

#include <napi.h>

namespace vtmx {

Napi::Object MakeConstants(Napi::Env env);

}  // namespace vtmx
