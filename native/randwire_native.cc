// Optional native kernels for randwire: convolutions (plain and depthwise, forward and both
// gradients) on oneDNN, called synchronously on tensors that live in the tfjs wasm heap.
// Nothing is copied: the wasm heap is an ArrayBuffer and every tensor is a byte offset into it.
// Built by scripts/build-native.mjs against Debian's libdnnl-dev; wasm stays the default that
// always works when this file is not built.
#include <node_api.h>
#include <omp.h>

#include <cstdint>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>

#include "oneapi/dnnl/dnnl.hpp"

namespace {

using dnnl::algorithm;
using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

dnnl::engine& engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

dnnl::stream& stream() {
  static dnnl::stream s(engine());
  return s;
}

// The parameters of one convolution, in the order scripts pass them (an Int32Array).
struct ConvParams {
  int32_t n, h, w, c;         // input NHWC
  int32_t oh, ow, oc;         // output NHWC
  int32_t kh, kw;             // filter size
  int32_t groups;             // 1 for a plain convolution, c for depthwise
  int32_t sh, sw;             // strides
  int32_t pt, pl, pb, pr;     // padding top, left, bottom, right
  int32_t dh, dw;             // dilations (1 = none)
  int32_t relu;               // fused ReLU after bias (forward only)
  int32_t bias;               // forward has a bias
};
constexpr size_t kParamCount = sizeof(ConvParams) / sizeof(int32_t);

enum Kind { kForward = 0, kBackwardData = 1, kBackwardWeights = 2 };

memory::desc activationDesc(int32_t n, int32_t c, int32_t h, int32_t w) {
  return memory::desc({n, c, h, w}, dt::f32, tag::nhwc);
}

// tfjs filters: conv2d [KH, KW, Cin, Cout]; depthwise [KH, KW, C, M] (groups = C, Cout = C*M).
memory::desc userWeightsDesc(const ConvParams& p) {
  if (p.groups == 1) {
    return memory::desc({p.oc, p.c, p.kh, p.kw}, dt::f32,
                        memory::dims{1, p.oc, (int64_t)p.kw * p.c * p.oc, (int64_t)p.c * p.oc});
  }
  const int64_t g = p.groups, m = p.oc / p.groups, i = p.c / p.groups;
  // dims g, o, i, h, w; memory offset ((kh*KW + kw)*C + c)*M + m with i = 1.
  return memory::desc({g, m, i, p.kh, p.kw}, dt::f32,
                      memory::dims{m, 1, g * m, (int64_t)p.kw * g * i * m, g * i * m});
}

memory::desc anyWeightsDesc(const ConvParams& p) {
  if (p.groups == 1) return memory::desc({p.oc, p.c, p.kh, p.kw}, dt::f32, tag::any);
  return memory::desc({p.groups, p.oc / p.groups, p.c / p.groups, p.kh, p.kw}, dt::f32, tag::any);
}

struct ConvPrimitive {
  dnnl::primitive prim;
  memory::desc userWeights;
  memory::desc internalWeights;
  std::unique_ptr<memory> internalWeightsMem;  // only when the layouts differ
  std::unique_ptr<dnnl::reorder> weightsReorder;
  std::string impl;
};

std::unordered_map<std::string, std::unique_ptr<ConvPrimitive>>& cache() {
  static std::unordered_map<std::string, std::unique_ptr<ConvPrimitive>> c;
  return c;
}

dnnl::convolution_forward::primitive_desc forwardDesc(const ConvParams& p, bool withPostOps) {
  const memory::dims strides{p.sh, p.sw}, dil{p.dh - 1, p.dw - 1}, padL{p.pt, p.pl}, padR{p.pb, p.pr};
  auto src = activationDesc(p.n, p.c, p.h, p.w), dst = activationDesc(p.n, p.oc, p.oh, p.ow);
  auto wts = anyWeightsDesc(p);
  dnnl::primitive_attr attr;
  if (withPostOps && p.relu) {
    dnnl::post_ops po;
    po.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(po);
  }
  if (withPostOps && p.bias) {
    memory::desc b({p.oc}, dt::f32, tag::x);
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_training, algorithm::convolution_direct, src, wts, b, dst,
                                      strides, dil, padL, padR);
    return dnnl::convolution_forward::primitive_desc(d, attr, engine());
  }
  dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_training, algorithm::convolution_direct, src, wts, dst, strides,
                                    dil, padL, padR);
  return dnnl::convolution_forward::primitive_desc(d, attr, engine());
}

