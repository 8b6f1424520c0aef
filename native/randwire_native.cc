// Optional native kernels for randwire: convolutions (plain and depthwise, forward and both
// gradients) on oneDNN, called synchronously on tensors that live in the tfjs wasm heap.
// Nothing is copied: the wasm heap is an ArrayBuffer and every tensor is a byte offset into it.
// Built by scripts/build-native.mjs against Debian's libdnnl-dev; wasm stays the default that
// always works when this file is not built.
#include <node_api.h>
#include <omp.h>

#include <cstdint>
#include <cstring>
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

void runConv(Kind kind, const ConvParams& p, uint8_t* heap, double srcOff, double wOff, double biasOff, double dstOff) {
  ConvPrimitive& cp = getPrimitive(kind, p);
  auto& eng = engine();
  auto& s = stream();
  memory src(activationDesc(p.n, p.c, p.h, p.w), eng, heap + static_cast<size_t>(srcOff));
  memory dst(activationDesc(p.n, p.oc, p.oh, p.ow), eng, heap + static_cast<size_t>(dstOff));
  memory userW(cp.userWeights, eng, heap + static_cast<size_t>(wOff));
  memory& w = cp.internalWeightsMem ? *cp.internalWeightsMem : userW;
  if (kind == kForward) {
    if (cp.weightsReorder) cp.weightsReorder->execute(s, userW, w);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, dst}};
    if (p.bias) {
      args.emplace(DNNL_ARG_BIAS, memory(memory::desc({p.oc}, dt::f32, tag::x), eng, heap + static_cast<size_t>(biasOff)));
    }
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

// ---- batch normalization in training mode, over the rows of an [M, C] matrix (NHWC flattened) ----

enum BnKind { kBnForward = 0, kBnBackward = 1 };

struct BnPrimitive {
  dnnl::primitive prim;
  std::string impl;
};

dnnl::batch_normalization_forward::primitive_desc bnForwardDesc(int64_t m, int64_t c, float eps) {
  memory::desc data({m, c, 1, 1}, dt::f32, tag::nhwc);
  dnnl::batch_normalization_forward::desc d(dnnl::prop_kind::forward_training, data, eps,
                                            dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift);
  return dnnl::batch_normalization_forward::primitive_desc(d, engine());
}

BnPrimitive& getBnPrimitive(BnKind kind, int64_t m, int64_t c, float eps) {
  static std::unordered_map<std::string, std::unique_ptr<BnPrimitive>> bnCache;
  std::string key = std::to_string(kind) + ":" + std::to_string(m) + ":" + std::to_string(c) + ":" + std::to_string(eps);
  auto it = bnCache.find(key);
  if (it != bnCache.end()) return *it->second;
  auto entry = std::make_unique<BnPrimitive>();
  auto fwd = bnForwardDesc(m, c, eps);
  if (kind == kBnForward) {
    entry->impl = fwd.impl_info_str();
    entry->prim = dnnl::batch_normalization_forward(fwd);
  } else {
    memory::desc data({m, c, 1, 1}, dt::f32, tag::nhwc);
    dnnl::batch_normalization_backward::desc d(dnnl::prop_kind::backward, data, data, eps,
                                               dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift);
    dnnl::batch_normalization_backward::primitive_desc pd(d, engine(), fwd);
    entry->impl = pd.impl_info_str();
    entry->prim = dnnl::batch_normalization_backward(pd);
  }
  auto& ref = *entry;
  bnCache.emplace(std::move(key), std::move(entry));
  return ref;
}

// Offsets (bytes into the heap), in order: x, scale, shift, y, mean, variance, dy, dx, dscale, dshift.
// Forward reads x, scale, shift and writes y, mean, variance (biased, as tf.moments).
// Backward reads x, scale, mean, variance, dy and writes dx, dscale, dshift.
void runBatchNorm(BnKind kind, int64_t m, int64_t c, float eps, uint8_t* heap, const double* off) {
  auto& eng = engine();
  auto& s = stream();
  memory::desc data({m, c, 1, 1}, dt::f32, tag::nhwc), vec({c}, dt::f32, tag::x);
  auto at = [&](const memory::desc& md, int i) { return memory(md, eng, heap + static_cast<size_t>(off[i])); };
  BnPrimitive& bp = getBnPrimitive(kind, m, c, eps);
  if (kind == kBnForward) {
    bp.prim.execute(s, {{DNNL_ARG_SRC, at(data, 0)}, {DNNL_ARG_SCALE, at(vec, 1)}, {DNNL_ARG_SHIFT, at(vec, 2)},
                        {DNNL_ARG_DST, at(data, 3)}, {DNNL_ARG_MEAN, at(vec, 4)}, {DNNL_ARG_VARIANCE, at(vec, 5)}});
  } else {
    bp.prim.execute(s, {{DNNL_ARG_SRC, at(data, 0)}, {DNNL_ARG_SCALE, at(vec, 1)}, {DNNL_ARG_SHIFT, at(vec, 9)}, {DNNL_ARG_MEAN, at(vec, 4)},
                        {DNNL_ARG_VARIANCE, at(vec, 5)}, {DNNL_ARG_DIFF_DST, at(data, 6)}, {DNNL_ARG_DIFF_SRC, at(data, 7)},
                        {DNNL_ARG_DIFF_SCALE, at(vec, 8)}, {DNNL_ARG_DIFF_SHIFT, at(vec, 9)}});
  }
  s.wait();
}

