/**
 * Names shared by TypeScript and the addon, declared once: the kernels the addon adds to tfjs
 * (the layers in src/model and the optimiser in src/train call them by these names), and the op
 * codes of its calls, mirrored by the enums in native/op_codes.h. Plain constants: importing
 * them loads no addon.
 */
export const ONEDNN_KERNELS = {
  batchNormTrain: 'RandwireBatchNormTrain',
  batchNormTrainGrad: 'RandwireBatchNormTrainGrad',
  batchNormInfer: 'RandwireBatchNormInfer',
  movingAverages: 'RandwireMovingAverages',
  weightedSum: 'RandwireWeightedSum',
  weightedSumGrad: 'RandwireWeightedSumGrad',
  reluGrad: 'RandwireReluGrad',
  spatialMeanGrad: 'RandwireSpatialMeanGrad',
} as const;

/** `conv(kind, ...)`: native/op_codes.h ConvKind. */
export const CONV_KIND = { forward: 0, backwardData: 1, backwardWeights: 2 } as const;

/** `spatialMean(kind, ...)`: native/multi_tensor.h. */
export const SPATIAL_MEAN_KIND = { forward: 0, gradient: 1 } as const;

/** `batchNorm(kind, ...)`: native/op_codes.h BatchNormKind. */
export const BATCH_NORM_KIND = { train: 0, trainGrad: 1, infer: 2 } as const;

/** `elementwise(op, ...)`: native/op_codes.h ElementwiseOp (3, the per-variable Adam, is retired: adamMany). */
export const ELEMENTWISE_OP = { weightedSum: 0, weightedSumGrad: 1, reluGrad: 2, movingAverages: 4, add: 5, relu: 6, addInto: 7, scale: 8 } as const;
