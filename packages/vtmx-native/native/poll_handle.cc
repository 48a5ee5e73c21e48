#include "poll_handle.h"

#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "system_error.h"

namespace vtmx {
namespace {

class PollHandle;

// Native state; outlives the JS wrapper until libuv has closed the handle.
struct PollState {
  PollHandle* wrap = nullptr;  // null once the JS object has been finalized
  napi_env env = nullptr;
  uv_poll_t* poll = nullptr;
  int fd = -1;
  std::string path;
  bool reading = false;
  bool want_write = false;
  bool active = false;
  bool referenced = false;
  bool closing = false;
  bool uv_closed = false;
  int poll_error = 0;  // errno from uv_poll_init when the fd cannot be polled
  int events = 0;
  unsigned budget = 1;          // most read() calls per wake-up
  size_t read_size = 65536;     // bytes offered to each read()
  size_t batch_bytes = 65536;   // no further read() once a wake-up has read this many bytes
  std::vector<uint8_t> buffer;  // batch_bytes + read_size: one wake-up's packets, back to back
  napi_async_cleanup_hook_handle cleanup_hook = nullptr;
};

void OnPoll(uv_poll_t* handle, int status, int events);

void OnUvClosed(uv_handle_t* handle) {
  auto* state = static_cast<PollState*>(handle->data);
  delete reinterpret_cast<uv_poll_t*>(handle);
  state->poll = nullptr;
  state->uv_closed = true;
  if (state->cleanup_hook != nullptr) {
    napi_remove_async_cleanup_hook(state->cleanup_hook);
    state->cleanup_hook = nullptr;
  }
  if (state->wrap == nullptr) delete state;
}

// Stop polling, close the descriptor (unless `keep_fd`: the caller then owns it), close the
// handle (in that order).
void BeginClose(PollState* state, bool keep_fd = false) {
  if (state->closing) return;
  if (keep_fd) state->fd = -1;
  state->closing = true;
  state->reading = false;
  state->want_write = false;
  std::vector<uint8_t>().swap(state->buffer);  // release the read buffer now, not at GC
  if (state->poll != nullptr) uv_poll_stop(state->poll);
  state->active = false;
  if (state->fd >= 0) {
    ::close(state->fd);
    state->fd = -1;
  }
  if (state->poll != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(state->poll), OnUvClosed);
    return;
  }
  // Nothing for libuv to close: finish synchronously. The caller still holds the state.
  state->uv_closed = true;
  if (state->cleanup_hook != nullptr) {
    napi_remove_async_cleanup_hook(state->cleanup_hook);
    state->cleanup_hook = nullptr;
  }
}

void OnEnvCleanup(napi_async_cleanup_hook_handle /*handle*/, void* arg) {
  // The removal happens in OnUvClosed, once libuv is done with the handle.
  BeginClose(static_cast<PollState*>(arg));
}

// Returns 0 or a negative libuv error.
int UpdatePoll(PollState* state) {
  if (state->closing) return 0;
  if (state->poll == nullptr) return (state->reading || state->want_write) ? -state->poll_error : 0;
  int events = 0;
  if (state->reading) events |= UV_READABLE | UV_PRIORITIZED;
  if (state->want_write) events |= UV_WRITABLE;
  if (events == 0) {
    if (state->active) {
      uv_poll_stop(state->poll);
      state->active = false;
    }
    return 0;
  }
  if (!state->active || events != state->events) {
    int r = uv_poll_start(state->poll, events, OnPoll);
    if (r < 0) return r;
    state->active = true;
    state->events = events;
  }
  if (state->referenced) {
    uv_ref(reinterpret_cast<uv_handle_t*>(state->poll));
  } else {
    uv_unref(reinterpret_cast<uv_handle_t*>(state->poll));
  }
  return 0;
}

class PollHandle : public Napi::ObjectWrap<PollHandle> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "PollHandle",
                       {
                           InstanceMethod<&PollHandle::ReadStart>("readStart"),
                           InstanceMethod<&PollHandle::ReadStop>("readStop"),
                           InstanceMethod<&PollHandle::SetTarget>("setTarget"),
                           InstanceMethod<&PollHandle::WaitWritable>("waitWritable"),
                           InstanceMethod<&PollHandle::Write>("write"),
                           InstanceMethod<&PollHandle::SetReferenced>("setReferenced"),
                           InstanceMethod<&PollHandle::Close>("close"),
                           InstanceMethod<&PollHandle::Release>("release"),
                           InstanceAccessor<&PollHandle::GetFd>("fd"),
                       });
  }

  // new PollHandle(fd, path, onRead(data, start, ends, count, error, eof), onWritable(error))
  explicit PollHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PollHandle>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 4 || !info[0].IsNumber() || !info[1].IsString() || !info[2].IsFunction() ||
        !info[3].IsFunction()) {
      throw Napi::TypeError::New(env, "new PollHandle(fd, path, onRead, onWritable)");
    }
    // The callbacks live on the JS object (not in strong native references), so a closed or
    // idle handle and everything its callbacks capture can be garbage collected. While polling,
    // the wrapper pins itself (see SyncPin), as a libuv-backed Node handle would stay alive.
    Napi::Object self = info.This().As<Napi::Object>();
    self.Set("onread", info[2]);
    self.Set("onwritable", info[3]);
    // control[0]: read() calls JS wants per wake-up now (written by JS; 0 = none);
    // control[1]: 1 while the handle polls for input (written here). Shared memory, so that
    // JS can change its demand without a call, and the handle stops on its own (see
    // HandleReadable) instead of JS stopping and restarting it around every batch.
    Napi::Int32Array control = Napi::Int32Array::New(env, 2);
    self.Set("control", control);
    control_ref_ = Napi::Persistent(control);
    control_ = control.Data();
    async_context_ = std::make_unique<Napi::AsyncContext>(env, "VtmxPollHandle");

    uv_loop_t* loop = nullptr;
    NAPI_THROW_IF_FAILED_VOID(env, napi_get_uv_event_loop(env, &loop));
    auto* state = new PollState();
    state->env = env;
    state->fd = info[0].As<Napi::Number>().Int32Value();
    state->path = info[1].As<Napi::String>().Utf8Value();
    state->poll = new uv_poll_t();
    state->poll->data = state;
    int r = uv_poll_init(loop, state->poll, state->fd);
    if (r < 0) {
      // Not pollable (epoll refuses e.g. /dev/null): keep the fd for ioctls and plain writes;
      // readStart/waitWritable report the error.
      delete state->poll;
      state->poll = nullptr;
      state->poll_error = -r;
    } else {
      uv_unref(reinterpret_cast<uv_handle_t*>(state->poll));
    }
    napi_status status = napi_add_async_cleanup_hook(env, OnEnvCleanup, state, &state->cleanup_hook);
    if (status != napi_ok) state->cleanup_hook = nullptr;
    state->wrap = this;
    state_ = state;
  }

  ~PollHandle() override {
    if (state_ == nullptr) return;
    state_->wrap = nullptr;
    BeginClose(state_);
    if (state_->uv_closed) delete state_;
    state_ = nullptr;
  }

  // Called from OnPoll: read until EAGAIN, at most `budget` packets and about `batch_bytes`,
  // and hand JS the whole batch in one call: one Buffer holding the packets back to back from
  // `start`, and the end offset of each read() in the shared `ends_` array.
  //
  // The packets are read straight into the free tail of a pool Buffer (like Node's own
  // Buffer pool): JS gets views, and a new pool is only allocated when the tail has no room
  // for another read(). Allocating (and later collecting) a Buffer per packet, or even per
  // wake-up, was what kept the master CPU-bound. Reads larger than a quarter of the pool go
  // through the scratch buffer and one exact-size copy instead, so a huge read size never
  // pins a huge pool.
  // Returns false when nothing happened (EAGAIN on the first read).
  bool HandleReadable() {
    PollState* s = state_;
    if (control_[0] <= 0) {
      // Nobody wants input any more: leave it in the driver and stop polling until JS asks.
      s->reading = false;
      Update();
      return true;
    }
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    Napi::Uint32Array ends = ends_.Value();
    uint32_t* end_offsets = ends.Data();
    const size_t max_count =
        std::min({static_cast<size_t>(s->budget), static_cast<size_t>(control_[0]), ends.ElementLength()});
    // A caller's buffer (readInto) takes the next batch: no allocation, no fresh pages.
    Napi::Value target_value = env.Undefined();
    if (!target_.IsEmpty()) {
      target_value = target_.Value();
      target_.Reset();  // one batch per armed buffer; JS arms it again for the next call
    }
    const bool into_target = !target_value.IsUndefined();
    const bool pooled = !into_target && s->read_size <= kPoolSize / 4;
    uint8_t* base;
    size_t room;
    if (into_target) {
      // Fetched now, not when armed: JS may have detached (transferred) the buffer meanwhile,
      // which leaves it empty, and then nothing is read into it.
      Napi::Uint8Array target = target_value.As<Napi::Uint8Array>();
      base = target.ByteLength() >= target_min_read_ ? target.Data() : nullptr;
      room = base != nullptr ? target.ByteLength() : 0;
    } else if (pooled) {
      if (pool_.IsEmpty() || kPoolSize - pool_used_ < s->read_size) {
        // The old pool lives on as long as JS holds views of it.
        Napi::Buffer<uint8_t> pool = Napi::Buffer<uint8_t>::New(env, kPoolSize);
        pool_ = Napi::Persistent(pool);
        pool_data_ = pool.Data();
        pool_used_ = 0;
      }
      base = pool_data_ + pool_used_;
      room = kPoolSize - pool_used_;
    } else {
      base = s->buffer.data();
      room = s->buffer.size();
    }
    size_t count = 0;
    size_t used = 0;
    int error = 0;
    bool eof = false;
    // Each read() is offered the full read_size, so packet boundaries are exactly those of
    // one read() at a time. A caller's buffer is filled to its end instead: the last read()
    // may be offered less (at least target_min_read_, room for any control packet), which
    // only makes the last data packet shorter.
    const size_t min_read = into_target ? target_min_read_ : s->read_size;
    const size_t max_bytes = into_target ? room : s->batch_bytes;
    while (count < max_count && used < max_bytes && room - used >= min_read) {
      ssize_t n = ::read(s->fd, base + used, std::min(s->read_size, room - used));
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) error = errno;
        break;
      }
      if (n == 0) {
        eof = true;
        break;
      }
      used += static_cast<size_t>(n);
      end_offsets[count++] = static_cast<uint32_t>(used);
    }
    if (count == 0 && error == 0 && !eof && !into_target) return false;  // spurious wake-up
    if (error != 0 || eof) {
      s->reading = false;
      Update();
    }
    Napi::Value data = env.Undefined();
    size_t start = 0;
    if (into_target) {
      // Handed back even when empty (spurious wake-up, detached buffer): JS disarmed it.
      data = target_value;
    } else if (count > 0 && pooled) {
      data = pool_.Value();
      start = pool_used_;
      // Keep the next batch 8-byte aligned, as a fresh allocation would be.
      pool_used_ = std::min(kPoolSize, (pool_used_ + used + 7) & ~static_cast<size_t>(7));
    } else if (count > 0) {
      data = Napi::Buffer<uint8_t>::Copy(env, base, used);
    }
    Napi::Value err = error != 0 ? MakeSystemError(env, error, "read", s->path).Value() : env.Undefined();
    Call("onread", {data, Napi::Number::New(env, static_cast<double>(start)), ends,
                    Napi::Number::New(env, static_cast<double>(count)), err, Napi::Boolean::New(env, eof)});
    // The callback (and the microtasks after it) usually asked for more; if not, stop now.
    if (!s->closing && s->wrap != nullptr && s->reading && control_[0] <= 0) {
      s->reading = false;
      Update();
    }
    return true;
  }

  void HandleWritable(int status) {
    PollState* s = state_;
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    s->want_write = false;
    Update();
    Napi::Value err = status < 0 ? MakeSystemError(env, -status, "poll", s->path).Value() : env.Undefined();
    Call("onwritable", {err});
  }

  void HandlePollError(int status) {
    PollState* s = state_;
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    bool was_reading = s->reading;
    bool was_writing = s->want_write;
    s->reading = false;
    s->want_write = false;
    Update();
    target_.Reset();  // every onread call disarms the caller's buffer
    Napi::Value err = MakeSystemError(env, -status, "poll", s->path).Value();
    if (was_reading) {
      Napi::Value ends = ends_.IsEmpty() ? env.Undefined() : ends_.Value().As<Napi::Value>();
      Napi::Value zero = Napi::Number::New(env, 0);
      Call("onread", {env.Undefined(), zero, ends, zero, err, Napi::Boolean::New(env, false)});
    }
    if (was_writing && !s->closing && s->wrap != nullptr) Call("onwritable", {err});
  }

  PollState* state() const { return state_; }

  // UpdatePoll, then pin the JS object while the handle is active.
  int Update() {
    int r = UpdatePoll(state_);
    control_[1] = state_->reading && !state_->closing ? 1 : 0;
    SyncPin();
    return r;
  }

  void SyncPin() {
    bool want = state_ != nullptr && !state_->closing && (state_->reading || state_->want_write);
    if (want && !pinned_) {
      Ref();
      pinned_ = true;
    } else if (!want && pinned_) {
      Unref();
      pinned_ = false;
    }
  }

 private:
  void Call(const char* name, const std::initializer_list<napi_value>& args) {
    try {
      Napi::Object self = Value();
      Napi::Value fn = self.Get(name);
      if (!fn.IsFunction()) return;
      fn.As<Napi::Function>().MakeCallback(self, args, *async_context_);
    } catch (const Napi::Error& e) {
      // An exception thrown by the JS callback becomes an uncaught exception.
      napi_fatal_exception(Env(), e.Value());
    }
  }

  void CheckOpen(Napi::Env env, const char* syscall) {
    if (state_ == nullptr || state_->closing) ThrowSystemError(env, EBADF, syscall, state_ ? state_->path : "");
  }

  // readStart(budget, readSize, batchBytes): poll for input; per wake-up at most `budget`
  // read() calls of `readSize` bytes each, stopping once `batchBytes` were read.
  Napi::Value ReadStart(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    CheckOpen(env, "read");
    uint32_t budget = info[0].IsNumber() ? info[0].As<Napi::Number>().Uint32Value() : 1;
    uint32_t size = info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 65536;
    uint32_t batch = info[2].IsNumber() ? info[2].As<Napi::Number>().Uint32Value() : size;
    constexpr uint32_t kMaxBudget = 4096;
    constexpr uint32_t kMaxBytes = 1u << 24;
    budget = std::clamp<uint32_t>(budget, 1, kMaxBudget);
    size = std::clamp<uint32_t>(size, 1, kMaxBytes);
    batch = std::clamp<uint32_t>(batch, 1, kMaxBytes);
    state_->budget = budget;
    state_->read_size = size;
    state_->batch_bytes = batch;
    // Without the pool, the last read() may start just below batch_bytes and needs read_size
    // of room.
    size_t capacity = size <= kPoolSize / 4 ? 0 : static_cast<size_t>(batch) + size;
    if (state_->buffer.size() != capacity) {
      state_->buffer.resize(capacity);
      state_->buffer.shrink_to_fit();
    }
    if (ends_.IsEmpty() || ends_.Value().ElementLength() < budget) {
      ends_ = Napi::Persistent(Napi::Uint32Array::New(env, budget));
    }
    state_->reading = true;
    int r = Update();
    if (r < 0) {
      state_->reading = false;
      ThrowSystemError(env, -r, "poll", state_->path);
    }
    return env.Undefined();
  }

  // setTarget(buffer, minRead): the next wake-up reads into `buffer` (a Uint8Array) instead
  // of the pool, while at least `minRead` bytes of it are free, and hands it back to onread
  // even when it read nothing; setTarget() disarms it.
  Napi::Value SetTarget(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || info[0].IsUndefined()) {
      target_.Reset();
      return env.Undefined();
    }
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      throw Napi::TypeError::New(env, "setTarget(buffer: Uint8Array, minRead)");
    }
    uint32_t min_read = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 1;
    target_min_read_ = std::max<size_t>(min_read, 1);
    target_ = Napi::Persistent(info[0].As<Napi::Uint8Array>());
    return env.Undefined();
  }

  Napi::Value ReadStop(const Napi::CallbackInfo& info) {
    if (state_ != nullptr && !state_->closing) {
      state_->reading = false;
      Update();
    }
    return info.Env().Undefined();
  }

  Napi::Value WaitWritable(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    CheckOpen(env, "write");
    state_->want_write = true;
    int r = Update();
    if (r < 0) {
      state_->want_write = false;
      ThrowSystemError(env, -r, "poll", state_->path);
    }
    return env.Undefined();
  }

  // write(bytes, offset) -> bytes accepted (0 on EAGAIN)
  Napi::Value Write(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    CheckOpen(env, "write");
    if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "bytes must be a Uint8Array");
    Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
    size_t offset = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 0;
    if (offset >= bytes.ByteLength()) return Napi::Number::New(env, 0);
    ssize_t n;
    do {
      n = ::write(state_->fd, bytes.Data() + offset, bytes.ByteLength() - offset);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (errno == EAGAIN) return Napi::Number::New(env, 0);
      ThrowSystemError(env, errno, "write", state_->path);
    }
    return Napi::Number::New(env, static_cast<double>(n));
  }

  // setReferenced(bool): whether an active poll keeps the event loop alive
  Napi::Value SetReferenced(const Napi::CallbackInfo& info) {
    if (state_ != nullptr && !state_->closing && state_->poll != nullptr) {
      state_->referenced = info.Length() > 0 && info[0].ToBoolean().Value();
      if (state_->referenced) {
        uv_ref(reinterpret_cast<uv_handle_t*>(state_->poll));
      } else {
        uv_unref(reinterpret_cast<uv_handle_t*>(state_->poll));
      }
    }
    return info.Env().Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    if (state_ != nullptr) BeginClose(state_);
    pool_.Reset();  // views JS still holds keep it alive; the handle no longer does
    target_.Reset();
    control_[1] = 0;
    SyncPin();
    return info.Env().Undefined();
  }

  // release() -> fd: like close(), but hands the still-open descriptor to the caller (which
  // closes it elsewhere, e.g. on the thread pool, because a tty close can wait for output).
  Napi::Value Release(const Napi::CallbackInfo& info) {
    int fd = -1;
    if (state_ != nullptr && !state_->closing) {
      fd = state_->fd;
      BeginClose(state_, true);
    }
    pool_.Reset();
    target_.Reset();
    control_[1] = 0;
    SyncPin();
    return Napi::Number::New(info.Env(), fd);
  }

  Napi::Value GetFd(const Napi::CallbackInfo& info) {
    int fd = state_ != nullptr ? state_->fd : -1;
    return Napi::Number::New(info.Env(), fd);
  }

  PollState* state_ = nullptr;
  bool pinned_ = false;
  // End offset of each packet of a batch, shared with JS (reused: no allocation per wake-up).
  Napi::Reference<Napi::Uint32Array> ends_;
  Napi::Reference<Napi::Int32Array> control_ref_;
  int32_t* control_ = nullptr;  // control_ref_'s two elements, see the constructor
  // The pool the packets are read into (see HandleReadable) and how much of it is handed out.
  static constexpr size_t kPoolSize = 256 * 1024;
  Napi::Reference<Napi::Buffer<uint8_t>> pool_;
  uint8_t* pool_data_ = nullptr;
  size_t pool_used_ = 0;
  // The caller's buffer armed for the next batch (see SetTarget).
  Napi::Reference<Napi::Uint8Array> target_;
  size_t target_min_read_ = 1;
  std::unique_ptr<Napi::AsyncContext> async_context_;
};

