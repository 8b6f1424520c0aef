import {
  backend_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type MaxPoolGradAttrs,
} from '@tensorflow/tfjs';
import type { WasmBackendLike } from './kernel-call.js';
import { conv2dBackpropFilter, conv2dBackpropInput, depthwiseBackpropFilter, depthwiseBackpropInput } from './conv-gradients.js';
import { maxPoolGrad } from './max-pool-grad.js';
import { runOnCpu } from './cpu-fallback.js';

type Shape4 = [number, number, number, number];
type Args = Parameters<KernelFunc>[0];

const isOne = (d: unknown): boolean => d === undefined || d === null || d === 1 || (Array.isArray(d) && d.every((v) => v === 1));

function checkNhwc(name: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`wasm ${name} supports only NHWC, got ${String(dataFormat)}`);
  }
}

/**
 * Identity (and a Cast to the same dtype) sharing the input's buffer, as the cpu backend does.
 * wasm's copies it, and tfjs clones every tensor it saves for the backward pass: about 3,700
 * copies per RandWire step, and twice the memory for saved activations.
 */
function sharedIdentity(original: KernelFunc | undefined, name: string): KernelFunc {
  return (args: Args) => {
    const x = args.inputs.x as TensorInfo;
    const dtype = (args.attrs as { dtype?: string } | undefined)?.dtype ?? x.dtype;
    if (x.dtype === 'string' || dtype !== x.dtype) {
      if (!original) throw new Error(`wasm ${name} kernel missing`);
      return original(args) as TensorInfo;
    }
    (args.backend as WasmBackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** The kernels this project adds to or replaces in the wasm backend, with why. */
export function wasmGradientKernels(originalConv2DBackpropInput?: KernelFunc, originals: Partial<Record<string, KernelFunc>> = {}): KernelConfig[] {
  return [
    { kernelName: 'Identity', backendName: 'wasm', kernelFunc: sharedIdentity(originals.Identity, 'Identity') },
    { kernelName: 'Cast', backendName: 'wasm', kernelFunc: sharedIdentity(originals.Cast, 'Cast') },
    {
      // Missing from tfjs-backend-wasm 4.22.
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }: Args) => {
        const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
        const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
        checkNhwc('Conv2DBackpropFilter', dataFormat);
        const info = backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode);
        return conv2dBackpropFilter(backend as WasmBackendLike, x, dy, filterShape, info);
      },
    },
    {
      // Present in wasm but a slow element loop; a transposed convolution on XNNPACK is much faster.
      kernelName: 'Conv2DBackpropInput',
      backendName: 'wasm',
      kernelFunc: (args: Args) => {
        const { inputs, backend, attrs } = args;
        const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
        const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
        checkNhwc('Conv2DBackpropInput', dataFormat);
        const info = backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode);
        const out = conv2dBackpropInput(backend as WasmBackendLike, dy, filter, inputShape, info);
        if (out !== undefined) return out;
        if (originalConv2DBackpropInput) return originalConv2DBackpropInput(args) as TensorInfo;
        return runOnCpu(backend as WasmBackendLike, 'Conv2DBackpropInput', inputs, attrs ?? {});
      },
    },
    {
      // Missing from tfjs-backend-wasm 4.22.
      kernelName: 'DepthwiseConv2dNativeBackpropFilter',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }: Args) => {
        const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
        const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
        if (filterShape[3] !== 1 || !isOne(dilations)) {
          return runOnCpu(backend as WasmBackendLike, 'DepthwiseConv2dNativeBackpropFilter', inputs, attrs ?? {});
        }
        const info = backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, true);
        return depthwiseBackpropFilter(backend as WasmBackendLike, x, dy, filterShape, info);
      },
    },
    {
      // Missing from tfjs-backend-wasm 4.22.
      kernelName: 'DepthwiseConv2dNativeBackpropInput',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }: Args) => {
        const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
        const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
        if (filter.shape[3] === 1 && isOne(dilations)) {
          const info = backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode, true);
          const out = depthwiseBackpropInput(backend as WasmBackendLike, dy, filter, inputShape, info);
          if (out !== undefined) return out;
        }
        return runOnCpu(backend as WasmBackendLike, 'DepthwiseConv2dNativeBackpropInput', inputs, attrs ?? {});
      },
    },
    {
      // Replaces wasm's MaxPoolGrad, which is wrong for windows whose values are all negative.
      kernelName: 'MaxPoolGrad',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }: Args) => {
        const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
        const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
        const info = backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
        return maxPoolGrad(backend as WasmBackendLike, dy, input, info);
      },
    },
  ];
}

let registered = false;

/** Register (once) the kernels above for the wasm backend, replacing any existing ones. */
export function registerWasmGradients(): void {
  if (registered) return;
  registered = true;
  const original = getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc;
  const originals = { Identity: getKernel('Identity', 'wasm')?.kernelFunc, Cast: getKernel('Cast', 'wasm')?.kernelFunc };
  for (const config of wasmGradientKernels(original, originals)) {
    if (getKernel(config.kernelName, 'wasm')) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
}
