// Calls that replace many small tfjs dispatches by one: the Adam update of every variable in one
// call, in place, and the global average pool (mean over height and width) with its gradient.
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

// Adam on one variable in place, with adamRange's arithmetic (the same bits as the update into
// new buffers): value, m and v are read and written element by element.
inline void adamInPlace(int64_t n, float* value, float* m, float* v, const float* __restrict g, float lr, float beta1,
                        float beta2, float eps, float c1, float c2) {
  const float inv1 = 1.f / c1, inv2 = 1.f / c2;
  for (int64_t e = 0; e < n; ++e) {
    const float mm = beta1 * m[e] + (1.f - beta1) * g[e];
    const float vv = beta2 * v[e] + (1.f - beta2) * (g[e] * g[e]);
    m[e] = mm;
    v[e] = vv;
    value[e] = value[e] - lr * ((mm * inv1) / (std::sqrt(vv * inv2) + eps));
  }
}

// Pieces of at most this many elements are the unit of work: small variables stay whole, large
// ones are split, and each element is computed the same way whatever thread takes it.
constexpr int64_t kAdamPiece = 1 << 14;

// adamMany(heap, Float64Array offsets [value, m, v, g] per variable, Float64Array sizes,
//          Float64Array(6) [lr, beta1, beta2, eps, c1, c2])
napi_value AdamMany(napi_env env, napi_callback_info info) {
  Args a(env, info, 4, "adamMany(heap, Float64Array offsets, Float64Array sizes, Float64Array(6) numbers)");
  a.heap();
  size_t nOffsets = 0, nSizes = 0;
  const double* o = a.array<double>(napi_float64_array, 0, &nOffsets);
  const double* sizes = a.array<double>(napi_float64_array, 0, &nSizes);
  const double* num = a.array<double>(napi_float64_array, 6);
  if (!a.ok()) return nullptr;
  if (nOffsets != 4 * nSizes) a.invalid("offsets must hold 4 per variable (value, m, v, g)");
  struct Piece {
    float *value, *m, *v;
    const float* g;
    int64_t n;
  };
  std::vector<Piece> pieces;
  int64_t total = 0;
  for (size_t i = 0; i < nSizes && a.ok(); ++i) {
    const double s = sizes[i];
    if (!(s >= 0 && s < 0x1p53 && s == std::floor(s))) a.invalid("sizes must be whole numbers >= 0");
    const int64_t n = static_cast<int64_t>(s);
    float* t[4];
    static const char* const kNames[4] = {"value", "m", "v", "g"};
    for (int j = 0; j < 4; ++j) t[j] = a.span(o[4 * i + j], n, kNames[j]);
    if (!a.ok()) return nullptr;
    for (int64_t from = 0; from < n; from += kAdamPiece)
      pieces.push_back({t[0] + from, t[1] + from, t[2] + from, t[3] + from, std::min(kAdamPiece, n - from)});
    total += n;
  }
  if (!a.ok()) return nullptr;
  const float lr = (float)num[0], b1 = (float)num[1], b2 = (float)num[2], eps = (float)num[3], c1 = (float)num[4], c2 = (float)num[5];
  const int64_t count = static_cast<int64_t>(pieces.size());
#pragma omp parallel for schedule(static) if (total >= kParallelMin && omp_get_max_threads() > 1)
  for (int64_t i = 0; i < count; ++i) {
    const Piece& p = pieces[i];
    adamInPlace(p.n, p.value, p.m, p.v, p.g, lr, b1, b2, eps, c1, c2);
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