void OnPoll(uv_poll_t* handle, int status, int events) {
  auto* state = static_cast<PollState*>(handle->data);
  if (state->closing || state->wrap == nullptr) return;
  PollHandle* wrap = state->wrap;
  if (status == UV_EBADF) {
    // libuv reports POLLERR (e.g. a hung-up tty) as EBADF and stops the handle. The fd is
    // still ours: let read()/write() report what really happened (EIO, end of file).
    state->active = false;
    if (state->want_write) {
      wrap->HandleWritable(0);
      if (state->closing || state->wrap == nullptr) return;
    }
    if (state->reading && wrap->HandleReadable()) return;
    if (state->reading) wrap->HandlePollError(status);
    if (!state->closing && state->wrap != nullptr) wrap->Update();
    return;
  }
  if (status < 0) {
    wrap->HandlePollError(status);
    return;
  }
  if ((events & UV_WRITABLE) != 0 && state->want_write) {
    wrap->HandleWritable(0);
    if (state->closing || state->wrap == nullptr) return;
  }
  if ((events & (UV_READABLE | UV_PRIORITIZED | UV_DISCONNECT)) != 0 && state->reading) {
    wrap->HandleReadable();
  }
}

}  // namespace

Napi::Function InitPollHandle(Napi::Env env) { return PollHandle::Init(env); }

}  // namespace vtmx