ConvPrimitive& getPrimitive(Kind kind, const ConvParams& p) {
  std::string key(reinterpret_cast<const char*>(&p), sizeof(ConvParams));
  key.push_back(static_cast<char>(kind));
  auto it = cache().find(key);
  if (it != cache().end()) return *it->second;

  auto entry = std::make_unique<ConvPrimitive>();
  entry->userWeights = userWeightsDesc(p);
  const memory::dims strides{p.sh, p.sw}, dil{p.dh - 1, p.dw - 1}, padL{p.pt, p.pl}, padR{p.pb, p.pr};
  auto src = activationDesc(p.n, p.c, p.h, p.w), dst = activationDesc(p.n, p.oc, p.oh, p.ow);
  if (kind == kForward) {
    auto pd = forwardDesc(p, true);
    entry->internalWeights = pd.weights_desc();
    entry->impl = pd.impl_info_str();
    entry->prim = dnnl::convolution_forward(pd);
  } else if (kind == kBackwardData) {
    auto hint = forwardDesc(p, false);
    dnnl::convolution_backward_data::desc d(algorithm::convolution_direct, src, anyWeightsDesc(p), dst, strides, dil, padL,
                                            padR);
    dnnl::convolution_backward_data::primitive_desc pd(d, engine(), hint);
    entry->internalWeights = pd.weights_desc();
    entry->impl = pd.impl_info_str();
    entry->prim = dnnl::convolution_backward_data(pd);
  } else {
    auto hint = forwardDesc(p, false);
    dnnl::convolution_backward_weights::desc d(algorithm::convolution_direct, src, anyWeightsDesc(p), dst, strides, dil,
                                               padL, padR);
    dnnl::convolution_backward_weights::primitive_desc pd(d, engine(), hint);
    entry->internalWeights = pd.diff_weights_desc();
    entry->impl = pd.impl_info_str();
    entry->prim = dnnl::convolution_backward_weights(pd);
  }
  if (entry->internalWeights != entry->userWeights) {
    entry->internalWeightsMem = std::make_unique<memory>(entry->internalWeights, engine());
    memory user(entry->userWeights, engine(), DNNL_MEMORY_NONE);
    if (kind == kBackwardWeights) {
      entry->weightsReorder = std::make_unique<dnnl::reorder>(*entry->internalWeightsMem, user);
    } else {
      entry->weightsReorder = std::make_unique<dnnl::reorder>(user, *entry->internalWeightsMem);
    }
  }
  auto& ref = *entry;
  cache().emplace(std::move(key), std::move(entry));
  return ref;
}

void runConv(Kind kind, const ConvParams& p, void* srcPtr, void* wPtr, void* biasPtr, void* dstPtr);

// A stride-1 depthwise input gradient is a depthwise convolution of dy with the spatially
// flipped filter; oneDNN's forward depthwise kernel is about twice as fast as its backward one.
bool depthwiseBackwardAsForward(const ConvParams& p, void* dx, void* w, void* dy) {
  if (p.groups == 1 || p.oc != p.c || p.sh != 1 || p.sw != 1 || p.dh != 1 || p.dw != 1) return false;
  ConvParams q = p;
  q.h = p.oh;
  q.w = p.ow;
  q.oh = p.h;
  q.ow = p.w;
  q.pt = p.kh - 1 - p.pt;
  q.pb = p.kh - 1 - p.pb;
  q.pl = p.kw - 1 - p.pl;
  q.pr = p.kw - 1 - p.pr;
  q.relu = 0;
  q.bias = 0;
  if (q.pt < 0 || q.pb < 0 || q.pl < 0 || q.pr < 0) return false;
  // tfjs depthwise filter [KH, KW, C, 1]: flip KH and KW.
  static thread_local std::vector<float> flipped;
  flipped.resize(static_cast<size_t>(p.kh) * p.kw * p.c);
  const float* src = static_cast<const float*>(w);
  for (int32_t y = 0; y < p.kh; ++y)
    for (int32_t x = 0; x < p.kw; ++x)
      std::memcpy(&flipped[((size_t)(p.kh - 1 - y) * p.kw + (p.kw - 1 - x)) * p.c], src + ((size_t)y * p.kw + x) * p.c,
                  sizeof(float) * p.c);
  runConv(kForward, q, dy, flipped.data(), nullptr, dx);
  return true;
}

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

