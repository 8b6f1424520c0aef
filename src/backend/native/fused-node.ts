import * as tf from '@tensorflow/tfjs';
import { backend_util, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-call.js';
import { loadNativeAddon, type NativeAddon } from './addon.js';
import { convParams, heap, offset } from './heap.js';
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

/**
 * One RandWire node in training, [weighted sum + ReLU] -> depthwise 3x3 -> pointwise 1x1 -> batch
 * norm, as one op on the tape forward and one backward: the same addon kernels, with the same
 * parameters and in the same order, as the node's layers call one by one (so the same bits), but
 * without tfjs's dispatch, tape entries and clones of saved tensors for each of them. Intermediate
 * activations live in `arena` (raw wasm buffers the engine does not track) until the backward
 * pass frees them, or the arena does at the end of the step if no backward pass comes.
 */
export function fusedNodeTrain(xs: tf.Tensor[], w: NodeWeights, config: NodeConfig, arena: StepArena): tf.Tensor {
  const native = loadNativeAddon();
  if (!native) throw new Error('randwire native: fusedNodeTrain needs the addon');
  const inputs: tf.Tensor[] = [...xs, ...(w.edges ? [w.edges] : []), w.depthwise, w.pointwise, w.gamma, w.beta];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    args.pop(); // the save function: saved tensors stay alive in this closure (see above)
    const backend = tf.backend() as unknown as WasmBackendLike;
    // Read at every call: an allocation may grow the wasm memory, which detaches the old buffer.
    const h = (): ArrayBuffer => heap(backend);
    const off = (t: TensorInfo): number => offset(backend, t);
    const x0 = xs[0]!;
    // Read again by the backward pass, after the forward tidy has disposed these tensors.
    const kept = xs.map((t) => arena.retain(backend, t));
    const p = paramsFor(x0.shape, w.depthwise.shape, w.pointwise.shape, config.stride);
    const oc = p.pShape[3]!;
    const rows = p.pShape[0]! * p.pShape[1]! * p.pShape[2]!;
    const n = x0.size;
    let a: TensorInfo = kept[0]!;
    if (w.edges) {
      a = arena.alloc(backend, x0.shape);
      native.elementwise(ELEMENTWISE_OP.weightedSum, h(), n, Float64Array.from([off(w.edges), off(a), ...xs.map(off)]), RELU);
    }
    const d = arena.alloc(backend, p.dShape);
    native.conv(CONV_KIND.forward, h(), p.depthwise, off(a), off(w.depthwise), 0, off(d));
    const pre = arena.alloc(backend, p.pShape);
    native.conv(CONV_KIND.forward, h(), p.pointwise, off(d), off(w.pointwise), 0, off(pre));
    const y = backend.makeOutput(p.pShape, 'float32');
    const mean = arena.alloc(backend, [oc]);
    const variance = arena.alloc(backend, [oc]);
    batchNorm(native, BATCH_NORM_KIND.train, h(), rows, oc, config.epsilon, [off(pre), off(w.gamma), off(w.beta), off(y), off(mean), off(variance)]);
    updateMovingAverages(native, backend, w, mean, variance, config.momentum);
    return {
      value: tf.engine().makeTensorFromTensorInfo(y),
      gradFunc: (dy: tf.Tensor) => {
        const g = (shape: number[]): TensorInfo => backend.makeOutput(shape, 'float32');
        const dPre = arena.alloc(backend, p.pShape);
        const dGamma = g([oc]);
        const dBeta = g([oc]);
        batchNorm(native, BATCH_NORM_KIND.trainGrad, h(), rows, oc, config.epsilon, [off(pre), off(w.gamma), 0, 0, off(mean), off(variance), off(dy), off(dPre), off(dGamma), off(dBeta)]);
        const dD = arena.alloc(backend, p.dShape);
        native.conv(CONV_KIND.backwardData, h(), p.pointwise, off(dD), off(w.pointwise), 0, off(dPre));
        const dPointwise = g(w.pointwise.shape);
        native.conv(CONV_KIND.backwardWeights, h(), p.pointwise, off(d), off(dPointwise), 0, off(dPre));
        arena.free(backend, dPre, pre, mean, variance);
        const dA = g(x0.shape);
        native.conv(CONV_KIND.backwardData, h(), p.depthwise, off(dA), off(w.depthwise), 0, off(dD));
        const dDepthwise = g(w.depthwise.shape);
        native.conv(CONV_KIND.backwardWeights, h(), p.depthwise, off(a), off(dDepthwise), 0, off(dD));
        arena.free(backend, dD, d);
        let dxs: TensorInfo[] = [dA];
        let dEdges: TensorInfo[] = [];
        if (w.edges) {
          dxs = xs.map(() => g(x0.shape));
          const dEdge = g(w.edges.shape);
          native.elementwise(ELEMENTWISE_OP.weightedSumGrad, h(), n, Float64Array.from([off(w.edges), off(dA), off(dEdge), off(a), ...kept.map(off), ...dxs.map(off)]), RELU);
          backend.disposeData(dA.dataId);
          dEdges = [dEdge];
        }
        arena.free(backend, a, ...kept);
        const wrap = (t: TensorInfo): tf.Tensor => tf.engine().makeTensorFromTensorInfo(t);
        return [...dxs, ...dEdges, dDepthwise, dPointwise, dGamma, dBeta].map(wrap);
      },
    };
  });
  return op(...inputs);
}

function batchNorm(native: NativeAddon, kind: number, h: ArrayBuffer, rows: number, c: number, epsilon: number, slots: number[]): void {
  const offsets = new Float64Array(10);
  offsets.set(slots);
  native.batchNorm(kind, h, rows, c, epsilon, offsets);
}

/** tfjs's moving averages of batch norm, as the layer computes them (onednn-batch-norm.ts). */
function updateMovingAverages(native: NativeAddon, backend: WasmBackendLike, w: NodeWeights, mean: TensorInfo, variance: TensorInfo, momentum: number): void {
  const c = mean.shape[0]!;
  const outs = [backend.makeOutput([c], 'float32'), backend.makeOutput([c], 'float32')];
  const off = (t: TensorInfo): number => offset(backend, t);
  native.elementwise(ELEMENTWISE_OP.movingAverages, heap(backend), c, Float64Array.from([off(w.movingMean), off(w.movingVariance), off(mean), off(variance), ...outs.map(off)]), Float64Array.of(momentum));
  const [m, v] = outs.map((t) => tf.engine().makeTensorFromTensorInfo(t));
  w.movingMean.assign(m!);
  w.movingVariance.assign(v!);
  tf.dispose([m!, v!]);
}
