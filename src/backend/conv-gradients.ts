import { backend_util, type Conv2DAttrs, type DepthwiseConv2dNativeAttrs, type TensorInfo } from '@tensorflow/tfjs';
import { callKernel, free, kernelAttrs, reshape, slice, transpose, type WasmBackendLike } from './kernel-call.js';

/**
 * Convolution gradients for the wasm backend, each composed as ONE forward convolution of
 * XNNPACK over rearranged tensors (the fastest wasm path; element loops in JS or the wasm
 * backend's own Conv2DBackpropInput loop are several times slower). NHWC throughout.
 */

type Pad = backend_util.PadInfo;
type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

/**
 * The filter gradient correlates the input with the output gradient, which is a convolution
 * whose "filter" is dy spread out with a dilation equal to the forward stride. Its spatial
 * output must be exactly (KH, KW): pad the bottom/right so that it is at least that, then crop.
 */
function filterGradGeometry(inSize: number, outSize: number, k: number, stride: number, padBefore: number) {
  const padAfter = Math.max(0, k - inSize - padBefore + (outSize - 1) * stride);
  const produced = inSize + padBefore + padAfter - (outSize - 1) * stride;
  return { padAfter, produced };
}

/** Keep the leading `size` block of a tensor (frees the input). */
function crop(backend: WasmBackendLike, t: TensorInfo, size: number[]): TensorInfo {
  const out = slice(
    backend,
    t,
    size.map(() => 0),
    size,
  );
  free(backend, t);
  return out;
}

export function conv2dBackpropFilter(
  backend: WasmBackendLike,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: [number, number, number, number],
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const [kh, kw, ci, co] = filterShape;
  const [b, h, w] = x.shape as [number, number, number, number];
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const pad = info.padInfo;
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && pad.top === 0 && pad.left === 0) {
    // 1x1 convolution: the filter gradient is x^T dy over all pixels. An explicit transpose
    // then a plain product is ~10x faster on wasm than BatchMatMul's transposeA.
    const x2 = reshape(backend, x, [b * h * w, ci]);
    const xT = transpose(backend, x2, [1, 0]);
    const xT3 = reshape(backend, xT, [1, ci, b * h * w]);
    const dy2 = reshape(backend, dy, [1, b * oh * ow, co]);
    const prod = callKernel(backend, 'BatchMatMul', { a: xT3, b: dy2 }, { transposeA: false, transposeB: false });
    const out = reshape(backend, prod, [1, 1, ci, co]);
    free(backend, x2, xT, xT3, dy2, prod);
    return out;
  }
  const rows = filterGradGeometry(h, oh, kh, sh, pad.top);
  const cols = filterGradGeometry(w, ow, kw, sw, pad.left);
  const xt = transpose(backend, x, [3, 1, 2, 0]); // [ci, h, w, b]
  const dyt = transpose(backend, dy, [1, 2, 0, 3]); // [oh, ow, b, co]
  const explicit: ExplicitPad = [
    [0, 0],
    [pad.top, rows.padAfter],
    [pad.left, cols.padAfter],
    [0, 0],
  ];
  let g = callKernel(
    backend,
    'Conv2D',
    { x: xt, filter: dyt },
    kernelAttrs<Conv2DAttrs>({
      strides: [1, 1],
      pad: explicit,
      dilations: [sh, sw],
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    }),
  ); // [ci, produced, produced, co]
  free(backend, xt, dyt);
  if (rows.produced !== kh || cols.produced !== kw) g = crop(backend, g, [ci, kh, kw, co]);
  const out = transpose(backend, g, [1, 2, 0, 3]); // [kh, kw, ci, co]
  free(backend, g);
  return out;
}

/**
 * Depthwise filter gradient (channel multiplier 1): per channel c, correlate x[..c] with
 * dy[..c] summed over the batch. Put (batch, channel) pairs on the channel axis of a single
 * image and run one depthwise convolution with dy as a dilated filter, then sum over batch.
 */
