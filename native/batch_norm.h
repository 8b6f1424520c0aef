// Batch normalisation (training forward and backward, inference) over NHWC rows.
// Part of the randwire addon (randwire_native.cc includes it); plain C++ with OpenMP, no N-API.
#ifndef RANDWIRE_BATCH_NORM_H
#define RANDWIRE_BATCH_NORM_H

#include <omp.h>

#include "op_codes.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace rw {

// ---- batch normalization over the rows of an [M, C] matrix (NHWC flattened) ----
// Plain loops, not oneDNN's: its NHWC batch norm made several passes over memory and ran at a
// third of the speed of one pass for RandWire's 32-128 channels (measured: 0.47 ms forward for
// 3.2 MB, ReLU 0.09 ms). Here the forward reads x twice and writes y once, the backward reads x
// and dy twice and writes dx once, inference is one pass.


// One row's contribution to the per-lane sums of channelSums (Lanes > 0: a fixed lane count).
template <int64_t Lanes>
inline void sumRow(int64_t lanes, const float* __restrict ar, const float* __restrict br, const float* sh, float* q1, float* q2) {
  const int64_t n = Lanes > 0 ? Lanes : lanes;
  if (br) {
#pragma omp simd
    for (int64_t l = 0; l < n; ++l) {
      q1[l] += ar[l];
      q2[l] += ar[l] * (br[l] - sh[l]);
    }
  } else {
#pragma omp simd
    for (int64_t l = 0; l < n; ++l) {
      const float d = ar[l] - sh[l];
      q1[l] += d;
      q2[l] += d * d;
    }
  }
}

// Per-channel sums over the rows of a (and of a * (b - shift) when b is given), accumulated in
// float over blocks of rows and in double across blocks and threads. Without b: sums of
// (a - shift) and (a - shift)^2, shift being the first row (the shifted one-pass variance).
// Channels go 16 at a time through a block of rows so that the partial sums stay in registers.
inline void channelSums(int64_t m, int64_t c, const float* a, const float* b, const float* shift, double* s1, double* s2) {
  std::fill(s1, s1 + c, 0.0);
  std::fill(s2, s2 + c, 0.0);
#pragma omp parallel
  {
    std::vector<double> t1(c, 0.0), t2(c, 0.0);
    constexpr int64_t kRows = 64, kLanes = 16;
#pragma omp for schedule(static)
    for (int64_t r0 = 0; r0 < m; r0 += kRows) {
      const int64_t r1 = std::min(m, r0 + kRows);
      for (int64_t j0 = 0; j0 < c; j0 += kLanes) {
        const int64_t lanes = std::min(kLanes, c - j0);
        float q1[kLanes] = {0}, q2[kLanes] = {0}, sh[kLanes] = {0};
        for (int64_t l = 0; l < lanes; ++l) sh[l] = shift[j0 + l];
        // The same per-lane sums in either branch; the first has a trip count the compiler knows.
        if (lanes == kLanes) {
          for (int64_t r = r0; r < r1; ++r) sumRow<kLanes>(kLanes, a + r * c + j0, b ? b + r * c + j0 : nullptr, sh, q1, q2);
        } else {
          for (int64_t r = r0; r < r1; ++r) sumRow<0>(lanes, a + r * c + j0, b ? b + r * c + j0 : nullptr, sh, q1, q2);
        }
        for (int64_t l = 0; l < lanes; ++l) {
          t1[j0 + l] += q1[l];
          t2[j0 + l] += q2[l];
        }
      }
    }
#pragma omp critical
    for (int64_t j = 0; j < c; ++j) {
      s1[j] += t1[j];
      s2[j] += t2[j];
    }
  }
}

