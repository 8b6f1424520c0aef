import * as tf from '@tensorflow/tfjs';
import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-call.js';
import type { NativeAddon } from './addon.js';
import { callBatchNorm, callElementwise, convParams, heap, offset } from './heap.js';
import { BATCH_NORM_KIND, CONV_KIND, ELEMENTWISE_OP } from './kernel-names.js';
import type { StepArena } from './step-arena.js';

type Shape4 = [number, number, number, number];

/** The weights of one RandWire node, read from its three Keras layers (src/train/fused-forward.ts). */
export interface NodeWeights {
  /** Edge weights of the node's weighted sum; absent when the node reads one (already rectified) tensor. */
  edges?: tf.Tensor;
  depthwise: tf.Tensor;
  pointwise: tf.Tensor;
  gamma: tf.Tensor;
  beta: tf.Tensor;
  movingMean: tf.Variable;
  movingVariance: tf.Variable;
}

export interface NodeConfig {
  stride: number;
  epsilon: number;
  momentum: number;
}

interface Params {
  depthwise: Int32Array;
  pointwise: Int32Array;
  dShape: number[];
  pShape: number[];
}

/** What a node's backward pass reads of its forward pass (buffers in the step arena). */
export interface NodeSaved {
  xs: TensorInfo[];
  /** The rectified sum, or the node's only input. */
  a: TensorInfo;
  d: TensorInfo;
  pre: TensorInfo;
  mean: TensorInfo;
  variance: TensorInfo;
  y: TensorInfo;
  params: Params;
}

const paramCache = new Map<string, Params>();

function paramsFor(x: number[], depthwise: number[], pointwise: number[], stride: number): Params {
  const key = `${x.join(',')}|${depthwise.join(',')}|${pointwise.join(',')}|${stride}`;
  let p = paramCache.get(key);
  if (!p) {
    // The same infos as tf.separableConv2d's two ops, so the kernels below get the same parameters.
    const dw = backend_util.computeConv2DInfo(x as Shape4, depthwise as Shape4, stride, 1, 'same', undefined, true);
    const pw = backend_util.computeConv2DInfo(dw.outShape, pointwise as Shape4, 1, 1, 'valid', undefined, false);
    p = { depthwise: convParams(dw, true), pointwise: convParams(pw, false), dShape: dw.outShape, pShape: pw.outShape };
    paramCache.set(key, p);
  }
  return p;
}

const RELU = Float64Array.of(1);
/** The weighted sum's gradient with ReLU, adding onto the bases that follow the dxs. */
const RELU_ONTO = Float64Array.of(1, 1);

/**
 * One RandWire node in training, [weighted sum + ReLU] -> depthwise 3x3 -> pointwise 1x1 -> batch
 * norm, on raw buffers: the addon kernels that the node's layers call one by one, with the same
 * parameters and in the same order (so the same bits). The heap is read at every call: an
 * allocation may grow the wasm memory, which detaches the old buffer.
 */
export function nodeForward(native: NativeAddon, backend: WasmBackendLike, xs: TensorInfo[], w: NodeWeights, config: NodeConfig, arena: StepArena): NodeSaved {
  const off = (t: TensorInfo): number => offset(backend, t);
  const x0 = xs[0]!;
  const params = paramsFor(x0.shape, w.depthwise.shape, w.pointwise.shape, config.stride);
  const oc = params.pShape[3]!;
  // The sum reads every input over x0's size: inputs of another size would be read short or past their end.
  if (xs.some((x) => util.sizeFromShape(x.shape) !== util.sizeFromShape(x0.shape))) {
    throw new Error(`randwire native: a RandWire node's inputs differ in shape (${xs.map((x) => x.shape.join('x')).join(', ')})`);
  }
  let a = x0;
  if (w.edges) {
    a = arena.alloc(backend, x0.shape);
    callElementwise(native, backend, ELEMENTWISE_OP.weightedSum, util.sizeFromShape(x0.shape), [w.edges, a, ...xs], RELU);
  }
  const d = arena.alloc(backend, params.dShape);
  native.conv(CONV_KIND.forward, heap(backend), params.depthwise, off(a), off(w.depthwise), 0, off(d));
  const pre = arena.alloc(backend, params.pShape);
  native.conv(CONV_KIND.forward, heap(backend), params.pointwise, off(d), off(w.pointwise), 0, off(pre));
  const y = arena.alloc(backend, params.pShape);
  const mean = arena.alloc(backend, [oc]);
  const variance = arena.alloc(backend, [oc]);
  batchNorm(native, backend, BATCH_NORM_KIND.train, params, config.epsilon, [pre, w.gamma, w.beta, y, mean, variance]);
  updateMovingAverages(native, backend, w, mean, variance, config.momentum);
  return { xs, a, d, pre, mean, variance, y, params };
}

