#include "tty_ops.h"

#include <string>

#include "system_error.h"
#include "tty_ioctl.h"

namespace vtmx {
namespace {

int FdArg(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(info.Env(), "fd must be a number");
  return info[0].As<Napi::Number>().Int32Value();
}

std::string PathArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() > index && info[index].IsString()) return info[index].As<Napi::String>().Utf8Value();
  return std::string();
}

double NumberField(const Napi::Object& obj, const char* name) {
  Napi::Value v = obj.Get(name);
  if (!v.IsNumber()) throw Napi::TypeError::New(obj.Env(), std::string(name) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

uint32_t U32Field(const Napi::Object& obj, const char* name) {
  double d = NumberField(obj, name);
  if (!(d >= 0 && d <= 4294967295.0)) throw Napi::RangeError::New(obj.Env(), std::string(name) + " must be a u32");
  return static_cast<uint32_t>(d);
}

// tcgets2(fd, path) -> { iflag, oflag, cflag, lflag, line, cc: Uint8Array(19), ispeed, ospeed }
Napi::Value Tcgets2(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Termios2Raw t{};
  int err = GetTermios2(FdArg(info), &t);
  if (err != 0) ThrowSystemError(env, err, "ioctl", PathArg(info, 1));
  Napi::Object obj = Napi::Object::New(env);
  obj.Set("iflag", t.iflag);
  obj.Set("oflag", t.oflag);
  obj.Set("cflag", t.cflag);
  obj.Set("lflag", t.lflag);
  obj.Set("line", t.line);
  Napi::Uint8Array cc = Napi::Uint8Array::New(env, kTermios2Nccs);
  for (size_t i = 0; i < kTermios2Nccs; i++) cc[i] = t.cc[i];
  obj.Set("cc", cc);
  obj.Set("ispeed", t.ispeed);
  obj.Set("ospeed", t.ospeed);
  return obj;
}

// tcsets2(fd, termios, when: 0 now | 1 drain | 2 flush, path)
Napi::Value Tcsets2(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info);
  if (info.Length() < 3 || !info[1].IsObject() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "tcsets2(fd, termios, when, path)");
  }
  Napi::Object obj = info[1].As<Napi::Object>();
  Termios2Raw t{};
  t.iflag = U32Field(obj, "iflag");
  t.oflag = U32Field(obj, "oflag");
  t.cflag = U32Field(obj, "cflag");
  t.lflag = U32Field(obj, "lflag");
  t.line = static_cast<uint8_t>(U32Field(obj, "line"));
  Napi::Value ccv = obj.Get("cc");
  if (!ccv.IsTypedArray() || ccv.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(env, "cc must be a Uint8Array");
  }
  Napi::Uint8Array cc = ccv.As<Napi::Uint8Array>();
  if (cc.ElementLength() != kTermios2Nccs) throw Napi::RangeError::New(env, "cc must have 19 entries");
  for (size_t i = 0; i < kTermios2Nccs; i++) t.cc[i] = cc[i];
  t.ispeed = U32Field(obj, "ispeed");
  t.ospeed = U32Field(obj, "ospeed");
  int when = info[2].As<Napi::Number>().Int32Value();
  TermiosWhen w = when == 1 ? TermiosWhen::kDrain : when == 2 ? TermiosWhen::kFlush : TermiosWhen::kNow;
  int err = SetTermios2(fd, t, w);
  if (err != 0) ThrowSystemError(env, err, "ioctl", PathArg(info, 3));
  return env.Undefined();
}

