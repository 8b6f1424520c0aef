// Op codes of the addon's calls, mirrored by src/backend/native/kernel-names.ts (CONV_KIND,
// BATCH_NORM_KIND, ELEMENTWISE_OP): change both together, and raise kAbi when a meaning changes.
#ifndef RANDWIRE_OP_CODES_H
#define RANDWIRE_OP_CODES_H

namespace rw {

// conv(kind, ...)
enum ConvKind { kForward = 0, kBackwardData = 1, kBackwardWeights = 2 };

// batchNorm(kind, ...)
enum BnKind { kBnForward = 0, kBnBackward = 1, kBnInference = 2 };

// elementwise(op, ...)
// 3 was the per-variable Adam update, retired for adamMany (multi_tensor.h) in ABI 5.
enum ElementwiseOp { kOpWeightedSum = 0, kOpWeightedSumGrad = 1, kOpReluGrad = 2, kOpMovingAverages = 4, kOpAdd = 5, kOpRelu = 6, kOpAddInto = 7, kOpScale = 8 };

}  // namespace rw

#endif  // RANDWIRE_OP_CODES_H
