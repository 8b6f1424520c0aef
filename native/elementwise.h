// Element-wise kernels: RandWire weighted sums, ReLU and its gradient, Add, Adam.
// Part of the randwire addon (randwire_native.cc includes it); plain C++ with OpenMP, no N-API.
#ifndef RANDWIRE_ELEMENTWISE_H
#define RANDWIRE_ELEMENTWISE_H

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace rw {

// ---- element-wise training kernels: weighted sums of RandWire nodes, ReLU gradient, Adam ----

inline float sigmoid(float w) { return 1.f / (1.f + std::exp(-w)); }

// Element-wise kernels split their elements into one contiguous range per thread once a tensor
// is large enough to pay for waking the threads. Each range goes to a function of its own with
// __restrict pointers: GCC 12 left the same loops unvectorised (scalar, with branches) when they
// were written as OpenMP loops, whose outlined bodies lose the pointers' no-alias facts.
constexpr int64_t kParallelMin = 1 << 15;

template <typename Body>
inline void forRanges(int64_t n, Body body) {
  if (n < kParallelMin || omp_get_max_threads() == 1) {
    body(0, n, 0);
    return;
  }
#pragma omp parallel
  {
    const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t chunk = ((n + threads - 1) / threads + 15) / 16 * 16;  // whole 64-byte lines
    const int64_t from = std::min(n, t * chunk), to = std::min(n, from + chunk);
    if (from < to) body(from, to, static_cast<int>(t));
  }
}

inline __attribute__((noinline)) void scaleInto(int64_t n, float g, const float* __restrict x, float* __restrict y, bool relu) {
  if (relu) {
    for (int64_t e = 0; e < n; ++e) y[e] = std::max(g * x[e], 0.f);
  } else {
    for (int64_t e = 0; e < n; ++e) y[e] = g * x[e];
  }
}

inline __attribute__((noinline)) void addScaled(int64_t n, float g, const float* __restrict x, float* __restrict y, bool relu) {
  if (relu) {
    for (int64_t e = 0; e < n; ++e) y[e] = std::max(y[e] + g * x[e], 0.f);
  } else {
    for (int64_t e = 0; e < n; ++e) y[e] += g * x[e];
  }
}

// Blocks of the weighted-sum gradient's dot products: each block's float sum is kept apart and
// the blocks are added in order, so dw is the same for any number of threads (a thread-count
// dependent split made 1- and 2-thread training differ in the last bits).
constexpr int64_t kDotBlock = 4096;

// dx = g * t over one block (dx = base + g * t with a base: a gradient added to the one a tensor
// already has; base may be dx itself) and <t, x> in float, with t = dy, or dy where y > 0 (y
// given). Contraction is off so that g * t is rounded before the sum, as when dx is written and
// then added (op 7, or tfjs's Add on the layer path): the same bits either way. The dot product
// keeps the fused multiply-adds it had, written out where the CPU has them (without, libm's fmaf
// would be a slow call, and plain code never contracted). The attribute is GCC's, whose g++
// scripts/build-native.mjs runs.
#if defined(__clang__)
#error "native/elementwise.h relies on GCC's optimize(\"fp-contract=off\"); build with g++"
#endif
#if defined(__FMA__)
#define RW_DOT_STEP(acc, a, b) acc = __builtin_fmaf(a, b, acc)
#else
#define RW_DOT_STEP(acc, a, b) acc += (a) * (b)
#endif
inline __attribute__((noinline, optimize("fp-contract=off"))) float scaleAndDotBlock(
    int64_t n, float g, const float* __restrict dy, const float* __restrict y, const float* __restrict x, const float* base, float* dx) {
  float partial = 0;
  // omp simd: lets the float sum be reordered into vector lanes (outside any parallel region).
  if (y && base) {
#pragma omp simd reduction(+ : partial)
    for (int64_t e = 0; e < n; ++e) {
      const float t = y[e] > 0.f ? dy[e] : 0.f;
      dx[e] = base[e] + g * t;
      RW_DOT_STEP(partial, t, x[e]);
    }
  } else if (y) {
#pragma omp simd reduction(+ : partial)
    for (int64_t e = 0; e < n; ++e) {
      const float t = y[e] > 0.f ? dy[e] : 0.f;
      dx[e] = g * t;
      RW_DOT_STEP(partial, t, x[e]);
    }
  } else if (base) {
#pragma omp simd reduction(+ : partial)
    for (int64_t e = 0; e < n; ++e) {
      dx[e] = base[e] + g * dy[e];
      RW_DOT_STEP(partial, dy[e], x[e]);
    }
  } else {
#pragma omp simd reduction(+ : partial)
    for (int64_t e = 0; e < n; ++e) {
      dx[e] = g * dy[e];
      RW_DOT_STEP(partial, dy[e], x[e]);
    }
  }
  return partial;
}
#undef RW_DOT_STEP

// y = sum_i gate_i * x_i over n elements, gate_i = sigmoid(w_i); then max(y, 0) when relu, in the
// last pass. One long pass per input: measured faster than walking all inputs block by block
// (interleaved streams defeat the prefetcher; y stays in L2/L3 between passes).
inline void weightedSum(int64_t n, int32_t k, const float* w, const float* const* xs, float* y, bool relu) {
  std::vector<float> gate(k);
  for (int32_t i = 0; i < k; ++i) gate[i] = sigmoid(w[i]);
  forRanges(n, [&](int64_t from, int64_t to, int) {
    scaleInto(to - from, gate[0], xs[0] + from, y + from, relu && k == 1);
    for (int32_t i = 1; i < k; ++i) addScaled(to - from, gate[i], xs[i] + from, y + from, relu && i == k - 1);
  });
}

// With t = dy (linear) or dy where y > 0 (relu, y the saved output):
// dx_i = gate_i * t (or base_i + gate_i * t where bases[i] is given); dw_i = gate_i (1 - gate_i)
// <t, x_i>. Threads take whole blocks.
inline void weightedSumGrad(int64_t n, int32_t k, const float* w, const float* const* xs, const float* dy, const float* y,
                     float* const* dxs, float* dw, const float* const* bases = nullptr) {
  std::vector<float> gate(k);
  for (int32_t i = 0; i < k; ++i) gate[i] = sigmoid(w[i]);
  const int64_t blocks = (n + kDotBlock - 1) / kDotBlock;
  std::vector<float> partial(static_cast<size_t>(blocks) * k, 0.f);
  forRanges(blocks * kDotBlock, [&](int64_t from, int64_t to, int) {
    for (int64_t b = (from + kDotBlock - 1) / kDotBlock; b * kDotBlock < std::min(to, n); ++b) {
      const int64_t start = b * kDotBlock, len = std::min(n, start + kDotBlock) - start;
      const float* yb = y ? y + start : nullptr;
      for (int32_t i = 0; i < k; ++i)
        partial[(size_t)b * k + i] = scaleAndDotBlock(len, gate[i], dy + start, yb, xs[i] + start,
                                                      bases && bases[i] ? bases[i] + start : nullptr, dxs[i] + start);
    }
  });
  for (int32_t i = 0; i < k; ++i) {
    double sum = 0;
    for (int64_t b = 0; b < blocks; ++b) sum += partial[(size_t)b * k + i];
    dw[i] = static_cast<float>(gate[i] * (1.0 - gate[i]) * sum);
  }
}

// dx = dy where y > 0, else 0 (y = relu(x) or x itself: the same sign test).
inline __attribute__((noinline)) void reluGradRange(int64_t n, const float* __restrict dy, const float* __restrict y, float* __restrict dx) {
  for (int64_t e = 0; e < n; ++e) dx[e] = y[e] > 0.f ? dy[e] : 0.f;
}

// dx = base + (the above): added onto a gradient the tensor already has (base may be dx).
inline __attribute__((noinline)) void reluGradOntoRange(int64_t n, const float* __restrict dy, const float* __restrict y, const float* base, float* dx) {
  for (int64_t e = 0; e < n; ++e) dx[e] = base[e] + (y[e] > 0.f ? dy[e] : 0.f);
}

inline __attribute__((noinline)) void addRange(int64_t n, const float* __restrict a, const float* __restrict b, float* __restrict y) {
  for (int64_t e = 0; e < n; ++e) y[e] = a[e] + b[e];
}

// acc = acc + x, in place (acc and x never alias); the same bits as addRange(acc, x) into a new buffer.
inline __attribute__((noinline)) void addIntoRange(int64_t n, float* __restrict acc, const float* __restrict x) {
  for (int64_t e = 0; e < n; ++e) acc[e] = acc[e] + x[e];
}

// y = x * s; y may be x.
inline __attribute__((noinline)) void scaleRange(int64_t n, const float* x, float s, float* y) {
  for (int64_t e = 0; e < n; ++e) y[e] = x[e] * s;
}

inline __attribute__((noinline)) void reluRange(int64_t n, const float* __restrict x, float* __restrict y) {
  for (int64_t e = 0; e < n; ++e) y[e] = std::max(x[e], 0.f);
}

// tfjs's Adam update, element-wise, in one pass: c1 = 1 - beta1^t, c2 = 1 - beta2^t (multi_tensor.h's adamMany).
inline __attribute__((noinline)) void adamRange(int64_t n, const float* __restrict value, const float* __restrict m,
                                         const float* __restrict v, const float* __restrict g, float* __restrict value2,
                                         float* __restrict m2, float* __restrict v2, float lr, float beta1, float beta2,
                                         float eps, float c1, float c2) {
  const float inv1 = 1.f / c1, inv2 = 1.f / c2;
  for (int64_t e = 0; e < n; ++e) {
    const float mm = beta1 * m[e] + (1.f - beta1) * g[e];
    const float vv = beta2 * v[e] + (1.f - beta2) * (g[e] * g[e]);
    m2[e] = mm;
    v2[e] = vv;
    value2[e] = value[e] - lr * ((mm * inv1) / (std::sqrt(vv * inv2) + eps));
  }
}

}  // namespace rw

#endif  // RANDWIRE_ELEMENTWISE_H
