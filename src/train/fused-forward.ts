import * as tf from '@tensorflow/tfjs';
import { fusedNodeTrain, type NodeWeights } from '../backend/native/fused-node.js';
import type { StepArena } from '../backend/native/step-arena.js';
import { WeightedSum } from '../model/layers.js';
import { OnednnBatchNormalization } from '../model/onednn-batch-norm.js';

/** What the executor reads of tfjs-layers' graph and layers (private in its typings). */
type GraphLayer = tf.layers.Layer & {
  inboundNodes: Array<{ inboundLayers: tf.layers.Layer[]; nodeIndices: number[]; tensorIndices: number[] }>;
};
interface ModelInternals {
  inputLayers: tf.layers.Layer[];
  outputLayers: tf.layers.Layer[];
}

interface SeparableInternals {
  depthwiseKernel: tf.LayerVariable;
  pointwiseKernel: tf.LayerVariable;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number[];
  depthMultiplier: number;
  useBias: boolean;
  activation: { getClassName(): string };
}
interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

/**
 * The layers in the order model.apply runs them: the depth-first sort of tfjs-layers' executor
 * (getTopologicalSortAndRecipientCountsForOneFetch), from the output, inputs pushed in order.
 */
function runOrder(graph: ModelInternals): GraphLayer[] {
  const inboundOf = (l: tf.layers.Layer): tf.layers.Layer[] => (l as GraphLayer).inboundNodes[0]?.inboundLayers ?? [];
  const visited = new Set<string>([graph.inputLayers[0]!.name]);
  const sorted: GraphLayer[] = [];
  const stack: tf.layers.Layer[] = [graph.outputLayers[0]!];
  const marks: number[] = [];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (visited.has(top.name)) {
      stack.pop();
      continue;
    }
    const marked = marks[marks.length - 1] === stack.length - 1;
    if (inboundOf(top).length === 0 || marked) {
      stack.pop();
      sorted.push(top as GraphLayer);
      visited.add(top.name);
      if (marked) marks.pop();
    } else {
      marks.push(stack.length - 1);
      for (const input of inboundOf(top)) if (!visited.has(input.name)) stack.push(input);
    }
  }
  return sorted;
}

/** A RandWire node's layers, run as one fused op: [sum] -> separable conv -> batch norm. */
interface FusedStep {
  kind: 'node';
  name: string;
  inputs: string[];
  sum?: WeightedSum;
  sep: SeparableInternals;
  bn: BatchNormInternals;
}
interface LayerStep {
  kind: 'layer';
  name: string;
  inputs: string[];
  layer: tf.layers.Layer;
}
type Step = FusedStep | LayerStep;
interface Program {
  input: string;
  output: string;
  steps: Step[];
}

let enabled = true;

/** Fused nodes on (default) or off: tests and the bench compare the two paths. */
export function useFusedNodes(on: boolean): void {
  enabled = on;
}

const programs = new WeakMap<tf.LayersModel, Program | null>();

function fusableSeparable(layer: tf.layers.Layer): boolean {
  if (layer.getClassName() !== 'SeparableConv2D') return false;
  const s = layer as unknown as SeparableInternals;
  return !s.useBias && s.activation.getClassName() === 'linear' && s.dataFormat === 'channelsLast' && s.padding === 'same' &&
    s.depthMultiplier === 1 && s.dilationRate.every((d) => d === 1) && s.strides[0] === s.strides[1];
}

function fusableBatchNorm(layer: tf.layers.Layer): boolean {
  if (!(layer instanceof OnednnBatchNormalization)) return false;
  const b = layer as unknown as BatchNormInternals;
  return (b.axis === -1 || b.axis === 3) && b.center && b.scale;
}

/**
 * The model's layers in order, with each RandWire node's [weighted sum +] separable convolution +
 * batch norm grouped into one fused step; null for a graph the executor does not cover (a layer
 * used twice, several outputs) or without such nodes, which then trains through model.apply.
 */
