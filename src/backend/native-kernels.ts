import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { backend_util, getBackend, getKernel, util, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from './kernel-call.js';
import { RandwireError } from '../core/errors.js';
import { ThreadGovernor } from './native/thread-governor.js';

/** The addon built by `npm run build:native` (native/randwire_native.cc). */
interface NativeAddon {
  conv(kind: number, heap: ArrayBuffer, params: Int32Array, srcOff: number, wOff: number, biasOff: number, dstOff: number): void;
  maxPoolGrad(heap: ArrayBuffer, params: Int32Array, xOff: number, dyOff: number, dxOff: number): void;
  sumRows(heap: ArrayBuffer, m: number, c: number, xOff: number, yOff: number): void;
  batchMatMul(heap: ArrayBuffer, params: Int32Array, aOff: number, bOff: number, cOff: number): void;
  elementwise(op: number, heap: ArrayBuffer, n: number, offsets: Float64Array, numbers: Float64Array): void;
  batchNorm(kind: number, heap: ArrayBuffer, m: number, c: number, epsilon: number, offsets: Float64Array): void;
  implementation(kind: number, params: Int32Array): string;
  setThreads(n: number): void;
  version(): string;
  /** Raised in the C++ source whenever a call's arguments change meaning. */
  abi: number;
}

const ADDON_ABI = 4;

const ADDON_FUNCTIONS: Array<keyof NativeAddon> = [
  'conv', 'maxPoolGrad', 'sumRows', 'batchMatMul', 'elementwise', 'batchNorm', 'implementation', 'setThreads', 'version',
];

/**
 * The addon's file: RANDWIRE_NATIVE_ADDON names another build of the same sources, such as the
 * sanitizer build (`npm run build:native -- --sanitize`, run under its runtime by
 * test/backend/native-sanitize.test.ts).
 */
export const ADDON_PATH = process.env.RANDWIRE_NATIVE_ADDON || fileURLToPath(new URL('../../native/build/randwire_native.node', import.meta.url));

let addon: NativeAddon | undefined;
let loadError: string | undefined;

/** Load the oneDNN addon once; undefined (with `nativeLoadError()`) when it is not built or fails to load. */
export function loadNativeAddon(): NativeAddon | undefined {
  if (addon || loadError) return addon;
  // Validated even without the addon: a bad value is the user's mistake either way.
  const threads = nativeThreads();
  if (!existsSync(ADDON_PATH)) {
    loadError = `not built (${ADDON_PATH} is missing; apt-get install -y libdnnl-dev && npm run build:native)`;
    return undefined;
  }
  try {
    const loaded = createRequire(import.meta.url)(ADDON_PATH) as Partial<NativeAddon>;
    const missing = ADDON_FUNCTIONS.filter((f) => typeof loaded[f] !== 'function');
    if (missing.length) {
      loadError = `out of date (${ADDON_PATH} lacks ${missing.join(', ')}; run npm run build:native)`;
      return undefined;
    }
    if (loaded.abi !== ADDON_ABI) {
      loadError = `out of date (${ADDON_PATH} was built from older sources; run npm run build:native)`;
      return undefined;
    }
    addon = loaded as NativeAddon;
    addon.setThreads(threads);
    const set = addon.setThreads.bind(addon);
    // RANDWIRE_THREADS fixes the count; otherwise it follows the cores that are free.
    if (!threadsFixed()) governor = new ThreadGovernor(threads, set);
  } catch (e) {
    loadError = (e as Error).message.split('\n')[0];
  }
  return addon;
}

export function nativeLoadError(): string | undefined {
  return loadError;
}

let governor: ThreadGovernor | undefined;

function threadsFixed(): boolean {
  return (process.env.RANDWIRE_THREADS ?? '') !== '';
}

/** A training step ended: lets the thread governor compare its speed with the other setting. */
export function reportTrainingStep(seconds: number, images: number): void {
  if (nativeActive()) governor?.observe(seconds, images);
}

/** The addon's thread count now (the governor's current choice unless RANDWIRE_THREADS fixes it). */
export function currentNativeThreads(): number {
  return governor?.current ?? nativeThreads();
}

/**
 * Threads for oneDNN: RANDWIRE_THREADS, else every core. `reproduce` gives each worker process
 * its share so that two workers do not fight over the same cores.
 */
export function nativeThreads(): number {
  const raw = process.env.RANDWIRE_THREADS;
  if (raw === undefined || raw === '') return Math.max(1, cpus().length);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new RandwireError('backend', `RANDWIRE_THREADS must be a whole number >= 1, got '${raw}'`);
  return n;
}

type Shape4 = [number, number, number, number];
type Args = Parameters<KernelFunc>[0];
type ConvInfo = backend_util.Conv2DInfo;

const FORWARD = 0;
const BACKWARD_DATA = 1;
const BACKWARD_WEIGHTS = 2;

interface WasmInternals {
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

function offset(backend: WasmBackendLike, t: TensorInfo): number {
  const data = (backend as unknown as WasmInternals).dataIdMap.get(t.dataId);
  if (!data) throw new Error('randwire native: tensor is not in the wasm heap');
  return data.memoryOffset;
}

function heap(backend: WasmBackendLike): ArrayBuffer {
  return (backend as unknown as WasmInternals).wasm.HEAPU8.buffer as ArrayBuffer;
}

function fillZeros(backend: WasmBackendLike, t: TensorInfo): TensorInfo {
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

const NO_NUMBERS = new Float64Array(0);
/** The addon's kParallelMin: element counts from which its element-wise loops use every thread. */
const THREADED_MIN = 1 << 15;

/**
 * Kernel configs that run convolutions on oneDNN. Each falls back to the kernel it replaces for
 * what it does not cover (NCHW, fused activations other than ReLU, prelu weights).
 */
function nativeKernelFuncs(native: NativeAddon, originals: Partial<Record<string, KernelFunc>>): Array<{ name: string; func: KernelFunc }> {
  const fallback = (name: string, args: Args): TensorInfo => {
    const f = originals[name];
    if (!f) throw new Error(`randwire native: no fallback for ${name}`);
    return f(args) as TensorInfo;
  };

  const forward = (name: string, depthwise: boolean, fused: boolean): KernelFunc => (args: Args) => {
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
    native.conv(FORWARD, heap(backend), params, offset(backend, x), offset(backend, filter), bias ? offset(backend, bias) : 0, offset(backend, out));
    return out;
  };

  const backwardData = (name: string, depthwise: boolean): KernelFunc => (args: Args) => {
    const backend = args.backend as WasmBackendLike;
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = args.attrs as unknown as ConvAttrs;
    if (!nhwc(a.dataFormat) || !a.inputShape) return fallback(name, args);
    const info = backend_util.computeConv2DInfo(a.inputShape, filter.shape as Shape4, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, depthwise);
    const dx = backend.makeOutput(info.inShape, 'float32');
    // No output pixels (a window larger than the input): nothing flows back.
    if (info.outShape.some((d) => d === 0)) return fillZeros(backend, dx);
    native.conv(BACKWARD_DATA, heap(backend), convParams(info, depthwise), offset(backend, dx), offset(backend, filter), 0, offset(backend, dy));
    return dx;
  };

  const backwardWeights = (name: string, depthwise: boolean): KernelFunc => (args: Args) => {
    const backend = args.backend as WasmBackendLike;
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const a = args.attrs as unknown as ConvAttrs;
    if (!nhwc(a.dataFormat) || !a.filterShape) return fallback(name, args);
    const info = backend_util.computeConv2DInfo(x.shape as Shape4, a.filterShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, depthwise);
    const dw = backend.makeOutput(a.filterShape, 'float32');
    if (info.outShape.some((d) => d === 0) || info.inShape.some((d) => d === 0)) return fillZeros(backend, dw);
    native.conv(BACKWARD_WEIGHTS, heap(backend), convParams(info, depthwise), offset(backend, x), offset(backend, dw), 0, offset(backend, dy));
    return dw;
  };

  const maxPoolGrad: KernelFunc = (args: Args) => {
    const backend = args.backend as WasmBackendLike;
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const a = args.attrs as unknown as { filterSize: [number, number] | number; strides: [number, number] | number; pad: never; dimRoundingMode: never };
    const info = backend_util.computePool2DInfo(input.shape as Shape4, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const dx = backend.makeOutput(input.shape, 'float32');
    const params = Int32Array.from([
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
      info.dilationHeight, info.dilationWidth,
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
  const elementwise = (name: string, op: number): KernelFunc => (args: Args) => {
    const backend = args.backend as WasmBackendLike;
    const ins = Object.values(args.inputs) as TensorInfo[];
    const x = ins[0]!;
    const n = util.sizeFromShape(x.shape);
    if (n < THREADED_MIN || ins.some((t) => t.dtype !== 'float32' || !util.arraysEqual(t.shape, x.shape))) return fallback(name, args);
    const y = backend.makeOutput(x.shape, 'float32');
    native.elementwise(op, heap(backend), n, Float64Array.from([...ins, y].map((t) => offset(backend, t))), NO_NUMBERS);
    return y;
  };

  return [
    { name: 'Add', func: elementwise('Add', 5) },
    { name: 'Relu', func: elementwise('Relu', 6) },
    { name: 'BatchMatMul', func: batchMatMul },
    { name: 'MaxPoolGrad', func: maxPoolGrad },
    { name: 'Sum', func: sum },
    { name: 'Conv2D', func: forward('Conv2D', false, false) },
    { name: 'FusedConv2D', func: forward('FusedConv2D', false, true) },
    { name: 'DepthwiseConv2dNative', func: forward('DepthwiseConv2dNative', true, false) },
    { name: 'FusedDepthwiseConv2D', func: forward('FusedDepthwiseConv2D', true, true) },
    { name: 'Conv2DBackpropInput', func: backwardData('Conv2DBackpropInput', false) },
    { name: 'Conv2DBackpropFilter', func: backwardWeights('Conv2DBackpropFilter', false) },
    { name: 'DepthwiseConv2dNativeBackpropInput', func: backwardData('DepthwiseConv2dNativeBackpropInput', true) },
    { name: 'DepthwiseConv2dNativeBackpropFilter', func: backwardWeights('DepthwiseConv2dNativeBackpropFilter', true) },
  ];
}

/** Batch norm in training mode as one kernel each way, and in inference mode (see src/model/fast-batch-norm.ts). */
export const BN_TRAIN = 'RandwireBatchNormTrain';
export const BN_TRAIN_GRAD = 'RandwireBatchNormTrainGrad';
export const BN_INFER = 'RandwireBatchNormInfer';

function batchNormKernels(native: NativeAddon): Array<{ name: string; func: KernelFunc }> {
  // Offsets in the addon's order: x, scale, shift, y, mean, variance, dy, dx, dscale, dshift.
  const run = (kind: number, backend: WasmBackendLike, x: TensorInfo, epsilon: number, slots: Array<TensorInfo | undefined>): void => {
    const c = x.shape[x.shape.length - 1]!;
    const m = x.shape.reduce((a, b) => a * b, 1) / c;
    const offsets = new Float64Array(10);
    slots.forEach((t, i) => (offsets[i] = t ? offset(backend, t) : 0));
    native.batchNorm(kind, heap(backend), m, c, epsilon, offsets);
  };
  return [
    {
      name: BN_TRAIN,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const { x, scale, offset: shift } = inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
        const c = [x.shape[x.shape.length - 1]!];
        const y = b.makeOutput(x.shape, 'float32');
        const mean = b.makeOutput(c, 'float32');
        const variance = b.makeOutput(c, 'float32');
        run(0, b, x, (attrs as { epsilon: number }).epsilon, [x, scale, shift, y, mean, variance]);
        return [y, mean, variance];
      },
    },
    {
      name: BN_TRAIN_GRAD,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const { x, scale, mean, variance, dy } = inputs as Record<string, TensorInfo>;
        const dx = b.makeOutput(x!.shape, 'float32');
        const dscale = b.makeOutput(scale!.shape, 'float32');
        const dshift = b.makeOutput(scale!.shape, 'float32');
        run(1, b, x!, (attrs as { epsilon: number }).epsilon, [x, scale, undefined, undefined, mean, variance, dy, dx, dscale, dshift]);
        return [dx, dscale, dshift];
      },
    },
    {
      name: BN_INFER,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const { x, scale, offset: shift, mean, variance } = inputs as Record<string, TensorInfo>;
        const y = b.makeOutput(x!.shape, 'float32');
        run(2, b, x!, (attrs as { epsilon: number }).epsilon, [x, scale, shift, y, mean, variance]);
        return y;
      },
    },
  ];
}

/** Kernels of the RandWire node and the optimiser (src/model/layers.ts, src/train/fast-adam.ts). */
export const WEIGHTED_SUM = 'RandwireWeightedSum';
export const WEIGHTED_SUM_GRAD = 'RandwireWeightedSumGrad';
export const RELU_GRAD = 'RandwireReluGrad';
export const ADAM_UPDATE = 'RandwireAdam';
export const MOVING_AVERAGES = 'RandwireMovingAverages';

const RELU_ON = Float64Array.of(1);
const RELU_OFF = Float64Array.of(0);

function elementwiseKernels(native: NativeAddon): Array<{ name: string; func: KernelFunc }> {
  const call = (backend: WasmBackendLike, op: number, n: number, tensors: TensorInfo[], numbers = NO_NUMBERS): void => {
    native.elementwise(op, heap(backend), n, Float64Array.from(tensors.map((t) => offset(backend, t))), numbers);
  };
  const xsOf = (inputs: Record<string, TensorInfo | undefined>): TensorInfo[] => {
    const xs: TensorInfo[] = [];
    for (let i = 0; inputs[`x${i}`]; i++) xs.push(inputs[`x${i}`]!);
    return xs;
  };
  return [
    {
      name: WEIGHTED_SUM,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const xs = xsOf(inputs as Record<string, TensorInfo>);
        const relu = (attrs as { relu?: boolean } | undefined)?.relu === true;
        const y = b.makeOutput(xs[0]!.shape, 'float32');
        call(b, 0, util.sizeFromShape(y.shape), [inputs.w as TensorInfo, y, ...xs], relu ? RELU_ON : RELU_OFF);
        return y;
      },
    },
    {
      name: WEIGHTED_SUM_GRAD,
      func: ({ inputs, backend }: Args) => {
        const b = backend as WasmBackendLike;
        const xs = xsOf(inputs as Record<string, TensorInfo>);
        const w = inputs.w as TensorInfo;
        const dw = b.makeOutput(w.shape, 'float32');
        const dxs = xs.map((x) => b.makeOutput(x.shape, 'float32'));
        // With the ReLU fused in (src/model/layers.ts), its saved output y masks the gradient.
        const y = inputs.y as TensorInfo | undefined;
        const n = util.sizeFromShape(xs[0]!.shape);
        call(b, 1, n, [w, inputs.dy as TensorInfo, dw, ...(y ? [y] : []), ...xs, ...dxs], y ? RELU_ON : RELU_OFF);
        return [dw, ...dxs];
      },
    },
    {
      name: RELU_GRAD,
      func: ({ inputs, backend }: Args) => {
        const b = backend as WasmBackendLike;
        const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
        const dx = b.makeOutput(dy.shape, 'float32');
        call(b, 2, util.sizeFromShape(dy.shape), [dy, y, dx]);
        return dx;
      },
    },
    {
      name: ADAM_UPDATE,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const { value, m, v, g } = inputs as Record<string, TensorInfo>;
        const a = attrs as { lr: number; beta1: number; beta2: number; epsilon: number; c1: number; c2: number };
        const outs = [value!, m!, v!].map((t) => b.makeOutput(t.shape, 'float32'));
        call(b, 3, util.sizeFromShape(value!.shape), [value!, m!, v!, g!, ...outs], Float64Array.from([a.lr, a.beta1, a.beta2, a.epsilon, a.c1, a.c2]));
        return outs;
      },
    },
    {
      name: MOVING_AVERAGES,
      func: ({ inputs, backend, attrs }: Args) => {
        const b = backend as WasmBackendLike;
        const { mean, variance, batchMean, batchVariance } = inputs as Record<string, TensorInfo>;
        const outs = [mean!, variance!].map((t) => b.makeOutput(t.shape, 'float32'));
        call(b, 4, util.sizeFromShape(mean!.shape), [mean!, variance!, batchMean!, batchVariance!, ...outs], Float64Array.from([(attrs as { momentum: number }).momentum]));
        return outs;
      },
    },
  ];
}

export const NATIVE_KERNEL_NAMES = [
  'Add', 'Relu', 'BatchMatMul', 'MaxPoolGrad', 'Sum',
  'Conv2D', 'FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2D',
  'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter',
] as const;

let originals: Partial<Record<string, KernelConfig>> | undefined;
let replacements: KernelConfig[] | undefined;

function swapIn(configs: KernelConfig[]): void {
  for (const config of configs) {
    if (getKernel(config.kernelName, 'wasm')) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
}

/**
 * Put the oneDNN convolutions in place of the wasm ones (on: after registerWasmGradients, whose
 * kernels become the fallbacks), or put the wasm ones back (off). Returns the addon's
 * description when on, undefined when the addon is absent (see nativeLoadError) or off.
 * Call before the wasm backend initialises: wasm kernels bind their functions in setup hooks,
 * which the replacements keep so that the fallbacks work.
 */
export function useNativeKernels(on: boolean): string | undefined {
  const native = on ? loadNativeAddon() : addon;
  if (!native) return undefined;
  if (!originals) {
    const saved: Partial<Record<string, KernelConfig>> = {};
    for (const name of NATIVE_KERNEL_NAMES) saved[name] = getKernel(name, 'wasm');
    const funcs = Object.fromEntries(Object.entries(saved).map(([k, v]) => [k, v?.kernelFunc]));
    replacements = nativeKernelFuncs(native, funcs).map(({ name, func }) => ({ ...saved[name], kernelName: name, backendName: 'wasm', kernelFunc: func }));
    originals = saved;
  }
  if (!getKernel(BN_TRAIN, 'wasm')) {
    // New kernel names: nothing to restore, and the layer only calls them while nativeActive().
    for (const { name, func } of [...batchNormKernels(native), ...elementwiseKernels(native)]) registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: func });
  }
  const active = getKernel('Conv2D', 'wasm')?.kernelFunc === replacements?.find((r) => r.kernelName === 'Conv2D')?.kernelFunc;
  if (on && !active) swapIn(replacements ?? []);
  if (!on && active) swapIn(Object.values(originals).filter((c): c is KernelConfig => c !== undefined));
  nativeOn = on;
  return on ? native.version() : undefined;
}

let nativeOn = false;

/** Whether the oneDNN kernels run now: the addon is in place and wasm is the current backend. */
export function nativeActive(): boolean {
  return nativeOn && getBackend() === 'wasm';
}
