// Max-pool gradient and per-channel sums.
// Part of the randwire addon (randwire_native.cc includes it); plain C++ with OpenMP, no N-API.
#ifndef RANDWIRE_POOL_AND_SUMS_H
#define RANDWIRE_POOL_AND_SUMS_H

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>
#include <memory>

namespace rw {

// ---- plain loops: max-pool gradient and per-channel sums ----

// dx = gradient of max pooling: each output gradient goes to the first maximum of its window
// (row-major window order, as tfjs's cpu backend). NHWC; channels innermost so loops vectorize.
struct PoolParams {
  int32_t n, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw;
};
constexpr size_t kPoolParamCount = sizeof(PoolParams) / sizeof(int32_t);

inline void maxPoolGrad(const PoolParams& p, const float* x, const float* dy, float* dx) {
  const int64_t image = (int64_t)p.h * p.w * p.c;
  // Images are independent (windows never cross them): one per thread.
#pragma omp parallel for schedule(static)
  for (int32_t b = 0; b < p.n; ++b) {
    float* __restrict dxb = dx + b * image;
    const float* __restrict xb = x + b * image;
    std::memset(dxb, 0, sizeof(float) * image);
    std::unique_ptr<float[]> best(new float[p.c]);
    std::unique_ptr<int32_t[]> where(new int32_t[p.c]);
    for (int32_t oy = 0; oy < p.oh; ++oy) {
      for (int32_t ox = 0; ox < p.ow; ++ox) {
        bool first = true;
        for (int32_t ky = 0; ky < p.kh; ++ky) {
          const int32_t iy = oy * p.sh - p.pt + ky * p.dh;
          if (iy < 0 || iy >= p.h) continue;
          for (int32_t kx = 0; kx < p.kw; ++kx) {
            const int32_t ix = ox * p.sw - p.pl + kx * p.dw;
            if (ix < 0 || ix >= p.w) continue;
            const int32_t base = (iy * p.w + ix) * p.c;
            const float* __restrict row = xb + base;
            float* __restrict bst = best.get();
            int32_t* __restrict wh = where.get();
            if (first) {
              for (int32_t ch = 0; ch < p.c; ++ch) {
                bst[ch] = row[ch];
                wh[ch] = base + ch;
              }
              first = false;
            } else {
              for (int32_t ch = 0; ch < p.c; ++ch) {
                const bool gt = row[ch] > bst[ch];
                bst[ch] = gt ? row[ch] : bst[ch];
                wh[ch] = gt ? base + ch : wh[ch];
              }
            }
          }
        }
        if (first) continue;  // a window entirely in the padding
        const float* g = dy + (((int64_t)b * p.oh + oy) * p.ow + ox) * p.c;
        for (int32_t ch = 0; ch < p.c; ++ch) dxb[where[ch]] += g[ch];
      }
    }
  }
}

// y[j] = sum over i of x[i, j] for an [m, c] matrix: a sum over every axis but the last.
inline void sumRows(int64_t m, int64_t c, const float* __restrict x, float* __restrict y) {
  // Double accumulators, a row at a time: the same order of magnitude of rounding as tfjs's sum.
  std::unique_ptr<double[]> acc(new double[c]());
  for (int64_t i = 0; i < m; ++i) {
    const float* row = x + i * c;
    for (int64_t j = 0; j < c; ++j) acc[j] += row[j];
  }
  for (int64_t j = 0; j < c; ++j) y[j] = static_cast<float>(acc[j]);
}

}  // namespace rw

#endif  // RANDWIRE_POOL_AND_SUMS_H