function compile(model: tf.LayersModel): Program | null {
  const graph = model as unknown as ModelInternals;
  if (graph.inputLayers.length !== 1 || graph.outputLayers.length !== 1) return null;
  const layers = [graph.inputLayers[0] as GraphLayer, ...runOrder(graph)];
  const consumers = new Map<string, number>();
  const inputsOf = new Map<string, string[]>();
  for (const layer of layers) {
    if (layer.inboundNodes.length !== 1) return null;
    const node = layer.inboundNodes[0]!;
    if (node.nodeIndices.some((i) => i !== 0) || node.tensorIndices.some((i) => i !== 0)) return null;
    const ins = node.inboundLayers.map((l) => l.name);
    inputsOf.set(layer.name, ins);
    for (const n of ins) consumers.set(n, (consumers.get(n) ?? 0) + 1);
  }
  const input = graph.inputLayers[0]!.name;
  const output = graph.outputLayers[0]!.name;
  const byName = new Map(layers.map((l) => [l.name, l]));
  const absorbed = new Set<string>();
  const steps: Step[] = [];
  for (const layer of layers) {
    if (layer.name === input) continue;
    const ins = inputsOf.get(layer.name)!;
    if (fusableBatchNorm(layer)) {
      const sep = byName.get(ins[0]!)!;
      if (fusableSeparable(sep) && consumers.get(sep.name) === 1) {
        const sepIns = inputsOf.get(sep.name)!;
        const sumLayer = byName.get(sepIns[0]!);
        const sum = sumLayer instanceof WeightedSum && sumLayer.activation === 'relu' && consumers.get(sumLayer.name) === 1 ? sumLayer : undefined;
        // At the place of the node's first layer: the tape then lists the ops in the layers' order,
        // so tfjs adds up the gradients of a tensor with several readers in the same order (same bits).
        const first = steps.findIndex((st) => st.name === (sum ?? sep).name);
        steps[first] = {
          kind: 'node', name: layer.name, inputs: sum ? inputsOf.get(sum.name)! : sepIns, sum,
          sep: sep as unknown as SeparableInternals, bn: layer as unknown as BatchNormInternals,
        };
        if (sum) absorbed.add(sep.name);
        continue;
      }
    }
    steps.push({ kind: 'layer', name: layer.name, inputs: ins, layer });
  }
  // Nothing to fuse (the baselines): model.apply, as before.
  if (!steps.some((st) => st.kind === 'node')) return null;
  return { input, output, steps: steps.filter((st) => !absorbed.has(st.name)) };
}

function program(model: tf.LayersModel): Program | null {
  if (!programs.has(model)) programs.set(model, compile(model));
  return programs.get(model)!;
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

/**
 * The model's training-mode forward pass with RandWire nodes fused (backend/native/fused-node.ts);
 * every other layer runs its own `call`, as model.apply would. Returns undefined when the model's
 * graph is not covered. Raw buffers kept for the backward pass live in `arena`: the caller frees
 * it once the gradients are taken.
 */
export function fusedTrainingForward(model: tf.LayersModel, x: tf.Tensor, arena: StepArena): tf.Tensor | undefined {
  const prog = enabled ? program(model) : null;
  if (!prog) return undefined;
  const values = new Map<string, tf.Tensor>([[prog.input, x]]);
  for (const step of prog.steps) {
    const ins = step.inputs.map((n) => values.get(n)!);
    if (step.kind === 'node') {
      const config = { stride: step.sep.strides[0]!, epsilon: step.bn.epsilon, momentum: step.bn.momentum };
      values.set(step.name, fusedNodeTrain(ins, nodeWeights(step), config, arena));
    } else {
      const out = step.layer.call(ins.length === 1 ? ins[0]! : ins, { training: true });
      values.set(step.name, Array.isArray(out) ? out[0]! : out);
    }
  }
  return values.get(prog.output);
}
