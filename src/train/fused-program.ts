import * as tf from '@tensorflow/tfjs';
import { WeightedSum } from '../model/layers.js';
import { OnednnBatchNormalization, type BatchNormInternals } from '../model/onednn-batch-norm.js';

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
export interface FusedStep {
  kind: 'node';
  name: string;
  inputs: string[];
  sum?: WeightedSum;
  sep: SeparableInternals;
  bn: BatchNormInternals;
}
export interface LayerStep {
  kind: 'layer';
  name: string;
  inputs: string[];
  layer: tf.layers.Layer;
}
type Step = FusedStep | LayerStep;

/**
 * Steps run as one op each way (backend/native/fused-segment.ts): a contiguous run of nodes, ReLUs
 * and output means whose only tensor read outside it is `name` (a stage, or all of them), or a
 * single node. `inputs` are the tensors it reads from outside.
 */
export interface SegmentPlan {
  kind: 'segment';
  name: string;
  inputs: string[];
  steps: Step[];
}

export interface Program {
  input: string;
  output: string;
  steps: Array<SegmentPlan | LayerStep>;
}

function fusableSeparable(layer: tf.layers.Layer): boolean {
  if (layer.getClassName() !== 'SeparableConv2D') return false;
  const s = layer as unknown as SeparableInternals;
  return (
    !s.useBias &&
    s.activation.getClassName() === 'linear' &&
    s.dataFormat === 'channelsLast' &&
    s.padding === 'same' &&
    s.depthMultiplier === 1 &&
    s.dilationRate.every((d) => d === 1) &&
    s.strides[0] === s.strides[1]
  );
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
export function compile(model: tf.LayersModel, whole = true): Program | null {
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
          kind: 'node',
          name: layer.name,
          inputs: sum ? inputsOf.get(sum.name)! : sepIns,
          sum,
          sep: sep as unknown as SeparableInternals,
          bn: layer as unknown as BatchNormInternals,
        };
        if (sum) absorbed.add(sep.name);
        continue;
      }
    }
    steps.push({ kind: 'layer', name: layer.name, inputs: ins, layer });
  }
  // Nothing to fuse (the baselines): model.apply, as before.
  if (!steps.some((st) => st.kind === 'node')) return null;
  return {
    input,
    output,
    steps: segments(
      steps.filter((st) => !absorbed.has(st.name)),
      output,
      whole,
    ),
  };
}

/** Whether a step can run inside a segment: a node, a ReLU layer or a mean of tensors (Average). */
function segmentable(s: Step): boolean {
  if (s.kind === 'node') return true;
  const name = s.layer.getClassName();
  return (
    name === 'Average' || (name === 'Activation' && (s.layer as unknown as { activation: { getClassName(): string } }).activation.getClassName() === 'relu')
  );
}

/**
 * Groups maximal runs of segmentable steps into segments. A run becomes one segment when one of
 * its tensors is read outside it and none of the tensors it reads from outside is read elsewhere
 * too (tfjs would add that tensor's gradients in another order); otherwise, or when not `whole`,
 * each node is a segment of its own and the run's other steps stay layers.
 */
export function segments(steps: Step[], output: string, whole = true): Array<SegmentPlan | LayerStep> {
  const readers = new Map<string, number[]>();
  steps.forEach((s, i) => s.inputs.forEach((n) => readers.set(n, [...(readers.get(n) ?? []), i])));
  const out: Array<SegmentPlan | LayerStep> = [];
  let i = 0;
  while (i < steps.length) {
    if (!segmentable(steps[i]!)) {
      out.push(steps[i] as LayerStep);
      i++;
      continue;
    }
    let j = i;
    while (j < steps.length && segmentable(steps[j]!)) j++;
    const run = steps.slice(i, j);
    const inside = (k: number): boolean => k >= i && k < j;
    const made = new Set(run.map((s) => s.name));
    const inputs = [...new Set(run.flatMap((s) => s.inputs.filter((n) => !made.has(n))))];
    const escaping = run.filter((s) => s.name === output || (readers.get(s.name) ?? []).some((k) => !inside(k))).map((s) => s.name);
    const contained = inputs.every((n) => (readers.get(n) ?? []).every(inside));
    if (whole && escaping.length === 1 && contained && run.some((s) => s.kind === 'node')) {
      out.push({ kind: 'segment', name: escaping[0]!, inputs, steps: run });
    } else {
      for (const s of run) out.push(s.kind === 'node' ? { kind: 'segment', name: s.name, inputs: s.inputs, steps: [s] } : s);
    }
    i = j;
  }
  return out;
}
