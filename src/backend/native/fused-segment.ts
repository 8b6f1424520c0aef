import * as tf from '@tensorflow/tfjs';
import { util, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-call.js';
import { loadNativeAddon, type NativeAddon } from './addon.js';
import { callElementwise } from './heap.js';
import { ELEMENTWISE_OP } from './kernel-names.js';
import { nodeBackward, nodeForward, type GradientBase, type NodeConfig, type NodeSaved, type NodeWeights } from './fused-node.js';
import type { StepArena } from './step-arena.js';

/** One layer (or RandWire node) of a segment; tensors are named by the layer that makes them. */
export type SegmentStep =
  | { kind: 'node'; inputs: string[]; output: string; weights: NodeWeights; config: NodeConfig }
  | { kind: 'relu'; inputs: [string]; output: string }
  | { kind: 'average'; inputs: string[]; output: string };

/** The trainable tensors of a segment's steps, in the order their gradients come back. */
function weightsOf(steps: SegmentStep[]): tf.Tensor[] {
  return steps.flatMap((s) =>
    s.kind === 'node' ? [...(s.weights.edges ? [s.weights.edges] : []), s.weights.depthwise, s.weights.pointwise, s.weights.gamma, s.weights.beta] : [],
  );
}

/**
 * A run of RandWire nodes, ReLUs and output means (a stage, or several) as one op on the tape
 * each way. The kernels, their order and the order in which a tensor's gradients are added up are
 * those of the layer-by-layer path (the tape's reverse order), so the results are the same bits;
 * what goes is tfjs's work around them: a dispatch, tape entry and clone per op, a fresh buffer
 * and dispatch per gradient addition (here added in place). Buffers live in `arena` until the
 * backward pass is done with them.
 */
export function fusedSegmentTrain(external: Array<[string, tf.Tensor]>, steps: SegmentStep[], output: string, arena: StepArena): tf.Tensor {
  const native = loadNativeAddon();
  if (!native) throw new Error('randwire native: fused segments need the addon');
  const weights = weightsOf(steps);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    args.pop(); // the save function: what backward reads is kept in the arena instead
    const backend = tf.backend() as unknown as WasmBackendLike;
    const values = new Map<string, TensorInfo>(external.map(([name, t]) => [name, arena.retain(backend, t)]));
    const saved = new Map<SegmentStep, NodeSaved>();
    for (const step of steps) {
      const ins = step.inputs.map((n) => values.get(n)!);
      if (step.kind === 'node') {
        const s = nodeForward(native, backend, ins, step.weights, step.config, arena);
        saved.set(step, s);
        values.set(step.output, s.y);
      } else if (step.kind === 'relu') {
        const y = arena.alloc(backend, ins[0]!.shape);
        elementwise(native, backend, ELEMENTWISE_OP.relu, [ins[0]!, y]);
        values.set(step.output, y);
      } else {
        values.set(step.output, average(native, backend, ins, arena));
      }
    }
    // The engine gets its own reference to the output; the arena keeps one for backward.
    const out = values.get(output)!;
    backend.incRef(out.dataId);
    return {
      value: tf.engine().makeTensorFromTensorInfo(out),
      gradFunc: (dy: tf.Tensor) => backward(native, backend, steps, values, saved, external, output, arena.retain(backend, dy), arena),
    };
  });
  return op(...external.map(([, t]) => t), ...weights);
}

function elementwise(native: NativeAddon, backend: WasmBackendLike, op: number, tensors: TensorInfo[], numbers?: Float64Array): void {
  callElementwise(native, backend, op, util.sizeFromShape(tensors[0]!.shape), tensors, numbers);
}

/** tfjs's Average layer: ((x0 + x1) + ...) * (1/n), with 1/n in float32. */
function average(native: NativeAddon, backend: WasmBackendLike, xs: TensorInfo[], arena: StepArena): TensorInfo {
  const y = arena.alloc(backend, xs[0]!.shape);
  if (xs.length === 1) elementwise(native, backend, ELEMENTWISE_OP.scale, [xs[0]!, y], Float64Array.of(1));
  else elementwise(native, backend, ELEMENTWISE_OP.add, [xs[0]!, xs[1]!, y]);
  for (const x of xs.slice(2)) elementwise(native, backend, ELEMENTWISE_OP.addInto, [y, x]);
  elementwise(native, backend, ELEMENTWISE_OP.scale, [y, y], Float64Array.of(Math.fround(1 / xs.length)));
  return y;
}

