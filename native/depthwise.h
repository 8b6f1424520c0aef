// Depthwise 3x3 forward and strided input gradient on vector registers.
// Part of the randwire addon (randwire_native.cc includes it); plain C++ with OpenMP, no N-API.
#ifndef RANDWIRE_DEPTHWISE_H
#define RANDWIRE_DEPTHWISE_H

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "conv_params.h"

namespace rw {

// ---- depthwise 3x3 forward (channel multiplier 1, no dilation, 16-128 channels in 16s) ----
// oneDNN's kernel took 0.41 ms for RandWire's [128, 14, 14, 32] (a ReLU over it: 0.09 ms); this
// one keeps all 9 taps of the filter in vector registers (GCC vector type: AVX-512, or two AVX2
// halves) and takes 0.25 ms. The stride-1 input gradient runs through it too, as the forward
// with the flipped filter (depthwiseBackwardAsForward). Images go to threads.

typedef float v16 __attribute__((vector_size(64)));
inline v16 load16(const float* p) {
  v16 v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
inline void store16(float* p, v16 v) { __builtin_memcpy(p, &v, sizeof v); }

inline bool registerDepthwise(const ConvParams& p) {
  return p.groups == p.c && p.oc == p.c && p.c % 16 == 0 && p.c <= 128 && p.kh == 3 && p.kw == 3 && p.dh == 1 && p.dw == 1;
}

// NC: channels / 16. Interior pixels take the unrolled 9 taps; border pixels skip the taps that
// fall outside the image.
template <int NC>
inline void depthwise3x3(const ConvParams& p, const float* x, const float* w, const float* bias, float* y) {
  constexpr int64_t c = NC * 16;
  const int64_t h = p.h, wd = p.w, oh = p.oh, ow = p.ow, sh = p.sh, sw = p.sw, pt = p.pt, pl = p.pl;
  const bool relu = p.relu;
  const int32_t images = p.n;
#pragma omp parallel
  {
  // Per thread: variables shared across an OpenMP region would be read through pointers,
  // and stores through the vector type may alias them, so they would be reloaded every time.
  v16 wr[9][NC], b[NC];
  for (int t = 0; t < 9; ++t)
    for (int k = 0; k < NC; ++k) wr[t][k] = load16(w + t * c + k * 16);
  for (int k = 0; k < NC; ++k) b[k] = bias ? load16(bias + k * 16) : v16{};
#pragma omp for schedule(static)
  for (int32_t n = 0; n < images; ++n) {
    const float* xn = x + n * h * wd * c;
    float* yn = y + n * oh * ow * c;
    for (int64_t oy = 0; oy < oh; ++oy) {
      const int64_t iy0 = oy * sh - pt;
      for (int64_t ox = 0; ox < ow; ++ox) {
        const int64_t ix0 = ox * sw - pl;
        v16 acc[NC];
        for (int k = 0; k < NC; ++k) acc[k] = b[k];
        if (iy0 >= 0 && iy0 + 2 < h && ix0 >= 0 && ix0 + 2 < wd) {
          const float* in = xn + (iy0 * wd + ix0) * c;
#pragma GCC unroll 3
          for (int ky = 0; ky < 3; ++ky)
#pragma GCC unroll 3
            for (int kx = 0; kx < 3; ++kx)
#pragma GCC unroll 8
              for (int k = 0; k < NC; ++k) acc[k] += load16(in + (ky * wd + kx) * c + k * 16) * wr[ky * 3 + kx][k];
        } else {
          for (int ky = 0; ky < 3; ++ky) {
            const int64_t iy = iy0 + ky;
            if (iy < 0 || iy >= h) continue;
            for (int kx = 0; kx < 3; ++kx) {
              const int64_t ix = ix0 + kx;
              if (ix < 0 || ix >= wd) continue;
              const float* in = xn + (iy * wd + ix) * c;
              for (int k = 0; k < NC; ++k) acc[k] += load16(in + k * 16) * wr[ky * 3 + kx][k];
            }
          }
        }
        float* out = yn + (oy * ow + ox) * c;
        for (int k = 0; k < NC; ++k) store16(out + k * 16, relu ? (acc[k] > 0 ? acc[k] : v16{}) : acc[k]);
      }
    }
  }
  }
}

// Taps of one input row (or column) i: the (filter index, output index) pairs with
// out * stride + k - pad == i; at most 3.
struct Taps {
  int n = 0;
  int k[3];
  int64_t o[3];
};
inline std::vector<Taps> tapsOf(int64_t in, int64_t out, int64_t stride, int64_t pad) {
  std::vector<Taps> t(static_cast<size_t>(in));
  for (int64_t i = 0; i < in; ++i)
    for (int k = 0; k < 3; ++k) {
      const int64_t d = i + pad - k;
      if (d >= 0 && d % stride == 0 && d / stride < out) {
        Taps& e = t[static_cast<size_t>(i)];
        e.k[e.n] = k;
        e.o[e.n++] = d / stride;
      }
    }
  return t;
}

// The input gradient of a strided 3x3 depthwise convolution, gathered: each input pixel sums the
// taps that reached it (1 to 4 of 9 at stride 2), so dx is written once with no zeroing or
// scatter. For RandWire's stride-2 [128, 28, 28, 32] input gradient oneDNN's backward kernel took
// 2.3 ms, this one 0.65 ms (one thread, `npm run bench:profile -- --by-shape`). Same filter
// registers and threading as above.
template <int NC>
inline void depthwise3x3BackwardData(const ConvParams& p, const float* dy, const float* w, float* dx) {
  constexpr int64_t c = NC * 16;
  const int64_t h = p.h, wd = p.w, oh = p.oh, ow = p.ow;
  const int32_t images = p.n;
  const std::vector<Taps> rows = tapsOf(h, oh, p.sh, p.pt), cols = tapsOf(wd, ow, p.sw, p.pl);
#pragma omp parallel
  {
  v16 wr[9][NC];
  for (int t = 0; t < 9; ++t)
    for (int k = 0; k < NC; ++k) wr[t][k] = load16(w + t * c + k * 16);
#pragma omp for schedule(static)
  for (int32_t n = 0; n < images; ++n) {
    const float* dyn = dy + n * oh * ow * c;
    float* dxn = dx + n * h * wd * c;
    for (int64_t iy = 0; iy < h; ++iy) {
      const Taps& r = rows[static_cast<size_t>(iy)];
      for (int64_t ix = 0; ix < wd; ++ix) {
        const Taps& q = cols[static_cast<size_t>(ix)];
        v16 acc[NC];
        for (int k = 0; k < NC; ++k) acc[k] = v16{};
        for (int a = 0; a < r.n; ++a)
          for (int b = 0; b < q.n; ++b) {
            const float* g = dyn + (r.o[a] * ow + q.o[b]) * c;
            const v16* f = wr[r.k[a] * 3 + q.k[b]];
            for (int k = 0; k < NC; ++k) acc[k] += load16(g + k * 16) * f[k];
          }
        float* out = dxn + (iy * wd + ix) * c;
        for (int k = 0; k < NC; ++k) store16(out + k * 16, acc[k]);
      }
    }
  }
  }
}

inline void depthwiseBackwardData(const ConvParams& p, const float* dy, const float* w, float* dx) {
  switch (p.c / 16) {
    case 1: return depthwise3x3BackwardData<1>(p, dy, w, dx);
    case 2: return depthwise3x3BackwardData<2>(p, dy, w, dx);
    case 3: return depthwise3x3BackwardData<3>(p, dy, w, dx);
    case 4: return depthwise3x3BackwardData<4>(p, dy, w, dx);
    case 5: return depthwise3x3BackwardData<5>(p, dy, w, dx);
    case 6: return depthwise3x3BackwardData<6>(p, dy, w, dx);
    case 7: return depthwise3x3BackwardData<7>(p, dy, w, dx);
    default: return depthwise3x3BackwardData<8>(p, dy, w, dx);
  }
}

inline void depthwiseForward(const ConvParams& p, const float* x, const float* w, const float* bias, float* y) {
  switch (p.c / 16) {
    case 1: return depthwise3x3<1>(p, x, w, bias, y);
    case 2: return depthwise3x3<2>(p, x, w, bias, y);
    case 3: return depthwise3x3<3>(p, x, w, bias, y);
    case 4: return depthwise3x3<4>(p, x, w, bias, y);
    case 5: return depthwise3x3<5>(p, x, w, bias, y);
    case 6: return depthwise3x3<6>(p, x, w, bias, y);
    case 7: return depthwise3x3<7>(p, x, w, bias, y);
    default: return depthwise3x3<8>(p, x, w, bias, y);
  }
}

}  // namespace rw

#endif  // RANDWIRE_DEPTHWISE_H
