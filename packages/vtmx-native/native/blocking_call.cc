#include "blocking_call.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <uv.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <string>

#include "system_error.h"

namespace vtmx {
namespace {

constexpr int kCancelSignal = SIGURG;
constexpr uint64_t kResignalMs = 5;
// Request 0 is not an ioctl: poll(2) for the events in `arg` (used to test cancellation on
// hosts where no tty ioctl blocks, e.g. ptys).
constexpr unsigned long kPollRequest = 0;
// Request 1 is not an ioctl either: close(2) the descriptor itself (no dup). A tty close can
// wait up to closing_wait (30 s) for unsent output; interrupting it still closes the fd.
constexpr unsigned long kCloseRequest = 1;

enum Phase : int { kQueued = 0, kRunning = 1, kDone = 2 };

class BlockingCall;

struct CallState {
  uv_work_t req{};
  uv_loop_t* loop = nullptr;
  uv_timer_t* timer = nullptr;
  napi_env env = nullptr;
  BlockingCall* wrap = nullptr;
  int fd = -1;  // dup of the caller's descriptor, owned here
  unsigned long request = 0;
  long arg = 0;
  bool arg_is_pointer = false;  // pass &arg (int) instead of arg
  std::string path;
  std::atomic<int> phase{kQueued};
  std::atomic<bool> cancelled{false};
  pthread_t thread{};
  int error = 0;
  bool finished = false;  // after-work ran
  bool env_closing = false;
  napi_deferred deferred = nullptr;
  napi_async_context async_context = nullptr;
  napi_async_cleanup_hook_handle cleanup_hook = nullptr;
};

void NoopSignalHandler(int) {}

void Work(uv_work_t* req) {
  auto* s = static_cast<CallState*>(req->data);
  s->thread = pthread_self();
  s->phase.store(kRunning);
  if (s->cancelled.load()) {
    s->error = ECANCELED;
    s->phase.store(kDone);
    return;
  }
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, kCancelSignal);
  pthread_sigmask(SIG_UNBLOCK, &set, &old);
  int value = static_cast<int>(s->arg);
  if (s->request == kCloseRequest) {
    // Never retried: on Linux the descriptor is released even when close() reports EINTR.
    int r = ::close(s->fd);
    s->error = (r < 0 && errno != EINTR) ? errno : 0;
    s->fd = -1;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    s->phase.store(kDone);
    return;
  }
  for (;;) {
    int r;
    if (s->request == kPollRequest) {
      struct pollfd pfd {s->fd, static_cast<short>(s->arg), 0};
      r = ::poll(&pfd, 1, -1);
    } else if (s->arg_is_pointer) {
      r = ::ioctl(s->fd, s->request, &value);
    } else {
      r = ::ioctl(s->fd, s->request, s->arg);
    }
    if (r >= 0) {
      s->error = 0;
      break;
    }
    if (errno == EINTR && !s->cancelled.load()) continue;
    s->error = errno == EINTR ? ECANCELED : errno;
    break;
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  s->phase.store(kDone);
}

void OnTimerClosed(uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); }

void OnResignal(uv_timer_t* timer) {
  auto* s = static_cast<CallState*>(timer->data);
  if (s->phase.load() == kRunning) pthread_kill(s->thread, kCancelSignal);
}

void Cancel(CallState* s) {
  if (s->finished || s->cancelled.exchange(true)) return;
  if (uv_cancel(reinterpret_cast<uv_req_t*>(&s->req)) == 0) return;  // never started
  if (s->phase.load() == kRunning) pthread_kill(s->thread, kCancelSignal);
  s->timer = new uv_timer_t();
  uv_timer_init(s->loop, s->timer);
  s->timer->data = s;
  uv_timer_start(s->timer, OnResignal, kResignalMs, kResignalMs);
}

void OnEnvCleanup(napi_async_cleanup_hook_handle /*handle*/, void* arg) {
  auto* s = static_cast<CallState*>(arg);
  s->env_closing = true;
  Cancel(s);  // AfterWork removes the hook once the pool thread is done
}

void AfterWork(uv_work_t* req, int status);

class BlockingCall : public Napi::ObjectWrap<BlockingCall> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "BlockingCall",
                       {
                           InstanceMethod<&BlockingCall::CancelMethod>("cancel"),
                       });
  }

  // new BlockingCall(fd, request, arg, argIsPointer, path)
  explicit BlockingCall(const Napi::CallbackInfo& info) : Napi::ObjectWrap<BlockingCall>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 5 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber() ||
        !info[3].IsBoolean() || !info[4].IsString()) {
      throw Napi::TypeError::New(env, "new BlockingCall(fd, request, arg, argIsPointer, path)");
    }
    InstallCancelSignalHandler();
    std::string path = info[4].As<Napi::String>().Utf8Value();
    const unsigned long request = static_cast<unsigned long>(info[1].As<Napi::Number>().Int64Value());
    int fd = info[0].As<Napi::Number>().Int32Value();
    if (request != kCloseRequest) {
      fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
      if (fd < 0) ThrowSystemError(env, errno, "dup", path);
    }

    auto* s = new CallState();
    s->env = env;
    s->fd = fd;
    s->request = request;
    s->arg = static_cast<long>(info[2].As<Napi::Number>().Int64Value());
    s->arg_is_pointer = info[3].As<Napi::Boolean>().Value();
    s->path = path;
    s->req.data = s;
    napi_value promise;
    napi_value resource_name = Napi::String::New(env, "VtmxBlockingCall");
    if (napi_get_uv_event_loop(env, &s->loop) != napi_ok || napi_create_promise(env, &s->deferred, &promise) != napi_ok ||
        napi_async_init(env, nullptr, resource_name, &s->async_context) != napi_ok) {
      ::close(fd);
      delete s;
      throw Napi::Error::New(env, "cannot set up a blocking call");
    }
    // A property, not a strong native reference: no cycle keeps the call alive.
    info.This().As<Napi::Object>().Set("promise", Napi::Value(env, promise));
    int r = uv_queue_work(s->loop, &s->req, Work, AfterWork);
    if (r < 0) {
      ::close(fd);
      napi_async_destroy(env, s->async_context);
      napi_reject_deferred(env, s->deferred, MakeSystemError(env, -r, "uv_queue_work", path).Value());
      s->finished = true;
      delete s;
      return;
    }
    if (napi_add_async_cleanup_hook(env, OnEnvCleanup, s, &s->cleanup_hook) != napi_ok) s->cleanup_hook = nullptr;
    s->wrap = this;
    state_ = s;
  }

  ~BlockingCall() override {
    if (state_ == nullptr) return;
    state_->wrap = nullptr;
    if (state_->finished) delete state_;
    state_ = nullptr;
  }


 private:
  Napi::Value CancelMethod(const Napi::CallbackInfo& info) {
    if (state_ != nullptr) Cancel(state_);
    return info.Env().Undefined();
  }

  CallState* state_ = nullptr;
};