export function depthwiseBackpropFilter(
  backend: WasmBackendLike,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: [number, number, number, number],
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const [kh, kw, c] = filterShape;
  const [b, h, w] = x.shape as [number, number, number, number];
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const pad = info.padInfo;
  const rows = filterGradGeometry(h, oh, kh, sh, pad.top);
  const cols = filterGradGeometry(w, ow, kw, sw, pad.left);
  const xt = transpose(backend, x, [1, 2, 0, 3]); // [h, w, b, c]
  const x1 = reshape(backend, xt, [1, h, w, b * c]);
  const dyt = transpose(backend, dy, [1, 2, 0, 3]); // [oh, ow, b, c]
  const f = reshape(backend, dyt, [oh, ow, b * c, 1]);
  const explicit: ExplicitPad = [
    [0, 0],
    [pad.top, rows.padAfter],
    [pad.left, cols.padAfter],
    [0, 0],
  ];
  let g = callKernel(
    backend,
    'DepthwiseConv2dNative',
    { x: x1, filter: f },
    kernelAttrs<DepthwiseConv2dNativeAttrs>({
      strides: [1, 1],
      pad: explicit,
      dilations: [sh, sw],
      dimRoundingMode: undefined,
      dataFormat: 'NHWC',
    }),
  ); // [1, produced, produced, b*c]
  free(backend, xt, x1, dyt, f);
  if (rows.produced !== kh || cols.produced !== kw) g = crop(backend, g, [1, kh, kw, b * c]);
  const g4 = reshape(backend, g, [kh * kw, b, c]);
  const summed = callKernel(backend, 'Sum', { x: g4 }, { axis: [1], keepDims: false });
  const out = reshape(backend, summed, [kh, kw, c, 1]);
  free(backend, g, g4, summed);
  return out;
}

/**
 * Spread dy out by the stride (s-1 zeros after every element along H and W) and pad it so that
 * a stride-1 correlation with the spatially flipped filter gives exactly the input gradient.
 * Returns the spread tensor and the explicit padding for that correlation, or undefined when
 * the geometry needs a negative leading pad (only with unusual explicit paddings).
 */
function spreadForTransposedConv(
  backend: WasmBackendLike,
  dy: TensorInfo,
  inH: number,
  inW: number,
  kh: number,
  kw: number,
  pad: Pad,
  sh: number,
  sw: number,
): { z: TensorInfo; explicit: ExplicitPad } | undefined {
  const [b, oh, ow, c] = dy.shape as [number, number, number, number];
  const top = kh - 1 - pad.top;
  const left = kw - 1 - pad.left;
  if (top < 0 || left < 0) return undefined;
  let z: TensorInfo;
  if (sh === 1 && sw === 1) {
    z = reshape(backend, dy, [b, oh, ow, c]);
  } else {
    const d6 = reshape(backend, dy, [b, oh, 1, ow, 1, c]);
    const padded = callKernel(
      backend,
      'PadV2',
      { x: d6 },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, sh - 1],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    z = reshape(backend, padded, [b, oh * sh, ow * sw, c]);
    free(backend, d6, padded);
  }
  let bottom = inH + pad.top - oh * sh;
  let right = inW + pad.left - ow * sw;
  if (bottom < 0 || right < 0) {
    // Only trailing inserted zeros are cut: they never meet a filter tap inside the input.
    const cropped = slice(backend, z, [0, 0, 0, 0], [b, oh * sh + Math.min(0, bottom), ow * sw + Math.min(0, right), c]);
    free(backend, z);
    z = cropped;
    bottom = Math.max(0, bottom);
    right = Math.max(0, right);
  }
  return {
    z,
    explicit: [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ],
  };
}

/**
 * Input gradient of a (depthwise) convolution: a stride-1 correlation of the spread dy with the
 * spatially flipped filter (for a regular convolution, also with its in/out channels swapped).
 * Undefined when the geometry is not covered (the caller falls back).
 */
function transposedConvolution(
  backend: WasmBackendLike,
  dy: TensorInfo,
  filter: TensorInfo,
  inputShape: [number, number, number, number],
  info: backend_util.Conv2DInfo,
  depthwise: boolean,
): TensorInfo | undefined {
  const [kh, kw] = filter.shape as [number, number, number, number];
  const spread = spreadForTransposedConv(backend, dy, inputShape[1], inputShape[2], kh, kw, info.padInfo, info.strideHeight, info.strideWidth);
  if (spread === undefined) return undefined;
  const flipped = callKernel(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const w = depthwise ? flipped : transpose(backend, flipped, [0, 1, 3, 2]); // [kh, kw, co, ci]
  const out = callKernel(
    backend,
    depthwise ? 'DepthwiseConv2dNative' : 'Conv2D',
    { x: spread.z, filter: w },
    kernelAttrs<Conv2DAttrs>({
      strides: [1, 1],
      pad: spread.explicit,
      dilations: [1, 1],
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    }),
  );
  free(backend, spread.z, flipped);
  if (!depthwise) free(backend, w);
  return out;
}

export function conv2dBackpropInput(
  backend: WasmBackendLike,
  dy: TensorInfo,
  filter: TensorInfo,
  inputShape: [number, number, number, number],
  info: backend_util.Conv2DInfo,
): TensorInfo | undefined {
  return transposedConvolution(backend, dy, filter, inputShape, info, false);
}

export function depthwiseBackpropInput(
  backend: WasmBackendLike,
  dy: TensorInfo,
  filter: TensorInfo,
  inputShape: [number, number, number, number],
  info: backend_util.Conv2DInfo,
): TensorInfo | undefined {
  return transposedConvolution(backend, dy, filter, inputShape, info, true);
}
