#include "fd_ops.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "system_error.h"

namespace vtmx {
namespace {

// Reads an optional trailing path argument used only for error messages.
std::string PathArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() > index && info[index].IsString()) return info[index].As<Napi::String>().Utf8Value();
  return std::string();
}

int FdArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), "file descriptor must be a number");
  }
  return info[index].As<Napi::Number>().Int32Value();
}

unsigned long RequestArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), "ioctl request must be a number");
  }
  return static_cast<unsigned long>(info[index].As<Napi::Number>().Int64Value());
}

// open(path, flags) -> fd
Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) {
    throw Napi::TypeError::New(env, "open(path: string, flags: number)");
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int flags = info[1].As<Napi::Number>().Int32Value();
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) ThrowSystemError(env, errno, "open", path);
  return Napi::Number::New(env, fd);
}

// close(fd, path?)
Napi::Value Close(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  // Never retry close() on EINTR on Linux: the descriptor is gone either way.
  if (::close(fd) < 0 && errno != EINTR) ThrowSystemError(info.Env(), errno, "close", PathArg(info, 1));
  return info.Env().Undefined();
}

// readSync(fd, size, path?) -> Buffer | null (null on EAGAIN); empty buffer at EOF
Napi::Value ReadSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0);
  if (info.Length() < 2 || !info[1].IsNumber()) throw Napi::TypeError::New(env, "size must be a number");
  int64_t size = info[1].As<Napi::Number>().Int64Value();
  if (size <= 0 || size > (1 << 24)) throw Napi::RangeError::New(env, "size must be in 1..16777216");
  Napi::Buffer<uint8_t> buf = Napi::Buffer<uint8_t>::New(env, static_cast<size_t>(size));
  ssize_t n;
  do {
    n = ::read(fd, buf.Data(), static_cast<size_t>(size));
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN) return env.Null();
    ThrowSystemError(env, errno, "read", PathArg(info, 2));
  }
  if (static_cast<int64_t>(n) == size) return buf;
  return Napi::Buffer<uint8_t>::Copy(env, buf.Data(), static_cast<size_t>(n));
}

// writeSync(fd, bytes, path?) -> number of bytes accepted (0 on EAGAIN)
Napi::Value WriteSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0);
  if (info.Length() < 2 || !info[1].IsTypedArray()) throw Napi::TypeError::New(env, "bytes must be a Uint8Array");
  Napi::Uint8Array bytes = info[1].As<Napi::Uint8Array>();
  if (bytes.ByteLength() == 0) return Napi::Number::New(env, 0);
  ssize_t n;
  do {
    n = ::write(fd, bytes.Data(), bytes.ByteLength());
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN) return Napi::Number::New(env, 0);
    ThrowSystemError(env, errno, "write", PathArg(info, 2));
  }
  return Napi::Number::New(env, static_cast<double>(n));
}

// ioctlGetInt(fd, request, path?) -> int written by the kernel through an int*
Napi::Value IoctlGetInt(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  unsigned long request = RequestArg(info, 1);
  int value = 0;
  if (::ioctl(fd, request, &value) < 0) ThrowSystemError(info.Env(), errno, "ioctl", PathArg(info, 2));
  return Napi::Number::New(info.Env(), value);
}

// ioctlSetInt(fd, request, value, path?): passes a pointer to an int
Napi::Value IoctlSetInt(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  unsigned long request = RequestArg(info, 1);
  if (info.Length() < 3 || !info[2].IsNumber()) throw Napi::TypeError::New(info.Env(), "value must be a number");
  int value = static_cast<int>(info[2].As<Napi::Number>().Int64Value());
  if (::ioctl(fd, request, &value) < 0) ThrowSystemError(info.Env(), errno, "ioctl", PathArg(info, 3));
  return Napi::Number::New(info.Env(), value);
}

// ioctlArg(fd, request, arg, path?): passes an integer argument by value
// ioctlBuffer(fd, request, bytes, path?): passes a pointer to the bytes, which the call may
// read and write (a struct argument); their length must be the size the request encodes.
Napi::Value IoctlBuffer(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  unsigned long request = RequestArg(info, 1);
  if (info.Length() < 3 || !info[2].IsTypedArray() ||
      info[2].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), "bytes must be a Uint8Array");
  }
  Napi::Uint8Array bytes = info[2].As<Napi::Uint8Array>();
  if (bytes.ByteLength() != _IOC_SIZE(request)) {
    throw Napi::RangeError::New(info.Env(), "the buffer's length is not the size the ioctl request encodes");
  }
  int r = ::ioctl(fd, request, bytes.Data());
  if (r < 0) ThrowSystemError(info.Env(), errno, "ioctl", PathArg(info, 3));
  return Napi::Number::New(info.Env(), r);
}

Napi::Value IoctlArg(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  unsigned long request = RequestArg(info, 1);
  if (info.Length() < 3 || !info[2].IsNumber()) throw Napi::TypeError::New(info.Env(), "arg must be a number");
  long arg = static_cast<long>(info[2].As<Napi::Number>().Int64Value());
  int r = ::ioctl(fd, request, arg);
  if (r < 0) ThrowSystemError(info.Env(), errno, "ioctl", PathArg(info, 3));
  return Napi::Number::New(info.Env(), r);
}

// isatty(fd) -> boolean
Napi::Value IsATty(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), ::isatty(FdArg(info, 0)) == 1);
}

// ptsName(fd) -> slave path of a pty master, via TIOCGPTN (test helper support)
Napi::Value UnlockPty(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  int unlock = 0;
  if (::ioctl(fd, TIOCSPTLCK, &unlock) < 0) ThrowSystemError(info.Env(), errno, "ioctl", PathArg(info, 1));
  return info.Env().Undefined();
}

}  // namespace

void InitFdOps(Napi::Env env, Napi::Object exports) {
  exports.Set("open", Napi::Function::New(env, Open, "open"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("readSync", Napi::Function::New(env, ReadSync, "readSync"));
  exports.Set("writeSync", Napi::Function::New(env, WriteSync, "writeSync"));
  exports.Set("ioctlGetInt", Napi::Function::New(env, IoctlGetInt, "ioctlGetInt"));
  exports.Set("ioctlSetInt", Napi::Function::New(env, IoctlSetInt, "ioctlSetInt"));
  exports.Set("ioctlArg", Napi::Function::New(env, IoctlArg, "ioctlArg"));
  exports.Set("ioctlBuffer", Napi::Function::New(env, IoctlBuffer, "ioctlBuffer"));
  exports.Set("isatty", Napi::Function::New(env, IsATty, "isatty"));
  exports.Set("unlockPty", Napi::Function::New(env, UnlockPty, "unlockPty"));
}

}  // namespace vtmx
