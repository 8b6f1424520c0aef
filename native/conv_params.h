// The parameters of one convolution as scripts pass them.
// Part of the randwire addon (randwire_native.cc includes it); plain C++ with OpenMP, no N-API.
#ifndef RANDWIRE_CONV_PARAMS_H
#define RANDWIRE_CONV_PARAMS_H

#include <cstddef>
#include <cstdint>

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

}  // namespace rw

#endif  // RANDWIRE_CONV_PARAMS_H
