// BlockingCall: a tty ioctl that may block for a long time (TIOCMIWAIT,
// TCSBRK/TCSBRKP for drain and timed breaks) run on the libuv thread pool of
// the calling environment, as a promise that can be cancelled.
//
// Cancellation: the work runs on a dup() of the descriptor, so closing the
// original fd cannot redirect it. cancel() sets a flag and, if the ioctl is
// already running, interrupts the pool thread with pthread_kill(SIGURG);
// a no-op SIGURG handler without SA_RESTART is installed once per process,
// so the interruptible tty waits return EINTR. The signal is re-sent every
// few milliseconds until the call returns, closing the race where it lands
// just before the thread enters the ioctl. The promise then rejects with
// code 'ECANCELED'. A worker exiting with a call still pending cancels it the
// same way from an async environment cleanup hook.
//
// Request number 0 means poll(2) for the events given as `arg` instead of an
// ioctl; it exercises the same machinery where no tty ioctl blocks (ptys).
// Request number 1 means close(2) of the descriptor itself (ownership passes
// to the call): a tty close may wait for unsent output.
#pragma once

#include <napi.h>

namespace vtmx {

Napi::Function InitBlockingCall(Napi::Env env);

// Installs the process-wide SIGURG handler (idempotent, thread-safe).
void InstallCancelSignalHandler();

}  // namespace vtmx