// ---- plain loops: max-pool gradient and per-channel sums ----

// dx = gradient of max pooling: each output gradient goes to the first maximum of its window
// (row-major window order, as tfjs's cpu backend). NHWC; channels innermost so loops vectorize.
struct PoolParams {
  int32_t n, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw;
};
constexpr size_t kPoolParamCount = sizeof(PoolParams) / sizeof(int32_t);

void maxPoolGrad(const PoolParams& p, const float* x, const float* dy, float* dx) {
  std::memset(dx, 0, sizeof(float) * p.n * p.h * p.w * p.c);
  std::unique_ptr<float[]> best(new float[p.c]);
  std::unique_ptr<int64_t[]> where(new int64_t[p.c]);
  for (int32_t b = 0; b < p.n; ++b) {
    const int64_t xb = (int64_t)b * p.h * p.w * p.c;
    for (int32_t oy = 0; oy < p.oh; ++oy) {
      for (int32_t ox = 0; ox < p.ow; ++ox) {
        for (int32_t ch = 0; ch < p.c; ++ch) {
          best[ch] = -std::numeric_limits<float>::infinity();
          where[ch] = -1;
        }
        for (int32_t ky = 0; ky < p.kh; ++ky) {
          const int32_t iy = oy * p.sh - p.pt + ky * p.dh;
          if (iy < 0 || iy >= p.h) continue;
          for (int32_t kx = 0; kx < p.kw; ++kx) {
            const int32_t ix = ox * p.sw - p.pl + kx * p.dw;
            if (ix < 0 || ix >= p.w) continue;
            const int64_t base = xb + ((int64_t)iy * p.w + ix) * p.c;
            const float* row = x + base;
            for (int32_t ch = 0; ch < p.c; ++ch) {
              if (row[ch] > best[ch] || where[ch] < 0) {
                best[ch] = row[ch];
                where[ch] = base + ch;
              }
            }
          }
        }
        const float* g = dy + (((int64_t)b * p.oh + oy) * p.ow + ox) * p.c;
        for (int32_t ch = 0; ch < p.c; ++ch) {
          if (where[ch] >= 0) dx[where[ch]] += g[ch];
        }
      }
    }
  }
}

// y[j] = sum over i of x[i, j] for an [m, c] matrix: a sum over every axis but the last.
void sumRows(int64_t m, int64_t c, const float* x, float* y) {
  // Double accumulators, a row at a time: the same order of magnitude of rounding as tfjs's sum.
  std::unique_ptr<double[]> acc(new double[c]());
  for (int64_t i = 0; i < m; ++i) {
    const float* row = x + i * c;
    for (int64_t j = 0; j < c; ++j) acc[j] += row[j];
  }
  for (int64_t j = 0; j < c; ++j) y[j] = static_cast<float>(acc[j]);
}

// ---- N-API glue ----

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, nullptr, "randwire native: " #call " failed"); \
      return nullptr;                                                 \
    }                                                                 \
  } while (0)

// conv(kind, heap: ArrayBuffer, params: Int32Array, srcOff, wOff, biasOff, dstOff)
// kind 0: dst = conv(src, w) [+ bias, relu]; 1: src = conv_backward_data(dst, w); 2: w = conv_backward_weights(src, dst).
napi_value Conv(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc != 7) {
    napi_throw_type_error(env, nullptr, "randwire native: conv takes 7 arguments");
    return nullptr;
  }
  int32_t kind;
  CHECK(napi_get_value_int32(env, argv[0], &kind));
  void* heap;
  size_t heapLen;
  CHECK(napi_get_arraybuffer_info(env, argv[1], &heap, &heapLen));
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_value ab;
  size_t off;
  CHECK(napi_get_typedarray_info(env, argv[2], &type, &len, &data, &ab, &off));
  if (type != napi_int32_array || len != kParamCount) {
    napi_throw_type_error(env, nullptr, "randwire native: conv params must be an Int32Array of the right length");
    return nullptr;
  }
  ConvParams p;
  std::memcpy(&p, data, sizeof(p));
  double offs[4];
  for (int i = 0; i < 4; ++i) CHECK(napi_get_value_double(env, argv[3 + i], &offs[i]));
  try {
    runConv(static_cast<Kind>(kind), p, static_cast<uint8_t*>(heap), offs[0], offs[1], offs[2], offs[3]);
  } catch (const dnnl::error& e) {
    napi_throw_error(env, nullptr, (std::string("randwire native: oneDNN: ") + e.what()).c_str());
    return nullptr;
  }
  return nullptr;
}