// out = u * ka + v * kb + k0 per channel over the rows (v may be null: out = u * ka + k0).
inline void channelAffine(int64_t m, int64_t c, const float* u, const float* v, const float* ka, const float* kb, const float* k0,
                   float* out) {
  // Few channels (a divisor of 16): 16 / c rows at a time, the factors repeated across the lanes,
  // so the vectors are full; each element is computed as below.
  if (c < 16 && 16 % c == 0) {
    alignas(64) float pa[16], pb[16], p0[16];
    for (int l = 0; l < 16; ++l) {
      pa[l] = ka[l % c];
      pb[l] = kb ? kb[l % c] : 0.f;
      p0[l] = k0[l % c];
    }
    const int64_t n = m * c, whole = n / 16 * 16;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < whole; i += 16) {
      const float* __restrict ui = u + i;
      float* __restrict o = out + i;
      if (v) {
        const float* __restrict vi = v + i;
#pragma omp simd
        for (int64_t l = 0; l < 16; ++l) o[l] = ui[l] * pa[l] + vi[l] * pb[l] + p0[l];
      } else {
#pragma omp simd
        for (int64_t l = 0; l < 16; ++l) o[l] = ui[l] * pa[l] + p0[l];
      }
    }
    for (int64_t i = whole; i < n; ++i) out[i] = v ? u[i] * pa[i % 16] + v[i] * pb[i % 16] + p0[i % 16] : u[i] * pa[i % 16] + p0[i % 16];
    return;
  }
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < m; ++r) {
    const float* __restrict ur = u + r * c;
    float* __restrict o = out + r * c;
    if (v) {
      const float* __restrict vr = v + r * c;
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) o[j] = ur[j] * ka[j] + vr[j] * kb[j] + k0[j];
    } else {
#pragma omp simd
      for (int64_t j = 0; j < c; ++j) o[j] = ur[j] * ka[j] + k0[j];
    }
  }
}

// Tensors, in order: x, scale, shift, y, mean, variance, dy, dx, dscale, dshift ([m, c] for x, y,
// dy, dx; [c] for the others). Forward reads x, scale, shift and writes y, mean, variance
// (biased, as tf.moments). Backward reads x, scale, mean, variance, dy and writes dx, dscale,
// dshift. Inference reads x, scale, shift, mean, variance (the moving statistics) and writes y.
constexpr int kBnTensors = 10;
inline void runBatchNorm(BnKind kind, int64_t m, int64_t c, float eps, float* const* t) {
  auto f = [&](int i) { return t[i]; };
  const float *x = f(0), *scale = f(1);
  float *mean = f(4), *variance = f(5);
  std::vector<float> ka(c), kb(c), k0(c);
  if (m == 0) return;
  if (kind == kBnForward) {
    std::vector<double> s1(c), s2(c);
    channelSums(m, c, x, nullptr, x, s1.data(), s2.data());
    for (int64_t j = 0; j < c; ++j) {
      const double d = s1[j] / m;
      mean[j] = static_cast<float>(x[j] + d);
      variance[j] = static_cast<float>(std::max(0.0, s2[j] / m - d * d));
    }
  }
  if (kind == kBnForward || kind == kBnInference) {
    const float* shift = f(2);
    for (int64_t j = 0; j < c; ++j) {
      ka[j] = scale[j] / std::sqrt(variance[j] + eps);
      k0[j] = shift[j] - mean[j] * ka[j];
    }
    channelAffine(m, c, x, nullptr, ka.data(), nullptr, k0.data(), f(3));
    return;
  }
  // Backward: with inv = 1/sqrt(var + eps), dshift = sum dy, dscale = inv * sum dy (x - mean),
  // dx = scale inv dy - scale inv^2 dscale / m (x - mean) - scale inv dshift / m.
  const float* dy = f(6);
  float *dscale = f(8), *dshift = f(9);
  std::vector<double> s1(c), s2(c);
  channelSums(m, c, dy, x, mean, s1.data(), s2.data());
  for (int64_t j = 0; j < c; ++j) {
    const double inv = 1.0 / std::sqrt(static_cast<double>(variance[j]) + eps);
    dshift[j] = static_cast<float>(s1[j]);
    dscale[j] = static_cast<float>(inv * s2[j]);
    ka[j] = static_cast<float>(scale[j] * inv);
    kb[j] = static_cast<float>(-scale[j] * inv * inv * inv * s2[j] / m);
    k0[j] = static_cast<float>(-scale[j] * inv * s1[j] / m - kb[j] * static_cast<double>(mean[j]));
  }
  channelAffine(m, c, dy, x, ka.data(), kb.data(), k0.data(), f(7));
}

}  // namespace rw

#endif  // RANDWIRE_BATCH_NORM_H