// icount(fd, path) -> TIOCGICOUNT counters
Napi::Value Icount(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  IcountRaw c{};
  int err = GetIcount(FdArg(info), &c);
  if (err != 0) ThrowSystemError(env, err, "ioctl", PathArg(info, 1));
  Napi::Object obj = Napi::Object::New(env);
  obj.Set("cts", c.cts);
  obj.Set("dsr", c.dsr);
  obj.Set("rng", c.rng);
  obj.Set("dcd", c.dcd);
  obj.Set("rx", c.rx);
  obj.Set("tx", c.tx);
  obj.Set("frame", c.frame);
  obj.Set("overrun", c.overrun);
  obj.Set("parity", c.parity);
  obj.Set("brk", c.brk);
  obj.Set("bufOverrun", c.buf_overrun);
  return obj;
}

Napi::Value GetSerialInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SerialRaw s{};
  int err = GetSerial(FdArg(info), &s);
  if (err != 0) ThrowSystemError(env, err, "ioctl", PathArg(info, 1));
  Napi::Object obj = Napi::Object::New(env);
  obj.Set("type", s.type);
  obj.Set("line", s.line);
  obj.Set("port", s.port);
  obj.Set("irq", s.irq);
  obj.Set("flags", s.flags);
  obj.Set("xmitFifoSize", s.xmit_fifo_size);
  obj.Set("customDivisor", s.custom_divisor);
  obj.Set("baudBase", s.baud_base);
  obj.Set("closeDelay", s.close_delay);
  obj.Set("ioType", s.io_type);
  obj.Set("hub6", s.hub6);
  obj.Set("closingWait", s.closing_wait);
  obj.Set("closingWait2", s.closing_wait2);
  obj.Set("iomemRegShift", s.iomem_reg_shift);
  obj.Set("portHigh", s.port_high);
  obj.Set("iomapBase", static_cast<double>(s.iomap_base));
  return obj;
}

Napi::Value SetSerialInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info);
  if (info.Length() < 2 || !info[1].IsObject()) throw Napi::TypeError::New(env, "setSerial(fd, info, path)");
  Napi::Object o = info[1].As<Napi::Object>();
  SerialRaw s{};
  s.type = static_cast<int>(NumberField(o, "type"));
  s.line = static_cast<int>(NumberField(o, "line"));
  s.port = static_cast<unsigned int>(NumberField(o, "port"));
  s.irq = static_cast<int>(NumberField(o, "irq"));
  s.flags = static_cast<int>(NumberField(o, "flags"));
  s.xmit_fifo_size = static_cast<int>(NumberField(o, "xmitFifoSize"));
  s.custom_divisor = static_cast<int>(NumberField(o, "customDivisor"));
  s.baud_base = static_cast<int>(NumberField(o, "baudBase"));
  s.close_delay = static_cast<unsigned short>(NumberField(o, "closeDelay"));
  s.io_type = static_cast<unsigned char>(NumberField(o, "ioType"));
  s.hub6 = static_cast<int>(NumberField(o, "hub6"));
  s.closing_wait = static_cast<unsigned short>(NumberField(o, "closingWait"));
  s.closing_wait2 = static_cast<unsigned short>(NumberField(o, "closingWait2"));
  s.iomem_reg_shift = static_cast<unsigned char>(NumberField(o, "iomemRegShift"));
  s.port_high = static_cast<unsigned int>(NumberField(o, "portHigh"));
  s.iomap_base = static_cast<unsigned long>(NumberField(o, "iomapBase"));
  int err = SetSerial(fd, s);
  if (err != 0) ThrowSystemError(env, err, "ioctl", PathArg(info, 2));
  return env.Undefined();
}

}  // namespace

void InitTtyOps(Napi::Env env, Napi::Object exports) {
  exports.Set("tcgets2", Napi::Function::New(env, Tcgets2, "tcgets2"));
  exports.Set("tcsets2", Napi::Function::New(env, Tcsets2, "tcsets2"));
  exports.Set("icount", Napi::Function::New(env, Icount, "icount"));
  exports.Set("getSerial", Napi::Function::New(env, GetSerialInfo, "getSerial"));
  exports.Set("setSerial", Napi::Function::New(env, SetSerialInfo, "setSerial"));
}

}  // namespace vtmx
