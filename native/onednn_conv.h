// Convolutions on oneDNN: primitives made once per shape and thread count, the depthwise
// shortcuts of depthwise.h, and weight gradients that do not depend on the thread count.
// Part of the randwire addon (randwire_native.cc includes it).
#ifndef RANDWIRE_ONEDNN_CONV_H
#define RANDWIRE_ONEDNN_CONV_H

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

#include "conv_params.h"
#include "depthwise.h"
#include "omp_threads.h"
#include "op_codes.h"

namespace rw {

using dnnl::algorithm;
using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

inline dnnl::engine& engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

inline dnnl::stream& stream() {
  static dnnl::stream s(engine());
  return s;
}

using Kind = ConvKind;

inline memory::desc activationDesc(int32_t n, int32_t c, int32_t h, int32_t w) {
  return memory::desc({n, c, h, w}, dt::f32, tag::nhwc);
}

// tfjs filters: conv2d [KH, KW, Cin, Cout]; depthwise [KH, KW, C, M] (groups = C, Cout = C*M).
inline memory::desc userWeightsDesc(const ConvParams& p) {
  if (p.groups == 1) {
    return memory::desc({p.oc, p.c, p.kh, p.kw}, dt::f32,
                        memory::dims{1, p.oc, (int64_t)p.kw * p.c * p.oc, (int64_t)p.c * p.oc});
  }
  const int64_t g = p.groups, m = p.oc / p.groups, i = p.c / p.groups;
  // dims g, o, i, h, w; memory offset ((kh*KW + kw)*C + c)*M + m with i = 1.
  return memory::desc({g, m, i, p.kh, p.kw}, dt::f32,
                      memory::dims{m, 1, g * m, (int64_t)p.kw * g * i * m, g * i * m});
}

inline memory::desc anyWeightsDesc(const ConvParams& p) {
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

inline std::unordered_map<std::string, std::unique_ptr<ConvPrimitive>>& cache() {
  static std::unordered_map<std::string, std::unique_ptr<ConvPrimitive>> c;
  return c;
}

inline dnnl::convolution_forward::primitive_desc forwardDesc(const ConvParams& p, bool withPostOps) {
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

inline ConvPrimitive& getPrimitive(Kind kind, const ConvParams& p) {
  std::string key(reinterpret_cast<const char*>(&p), sizeof(ConvParams));
  key.push_back(static_cast<char>(kind));
  // Primitives keep the thread count they were made for: one per count, as the thread governor
  // (src/backend/native/thread-governor.ts) switches between all threads and one.
  key.push_back(static_cast<char>(std::min(omp_get_max_threads(), 127)));
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

inline void runConv(Kind kind, const ConvParams& p, void* srcPtr, void* wPtr, void* biasPtr, void* dstPtr);
inline void backwardWeightsChunked(const ConvParams& p, float* src, float* w, float* dy);

// A stride-1 depthwise input gradient is a depthwise convolution of dy with the spatially
// flipped filter; the forward kernels (depthwise.h's, or oneDNN's) are faster than oneDNN's
// backward one.
inline bool depthwiseBackwardAsForward(const ConvParams& p, void* dx, void* w, void* dy) {
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

inline void runConv(Kind kind, const ConvParams& p, void* srcPtr, void* wPtr, void* biasPtr, void* dstPtr) {
  if (kind == kForward && registerDepthwise(p)) {
    depthwiseForward(p, static_cast<float*>(srcPtr), static_cast<float*>(wPtr), p.bias ? static_cast<float*>(biasPtr) : nullptr,
                     static_cast<float*>(dstPtr));
    return;
  }
  if (kind == kBackwardData && depthwiseBackwardAsForward(p, srcPtr, wPtr, dstPtr)) return;
  if (kind == kBackwardData && registerDepthwise(p)) {
    depthwiseBackwardData(p, static_cast<float*>(dstPtr), static_cast<float*>(wPtr), static_cast<float*>(srcPtr));
    return;
  }
  if (kind == kBackwardWeights) {
    backwardWeightsChunked(p, static_cast<float*>(srcPtr), static_cast<float*>(wPtr), static_cast<float*>(dstPtr));
    return;
  }
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


// ---- weight gradients that do not depend on the thread count ----

// oneDNN's backward-weights primitives split the batch over their threads and add the parts in
// an order that depends on how many there are, so 1- and 2-thread training differed in the last
// bits. Here the batch is cut into chunks by its size alone; each chunk's gradient comes from a
// primitive made for one thread, the chunks run in parallel, and their sums are added in chunk
// order: the same bits for any thread count (the thread governor switches counts mid-run).
inline int64_t weightChunkImages(int64_t n) { return std::max<int64_t>(16, (n + 7) / 8); }

inline void backwardWeightsChunked(const ConvParams& p, float* src, float* w, float* dy) {
  const int64_t per = weightChunkImages(p.n), chunks = (p.n + per - 1) / per;
  const int64_t wSize = static_cast<int64_t>(p.kh) * p.kw * (p.c / p.groups) * p.oc;
  const int64_t srcImage = static_cast<int64_t>(p.h) * p.w * p.c, dyImage = static_cast<int64_t>(p.oh) * p.ow * p.oc;
  auto chunkParams = [&](int64_t i) {
    ConvParams q = p;
    q.n = static_cast<int32_t>(std::min(per, p.n - i * per));
    return q;
  };
  // Made before the parallel loop, for one thread: the primitive cache is not thread-safe.
  const int threads = omp_get_max_threads();
  std::vector<ConvPrimitive*> prims(chunks);
  {
    OmpThreads one(1);
    for (int64_t i = 0; i < chunks; ++i) prims[i] = &getPrimitive(kBackwardWeights, chunkParams(i));
  }
  std::vector<float> parts(static_cast<size_t>(chunks) * wSize);
  // An exception may not leave an OpenMP loop (std::terminate): the first one is kept and rethrown.
  std::exception_ptr failure;
#pragma omp parallel for schedule(static) if (chunks > 1 && threads > 1)
  for (int64_t i = 0; i < chunks; ++i) try {
    const ConvParams q = chunkParams(i);
    ConvPrimitive& cp = *prims[i];
    auto& eng = engine();
    dnnl::stream s(eng);
    memory srcM(activationDesc(q.n, q.c, q.h, q.w), eng, src + i * per * srcImage);
    memory dyM(activationDesc(q.n, q.oc, q.oh, q.ow), eng, dy + i * per * dyImage);
    memory userW(cp.userWeights, eng, parts.data() + i * wSize);
    memory internal = cp.weightsReorder ? memory(cp.internalWeights, eng) : userW;
    cp.prim.execute(s, {{DNNL_ARG_SRC, srcM}, {DNNL_ARG_DIFF_WEIGHTS, internal}, {DNNL_ARG_DIFF_DST, dyM}});
    if (cp.weightsReorder) cp.weightsReorder->execute(s, internal, userW);
    s.wait();
  } catch (...) {
#pragma omp critical(randwire_chunk_failure)
    if (!failure) failure = std::current_exception();
  }
  if (failure) std::rethrow_exception(failure);
  for (int64_t e = 0; e < wSize; ++e) {
    float sum = parts[e];
    for (int64_t i = 1; i < chunks; ++i) sum += parts[i * wSize + e];
    w[e] = sum;
  }
}

}  // namespace rw

#endif  // RANDWIRE_ONEDNN_CONV_H
