import { engine, getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from './kernel-call.js';

/**
 * Run a kernel of the pure-JS cpu backend on wasm data (copy in, run, copy out). Slow; only for
 * rare configurations the composed kernels do not cover (channel multiplier > 1, dilations).
 */
export function runOnCpu(backend: WasmBackendLike, name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
  const cpu = engine().findBackend('cpu') as KernelBackend & { disposeData(id: object): void };
  const kernel = getKernel(name, 'cpu');
  if (!cpu || !kernel) throw new Error(`cpu fallback for ${name} is not available`);
  const cpuInputs: NamedTensorInfoMap = {};
  for (const [key, info] of Object.entries(inputs)) {
    if (info === undefined) continue;
    const values = backend.readSync(info.dataId) as Float32Array;
    // Copy: a view on the wasm heap would be invalidated if wasm memory grows.
    cpuInputs[key] = { dataId: cpu.write(Float32Array.from(values), info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
  }
  const out = kernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs }) as TensorInfo;
  const values = cpu.readSync(out.dataId) as Float32Array;
  for (const info of Object.values(cpuInputs)) if (info) cpu.disposeData(info.dataId);
  cpu.disposeData(out.dataId);
  return backend.makeOutput(out.shape, out.dtype, undefined, Float32Array.from(values));
}