/**
 * The gradient an input of a weighted-sum node already has: the node's gradient for it is added
 * to `base` by the sum's gradient kernel itself, in place when `inPlace` (base is the caller's to
 * change), else into a new buffer.
 */
export interface GradientBase {
  base: TensorInfo;
  inPlace: boolean;
}

const NO_BASE = -1;

/**
 * The node's backward pass from dy: input gradients as arena buffers (the caller adds them to the
 * inputs' gradients, but where `onto` gave a base: those already hold the sum), weight gradients
 * [edges?, depthwise, pointwise, gamma, beta] as arena buffers the caller hands to the engine.
 * Frees the node's forward buffers but y (the caller's).
 */
export function nodeBackward(
  native: NativeAddon,
  backend: WasmBackendLike,
  w: NodeWeights,
  config: NodeConfig,
  s: NodeSaved,
  dy: TensorInfo,
  arena: StepArena,
  onto: Array<GradientBase | undefined> = [],
): { inputs: TensorInfo[]; weights: TensorInfo[] } {
  const off = (t: TensorInfo): number => offset(backend, t);
  // Weight gradients too come from the arena (freed if a later node fails); the caller releases them to the engine.
  const own = (shape: number[]): TensorInfo => arena.alloc(backend, shape);
  const p = s.params;
  const oc = p.pShape[3]!;
  const dPre = arena.alloc(backend, p.pShape);
  const dGamma = own([oc]);
  const dBeta = own([oc]);
  batchNorm(native, backend, BATCH_NORM_KIND.trainGrad, p, config.epsilon, [s.pre, w.gamma, undefined, undefined, s.mean, s.variance, dy, dPre, dGamma, dBeta]);
  const dD = arena.alloc(backend, p.dShape);
  native.conv(CONV_KIND.backwardData, heap(backend), p.pointwise, off(dD), off(w.pointwise), 0, off(dPre));
  const dPointwise = own(w.pointwise.shape);
  native.conv(CONV_KIND.backwardWeights, heap(backend), p.pointwise, off(s.d), off(dPointwise), 0, off(dPre));
  arena.free(backend, dPre, s.pre, s.mean, s.variance);
  const dA = arena.alloc(backend, s.a.shape);
  native.conv(CONV_KIND.backwardData, heap(backend), p.depthwise, off(dA), off(w.depthwise), 0, off(dD));
  const dDepthwise = own(w.depthwise.shape);
  native.conv(CONV_KIND.backwardWeights, heap(backend), p.depthwise, off(s.a), off(dDepthwise), 0, off(dD));
  arena.free(backend, dD, s.d);
  if (!w.edges) return { inputs: [dA], weights: [dDepthwise, dPointwise, dGamma, dBeta] };
  const dxs = s.xs.map((x, i) => (onto[i]?.inPlace ? onto[i]!.base : arena.alloc(backend, x.shape)));
  const dEdges = own(w.edges.shape);
  const n = util.sizeFromShape(dA.shape);
  if (onto.some((b) => b)) {
    const offsets = [w.edges, dA, dEdges, s.a, ...s.xs, ...dxs].map((t) => offset(backend, t));
    for (const b of s.xs.map((_, i) => onto[i])) offsets.push(b ? offset(backend, b.base) : NO_BASE);
    native.elementwise(ELEMENTWISE_OP.weightedSumGrad, heap(backend), n, Float64Array.from(offsets), RELU_ONTO);
  } else {
    callElementwise(native, backend, ELEMENTWISE_OP.weightedSumGrad, n, [w.edges, dA, dEdges, s.a, ...s.xs, ...dxs], RELU);
  }
  arena.free(backend, dA, s.a);
  return { inputs: dxs, weights: [dEdges, dDepthwise, dPointwise, dGamma, dBeta] };
}

function batchNorm(native: NativeAddon, backend: WasmBackendLike, kind: number, p: Params, epsilon: number, slots: Array<TensorInfo | undefined>): void {
  const oc = p.pShape[3]!;
  callBatchNorm(native, backend, kind, util.sizeFromShape(p.pShape) / oc, oc, epsilon, slots);
}

/** tfjs's moving averages of batch norm, as the layer computes them (onednn-batch-norm.ts). */
function updateMovingAverages(native: NativeAddon, backend: WasmBackendLike, w: NodeWeights, mean: TensorInfo, variance: TensorInfo, momentum: number): void {
  const c = mean.shape[0]!;
  const outs = [backend.makeOutput([c], 'float32'), backend.makeOutput([c], 'float32')];
  callElementwise(native, backend, ELEMENTWISE_OP.movingAverages, c, [w.movingMean, w.movingVariance, mean, variance, ...outs], Float64Array.of(momentum));
  const [m, v] = outs.map((t) => tf.engine().makeTensorFromTensorInfo(t));
  w.movingMean.assign(m!);
  w.movingVariance.assign(v!);
  tf.dispose([m!, v!]);
}