/** A tensor's gradient so far: `owned` buffers may be added into, borrowed ones are copied first. */
interface Grad {
  info: TensorInfo;
  owned: boolean;
}

const baseOf = (g: Grad | undefined): GradientBase | undefined => (g ? { base: g.info, inPlace: g.owned } : undefined);

function backward(
  native: NativeAddon,
  backend: WasmBackendLike,
  steps: SegmentStep[],
  values: Map<string, TensorInfo>,
  saved: Map<SegmentStep, NodeSaved>,
  external: Array<[string, tf.Tensor]>,
  output: string,
  dy: TensorInfo,
  arena: StepArena,
): tf.Tensor[] {
  const grads = new Map<string, Grad>([[output, { info: dy, owned: false }]]);
  // As tfjs's backpropagateGradients: the first gradient of a tensor is kept, later ones added to it.
  const accumulate = (name: string, g: TensorInfo, owned: boolean): void => {
    const cur = grads.get(name);
    if (!cur) {
      grads.set(name, { info: g, owned });
    } else if (cur.owned) {
      elementwise(native, backend, ELEMENTWISE_OP.addInto, [cur.info, g]);
      if (owned) arena.free(backend, g);
    } else {
      const sum = arena.alloc(backend, g.shape);
      elementwise(native, backend, ELEMENTWISE_OP.add, [cur.info, g, sum]);
      if (owned) arena.free(backend, g);
      grads.set(name, { info: sum, owned: true });
    }
  };
  const weightGrads: TensorInfo[][] = [];
  const shared: TensorInfo[] = [dy];
  for (const step of [...steps].reverse()) {
    const g = grads.get(step.output);
    if (!g) throw new Error(`randwire native: no gradient reached ${step.output}`);
    if (step.kind === 'node') {
      // A weighted sum adds its inputs' gradients onto those they have (one pass, not two); an
      // input named twice takes the plain way, so that the second sees the first.
      const onto = step.weights.edges && new Set(step.inputs).size === step.inputs.length ? step.inputs.map((name) => baseOf(grads.get(name))) : [];
      const r = nodeBackward(native, backend, step.weights, step.config, saved.get(step)!, g.info, arena, onto);
      weightGrads.push(r.weights);
      r.inputs.forEach((dx, i) => {
        const base = onto[i];
        if (!base) accumulate(step.inputs[i]!, dx, true);
        else if (!base.inPlace) grads.set(step.inputs[i]!, { info: dx, owned: true });
      });
    } else if (step.kind === 'relu') {
      // tfjs's ReLU gradient masks with its saved input (the project's override): x > 0; added
      // onto the input's gradient where it has one.
      const base = baseOf(grads.get(step.inputs[0]));
      const dx = base?.inPlace ? base.base : arena.alloc(backend, g.info.shape);
      elementwise(native, backend, ELEMENTWISE_OP.reluGrad, [g.info, values.get(step.inputs[0])!, dx, ...(base ? [base.base] : [])]);
      if (!base) accumulate(step.inputs[0], dx, true);
      else if (!base.inPlace) grads.set(step.inputs[0], { info: dx, owned: true });
    } else {
      // The tape holds clone(x0), then x1, x2, ... added: their gradients come back last first.
      const scaled = arena.alloc(backend, g.info.shape);
      shared.push(scaled);
      elementwise(native, backend, ELEMENTWISE_OP.scale, [g.info, scaled], Float64Array.of(Math.fround(1 / step.inputs.length)));
      for (const name of [...step.inputs].reverse()) accumulate(name, scaled, false);
    }
    if (g.owned) arena.free(backend, g.info);
    grads.delete(step.output);
    arena.free(backend, values.get(step.output)!);
  }
  const wrap = (t: TensorInfo): tf.Tensor => tf.engine().makeTensorFromTensorInfo(t);
  const inputGrads = external.map(([name, t]) => {
    const g = grads.get(name);
    if (!g) return tf.zerosLike(t);
    // The engine takes over an owned buffer; a borrowed one it gets a reference to.
    if (g.owned) arena.release(g.info);
    else backend.incRef(g.info.dataId);
    return wrap(g.info);
  });
  arena.free(backend, ...external.map(([name]) => values.get(name)!), ...shared);
  const weights = weightGrads.reverse().flat();
  weights.forEach((t) => arena.release(t));
  return [...inputGrads, ...weights.map(wrap)];
}
