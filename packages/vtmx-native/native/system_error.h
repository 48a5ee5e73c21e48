// Node-style system errors ("ENOENT: no such file or directory, open '/dev/vtmx'")
// built from an errno value, with code, errno (negative, as in Node's fs),
// syscall and path properties.
#pragma once

#include <napi.h>

#include <string>

namespace vtmx {

// Builds the error object without throwing it.
Napi::Error MakeSystemError(Napi::Env env, int err, const char* syscall,
                            const std::string& path = std::string());

// Throws (as a C++ exception carrying the JS error).
[[noreturn]] void ThrowSystemError(Napi::Env env, int err, const char* syscall,
                                   const std::string& path = std::string());

// Builds the error thrown/rejected when an operation is cancelled by close()
// or an AbortSignal: name 'AbortError', code 'ECANCELED'.
Napi::Error MakeCancelledError(Napi::Env env, const char* syscall,
                               const std::string& path = std::string());

}  // namespace vtmx
