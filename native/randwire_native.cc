// Optional native kernels for randwire, called synchronously on tensors that live in the tfjs
// wasm heap: convolutions (plain and depthwise, forward and both gradients) and batched matrix
// products on oneDNN, and the loops of the headers below where oneDNN's were slow or absent.
// Nothing is copied: the wasm heap is an ArrayBuffer and every tensor is a byte offset into it.
// Built by scripts/build-native.mjs against Debian's libdnnl-dev; wasm stays the default that
// always works when this file is not built. This file holds the N-API glue; onednn_conv.h and
// gemm.h the oneDNN calls.
#include <node_api.h>
#include <omp.h>

#include <cstdint>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
#include <string>

#include "oneapi/dnnl/dnnl.hpp"

#include "batch_norm.h"
#include "op_codes.h"
#include "conv_params.h"
#include "depthwise.h"
#include "elementwise.h"
#include "gemm.h"
#include "napi_args.h"
#include "onednn_conv.h"
#include "multi_tensor.h"
#include "pool_and_sums.h"
#include "signals.h"

using namespace rw;  // the kernels of the headers above

namespace {

// ---- N-API glue ----

template <typename F>
napi_value guarded(napi_env env, F&& body) {
  try {
    body();
  } catch (const dnnl::error& e) {
    napi_throw_error(env, nullptr, (std::string("randwire native: oneDNN: ") + e.what()).c_str());
  }
  return nullptr;
}

// kind 0: dst = conv(src, w) [+ bias, relu]; 1: src = conv_backward_data(dst, w); 2: w = conv_backward_weights(src, dst).
napi_value Conv(napi_env env, napi_callback_info info) {
  Args a(env, info, 7, "conv(kind, heap, Int32Array params, src, w, bias, dst)");
  const int32_t kind = a.int32();
  a.heap();
  const int32_t* params = a.array<int32_t>(napi_int32_array, kParamCount);
  const double src = a.number(), w = a.number(), bias = a.number(), dst = a.number();
  if (!a.ok()) return nullptr;
  ConvParams p;
  std::memcpy(&p, params, sizeof(p));
  if (kind < kForward || kind > kBackwardWeights) a.invalid("kind must be 0, 1 or 2");
  if (const char* why = convProblem(p)) a.invalid(why);
  if (!a.ok()) return nullptr;
  float* srcP = a.span(src, elements({p.n, p.h, p.w, p.c}), "src");
  float* wP = a.span(w, elements({p.kh, p.kw, p.c / p.groups, p.oc}), "filter");
  float* biasP = kind == kForward && p.bias ? a.span(bias, p.oc, "bias") : nullptr;
  float* dstP = a.span(dst, elements({p.n, p.oh, p.ow, p.oc}), "dst");
  if (!a.ok()) return nullptr;
  return guarded(env, [&] { runConv(static_cast<Kind>(kind), p, srcP, wP, biasP, dstP); });
}

// The oneDNN implementation chosen for a convolution (for profiling).
napi_value Implementation(napi_env env, napi_callback_info info) {
  Args a(env, info, 2, "implementation(kind, Int32Array params)");
  const int32_t kind = a.int32();
  const int32_t* params = a.array<int32_t>(napi_int32_array, kParamCount);
  if (!a.ok()) return nullptr;
  ConvParams p;
  std::memcpy(&p, params, sizeof(p));
  if (const char* why = convProblem(p)) a.invalid(why);
  if (!a.ok()) return nullptr;
  std::string impl;
  guarded(env, [&] { impl = getPrimitive(static_cast<Kind>(kind), p).impl; });
  napi_value result;
  if (napi_create_string_utf8(env, impl.c_str(), impl.size(), &result) != napi_ok) return nullptr;
  return result;
}

napi_value BatchNorm(napi_env env, napi_callback_info info) {
  Args a(env, info, 6, "batchNorm(kind, heap, m, c, epsilon, Float64Array(10) offsets)");
  const int32_t kind = a.int32();
  a.heap();
  const int32_t m = a.int32(), c = a.int32();
  const double eps = a.number();
  const double* offsets = a.array<double>(napi_float64_array, 10);
  if (!a.ok()) return nullptr;
  if (kind < kBnForward || kind > kBnInference) {
    napi_throw_type_error(env, nullptr, "randwire native: batchNorm: kind must be 0, 1 or 2");
    return nullptr;
  }
  if (m < 0 || c < 1) a.invalid("m must be >= 0 and c >= 1");
  // Tensors in runBatchNorm's order; each kernel kind touches its own subset (the others stay null).
  static const char* const kNames[kBnTensors] = {"x", "scale", "shift", "y", "mean", "variance", "dy", "dx", "dscale", "dshift"};
  static const bool kUsed[3][kBnTensors] = {{1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, {1, 1, 0, 0, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 0, 0, 0, 0}};
  float* t[kBnTensors] = {};
  for (int i = 0; i < kBnTensors; ++i) {
    const bool rows = i == 0 || i == 3 || i == 6 || i == 7;  // [m, c]; the others are [c]
    if (kUsed[kind][i]) t[i] = a.span(offsets[i], rows ? elements({m, c}) : c, kNames[i]);
  }
  if (!a.ok()) return nullptr;
  return guarded(env, [&] { runBatchNorm(static_cast<BnKind>(kind), m, c, static_cast<float>(eps), t); });
}

napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Args a(env, info, 5, "maxPoolGrad(heap, Int32Array(14) params, x, dy, dx)");
  a.heap();
  const int32_t* params = a.array<int32_t>(napi_int32_array, kPoolParamCount);
  const double x = a.number(), dy = a.number(), dx = a.number();
  if (!a.ok()) return nullptr;
  PoolParams p;
  std::memcpy(&p, params, sizeof(p));
  for (int32_t v : {p.n, p.h, p.w, p.c, p.oh, p.ow, p.kh, p.kw, p.sh, p.sw, p.dh, p.dw})
    if (v < 1) a.invalid("a size, stride or dilation below 1");
  if (p.pt < 0 || p.pl < 0) a.invalid("negative padding");
  const float* xP = a.span(x, elements({p.n, p.h, p.w, p.c}), "x");
  const float* dyP = a.span(dy, elements({p.n, p.oh, p.ow, p.c}), "dy");
  float* dxP = a.span(dx, elements({p.n, p.h, p.w, p.c}), "dx");
  if (!a.ok()) return nullptr;
  maxPoolGrad(p, xP, dyP, dxP);
  return nullptr;
}

napi_value SumRows(napi_env env, napi_callback_info info) {
  Args a(env, info, 5, "sumRows(heap, m, c, x, y)");
  a.heap();
  const double m = a.number(), c = a.number(), x = a.number(), y = a.number();
  if (!a.ok()) return nullptr;
  // Whole numbers that fit an int64 (the casts below would be undefined otherwise).
  if (!(m >= 0 && m < 0x1p53 && m == std::floor(m) && c >= 0 && c < 0x1p53 && c == std::floor(c))) a.invalid("m and c must be whole numbers >= 0");
  if (!a.ok()) return nullptr;
  const int64_t rows = static_cast<int64_t>(m), cols = static_cast<int64_t>(c);
  const float* xP = a.span(x, elements({rows, cols}), "x");
  float* yP = a.span(y, cols, "y");
  if (!a.ok()) return nullptr;
  sumRows(rows, cols, xP, yP);
  return nullptr;
}

// elementwise(op, heap, n, offsets: Float64Array, numbers: Float64Array)
//   op 0 weightedSum:     offsets [w, y, x_0..x_{k-1}], numbers [relu 0|1]
//   op 1 weightedSumGrad: offsets [w, dy, dw, (y if relu), x_0..x_{k-1}, dx_0..dx_{k-1}], numbers [relu 0|1];
//                         numbers [relu, 1]: then base_0..base_{k-1} follow, dx_i = base_i + gate_i * t
//                         (base_i may be dx_i; -1: none, dx_i = gate_i * t)
//   op 2 reluGrad:        offsets [dy, y, dx] or [dy, y, dx, base]: dx = base + masked dy (base may be dx)
//   op 4 moving averages: offsets [mean, variance, batchMean, batchVariance, mean', variance'], numbers [momentum]
//   op 5 add (same shapes): offsets [a, b, y]
//   op 6 relu:            offsets [x, y]
//   op 7 add into:        offsets [acc, x]: acc = acc + x (gradient accumulation, src/backend/native/fused-segment.ts)
//   op 8 scale:           offsets [x, y], numbers [s]: y = x * s (y may be x)
// Every tensor has n elements but the edge weights of ops 0 and 1 (w, dw: k each).
napi_value Elementwise(napi_env env, napi_callback_info info) {
  Args a(env, info, 5, "elementwise(op, heap, n, Float64Array offsets, Float64Array numbers)");
  const int32_t op = a.int32();
  a.heap();
  const double n = a.number();
  size_t nOffsets = 0, nNumbers = 0;
  const double* o = a.array<double>(napi_float64_array, 0, &nOffsets);
  const double* num = a.array<double>(napi_float64_array, 0, &nNumbers);
  if (!a.ok()) return nullptr;
  if (!(n >= 0 && n < 0x1p53 && n == std::floor(n))) a.invalid("n must be a whole number >= 0");
  if (!a.ok()) return nullptr;
  const int64_t count = static_cast<int64_t>(n);
  const bool relu = (op == kOpWeightedSum || op == kOpWeightedSumGrad) && nNumbers >= 1 && num[0] != 0;
  const bool onto = op == kOpWeightedSumGrad && nNumbers == 2 && num[1] != 0;  // bases follow the dxs
  const size_t first = 3 + (relu ? 1 : 0), perInput = onto ? 3 : 2;  // weightedSumGrad: index of x_0, offsets per input
  const bool known = (op == kOpWeightedSum && nOffsets >= 3 && nNumbers == 1) ||
                     (op == kOpWeightedSumGrad && (nNumbers == 1 || nNumbers == 2) && nOffsets >= first + perInput && (nOffsets - first) % perInput == 0) ||
                     (op == kOpReluGrad && (nOffsets == 3 || nOffsets == 4)) ||
                     (op == kOpMovingAverages && nOffsets == 6 && nNumbers == 1) || (op == kOpAdd && nOffsets == 3) || (op == kOpRelu && nOffsets == 2) ||
                     (op == kOpAddInto && nOffsets == 2) || (op == kOpScale && nOffsets == 2 && nNumbers == 1);
  if (!known) {
    napi_throw_type_error(env, nullptr, "randwire native: elementwise: unknown op or wrong number of offsets");
    return nullptr;
  }
  const int64_t k = op == kOpWeightedSum ? static_cast<int64_t>(nOffsets - 2) : op == kOpWeightedSumGrad ? static_cast<int64_t>((nOffsets - first) / perInput) : 0;
  std::vector<float*> t(nOffsets);
  for (size_t i = 0; i < nOffsets; ++i) {
    const bool weights = (op == kOpWeightedSum || op == kOpWeightedSumGrad) && (i == 0 || (op == kOpWeightedSumGrad && i == 2));
    if (onto && i >= first + 2 * k && o[i] == -1) continue;  // no base: dx_i is written afresh
    t[i] = a.span(o[i], weights ? k : count, weights ? "edge weights" : "tensor");
  }
  // A base is dx itself or apart from it: a partial overlap would read what the same pass wrote.
  auto apart = [&](const float* base, const float* dx) { if (base && base != dx && base < dx + count && dx < base + count) a.invalid("a base overlaps its dx without being it"); };
  for (int64_t i = 0; onto && a.ok() && i < k; ++i) apart(t[first + 2 * k + i], t[first + k + i]);
  if (op == kOpReluGrad && nOffsets == 4 && a.ok()) apart(t[3], t[2]);
  if (!a.ok()) return nullptr;
  auto f = [&](size_t i) { return t[i]; };
  if (op == kOpWeightedSum) {
    std::vector<const float*> xs(t.begin() + 2, t.end());
    weightedSum(count, static_cast<int32_t>(k), f(0), xs.data(), f(1), relu);
  } else if (op == kOpWeightedSumGrad) {
    std::vector<const float*> xs(t.begin() + first, t.begin() + first + k);
    std::vector<float*> dxs(t.begin() + first + k, t.begin() + first + 2 * k);
    std::vector<const float*> bases(t.begin() + first + 2 * k, t.end());
    weightedSumGrad(count, static_cast<int32_t>(k), f(0), xs.data(), f(1), relu ? f(3) : nullptr, dxs.data(), f(2), onto ? bases.data() : nullptr);
  } else if (op == kOpReluGrad) {
    if (nOffsets == 4) {
      forRanges(count, [&](int64_t from, int64_t to, int) { reluGradOntoRange(to - from, f(0) + from, f(1) + from, f(3) + from, f(2) + from); });
    } else {
      forRanges(count, [&](int64_t from, int64_t to, int) { reluGradRange(to - from, f(0) + from, f(1) + from, f(2) + from); });
    }
  } else if (op == kOpMovingAverages) {
    // Moving averages of batch norm, as tfjs: s' = s - (s - batch) (1 - momentum).
    const float decay = 1.f - static_cast<float>(num[0]);
    for (int i = 0; i < 2; ++i) {
      const float* st = f(i);
      const float* batch = f(2 + i);
      float* out = f(4 + i);
      for (int64_t e = 0; e < count; ++e) out[e] = st[e] - (st[e] - batch[e]) * decay;
    }
  } else if (op == kOpAddInto) {
    forRanges(count, [&](int64_t from, int64_t to, int) { addIntoRange(to - from, f(0) + from, f(1) + from); });
  } else if (op == kOpScale) {
    const float scale = static_cast<float>(num[0]);
    forRanges(count, [&](int64_t from, int64_t to, int) { scaleRange(to - from, f(0) + from, scale, f(1) + from); });
  } else if (op == kOpAdd) {
    forRanges(count, [&](int64_t from, int64_t to, int) { addRange(to - from, f(0) + from, f(1) + from, f(2) + from); });
  } else {
    forRanges(count, [&](int64_t from, int64_t to, int) { reluRange(to - from, f(0) + from, f(1) + from); });
  }
  return nullptr;
}

napi_value BatchMatMul(napi_env env, napi_callback_info info) {
  Args a(env, info, 5, "batchMatMul(heap, Int32Array(7) params, a, b, c)");
  a.heap();
  const int32_t* p = a.array<int32_t>(napi_int32_array, 7);
  const double x = a.number(), y = a.number(), z = a.number();
  if (!a.ok()) return nullptr;
  const int64_t batchA = p[0], batchB = p[1], m = p[2], n = p[3], k = p[4];
  // A batch of 1 broadcasts; other batch sizes must agree (batchMatMul indexes both by the larger).
  if (batchA < 1 || batchB < 1 || (batchA != batchB && batchA != 1 && batchB != 1)) a.invalid("batches must agree or be 1");
  const float* aP = a.span(x, elements({batchA, m, k}), "a");
  const float* bP = a.span(y, elements({batchB, k, n}), "b");
  float* cP = a.span(z, elements({std::max(batchA, batchB), m, n}), "c");
  if (!a.ok()) return nullptr;
  batchMatMul(p, aP, bP, cP);
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
// sources (src/backend/native/addon.ts: ADDON_ABI).
constexpr int32_t kAbi = 6;  // 3: batch norm kind 2 (inference); 4: elementwise ops 5, 6; 5: adamMany, spatialMean, ops 7, 8; 6: ops 1, 2 onto a base

// Every entry point runs with asynchronous signals blocked (signals.h: oneDNN's GEMM kernels can
// run with rsp in the heap, where a signal frame would land).
template <napi_callback F>
napi_value Quiet(napi_env env, napi_callback_info info) {
  const AsyncSignalsBlocked blocked;
  return F(env, info);
}

napi_value Init(napi_env env, napi_value exports) {
  napi_value abi;
  if (napi_create_int32(env, kAbi, &abi) != napi_ok) return nullptr;
  napi_property_descriptor props[] = {
      {"abi", nullptr, nullptr, nullptr, nullptr, abi, napi_enumerable, nullptr},
      {"conv", nullptr, Quiet<Conv>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNorm", nullptr, Quiet<BatchNorm>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, Quiet<MaxPoolGrad>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumRows", nullptr, Quiet<SumRows>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"elementwise", nullptr, Quiet<Elementwise>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchMatMul", nullptr, Quiet<BatchMatMul>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamMany", nullptr, Quiet<AdamMany>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"spatialMean", nullptr, Quiet<SpatialMean>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"implementation", nullptr, Quiet<Implementation>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, Quiet<SetThreads>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"version", nullptr, Quiet<Version>, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
