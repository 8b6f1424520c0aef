import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-call.js';
import type { NativeAddon } from './addon.js';
import { callBatchNorm, callElementwise, heap, offset } from './heap.js';
import { BATCH_NORM_KIND, ELEMENTWISE_OP, ONEDNN_KERNELS, SPATIAL_MEAN_KIND } from './kernel-names.js';
import { NO_NUMBERS } from './replaced-kernels.js';

type Args = Parameters<KernelFunc>[0];

/** The addon's element-wise loops take one count for all their tensors: refuse any other size. */
function sameSizes(kernel: string, tensors: TensorInfo[]): number {
  const n = util.sizeFromShape(tensors[0]!.shape);
  for (const t of tensors) {
    if (util.sizeFromShape(t.shape) !== n) throw new Error(`${kernel}: tensors of ${n} and ${util.sizeFromShape(t.shape)} elements`);
  }
  return n;
}

export function batchNormKernels(native: NativeAddon): Array<{ name: string; func: KernelFunc }> {
  // Offsets in the addon's order: x, scale, shift, y, mean, variance, dy, dx, dscale, dshift.
  const run = (kind: number, backend: WasmBackendLike, x: TensorInfo, epsilon: number, slots: Array<TensorInfo | undefined>): void => {
    const c = x.shape[x.shape.length - 1]!;
    callBatchNorm(native, backend, kind, x.shape.reduce((a, b) => a * b, 1) / c, c, epsilon, slots);
  };
  return [
    {
      name: ONEDNN_KERNELS.batchNormTrain,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const { x, scale, offset: shift } = inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
        const c = [x.shape[x.shape.length - 1]!];
        const y = b.makeOutput(x.shape, 'float32');
        const mean = b.makeOutput(c, 'float32');
        const variance = b.makeOutput(c, 'float32');
        run(BATCH_NORM_KIND.train, b, x, (attrs as { epsilon: number }).epsilon, [x, scale, shift, y, mean, variance]);
        return [y, mean, variance];
      },
    },
    {
      name: ONEDNN_KERNELS.batchNormTrainGrad,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const { x, scale, mean, variance, dy } = inputs as Record<string, TensorInfo>;
        const dx = b.makeOutput(x!.shape, 'float32');
        const dscale = b.makeOutput(scale!.shape, 'float32');
        const dshift = b.makeOutput(scale!.shape, 'float32');
        run(BATCH_NORM_KIND.trainGrad, b, x!, (attrs as { epsilon: number }).epsilon, [x, scale, undefined, undefined, mean, variance, dy, dx, dscale, dshift]);
        return [dx, dscale, dshift];
      },
    },
    {
      name: ONEDNN_KERNELS.batchNormInfer,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const { x, scale, offset: shift, mean, variance } = inputs as Record<string, TensorInfo>;
        const y = b.makeOutput(x!.shape, 'float32');
        run(BATCH_NORM_KIND.infer, b, x!, (attrs as { epsilon: number }).epsilon, [x, scale, shift, y, mean, variance]);
        return y;
      },
    },
  ];
}

const RELU_ON = Float64Array.of(1);
const RELU_OFF = Float64Array.of(0);

export function elementwiseKernels(native: NativeAddon): Array<{ name: string; func: KernelFunc }> {
  const call = (backend: WasmBackendLike, op: number, n: number, tensors: TensorInfo[], numbers = NO_NUMBERS): void => {
    callElementwise(native, backend, op, n, tensors, numbers);
  };
  const xsOf = (inputs: Record<string, TensorInfo | undefined>): TensorInfo[] => {
    const xs: TensorInfo[] = [];
    for (let i = 0; inputs[`x${i}`]; i++) xs.push(inputs[`x${i}`]!);
    return xs;
  };
  return [
    {
      name: ONEDNN_KERNELS.weightedSum,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const xs = xsOf(inputs as Record<string, TensorInfo>);
        const relu = (attrs as { relu?: boolean } | undefined)?.relu === true;
        const y = b.makeOutput(xs[0]!.shape, 'float32');
        call(b, ELEMENTWISE_OP.weightedSum, sameSizes(ONEDNN_KERNELS.weightedSum, xs), [inputs.w as TensorInfo, y, ...xs], relu ? RELU_ON : RELU_OFF);
        return y;
      },
    },
    {
      name: ONEDNN_KERNELS.weightedSumGrad,
      func: ({ inputs, backend }: Args) => {
        const b = backend as WasmBackendLike;
        const xs = xsOf(inputs as Record<string, TensorInfo>);
        const w = inputs.w as TensorInfo;
        const dw = b.makeOutput(w.shape, 'float32');
        const dxs = xs.map((x) => b.makeOutput(x.shape, 'float32'));
        // With the ReLU fused in (src/model/layers.ts), its saved output y masks the gradient.
        const y = inputs.y as TensorInfo | undefined;
        const n = sameSizes(ONEDNN_KERNELS.weightedSumGrad, [inputs.dy as TensorInfo, ...(y ? [y] : []), ...xs]);
        call(b, ELEMENTWISE_OP.weightedSumGrad, n, [w, inputs.dy as TensorInfo, dw, ...(y ? [y] : []), ...xs, ...dxs], y ? RELU_ON : RELU_OFF);
        return [dw, ...dxs];
      },
    },
    {
      name: ONEDNN_KERNELS.reluGrad,
      func: ({ inputs, backend }: Args) => {
        const b = backend as WasmBackendLike;
        const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
        const dx = b.makeOutput(dy.shape, 'float32');
        call(b, ELEMENTWISE_OP.reluGrad, sameSizes(ONEDNN_KERNELS.reluGrad, [dy, y]), [dy, y, dx]);
        return dx;
      },
    },
    {
      // The gradient of the mean over height and width: dy / (h w) at every pixel of x's shape.
      name: ONEDNN_KERNELS.spatialMeanGrad,
      func: ({ inputs, backend }: Args) => {
        const b = backend as WasmBackendLike;
        const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
        const [n, h, w, c] = x.shape as [number, number, number, number];
        if (util.sizeFromShape(dy.shape) !== n * c)
          throw new Error(`${ONEDNN_KERNELS.spatialMeanGrad}: dy of ${util.sizeFromShape(dy.shape)} elements for ${n} x ${c}`);
        const dx = b.makeOutput(x.shape, 'float32');
        if (n * h * w * c > 0) native.spatialMean(SPATIAL_MEAN_KIND.gradient, heap(b), n, h * w, c, offset(b, dy), offset(b, dx));
        return dx;
      },
    },
    {
      name: ONEDNN_KERNELS.movingAverages,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const { mean, variance, batchMean, batchVariance } = inputs as Record<string, TensorInfo>;
        const outs = [mean!, variance!].map((t) => b.makeOutput(t.shape, 'float32'));
        call(
          b,
          ELEMENTWISE_OP.movingAverages,
          sameSizes(ONEDNN_KERNELS.movingAverages, [mean!, variance!, batchMean!, batchVariance!]),
          [mean!, variance!, batchMean!, batchVariance!, ...outs],
          Float64Array.from([(attrs as { momentum: number }).momentum]),
        );
        return outs;
      },
    },
  ];
}
