import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-call.js';
import type { NativeAddon } from './addon.js';

type ConvInfo = backend_util.Conv2DInfo;

interface WasmInternals {
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

export function offset(backend: WasmBackendLike, t: TensorInfo): number {
  const data = (backend as unknown as WasmInternals).dataIdMap.get(t.dataId);
  if (!data) throw new Error('randwire native: tensor is not in the wasm heap');
  return data.memoryOffset;
}

export function heap(backend: WasmBackendLike): ArrayBuffer {
  return (backend as unknown as WasmInternals).wasm.HEAPU8.buffer as ArrayBuffer;
}

export function fillZeros(backend: WasmBackendLike, t: TensorInfo): TensorInfo {
  new Float32Array(heap(backend), offset(backend, t), util.sizeFromShape(t.shape)).fill(0);
  return t;
}

/** The addon's ConvParams, in its field order. */
export function convParams(info: ConvInfo, depthwise: boolean, relu = false, bias = false): Int32Array {
  const p = info.padInfo;
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    depthwise ? info.inChannels : 1,
    info.strideHeight,
    info.strideWidth,
    p.top,
    p.left,
    p.bottom,
    p.right,
    info.dilationHeight,
    info.dilationWidth,
    relu ? 1 : 0,
    bias ? 1 : 0,
  ]);
}

const NONE = new Float64Array(0);

/** The addon's element-wise call on tensors of the wasm heap (native/randwire_native.cc lists the ops). */
export function callElementwise(
  native: NativeAddon,
  backend: WasmBackendLike,
  op: number,
  n: number,
  tensors: TensorInfo[],
  numbers: Float64Array = NONE,
): void {
  native.elementwise(op, heap(backend), n, Float64Array.from(tensors.map((t) => offset(backend, t))), numbers);
}

/**
 * The addon's batch norm over [m, c] rows; tensors in its slot order: x, scale, shift, y, mean,
 * variance, dy, dx, dscale, dshift (each kind uses its own; the rest undefined).
 */
export function callBatchNorm(
  native: NativeAddon,
  backend: WasmBackendLike,
  kind: number,
  m: number,
  c: number,
  epsilon: number,
  slots: Array<TensorInfo | undefined>,
): void {
  const offsets = new Float64Array(10);
  slots.forEach((t, i) => (offsets[i] = t ? offset(backend, t) : 0));
  native.batchNorm(kind, heap(backend), m, c, epsilon, offsets);
}
