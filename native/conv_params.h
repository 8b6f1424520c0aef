// The parameters of one convolution as scripts pass them.
// Part of the randwire addon (randwire_native.cc includes it); plain C++ with OpenMP, no N-API.
#ifndef RANDWIRE_CONV_PARAMS_H
#define RANDWIRE_CONV_PARAMS_H

#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace rw {

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

// Why no kernel can run on p, or null: every size at least 1, groups dividing both channel
// counts, and the output size that the input, filter, strides and padding give (as oneDNN
// requires; the addon's own depthwise kernels take oh and ow as given, and the glue sizes the
// tensors it checks from them).
inline const char* convProblem(const ConvParams& p) {
  for (int32_t v : {p.n, p.h, p.w, p.c, p.oh, p.ow, p.oc, p.kh, p.kw, p.groups, p.sh, p.sw, p.dh, p.dw})
    if (v < 1) return "a size, stride or dilation below 1";
  if (p.pt < 0 || p.pl < 0 || p.pb < 0 || p.pr < 0) return "negative padding";
  if (p.c % p.groups != 0 || p.oc % p.groups != 0) return "groups do not divide the channels";
  const auto out = [](int64_t in, int64_t k, int64_t d, int64_t s, int64_t pad) {
    const int64_t span = in + pad - ((k - 1) * d + 1);
    return span < 0 ? int64_t{0} : span / s + 1;
  };
  if (out(p.h, p.kh, p.dh, p.sh, (int64_t)p.pt + p.pb) != p.oh || out(p.w, p.kw, p.dw, p.sw, (int64_t)p.pl + p.pr) != p.ow)
    return "output size disagrees with input, filter, strides and padding";
  return nullptr;
}

}  // namespace rw

#endif  // RANDWIRE_CONV_PARAMS_H