bool registerDepthwise(const ConvParams& p) {
  return p.groups == p.c && p.oc == p.c && p.c % 16 == 0 && p.c <= 128 && p.kh == 3 && p.kw == 3 && p.dh == 1 && p.dw == 1;
}

// NC: channels / 16. Interior pixels take the unrolled 9 taps; border pixels skip the taps that
// fall outside the image.
template <int NC>
void depthwise3x3(const ConvParams& p, const float* x, const float* w, const float* bias, float* y) {
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

void depthwiseForward(const ConvParams& p, const float* x, const float* w, const float* bias, float* y) {
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

void runConv(Kind kind, const ConvParams& p, void* srcPtr, void* wPtr, void* biasPtr, void* dstPtr) {
  if (kind == kForward && registerDepthwise(p)) {
    depthwiseForward(p, static_cast<float*>(srcPtr), static_cast<float*>(wPtr), p.bias ? static_cast<float*>(biasPtr) : nullptr,
                     static_cast<float*>(dstPtr));
    return;
  }
  if (kind == kBackwardData && depthwiseBackwardAsForward(p, srcPtr, wPtr, dstPtr)) return;
  ConvPrimitive& cp = getPrimitive(kind, p);
  auto& eng = engine();
  auto& s = stream();
  memory src(activationDesc(p.n, p.c, p.h, p.w), eng, srcPtr);
  memory dst(activationDesc(p.n, p.oc, p.oh, p.ow), eng, dstPtr);
  memory userW(cp.userWeights, eng, wPtr);
  memory& w = cp.internalWeightsMem ? *cp.internalWeightsMem : userW;
  if (kind == kForward) {
    if (cp.weightsReorder) cp.weightsReorder->execute(s, userW, w);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, dst}};
    if (p.bias) args.emplace(DNNL_ARG_BIAS, memory(memory::desc({p.oc}, dt::f32, tag::x), eng, biasPtr));
    cp.prim.execute(s, args);
  } else if (kind == kBackwardData) {
    if (cp.weightsReorder) cp.weightsReorder->execute(s, userW, w);
    cp.prim.execute(s, {{DNNL_ARG_DIFF_SRC, src}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DIFF_DST, dst}});
  } else {
    cp.prim.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_WEIGHTS, w}, {DNNL_ARG_DIFF_DST, dst}});
    if (cp.weightsReorder) cp.weightsReorder->execute(s, w, userW);
  }
  s.wait();
}

// ---- batch normalization over the rows of an [M, C] matrix (NHWC flattened) ----
// Plain loops, not oneDNN's: its NHWC batch norm made several passes over memory and ran at a
// third of the speed of one pass for RandWire's 32-128 channels (measured: 0.47 ms forward for
// 3.2 MB, ReLU 0.09 ms). Here the forward reads x twice and writes y once, the backward reads x
// and dy twice and writes dx once, inference is one pass.

enum BnKind { kBnForward = 0, kBnBackward = 1, kBnInference = 2 };

