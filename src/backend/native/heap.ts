import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-call.js';

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
    info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth,
    depthwise ? info.inChannels : 1,
    info.strideHeight, info.strideWidth,
    p.top, p.left, p.bottom, p.right,
    info.dilationHeight, info.dilationWidth,
    relu ? 1 : 0, bias ? 1 : 0,
  ]);
}