// implementation(kind, params): the oneDNN implementation chosen for a convolution (for profiling).
napi_value Implementation(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int32_t kind;
  CHECK(napi_get_value_int32(env, argv[0], &kind));
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_value ab;
  size_t off;
  CHECK(napi_get_typedarray_info(env, argv[1], &type, &len, &data, &ab, &off));
  if (type != napi_int32_array || len != kParamCount) {
    napi_throw_type_error(env, nullptr, "randwire native: params must be an Int32Array of the right length");
    return nullptr;
  }
  ConvParams p;
  std::memcpy(&p, data, sizeof(p));
  std::string impl;
  try {
    impl = getPrimitive(static_cast<Kind>(kind), p).impl;
  } catch (const dnnl::error& e) {
    napi_throw_error(env, nullptr, (std::string("randwire native: oneDNN: ") + e.what()).c_str());
    return nullptr;
  }
  napi_value result;
  CHECK(napi_create_string_utf8(env, impl.c_str(), impl.size(), &result));
  return result;
}

// batchNorm(kind, heap: ArrayBuffer, m, c, epsilon, offsets: Float64Array(10))
napi_value BatchNorm(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc != 6) {
    napi_throw_type_error(env, nullptr, "randwire native: batchNorm takes 6 arguments");
    return nullptr;
  }
  int32_t kind, m, c;
  double eps;
  CHECK(napi_get_value_int32(env, argv[0], &kind));
  void* heap;
  size_t heapLen;
  CHECK(napi_get_arraybuffer_info(env, argv[1], &heap, &heapLen));
  CHECK(napi_get_value_int32(env, argv[2], &m));
  CHECK(napi_get_value_int32(env, argv[3], &c));
  CHECK(napi_get_value_double(env, argv[4], &eps));
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_value ab;
  size_t off;
  CHECK(napi_get_typedarray_info(env, argv[5], &type, &len, &data, &ab, &off));
  if (type != napi_float64_array || len != 10) {
    napi_throw_type_error(env, nullptr, "randwire native: batchNorm offsets must be a Float64Array(10)");
    return nullptr;
  }
  try {
    runBatchNorm(static_cast<BnKind>(kind), m, c, static_cast<float>(eps), static_cast<uint8_t*>(heap), static_cast<double*>(data));
  } catch (const dnnl::error& e) {
    napi_throw_error(env, nullptr, (std::string("randwire native: oneDNN: ") + e.what()).c_str());
    return nullptr;
  }
  return nullptr;
}

// maxPoolGrad(heap, params: Int32Array(14), xOff, dyOff, dxOff)
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  void* heap;
  size_t heapLen;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &heap, &heapLen));
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_value ab;
  size_t off;
  CHECK(napi_get_typedarray_info(env, argv[1], &type, &len, &data, &ab, &off));
  if (argc != 5 || type != napi_int32_array || len != kPoolParamCount) {
    napi_throw_type_error(env, nullptr, "randwire native: maxPoolGrad(heap, Int32Array(14), x, dy, dx)");
    return nullptr;
  }
  PoolParams p;
  std::memcpy(&p, data, sizeof(p));
  double o[3];
  for (int i = 0; i < 3; ++i) CHECK(napi_get_value_double(env, argv[2 + i], &o[i]));
  auto* h = static_cast<uint8_t*>(heap);
  maxPoolGrad(p, reinterpret_cast<const float*>(h + (size_t)o[0]), reinterpret_cast<const float*>(h + (size_t)o[1]),
              reinterpret_cast<float*>(h + (size_t)o[2]));
  return nullptr;
}

// sumRows(heap, m, c, xOff, yOff)
napi_value SumRows(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc != 5) {
    napi_throw_type_error(env, nullptr, "randwire native: sumRows(heap, m, c, x, y)");
    return nullptr;
  }
  void* heap;
  size_t heapLen;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &heap, &heapLen));
  double v[4];
  for (int i = 0; i < 4; ++i) CHECK(napi_get_value_double(env, argv[1 + i], &v[i]));
  auto* h = static_cast<uint8_t*>(heap);
  sumRows((int64_t)v[0], (int64_t)v[1], reinterpret_cast<const float*>(h + (size_t)v[2]), reinterpret_cast<float*>(h + (size_t)v[3]));
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int32_t n;
  CHECK(napi_get_value_int32(env, argv[0], &n));
  if (n >= 1) omp_set_num_threads(n);
  return nullptr;
}

napi_value Version(napi_env env, napi_callback_info) {
  const dnnl_version_t* v = dnnl_version();
  std::string s = "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) +
                  ", " + std::to_string(omp_get_max_threads()) + " thread(s)";
  napi_value result;
  CHECK(napi_create_string_utf8(env, s.c_str(), s.size(), &result));
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"conv", nullptr, Conv, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNorm", nullptr, BatchNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumRows", nullptr, SumRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"implementation", nullptr, Implementation, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"version", nullptr, Version, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
