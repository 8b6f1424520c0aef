import { deriveSeed, type Seeding } from '../core/rng.js';
import { RandwireError } from '../core/errors.js';
import { generateGraph } from '../graph/generators.js';
import { inputNodes, outputNodes, predecessors } from '../graph/dag.js';
import type { RandomGraph } from '../graph/types.js';
import { INPUT, PlanBuilder, type ModelPlan, type Op } from './plan.js';

export interface RandwireOptions {
  inputShape: [number, number, number];
  classes: number;
  generator: string;
  graphParams: Record<string, number | undefined>;
  /** Nodes per stage (N). */
  nodes: number;
  /** Base channel count (C). */
  channels: number;
  regime: 'small' | 'regular';
  seed: number;
  /** How the stage graphs' seeds become streams (core/rng.ts SEEDINGS). */
  seeding: Seeding;
  dropout: number;
  /** Width of the 1x1 convolution before pooling (1280 in Xie et al.). */
  headChannels?: number;
  /** Use these graphs instead of generating them (e.g. loaded from files). */
  graphs?: RandomGraph[];
}

/** Images up to this size keep full resolution in the stem (MNIST, CIFAR): stages run at 14, 7, 4 px. */
export const SMALL_INPUT_MAX = 32;

/** Stage (node count, channels) list for a regime, per Xie et al. Table 1. */
export function stageLayout(regime: 'small' | 'regular', nodes: number, c: number): Array<{ nodes: number; channels: number }> {
  return regime === 'small'
    ? [
        { nodes, channels: c },
        { nodes, channels: 2 * c },
        { nodes, channels: 4 * c },
      ]
    : [
        { nodes: Math.max(2, Math.floor(nodes / 2)), channels: c },
        { nodes, channels: 2 * c },
        { nodes, channels: 4 * c },
        { nodes, channels: 8 * c },
      ];
}

/** The seed of stage i's graph, derived from the model seed so each stage is independent. */
export function stageGraphSeed(seed: number, stage: number): number {
  return deriveSeed(seed, `graph/stage-${stage}`);
}

/**
 * One random stage: input nodes read the stage input with stride 2 (and change the channel
 * count); every node is [weighted sum if in-degree > 1] -> ReLU -> separable 3x3 -> BN; the
 * output is the mean of the output nodes. A node with a weighted sum does its ReLU in that layer.
 * Nodes that apply ReLU to the same tensor (the stage input, or a node with several single-input
 * successors) share one ReLU layer, `<tensor>_relu`: the same values, without a pass over memory
 * forward and backward per extra reader (the stage input of conv3 is 28x28, read by every input node).
 */
/**
 * Layer names of a stage's parts, declared once (the plan and the damage analysis read them):
 * node v of stage i is `<stage>_n<v>_sum` (when it has several inputs), then `_sepconv`, `_bn`.
 */
export const STAGE_NAMES = {
  stage: (regime: 'small' | 'regular', i: number): string => `conv${(regime === 'small' ? 3 : 2) + i}`,
  node: (stage: string, v: number): string => `${stage}_n${v}`,
  sum: (stage: string, v: number): string => `${stage}_n${v}_sum`,
  /** The first layer after the node's input (its separable convolution). */
  conv: (stage: string, v: number): string => `${stage}_n${v}_sepconv`,
  mean: (stage: string): string => `${stage}_mean`,
};

function addStage(b: PlanBuilder, prefix: string, input: string, graph: RandomGraph, channels: number): string {
  const preds = predecessors(graph);
  const inputs = new Set(inputNodes(graph));
  const relus = new Map<string, string>();
  const reluOf = (t: string): string => {
    let r = relus.get(t);
    if (r === undefined) relus.set(t, (r = b.add(`${t}_relu`, { kind: 'relu' }, t)));
    return r;
  };
  const out: string[] = [];
  for (let v = 0; v < graph.nodes; v++) {
    const p = STAGE_NAMES.node(prefix, v);
    const conv: Op[] = [{ kind: 'sepconv', filters: channels, kernel: 3, stride: inputs.has(v) ? 2 : 1 }, { kind: 'bn' }];
    if (inputs.has(v) || preds[v]!.length === 1) {
      out.push(b.chain(p, reluOf(inputs.has(v) ? input : out[preds[v]![0]!]!), conv));
    } else {
      const sum = b.add(
        STAGE_NAMES.sum(prefix, v),
        { kind: 'weightedSum', activation: 'relu' },
        preds[v]!.map((u) => out[u]!),
      );
      out.push(b.chain(p, sum, conv));
    }
  }
  const outs = outputNodes(graph).map((v) => out[v]!);
  return outs.length === 1 ? outs[0]! : b.add(STAGE_NAMES.mean(prefix), { kind: 'mean' }, outs);
}

/** The plan (layers as data) of a RandWire network: stem, one random-graph stage per resolution, classifier; seeded graphs unless given. */
export function randwirePlan(o: RandwireOptions): ModelPlan {
  if (!Number.isInteger(o.channels) || o.channels < 2) throw new RandwireError('model', `channels must be an integer >= 2, got ${o.channels}`);
  if (!Number.isInteger(o.nodes) || o.nodes < 2) throw new RandwireError('model', `nodes must be an integer >= 2, got ${o.nodes}`);
  if (!(o.dropout >= 0 && o.dropout < 1)) throw new RandwireError('model', `dropout must be in [0, 1), got ${o.dropout}`);
  const layout = stageLayout(o.regime, o.nodes, o.channels);
  const graphs = o.graphs ?? layout.map((s, i) => generateGraph(o.generator, s.nodes, o.graphParams, stageGraphSeed(o.seed, i), o.seeding));
  if (graphs.length !== layout.length) {
    throw new RandwireError('model', `the ${o.regime} regime needs ${layout.length} stage graphs, got ${graphs.length}`);
  }
  const b = new PlanBuilder();
  const stride = Math.max(o.inputShape[0], o.inputShape[1]) <= SMALL_INPUT_MAX ? 1 : 2;
  const half = Math.max(1, Math.floor(o.channels / 2));
  let x = b.chain('conv1', INPUT, [{ kind: 'conv', filters: half, kernel: 3, stride, padding: 'same', bias: false }, { kind: 'bn' }]);
  const stages = graphs;
  if (o.regime === 'small') {
    x = b.chain('conv2', x, [{ kind: 'relu' }, { kind: 'conv', filters: o.channels, kernel: 3, stride, padding: 'same', bias: false }, { kind: 'bn' }]);
  }
  stages.forEach((g, i) => {
    x = addStage(b, STAGE_NAMES.stage(o.regime, i), x, g, layout[i]!.channels);
  });
  x = b.chain('head', x, [
    { kind: 'relu' },
    { kind: 'conv', filters: o.headChannels ?? 1280, kernel: 1, stride: 1, padding: 'same', bias: false },
    { kind: 'bn' },
    { kind: 'relu' },
    { kind: 'gap' },
    ...(o.dropout > 0 ? [{ kind: 'dropout' as const, rate: o.dropout }] : []),
  ]);
  const output = b.add('classifier', { kind: 'dense', units: o.classes, activation: 'softmax' }, x);
  return {
    model: 'randwire',
    inputShape: o.inputShape,
    classes: o.classes,
    layers: b.layers,
    output,
    metadata: {
      randwire: {
        generator: o.generator,
        graphParams: graphs[0]?.params ?? {},
        nodes: o.nodes,
        channels: o.channels,
        regime: o.regime,
        seed: o.seed,
        dropout: o.dropout,
        graphs,
      },
    },
  };
}
