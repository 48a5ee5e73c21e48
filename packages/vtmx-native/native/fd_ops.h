// Plain file-descriptor calls (open, close, read, write, dup and simple
// ioctls) exposed to JavaScript; all errors are thrown as system errors.
#pragma once

#include <napi.h>

namespace vtmx {

void InitFdOps(Napi::Env env, Napi::Object exports);

}  // namespace vtmx