void AfterWork(uv_work_t* req, int status) {
  auto* s = static_cast<CallState*>(req->data);
  s->finished = true;
  if (status == UV_ECANCELED) s->error = ECANCELED;
  if (s->timer != nullptr) {
    uv_timer_stop(s->timer);
    uv_close(reinterpret_cast<uv_handle_t*>(s->timer), OnTimerClosed);
    s->timer = nullptr;
  }
  if (s->fd >= 0) ::close(s->fd);
  s->fd = -1;
  if (!s->env_closing) {
    napi_env env = s->env;
    Napi::HandleScope scope(env);
    napi_value resource;
    napi_create_object(env, &resource);
    napi_callback_scope callback_scope = nullptr;
    napi_open_callback_scope(env, resource, s->async_context, &callback_scope);
    if (s->error == 0) {
      napi_resolve_deferred(env, s->deferred, Napi::Env(env).Undefined());
    } else {
      const char* syscall = s->request == kCloseRequest ? "close" : s->request == kPollRequest ? "poll" : "ioctl";
      napi_value error = s->error == ECANCELED ? MakeCancelledError(env, syscall, s->path).Value()
                                               : MakeSystemError(env, s->error, syscall, s->path).Value();
      napi_reject_deferred(env, s->deferred, error);
    }
    if (callback_scope != nullptr) napi_close_callback_scope(env, callback_scope);
    napi_async_destroy(env, s->async_context);
  }
  if (s->cleanup_hook != nullptr) {
    napi_remove_async_cleanup_hook(s->cleanup_hook);
    s->cleanup_hook = nullptr;
  }
  if (s->wrap == nullptr) delete s;
}

}  // namespace

void InstallCancelSignalHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_handler = NoopSignalHandler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: interrupted tty waits return EINTR
    sigaction(kCancelSignal, &sa, nullptr);
  });
}

Napi::Function InitBlockingCall(Napi::Env env) { return BlockingCall::Init(env); }

}  // namespace vtmx
