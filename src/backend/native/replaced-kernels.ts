import { backend_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-call.js';
import type { NativeAddon } from './addon.js';
import { convParams, fillZeros, heap, offset } from './heap.js';
import { CONV_KIND, ELEMENTWISE_OP, SPATIAL_MEAN_KIND } from './kernel-names.js';

type Shape4 = [number, number, number, number];
type Args = Parameters<KernelFunc>[0];

/** The tfjs kernels the addon replaces on wasm (each falls back to wasm's for what it does not cover). */
export const REPLACED_KERNELS = [
  'Add',
  'Relu',
  'BatchMatMul',
  'MaxPoolGrad',
  'Sum',
  'Mean',
  'Conv2D',
  'FusedConv2D',
  'DepthwiseConv2dNative',
  'FusedDepthwiseConv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
] as const;
export type ReplacedKernel = (typeof REPLACED_KERNELS)[number];

interface ConvAttrs {
  strides: [number, number] | number;
  pad: never;
  dataFormat?: string;
  dilations?: [number, number] | number;
  dimRoundingMode?: never;
  activation?: string;
  inputShape?: Shape4;
  filterShape?: Shape4;
}

const nhwc = (f: string | undefined): boolean => f === undefined || f === 'NHWC' || f === 'channelsLast';

/** A float32 NHWC tensor averaged over its height and width (axes 1 and 2): the addon's spatialMean. */
export function isSpatialMean(x: { shape: number[]; dtype: string }, axis: number | number[]): boolean {
  if (x.shape.length !== 4 || x.dtype !== 'float32') return false;
  const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  return axes.length === 2 && axes[0] === 1 && axes[1] === 2;
}

export const NO_NUMBERS = new Float64Array(0);
/** The addon's kParallelMin: element counts from which its element-wise loops use every thread. */
const THREADED_MIN = 1 << 15;

/**
 * Kernel configs that run convolutions on oneDNN. Each falls back to the kernel it replaces for
 * what it does not cover (NCHW, fused activations other than ReLU, prelu weights).
 */
export function replacedKernels(native: NativeAddon, originals: Partial<Record<string, KernelFunc>>): Array<{ name: ReplacedKernel; func: KernelFunc }> {
  const fallback = (name: string, args: Args): TensorInfo => {
    const f = originals[name];
    if (!f) throw new Error(`randwire native: no fallback for ${name}`);
    return f(args) as TensorInfo;
  };

  const forward =
    (name: string, depthwise: boolean, fused: boolean): KernelFunc =>
    (args: Args) => {
      const { inputs, attrs } = args;
      const backend = args.backend as WasmBackendLike;
      const { x, filter, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
      const a = attrs as unknown as ConvAttrs;
      const activation = fused ? (a.activation ?? 'linear') : 'linear';
      if (!x || !filter || !nhwc(a.dataFormat) || preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) {
        return fallback(name, args);
      }
      const info = backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, depthwise);
      const out = backend.makeOutput(info.outShape, 'float32');
      if (info.outShape.some((d) => d === 0)) return out;
      const params = convParams(info, depthwise, activation === 'relu', bias !== undefined);
      native.conv(
        CONV_KIND.forward,
        heap(backend),
        params,
        offset(backend, x),
        offset(backend, filter),
        bias ? offset(backend, bias) : 0,
        offset(backend, out),
      );
      return out;
    };

  // Input gradient (weights false: dx from dy and the filter) or filter gradient (dw from x and dy).
  const backward =
    (name: string, depthwise: boolean, weights: boolean): KernelFunc =>
    (args: Args) => {
      const backend = args.backend as WasmBackendLike;
      const { x, dy, filter } = args.inputs as Record<string, TensorInfo | undefined>;
      const a = args.attrs as unknown as ConvAttrs;
      const outShape = weights ? a.filterShape : a.inputShape;
      if (!nhwc(a.dataFormat) || !outShape || !dy || !(weights ? x : filter)) return fallback(name, args);
      const inShape = (weights ? x!.shape : a.inputShape) as Shape4;
      const filterShape = (weights ? a.filterShape : filter!.shape) as Shape4;
      const info = backend_util.computeConv2DInfo(inShape, filterShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, depthwise);
      const out = backend.makeOutput(outShape, 'float32');
      // No output pixels (a window larger than the input) or no input: nothing flows back.
      if (info.outShape.some((d) => d === 0) || info.inShape.some((d) => d === 0)) return fillZeros(backend, out);
      const [srcOrDx, w] = weights ? [x!, out] : [out, filter!];
      native.conv(
        weights ? CONV_KIND.backwardWeights : CONV_KIND.backwardData,
        heap(backend),
        convParams(info, depthwise),
        offset(backend, srcOrDx),
        offset(backend, w),
        0,
        offset(backend, dy),
      );
      return out;
    };

  const maxPoolGrad: KernelFunc = (args: Args) => {
    const backend = args.backend as WasmBackendLike;
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const a = args.attrs as unknown as { filterSize: [number, number] | number; strides: [number, number] | number; pad: never; dimRoundingMode: never };
    const info = backend_util.computePool2DInfo(input.shape as Shape4, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const dx = backend.makeOutput(input.shape, 'float32');
    const params = Int32Array.from([
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.filterHeight,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.padInfo.top,
      info.padInfo.left,
      info.dilationHeight,
      info.dilationWidth,
    ]);
    native.maxPoolGrad(heap(backend), params, offset(backend, input), offset(backend, dy), offset(backend, dx));
    return dx;
  };

  // Sums over every axis but the last (bias gradients): wasm transposes first, then sums.
  const sum: KernelFunc = (args: Args) => {
    const backend = args.backend as WasmBackendLike;
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((v, i) => v === i);
    if (!leading || x.dtype !== 'float32') return fallback('Sum', args);
    const c = x.shape[rank - 1]!;
    const m = util.sizeFromShape(x.shape) / c;
    const y = backend.makeOutput(keepDims ? [...axes.map(() => 1), c] : [c], 'float32');
    native.sumRows(heap(backend), m, c, offset(backend, x), offset(backend, y));
    return y;
  };

  // The global average pool (mean over height and width): wasm transposes the whole tensor first.
  const mean: KernelFunc = (args: Args) => {
    const backend = args.backend as WasmBackendLike;
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    if (!isSpatialMean(x, axis)) return fallback('Mean', args);
    const [n, h, w, c] = x.shape as Shape4;
    const y = backend.makeOutput(keepDims ? [n, 1, 1, c] : [n, c], 'float32');
    if (n * h * w * c === 0) return y;
    native.spatialMean(SPATIAL_MEAN_KIND.forward, heap(backend), n, h * w, c, offset(backend, x), offset(backend, y));
    return y;
  };

  const batchMatMul: KernelFunc = (args: Args) => {
    const backend = args.backend as WasmBackendLike;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const rank = a.shape.length;
    if (rank !== b.shape.length || rank < 2 || rank > 3 || a.dtype !== 'float32' || b.dtype !== 'float32') return fallback('BatchMatMul', args);
    const batchA = rank === 3 ? a.shape[0]! : 1;
    const batchB = rank === 3 ? b.shape[0]! : 1;
    if (batchA !== batchB && batchA !== 1 && batchB !== 1) return fallback('BatchMatMul', args);
    const [ra, ca] = a.shape.slice(-2) as [number, number];
    const [rb, cb] = b.shape.slice(-2) as [number, number];
    const m = transposeA ? ca : ra;
    const k = transposeA ? ra : ca;
    const n = transposeB ? rb : cb;
    if ((transposeB ? cb : rb) !== k) return fallback('BatchMatMul', args);
    const batch = Math.max(batchA, batchB);
    const out = backend.makeOutput(rank === 3 ? [batch, m, n] : [m, n], 'float32');
    if (m * n === 0) return out;
    const params = Int32Array.from([batchA, batchB, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0]);
    native.batchMatMul(heap(backend), params, offset(backend, a), offset(backend, b), offset(backend, out));
    return out;
  };

  // Element-wise Add (same shapes) and Relu on the addon's threads; small or broadcast ones stay
  // on wasm (XNNPACK, one thread), where waking threads would cost more than it saves.
  const elementwise =
    (name: string, op: number): KernelFunc =>
    (args: Args) => {
      const backend = args.backend as WasmBackendLike;
      const ins = Object.values(args.inputs) as TensorInfo[];
      const x = ins[0]!;
      const n = util.sizeFromShape(x.shape);
      if (n < THREADED_MIN || ins.some((t) => t.dtype !== 'float32' || !util.arraysEqual(t.shape, x.shape))) return fallback(name, args);
      const y = backend.makeOutput(x.shape, 'float32');
      native.elementwise(op, heap(backend), n, Float64Array.from([...ins, y].map((t) => offset(backend, t))), NO_NUMBERS);
      return y;
    };

  const kernels: Array<{ name: ReplacedKernel; func: KernelFunc }> = [
    { name: 'Add', func: elementwise('Add', ELEMENTWISE_OP.add) },
    { name: 'Relu', func: elementwise('Relu', ELEMENTWISE_OP.relu) },
    { name: 'BatchMatMul', func: batchMatMul },
    { name: 'MaxPoolGrad', func: maxPoolGrad },
    { name: 'Sum', func: sum },
    { name: 'Mean', func: mean },
    { name: 'Conv2D', func: forward('Conv2D', false, false) },
    { name: 'FusedConv2D', func: forward('FusedConv2D', false, true) },
    { name: 'DepthwiseConv2dNative', func: forward('DepthwiseConv2dNative', true, false) },
    { name: 'FusedDepthwiseConv2D', func: forward('FusedDepthwiseConv2D', true, true) },
    { name: 'Conv2DBackpropInput', func: backward('Conv2DBackpropInput', false, false) },
    { name: 'Conv2DBackpropFilter', func: backward('Conv2DBackpropFilter', false, true) },
    { name: 'DepthwiseConv2dNativeBackpropInput', func: backward('DepthwiseConv2dNativeBackpropInput', true, false) },
    { name: 'DepthwiseConv2dNativeBackpropFilter', func: backward('DepthwiseConv2dNativeBackpropFilter', true, true) },
  ];
  return kernels;
}
