// N-API argument reading for the randwire addon: typed reads with usage errors, and the bounds
// check of every tensor a kernel touches in the wasm heap.
// Part of the randwire addon (randwire_native.cc includes it).
#ifndef RANDWIRE_NAPI_ARGS_H
#define RANDWIRE_NAPI_ARGS_H

#include <node_api.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>

namespace rw {

// Element counts of tensors, from parameters that scripts pass: -1 when a factor is negative or
// the product overflows, which span() then refuses.
inline int64_t elements(std::initializer_list<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) return -1;
  return n;
}

// Reads a call's arguments in order; the first failure throws (a TypeError naming the call's
// signature, or a RangeError naming the tensor), and every later read is skipped (ok() stays
// false). Kernels trust the offsets and sizes they are given: an offset from a stale tensor or a
// size computed differently in TS and C++ would write outside the tensor, into other tensors or
// past the heap, silently. span() turns that into an error before any kernel runs.
class Args {
 public:
  Args(napi_env env, napi_callback_info info, size_t expected, const char* usage) : env_(env), usage_(usage) {
    size_t argc = 8;
    if (napi_get_cb_info(env, info, &argc, argv_, nullptr, nullptr) != napi_ok || argc != expected) fail();
  }
  bool ok() const { return ok_; }

  // The wasm heap: an ArrayBuffer (never a detached one: its data pointer would be null).
  uint8_t* heap() {
    void* data = nullptr;
    size_t len = 0;
    if (ok_ && (napi_get_arraybuffer_info(env_, argv_[next_++], &data, &len) != napi_ok || data == nullptr)) fail();
    heap_ = static_cast<uint8_t*>(data);
    heapBytes_ = len;
    return heap_;
  }
  int32_t int32() {
    int32_t v = 0;
    if (ok_ && napi_get_value_int32(env_, argv_[next_++], &v) != napi_ok) fail();
    return v;
  }
  double number() {
    double v = 0;
    if (ok_ && napi_get_value_double(env_, argv_[next_++], &v) != napi_ok) fail();
    return v;
  }
  // A typed array of the given type (and length, when length > 0).
  template <typename T>
  const T* array(napi_typedarray_type want, size_t length, size_t* got = nullptr) {
    napi_typedarray_type type;
    size_t len = 0;
    void* data = nullptr;
    napi_value ab;
    size_t off;
    if (!ok_) return nullptr;
    if (napi_get_typedarray_info(env_, argv_[next_++], &type, &len, &data, &ab, &off) != napi_ok || type != want ||
        (length > 0 && len != length)) {
      fail();
      return nullptr;
    }
    if (got) *got = len;
    return static_cast<const T*>(data);
  }

  // A tensor of `count` floats at byte `offset` of the heap (read by heap() before), or null with
  // a RangeError when any of it lies outside the heap, the offset is not a whole multiple of 4, or
  // count is negative (bad parameters). what names the tensor in the message.
  float* span(double offset, int64_t count, const char* what) {
    if (!ok_) return nullptr;
    const double bytes = static_cast<double>(count) * sizeof(float);
    if (count < 0 || !(offset >= 0) || offset != std::floor(offset) || std::fmod(offset, sizeof(float)) != 0 ||
        offset + bytes > static_cast<double>(heapBytes_)) {
      rangeError(what, offset, count);
      return nullptr;
    }
    return reinterpret_cast<float*>(heap_ + static_cast<size_t>(offset));
  }

  // Parameters that no kernel can run on (a negative size, a shape that disagrees with itself).
  void invalid(const std::string& why) {
    if (ok_) napi_throw_range_error(env_, nullptr, (std::string("randwire native: ") + usage_ + ": " + why).c_str());
    ok_ = false;
  }

 private:
  void fail() {
    if (ok_) napi_throw_type_error(env_, nullptr, (std::string("randwire native: usage: ") + usage_).c_str());
    ok_ = false;
  }
  void rangeError(const char* what, double offset, int64_t count) {
    char where[160];
    std::snprintf(where, sizeof where, " (%lld floats at byte %.17g) is not inside the wasm heap of %zu bytes",
                  static_cast<long long>(count), offset, heapBytes_);
    invalid(what + std::string(where));
  }
  napi_env env_;
  const char* usage_;
  napi_value argv_[8];
  size_t next_ = 0;
  bool ok_ = true;
  uint8_t* heap_ = nullptr;
  size_t heapBytes_ = 0;
};

}  // namespace rw

#endif  // RANDWIRE_NAPI_ARGS_H
