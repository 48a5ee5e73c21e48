// JavaScript bindings for termios2, icount and serial_struct ioctls.
#pragma once

#include <napi.h>

namespace vtmx {

void InitTtyOps(Napi::Env env, Napi::Object exports);

}  // namespace vtmx
