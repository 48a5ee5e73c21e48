// Module entry: registers the native surface used by the TypeScript layer.
#include <napi.h>

#include "blocking_call.h"
#include "constants.h"
#include "fd_ops.h"
#include "poll_handle.h"
#include "tty_ops.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  vtmx::InitFdOps(env, exports);
  vtmx::InitTtyOps(env, exports);
  exports.Set("PollHandle", vtmx::InitPollHandle(env));
  exports.Set("BlockingCall", vtmx::InitBlockingCall(env));
  exports.Set("constants", vtmx::MakeConstants(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(vtmx_native, Init)
