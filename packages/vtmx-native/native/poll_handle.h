// PollHandle: owns a non-blocking file descriptor and a uv_poll_t on the
// event loop of the environment that created it. Reads happen natively when
// the descriptor becomes readable (POLLIN or POLLPRI), one read() per packet,
// until EAGAIN or at most `budget` reads / `batch_bytes` per wake-up, into a
// pool Buffer (or, once armed with setTarget, into the caller's own buffer);
// JavaScript gets the batch in one call as one buffer plus the end offset of
// every packet (a reused Uint32Array), so the cost of the call and of the
// allocation is shared by all packets of the wake-up.
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
