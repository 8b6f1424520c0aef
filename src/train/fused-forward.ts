import * as tf from '@tensorflow/tfjs';
import type { NodeWeights } from '../backend/native/fused-node.js';
import { fusedSegmentTrain, type SegmentStep } from '../backend/native/fused-segment.js';
import type { StepArena } from '../backend/native/step-arena.js';
import { compile, type FusedStep, type LayerStep, type Program } from './fused-program.js';

/**
 * How training runs RandWire nodes on the native kernels: whole runs of nodes as one op each way
 * (the default), each node as one op, or layer by layer as tfjs-layers does. The same bits in all
 * three; tests and the bench (`--fusion`) compare them.
 */
export const FUSION_MODES = ['segments', 'nodes', 'off'] as const;
export type FusionMode = (typeof FUSION_MODES)[number];
let mode: FusionMode = 'segments';

export function setFusionMode(m: FusionMode): void {
  mode = m;
}

const programs = { segments: new WeakMap<tf.LayersModel, Program | null>(), nodes: new WeakMap<tf.LayersModel, Program | null>() };

function program(model: tf.LayersModel, m: 'segments' | 'nodes'): Program | null {
  const cache = programs[m];
  if (!cache.has(model)) cache.set(model, compile(model, m === 'segments'));
  return cache.get(model)!;
}

function nodeWeights(s: FusedStep): NodeWeights {
  return {
    edges: s.sum ? (s.sum as unknown as { edgeWeights: tf.LayerVariable }).edgeWeights.read() : undefined,
    depthwise: s.sep.depthwiseKernel.read(),
    pointwise: s.sep.pointwiseKernel.read(),
    gamma: s.bn.gamma.read(),
    beta: s.bn.beta.read(),
    movingMean: (s.bn.movingMean as unknown as { val: tf.Variable }).val,
    movingVariance: (s.bn.movingVariance as unknown as { val: tf.Variable }).val,
  };
}

function segmentStep(s: FusedStep | LayerStep): SegmentStep {
  if (s.kind === 'node') {
    return {
      kind: 'node',
      inputs: s.inputs,
      output: s.name,
      weights: nodeWeights(s),
      config: { stride: s.sep.strides[0]!, epsilon: s.bn.epsilon, momentum: s.bn.momentum },
    };
  }
  return s.layer.getClassName() === 'Average'
    ? { kind: 'average', inputs: s.inputs, output: s.name }
    : { kind: 'relu', inputs: [s.inputs[0]!], output: s.name };
}

/**
 * The model's training-mode forward pass with RandWire nodes fused (backend/native/fused-segment.ts);
 * every other layer runs its own `call`, as model.apply would. Returns undefined when the model's
 * graph is not covered. Raw buffers kept for the backward pass live in `arena`: the caller frees
 * it once the gradients are taken.
 */
export function fusedTrainingForward(model: tf.LayersModel, x: tf.Tensor, arena: StepArena): tf.Tensor | undefined {
  const prog = mode === 'off' ? null : program(model, mode);
  if (!prog) return undefined;
  const values = new Map<string, tf.Tensor>([[prog.input, x]]);
  for (const step of prog.steps) {
    const ins = step.inputs.map((n) => values.get(n)!);
    if (step.kind === 'segment') {
      const external = step.inputs.map((n, i): [string, tf.Tensor] => [n, ins[i]!]);
      values.set(step.name, fusedSegmentTrain(external, step.steps.map(segmentStep), step.name, arena));
    } else {
      const out = step.layer.call(ins.length === 1 ? ins[0]! : ins, { training: true });
      values.set(step.name, Array.isArray(out) ? out[0]! : out);
    }
  }
  return values.get(prog.output);
}