// Per-channel sums over the rows of a (and of a * (b - shift) when b is given), accumulated in
// float over blocks of rows and in double across blocks and threads. Without b: sums of
// (a - shift) and (a - shift)^2, shift being the first row (the shifted one-pass variance).
// Channels go 16 at a time through a block of rows so that the partial sums stay in registers.
void channelSums(int64_t m, int64_t c, const float* a, const float* b, const float* shift, double* s1, double* s2) {
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
        if (lanes == kLanes) {
          for (int64_t r = r0; r < r1; ++r) {
            const float* __restrict ar = a + r * c + j0;
            if (b) {
              const float* __restrict br = b + r * c + j0;
#pragma omp simd
              for (int64_t l = 0; l < kLanes; ++l) {
                q1[l] += ar[l];
                q2[l] += ar[l] * (br[l] - sh[l]);
              }
            } else {
#pragma omp simd
              for (int64_t l = 0; l < kLanes; ++l) {
                const float d = ar[l] - sh[l];
                q1[l] += d;
                q2[l] += d * d;
              }
            }
          }
        } else {
          for (int64_t r = r0; r < r1; ++r)
            for (int64_t l = 0; l < lanes; ++l) {
              const float av = a[r * c + j0 + l];
              const float d = b ? b[r * c + j0 + l] - sh[l] : av - sh[l];
              q1[l] += b ? av : d;
              q2[l] += b ? av * d : d * d;
            }
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
void channelAffine(int64_t m, int64_t c, const float* u, const float* v, const float* ka, const float* kb, const float* k0,
                   float* out) {
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

// Offsets (bytes into the heap), in order: x, scale, shift, y, mean, variance, dy, dx, dscale, dshift.
// Forward reads x, scale, shift and writes y, mean, variance (biased, as tf.moments).
// Backward reads x, scale, mean, variance, dy and writes dx, dscale, dshift.
// Inference reads x, scale, shift, mean, variance (the moving statistics) and writes y.
void runBatchNorm(BnKind kind, int64_t m, int64_t c, float eps, uint8_t* heap, const double* off) {
  auto f = [&](int i) { return reinterpret_cast<float*>(heap + static_cast<size_t>(off[i])); };
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

// ---- plain loops: max-pool gradient and per-channel sums ----

// dx = gradient of max pooling: each output gradient goes to the first maximum of its window
// (row-major window order, as tfjs's cpu backend). NHWC; channels innermost so loops vectorize.
struct PoolParams {
  int32_t n, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw;
};
constexpr size_t kPoolParamCount = sizeof(PoolParams) / sizeof(int32_t);

void maxPoolGrad(const PoolParams& p, const float* x, const float* dy, float* dx) {
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
void sumRows(int64_t m, int64_t c, const float* __restrict x, float* __restrict y) {
  // Double accumulators, a row at a time: the same order of magnitude of rounding as tfjs's sum.
  std::unique_ptr<double[]> acc(new double[c]());
  for (int64_t i = 0; i < m; ++i) {
    const float* row = x + i * c;
    for (int64_t j = 0; j < c; ++j) acc[j] += row[j];
  }
  for (int64_t j = 0; j < c; ++j) y[j] = static_cast<float>(acc[j]);
}

// ---- element-wise training kernels: weighted sums of RandWire nodes, ReLU gradient, Adam ----

inline float sigmoid(float w) { return 1.f / (1.f + std::exp(-w)); }

// Element-wise kernels split their elements into one contiguous range per thread once a tensor
// is large enough to pay for waking the threads. Each range goes to a function of its own with
// __restrict pointers: GCC 12 left the same loops unvectorised (scalar, with branches) when they
// were written as OpenMP loops, whose outlined bodies lose the pointers' no-alias facts.
constexpr int64_t kParallelMin = 1 << 15;

template <typename Body>
void forRanges(int64_t n, Body body) {
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

__attribute__((noinline)) void scaleInto(int64_t n, float g, const float* __restrict x, float* __restrict y, bool relu) {
  if (relu) {
    for (int64_t e = 0; e < n; ++e) y[e] = std::max(g * x[e], 0.f);
  } else {
    for (int64_t e = 0; e < n; ++e) y[e] = g * x[e];
  }
}

__attribute__((noinline)) void addScaled(int64_t n, float g, const float* __restrict x, float* __restrict y, bool relu) {
  if (relu) {
    for (int64_t e = 0; e < n; ++e) y[e] = std::max(y[e] + g * x[e], 0.f);
  } else {
    for (int64_t e = 0; e < n; ++e) y[e] += g * x[e];
  }
}

// dx = g * t and <t, x> with t = dy, or dy where y > 0 (y given); float per block, double across.
__attribute__((noinline)) double scaleAndDot(int64_t n, float g, const float* __restrict dy, const float* __restrict y,
                                             const float* __restrict x, float* __restrict dx) {
  double dot = 0;
  constexpr int64_t kBlock = 4096;
  for (int64_t b = 0; b < n; b += kBlock) {
    const int64_t end = std::min(n, b + kBlock);
    float partial = 0;
    // omp simd: lets the float sum be reordered into vector lanes (outside any parallel region).
    if (y) {
#pragma omp simd reduction(+ : partial)
      for (int64_t e = b; e < end; ++e) {
        const float t = y[e] > 0.f ? dy[e] : 0.f;
        dx[e] = g * t;
        partial += t * x[e];
      }
    } else {
#pragma omp simd reduction(+ : partial)
      for (int64_t e = b; e < end; ++e) {
        dx[e] = g * dy[e];
        partial += dy[e] * x[e];
      }
    }
    dot += partial;
  }
  return dot;
}

// y = sum_i gate_i * x_i over n elements, gate_i = sigmoid(w_i); then max(y, 0) when relu, in the
// last pass. One long pass per input: measured faster than walking all inputs block by block
// (interleaved streams defeat the prefetcher; y stays in L2/L3 between passes).
void weightedSum(int64_t n, int32_t k, const float* w, const float* const* xs, float* y, bool relu) {
  std::vector<float> gate(k);
  for (int32_t i = 0; i < k; ++i) gate[i] = sigmoid(w[i]);
  forRanges(n, [&](int64_t from, int64_t to, int) {
    scaleInto(to - from, gate[0], xs[0] + from, y + from, relu && k == 1);
    for (int32_t i = 1; i < k; ++i) addScaled(to - from, gate[i], xs[i] + from, y + from, relu && i == k - 1);
  });
}

// With t = dy (linear) or dy where y > 0 (relu, y the saved output):
// dx_i = gate_i * t; dw_i = gate_i (1 - gate_i) <t, x_i>.
void weightedSumGrad(int64_t n, int32_t k, const float* w, const float* const* xs, const float* dy, const float* y,
                     float* const* dxs, float* dw) {
  std::vector<float> gate(k);
  for (int32_t i = 0; i < k; ++i) gate[i] = sigmoid(w[i]);
  std::vector<double> dot(static_cast<size_t>(k) * std::max(1, omp_get_max_threads()), 0.0);  // per thread
  forRanges(n, [&](int64_t from, int64_t to, int t) {
    for (int32_t i = 0; i < k; ++i)
      dot[(size_t)t * k + i] = scaleAndDot(to - from, gate[i], dy + from, y ? y + from : nullptr, xs[i] + from, dxs[i] + from);
  });
  for (int32_t i = 0; i < k; ++i) {
    double sum = 0;
    for (size_t t = 0; t < dot.size() / k; ++t) sum += dot[t * k + i];
    dw[i] = static_cast<float>(gate[i] * (1.0 - gate[i]) * sum);
  }
}

// dx = dy where y > 0, else 0 (y = relu(x) or x itself: the same sign test).
__attribute__((noinline)) void reluGradRange(int64_t n, const float* __restrict dy, const float* __restrict y, float* __restrict dx) {
  for (int64_t e = 0; e < n; ++e) dx[e] = y[e] > 0.f ? dy[e] : 0.f;
}

__attribute__((noinline)) void addRange(int64_t n, const float* __restrict a, const float* __restrict b, float* __restrict y) {
  for (int64_t e = 0; e < n; ++e) y[e] = a[e] + b[e];
}

__attribute__((noinline)) void reluRange(int64_t n, const float* __restrict x, float* __restrict y) {
  for (int64_t e = 0; e < n; ++e) y[e] = std::max(x[e], 0.f);
}

// tfjs's Adam update, element-wise, in one pass: c1 = 1 - beta1^t, c2 = 1 - beta2^t.
__attribute__((noinline)) void adamRange(int64_t n, const float* __restrict value, const float* __restrict m,
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

// ---- batched matrix product (tfjs BatchMatMul) on oneDNN's sgemm ----

// params: batchA, batchB, m, n, k, transposeA, transposeB. a is [batchA, m, k] ([batchA, k, m]
// transposed), b is [batchB, k, n] ([batchB, n, k] transposed), c is [max(batchA, batchB), m, n];
// a batch of 1 broadcasts.
void batchMatMul(const int32_t* p, const float* a, const float* b, float* c) {
  const int64_t batchA = p[0], batchB = p[1], m = p[2], n = p[3], k = p[4];
  const bool ta = p[5] != 0, tb = p[6] != 0;
  const int64_t batch = std::max(batchA, batchB);
  for (int64_t i = 0; i < batch; ++i) {
    const float* ai = a + (batchA == 1 ? 0 : i) * m * k;
    const float* bi = b + (batchB == 1 ? 0 : i) * k * n;
    dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.f, ai, ta ? m : k, bi, tb ? k : n, 0.f, c + i * m * n, n);
  }
}

// ---- N-API glue ----

// Reads a call's arguments in order; the first failure throws a TypeError naming the call's
// signature, and every later read is skipped (ok() stays false).
class Args {
 public:
  Args(napi_env env, napi_callback_info info, size_t expected, const char* usage) : env_(env), usage_(usage) {
    size_t argc = 8;
    if (napi_get_cb_info(env, info, &argc, argv_, nullptr, nullptr) != napi_ok || argc != expected) fail();
  }
  bool ok() const { return ok_; }

  uint8_t* heap() {
    void* data = nullptr;
    size_t len;
    if (ok_ && napi_get_arraybuffer_info(env_, argv_[next_++], &data, &len) != napi_ok) fail();
    return static_cast<uint8_t*>(data);
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

 private:
  void fail() {
    if (ok_) napi_throw_type_error(env_, nullptr, (std::string("randwire native: usage: ") + usage_).c_str());
    ok_ = false;
  }
  napi_env env_;
  const char* usage_;
  napi_value argv_[8];
  size_t next_ = 0;
  bool ok_ = true;
};

template <typename F>
napi_value guarded(napi_env env, F&& body) {
  try {
    body();
  } catch (const dnnl::error& e) {
    napi_throw_error(env, nullptr, (std::string("randwire native: oneDNN: ") + e.what()).c_str());
  }
  return nullptr;
}

template <typename T>
T* at(uint8_t* heap, double offset) {
  return reinterpret_cast<T*>(heap + static_cast<size_t>(offset));
}

// kind 0: dst = conv(src, w) [+ bias, relu]; 1: src = conv_backward_data(dst, w); 2: w = conv_backward_weights(src, dst).
napi_value Conv(napi_env env, napi_callback_info info) {
  Args a(env, info, 7, "conv(kind, heap, Int32Array params, src, w, bias, dst)");
  const int32_t kind = a.int32();
  uint8_t* heap = a.heap();
  const int32_t* params = a.array<int32_t>(napi_int32_array, kParamCount);
  const double src = a.number(), w = a.number(), bias = a.number(), dst = a.number();
  if (!a.ok()) return nullptr;
  ConvParams p;
  std::memcpy(&p, params, sizeof(p));
  return guarded(env, [&] { runConv(static_cast<Kind>(kind), p, heap + (size_t)src, heap + (size_t)w, heap + (size_t)bias, heap + (size_t)dst); });
}

// The oneDNN implementation chosen for a convolution (for profiling).
napi_value Implementation(napi_env env, napi_callback_info info) {
  Args a(env, info, 2, "implementation(kind, Int32Array params)");
  const int32_t kind = a.int32();
  const int32_t* params = a.array<int32_t>(napi_int32_array, kParamCount);
  if (!a.ok()) return nullptr;
  ConvParams p;
  std::memcpy(&p, params, sizeof(p));
  std::string impl;
  guarded(env, [&] { impl = getPrimitive(static_cast<Kind>(kind), p).impl; });
  napi_value result;
  if (napi_create_string_utf8(env, impl.c_str(), impl.size(), &result) != napi_ok) return nullptr;
  return result;
}

napi_value BatchNorm(napi_env env, napi_callback_info info) {
  Args a(env, info, 6, "batchNorm(kind, heap, m, c, epsilon, Float64Array(10) offsets)");
  const int32_t kind = a.int32();
  uint8_t* heap = a.heap();
  const int32_t m = a.int32(), c = a.int32();
  const double eps = a.number();
  const double* offsets = a.array<double>(napi_float64_array, 10);
  if (!a.ok()) return nullptr;
  if (kind < kBnForward || kind > kBnInference) {
    napi_throw_type_error(env, nullptr, "randwire native: batchNorm: kind must be 0, 1 or 2");
    return nullptr;
  }
  return guarded(env, [&] { runBatchNorm(static_cast<BnKind>(kind), m, c, static_cast<float>(eps), heap, offsets); });
}

napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Args a(env, info, 5, "maxPoolGrad(heap, Int32Array(14) params, x, dy, dx)");
  uint8_t* heap = a.heap();
  const int32_t* params = a.array<int32_t>(napi_int32_array, kPoolParamCount);
  const double x = a.number(), dy = a.number(), dx = a.number();
  if (!a.ok()) return nullptr;
  PoolParams p;
  std::memcpy(&p, params, sizeof(p));
  maxPoolGrad(p, at<const float>(heap, x), at<const float>(heap, dy), at<float>(heap, dx));
  return nullptr;
}

napi_value SumRows(napi_env env, napi_callback_info info) {
  Args a(env, info, 5, "sumRows(heap, m, c, x, y)");
  uint8_t* heap = a.heap();
  const double m = a.number(), c = a.number(), x = a.number(), y = a.number();
  if (!a.ok()) return nullptr;
  sumRows(static_cast<int64_t>(m), static_cast<int64_t>(c), at<const float>(heap, x), at<float>(heap, y));
  return nullptr;
}

// elementwise(op, heap, n, offsets: Float64Array, numbers: Float64Array)
//   op 0 weightedSum:     offsets [w, y, x_0..x_{k-1}], numbers [relu 0|1]
//   op 1 weightedSumGrad: offsets [w, dy, dw, (y if relu), x_0..x_{k-1}, dx_0..dx_{k-1}], numbers [relu 0|1]
//   op 2 reluGrad:        offsets [dy, y, dx]
//   op 3 adam:            offsets [value, m, v, g, value', m', v'], numbers [lr, beta1, beta2, eps, c1, c2]
//   op 4 moving averages: offsets [mean, variance, batchMean, batchVariance, mean', variance'], numbers [momentum]
//   op 5 add (same shapes): offsets [a, b, y]
//   op 6 relu:            offsets [x, y]
napi_value Elementwise(napi_env env, napi_callback_info info) {
  Args a(env, info, 5, "elementwise(op, heap, n, Float64Array offsets, Float64Array numbers)");
  const int32_t op = a.int32();
  uint8_t* h = a.heap();
  const double n = a.number();
  size_t nOffsets = 0, nNumbers = 0;
  const double* o = a.array<double>(napi_float64_array, 0, &nOffsets);
  const double* num = a.array<double>(napi_float64_array, 0, &nNumbers);
  if (!a.ok()) return nullptr;
  auto f = [&](size_t i) { return at<float>(h, o[i]); };
  const int64_t count = static_cast<int64_t>(n);
  const bool relu = (op == 0 || op == 1) && nNumbers == 1 && num[0] != 0;
  const size_t first = 3 + (relu ? 1 : 0);  // weightedSumGrad: index of x_0
  if (op == 0 && nOffsets >= 3 && nNumbers == 1) {
    const int32_t k = static_cast<int32_t>(nOffsets - 2);
    std::vector<const float*> xs(k);
    for (int32_t i = 0; i < k; ++i) xs[i] = f(2 + i);
    weightedSum(count, k, f(0), xs.data(), f(1), relu);
  } else if (op == 1 && nNumbers == 1 && nOffsets >= first + 2 && (nOffsets - first) % 2 == 0) {
    const int32_t k = static_cast<int32_t>((nOffsets - first) / 2);
    std::vector<const float*> xs(k);
    std::vector<float*> dxs(k);
    for (int32_t i = 0; i < k; ++i) {
      xs[i] = f(first + i);
      dxs[i] = f(first + k + i);
    }
    weightedSumGrad(count, k, f(0), xs.data(), f(1), relu ? f(3) : nullptr, dxs.data(), f(2));
  } else if (op == 2 && nOffsets == 3) {
    forRanges(count, [&](int64_t from, int64_t to, int) { reluGradRange(to - from, f(0) + from, f(1) + from, f(2) + from); });
  } else if (op == 3 && nOffsets == 7 && nNumbers == 6) {
    forRanges(count, [&](int64_t from, int64_t to, int) {
      adamRange(to - from, f(0) + from, f(1) + from, f(2) + from, f(3) + from, f(4) + from, f(5) + from, f(6) + from,
                (float)num[0], (float)num[1], (float)num[2], (float)num[3], (float)num[4], (float)num[5]);
    });
  } else if (op == 4 && nOffsets == 6 && nNumbers == 1) {
    // Moving averages of batch norm, as tfjs: s' = s - (s - batch) (1 - momentum).
    const float decay = 1.f - static_cast<float>(num[0]);
    for (int i = 0; i < 2; ++i) {
      const float* st = f(i);
      const float* batch = f(2 + i);
      float* out = f(4 + i);
      for (int64_t e = 0; e < count; ++e) out[e] = st[e] - (st[e] - batch[e]) * decay;
    }
  } else if (op == 5 && nOffsets == 3) {
    forRanges(count, [&](int64_t from, int64_t to, int) { addRange(to - from, f(0) + from, f(1) + from, f(2) + from); });
  } else if (op == 6 && nOffsets == 2) {
    forRanges(count, [&](int64_t from, int64_t to, int) { reluRange(to - from, f(0) + from, f(1) + from); });
  } else {
    napi_throw_type_error(env, nullptr, "randwire native: elementwise: unknown op or wrong number of offsets");
  }
  return nullptr;
}

napi_value BatchMatMul(napi_env env, napi_callback_info info) {
  Args a(env, info, 5, "batchMatMul(heap, Int32Array(7) params, a, b, c)");
  uint8_t* heap = a.heap();
  const int32_t* params = a.array<int32_t>(napi_int32_array, 7);
  const double x = a.number(), y = a.number(), z = a.number();
  if (!a.ok()) return nullptr;
  batchMatMul(params, at<const float>(heap, x), at<const float>(heap, y), at<float>(heap, z));
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a(env, info, 1, "setThreads(n)");
  const int32_t n = a.int32();
  if (a.ok() && n >= 1) omp_set_num_threads(n);
  return nullptr;
}

napi_value Version(napi_env env, napi_callback_info) {
  const dnnl_version_t* v = dnnl_version();
  std::string s = "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) +
                  ", " + std::to_string(omp_get_max_threads()) + " thread(s)";
  napi_value result;
  if (napi_create_string_utf8(env, s.c_str(), s.size(), &result) != napi_ok) return nullptr;
  return result;
}

// Raised whenever a call's arguments change meaning, so that JS refuses an addon built from older
// sources (src/backend/native-kernels.ts: ADDON_ABI).
constexpr int32_t kAbi = 4;  // 3: batch norm kind 2 (inference); 4: elementwise ops 5, 6

napi_value Init(napi_env env, napi_value exports) {
  napi_value abi;
  if (napi_create_int32(env, kAbi, &abi) != napi_ok) return nullptr;
  napi_property_descriptor props[] = {
      {"abi", nullptr, nullptr, nullptr, nullptr, abi, napi_enumerable, nullptr},
      {"conv", nullptr, Conv, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNorm", nullptr, BatchNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumRows", nullptr, SumRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"elementwise", nullptr, Elementwise, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchMatMul", nullptr, BatchMatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"implementation", nullptr, Implementation, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"version", nullptr, Version, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
