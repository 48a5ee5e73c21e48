#include "system_error.h"

#include <uv.h>

#include <cerrno>

namespace vtmx {

Napi::Error MakeSystemError(Napi::Env env, int err, const char* syscall,
                            const std::string& path) {
  const int uverr = -err;  // libuv error numbers are negated errno values
  const char* code = uv_err_name(uverr);
  std::string message = std::string(code) + ": " + uv_strerror(uverr) + ", " + syscall;
  if (!path.empty()) message += " '" + path + "'";
  Napi::Error error = Napi::Error::New(env, message);
  Napi::Object obj = error.Value();
  obj.Set("errno", Napi::Number::New(env, uverr));
  obj.Set("code", Napi::String::New(env, code));
  obj.Set("syscall", Napi::String::New(env, syscall));
  if (!path.empty()) obj.Set("path", Napi::String::New(env, path));
  return error;
}

void ThrowSystemError(Napi::Env env, int err, const char* syscall, const std::string& path) {
  throw MakeSystemError(env, err, syscall, path);
}

Napi::Error MakeCancelledError(Napi::Env env, const char* syscall, const std::string& path) {
  Napi::Error error = MakeSystemError(env, ECANCELED, syscall, path);
  error.Value().Set("name", Napi::String::New(env, "AbortError"));
  return error;
}

}  // namespace vtmx
