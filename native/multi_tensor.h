// Calls that replace many small tfjs dispatches by one: the Adam update of every variable in one
// call, and the global average pool (mean over height and width) with its gradient.
// Part of the randwire addon (randwire_native.cc includes it after napi_args.h and elementwise.h).
#ifndef RANDWIRE_MULTI_TENSOR_H
#define RANDWIRE_MULTI_TENSOR_H

#include <node_api.h>
#include <omp.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "elementwise.h"
#include "napi_args.h"

namespace rw {

// Pieces of at most this many elements are the unit of work: small variables stay whole, large
// ones are split, and each element is computed the same way whatever thread takes it.
constexpr int64_t kAdamPiece = 1 << 14;

// adamMany(heap, Float64Array offsets [value, m, v, g, value', m', v'] per variable,
//          Float64Array sizes, Float64Array(6) [lr, beta1, beta2, eps, c1, c2])
// Into new buffers, not in place: the wasm backend's XNNPACK operators (dense layers) keep weights
// packed per buffer, and a buffer changed under them would be read stale.
napi_value AdamMany(napi_env env, napi_callback_info info) {
  Args a(env, info, 4, "adamMany(heap, Float64Array offsets, Float64Array sizes, Float64Array(6) numbers)");
  a.heap();
  size_t nOffsets = 0, nSizes = 0;
  const double* o = a.array<double>(napi_float64_array, 0, &nOffsets);
  const double* sizes = a.array<double>(napi_float64_array, 0, &nSizes);
  const double* num = a.array<double>(napi_float64_array, 6);
  if (!a.ok()) return nullptr;
  if (nOffsets != 7 * nSizes) a.invalid("offsets must hold 7 per variable (value, m, v, g, value', m', v')");
  struct Piece {
    float* t[7];
    int64_t n;
  };
  std::vector<Piece> pieces;
  int64_t total = 0;
  static const char* const kNames[7] = {"value", "m", "v", "g", "value'", "m'", "v'"};
  for (size_t i = 0; i < nSizes && a.ok(); ++i) {
    const double s = sizes[i];
    if (!(s >= 0 && s < 0x1p53 && s == std::floor(s))) {
      a.invalid("sizes must be whole numbers >= 0");
      return nullptr;
    }
    const int64_t n = static_cast<int64_t>(s);
    float* t[7];
    for (int j = 0; j < 7; ++j) t[j] = a.span(o[7 * i + j], n, kNames[j]);
    if (!a.ok()) return nullptr;
    for (int64_t from = 0; from < n; from += kAdamPiece) {
      Piece p;
      for (int j = 0; j < 7; ++j) p.t[j] = t[j] + from;
      p.n = std::min(kAdamPiece, n - from);
      pieces.push_back(p);
    }
    total += n;
  }
  if (!a.ok()) return nullptr;
  const float lr = (float)num[0], b1 = (float)num[1], b2 = (float)num[2], eps = (float)num[3], c1 = (float)num[4], c2 = (float)num[5];
  const int64_t count = static_cast<int64_t>(pieces.size());
#pragma omp parallel for schedule(static) if (total >= kParallelMin && omp_get_max_threads() > 1)
  for (int64_t i = 0; i < count; ++i) {
    float* const* t = pieces[i].t;
    adamRange(pieces[i].n, t[0], t[1], t[2], t[3], t[4], t[5], t[6], lr, b1, b2, eps, c1, c2);
  }
  return nullptr;
}

// Mean over the hw pixels of each image and channel, x [n, hw, c] -> y [n, c]: a sequential sum in
// pixel order divided by hw, as the wasm backend's Mean (after its transpose) computes it.
inline void spatialMean(int64_t n, int64_t hw, int64_t c, const float* x, float* y) {
  const float size = static_cast<float>(hw);
#pragma omp parallel for schedule(static) if (n * hw * c >= kParallelMin)
  for (int64_t b = 0; b < n; ++b) {
    float* out = y + b * c;
    const float* img = x + b * hw * c;
    for (int64_t ch = 0; ch < c; ++ch) out[ch] = 0.f;
    for (int64_t p = 0; p < hw; ++p)
      for (int64_t ch = 0; ch < c; ++ch) out[ch] += img[p * c + ch];
    for (int64_t ch = 0; ch < c; ++ch) out[ch] = out[ch] / size;
  }
}

// Its gradient: every pixel gets dy / hw (tfjs: dy * ones / hw, with the ones filled in JS).
inline void spatialMeanGrad(int64_t n, int64_t hw, int64_t c, const float* dy, float* dx) {
  const float size = static_cast<float>(hw);
#pragma omp parallel for schedule(static) if (n * hw * c >= kParallelMin)
  for (int64_t b = 0; b < n; ++b) {
    const float* g = dy + b * c;
    float* img = dx + b * hw * c;
    for (int64_t p = 0; p < hw; ++p)
      for (int64_t ch = 0; ch < c; ++ch) img[p * c + ch] = g[ch] / size;
  }
}

// spatialMean(kind 0 forward | 1 gradient, heap, n, hw, c, in, out): forward x -> y, gradient dy -> dx.
napi_value SpatialMean(napi_env env, napi_callback_info info) {
  Args a(env, info, 7, "spatialMean(kind, heap, n, hw, c, in, out)");
  const int32_t kind = a.int32();
  a.heap();
  const int32_t n = a.int32(), hw = a.int32(), c = a.int32();
  const double in = a.number(), out = a.number();
  if (!a.ok()) return nullptr;
  if (kind != 0 && kind != 1) a.invalid("kind must be 0 or 1");
  if (n < 0 || hw < 1 || c < 1) a.invalid("n must be >= 0, hw and c >= 1");
  const int64_t big = elements({n, hw, c}), small = elements({n, c});
  const float* inP = a.span(in, kind == 0 ? big : small, kind == 0 ? "x" : "dy");
  float* outP = a.span(out, kind == 0 ? small : big, kind == 0 ? "y" : "dx");
  if (!a.ok()) return nullptr;
  if (kind == 0) spatialMean(n, hw, c, inP, outP);
  else spatialMeanGrad(n, hw, c, inP, outP);
  return nullptr;
}

}  // namespace rw

#endif  // RANDWIRE_MULTI_TENSOR_H
