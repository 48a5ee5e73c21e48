// PollHandle: owns a non-blocking file descriptor and a uv_poll_t on the
// event loop of the environment that created it. Reads happen natively when
// the descriptor becomes readable (POLLIN or POLLPRI), one read() per packet,
// at most `budget` per wake-up, and are handed to JavaScript in one call.
// Writes are attempted synchronously; callers wait for POLLOUT on EAGAIN.
//
// Teardown order is always: stop polling, close the fd, uv_close() the handle.
// An async environment cleanup hook performs it when a worker exits with the
// handle still open, so the worker's loop closes cleanly.
#pragma once

#include <napi.h>

namespace vtmx {

Napi::Function InitPollHandle(Napi::Env env);

}  // namespace vtmx
