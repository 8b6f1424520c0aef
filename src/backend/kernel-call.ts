import { getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';

/** The slice of the wasm backend's API that composed kernels use. */
export interface WasmBackendLike extends KernelBackend {
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  readSync(dataId: object): ReturnType<KernelBackend['readSync']>;
  makeOutput(shape: number[], dtype: string, memoryOffset?: number, values?: Float32Array): TensorInfo;
}

/**
 * Run another wasm kernel directly, below the engine: no tape, no tensor bookkeeping.
 * The caller frees every intermediate it gets back with `free`.
 */
export function callKernel(backend: WasmBackendLike, name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (kernel === undefined) throw new Error(`kernel ${name} is not registered for wasm`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

export function free(backend: WasmBackendLike, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

export function reshape(backend: WasmBackendLike, x: TensorInfo, shape: number[]): TensorInfo {
  return callKernel(backend, 'Reshape', { x }, { shape });
}

export function transpose(backend: WasmBackendLike, x: TensorInfo, perm: number[]): TensorInfo {
  return callKernel(backend, 'Transpose', { x }, { perm });
}

export function slice(backend: WasmBackendLike, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  return callKernel(backend, 'Slice', { x }, { begin, size });
}

/**
 * Attributes for callKernel, typed by tfjs's own attribute interface of the kernel (Conv2DAttrs,
 * ...): NamedAttrMap cannot hold explicit paddings or an undefined rounding mode, kernels can.
 */
export function kernelAttrs<T extends object>(attrs: T): NamedAttrMap {
  return attrs as unknown as NamedAttrMap;
}
