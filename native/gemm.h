// Batched matrix products (tfjs BatchMatMul) on oneDNN's sgemm.
// Part of the randwire addon (randwire_native.cc includes it).
#ifndef RANDWIRE_GEMM_H
#define RANDWIRE_GEMM_H

#include <omp.h>

#include <algorithm>
#include <cstdint>

#include "oneapi/dnnl/dnnl.hpp"

#include "omp_threads.h"

namespace rw {

// ---- batched matrix product (tfjs BatchMatMul) on oneDNN's sgemm ----

// params: batchA, batchB, m, n, k, transposeA, transposeB. a is [batchA, m, k] ([batchA, k, m]
// transposed), b is [batchB, k, n] ([batchB, n, k] transposed), c is [max(batchA, batchB), m, n];
// a batch of 1 broadcasts.
// Columns of c per task. Each task is one single-threaded sgemm (oneDNN runs sequentially inside
// an OpenMP region), so c is the same for any number of threads; oneDNN's own threading split
// small-m products along k, which made 1- and 2-thread training differ (AlexNet's dense layers).
constexpr int64_t kGemmColumns = 128;

inline void batchMatMul(const int32_t* p, const float* a, const float* b, float* c) {
  const int64_t batchA = p[0], batchB = p[1], m = p[2], n = p[3], k = p[4];
  const bool ta = p[5] != 0, tb = p[6] != 0;
  const int64_t batch = std::max(batchA, batchB);
  const int64_t blocks = (n + kGemmColumns - 1) / kGemmColumns, tasks = batch * blocks;
  auto task = [&](int64_t t) {
    const int64_t i = t / blocks, j0 = (t % blocks) * kGemmColumns, cols = std::min(n - j0, kGemmColumns);
    const float* ai = a + (batchA == 1 ? 0 : i) * m * k;
    const float* bi = b + (batchB == 1 ? 0 : i) * k * n + (tb ? j0 * k : j0);
    dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, cols, k, 1.f, ai, ta ? m : k, bi, tb ? k : n, 0.f, c + i * m * n + j0, n);
  };
  if (tasks > 1 && m * n * k >= (1 << 16) && omp_get_max_threads() > 1) {
#pragma omp parallel for schedule(static)
    for (int64_t t = 0; t < tasks; ++t) task(t);
    return;
  }
  // One thread here too: outside a parallel region oneDNN would use every thread.
  OmpThreads one(1);
  for (int64_t t = 0; t < tasks; ++t) task(t);
}

}  // namespace rw

#endif  // RANDWIRE_GEMM_H
