import * as tf from '@tensorflow/tfjs';
import { RandwireError } from '../core/errors.js';
import { inputNodes, outputNodes, predecessors, successors } from '../graph/dag.js';
import type { RandomGraph } from '../graph/types.js';
import type { ModelPlan } from './plan.js';
import { STAGE_NAMES } from './randwire.js';

/** One thing removed from a trained RandWire model at inference time. */
export type Damage = { kind: 'none' } | { kind: 'node'; stage: number; node: number } | { kind: 'edge'; stage: number; from: number; to: number };

interface Stage {
  prefix: string;
  graph: RandomGraph;
  preds: number[][];
  succs: number[][];
  inputs: number[];
  outputs: number[];
}

/** How a damage changes the forward pass: terms dropped from sums, inputs read as zeros, outputs left out of the mean. */
interface Overrides {
  /** Sum layer -> 1 for kept terms, 0 for dropped ones (in the layer's input order). */
  sums: Map<string, number[]>;
  /** Layers that read zeros instead of their input (a single-input node whose input is gone). */
  zeros: Set<string>;
  /** Stage mean layer -> which output nodes are kept. */
  means: Map<string, boolean[]>;
}

type Meta = { randwire?: { regime: 'small' | 'regular'; graphs: RandomGraph[] } };

/** The stages of a RandWire plan, with the layer names that the damage touches. */
export function randwireStages(plan: ModelPlan): Stage[] {
  const meta = (plan.metadata as Meta | undefined)?.randwire;
  if (plan.model !== 'randwire' || !meta)
    throw new RandwireError('damage', `a ${plan.model} model has no random graphs to damage; damage needs a RandWire run`);
  return meta.graphs.map((graph, i) => ({
    prefix: STAGE_NAMES.stage(meta.regime, i),
    graph,
    preds: predecessors(graph),
    succs: successors(graph),
    inputs: inputNodes(graph),
    outputs: outputNodes(graph),
  }));
}

/**
 * Every node and edge that can be removed: all edges, and every node but a stage's only input
 * or only output node (without those the stage has nothing to read or give).
 */
export function damageCandidates(stages: Stage[], what: 'nodes' | 'edges' | 'both'): Damage[] {
  const out: Damage[] = [];
  stages.forEach((s, stage) => {
    if (what !== 'edges') {
      for (let node = 0; node < s.graph.nodes; node++) {
        const onlyInput = s.inputs.length === 1 && s.inputs[0] === node;
        const onlyOutput = s.outputs.length === 1 && s.outputs[0] === node;
        if (!onlyInput && !onlyOutput) out.push({ kind: 'node', stage, node });
      }
    }
    if (what !== 'nodes') for (const [from, to] of s.graph.edges) out.push({ kind: 'edge', stage, from, to });
  });
  return out;
}

/** Drop the term of `from` in `to`'s input: masked in its weighted sum, or zeros when it was the only input. */
function dropTerm(o: Overrides, s: Stage, from: number, to: number): void {
  const preds = s.preds[to]!;
  if (preds.length === 1) {
    o.zeros.add(STAGE_NAMES.conv(s.prefix, to));
    return;
  }
  const name = STAGE_NAMES.sum(s.prefix, to);
  const mask = o.sums.get(name) ?? preds.map(() => 1);
  mask[preds.indexOf(from)] = 0;
  o.sums.set(name, mask);
}

function overridesOf(d: Damage, stages: Stage[]): Overrides {
  const o: Overrides = { sums: new Map(), zeros: new Set(), means: new Map() };
  if (d.kind === 'none') return o;
  const s = stages[d.stage];
  if (!s) throw new RandwireError('damage', `stage ${d.stage + 1} does not exist (the model has ${stages.length})`);
  if (d.kind === 'edge') {
    if (!s.graph.edges.some(([u, v]) => u === d.from && v === d.to)) throw new RandwireError('damage', `stage ${d.stage + 1} has no edge ${d.from} -> ${d.to}`);
    dropTerm(o, s, d.from, d.to);
    return o;
  }
  for (const w of s.succs[d.node]!) dropTerm(o, s, d.node, w);
  const at = s.outputs.indexOf(d.node);
  if (at >= 0) {
    if (s.outputs.length === 1)
      throw new RandwireError('damage', `node ${d.node} is stage ${d.stage + 1}'s only output node; removing it leaves the stage without output`);
    o.means.set(
      STAGE_NAMES.mean(s.prefix),
      s.outputs.map((_, i) => i !== at),
    );
  }
  return o;
}

/**
 * Evaluates a trained RandWire model with one node or edge removed, layer by layer over the
 * model's own layers and weights (nothing is rebuilt). A batch's undamaged activations are kept,
 * and a damage recomputes only the layers downstream of what it changes. Batch norm runs in
 * inference mode with its trained statistics.
 */
export class DamageEvaluator {
  readonly stages: Stage[];

  constructor(
    private readonly model: tf.LayersModel,
    private readonly plan: ModelPlan,
  ) {
    this.stages = randwireStages(plan);
  }

  private apply(name: string, inputs: tf.Tensor[]): tf.Tensor {
    return this.model.getLayer(name).apply(inputs.length === 1 ? inputs[0]! : inputs, { training: false }) as tf.Tensor;
  }

  /** Every layer's output for a batch of inputs, undamaged. Dispose with tf.dispose([...map.values()]). */
  base(x: tf.Tensor): Map<string, tf.Tensor> {
    const values = new Map<string, tf.Tensor>([['input', x]]);
    for (const layer of this.plan.layers)
      values.set(
        layer.name,
        tf.tidy(() =>
          this.apply(
            layer.name,
            layer.inputs.map((n) => values.get(n)!),
          ),
        ),
      );
    values.delete('input');
    return values;
  }

  /** The model's output under a damage, from a batch's base activations (a new tensor; tidy it). */
  output(base: Map<string, tf.Tensor>, x: tf.Tensor, damage: Damage): tf.Tensor {
    const changed = this.recompute(base, x, damage);
    return changed.get(this.plan.output) ?? base.get(this.plan.output)!;
  }

  /**
   * The layers a damage changes, with their new outputs. Some entries may be base tensors (a mean
   * over one kept output): call it inside tf.tidy and never dispose the map's values yourself.
   */
  recompute(base: Map<string, tf.Tensor>, x: tf.Tensor, damage: Damage): Map<string, tf.Tensor> {
    const o = overridesOf(damage, this.stages);
    const changed = new Map<string, tf.Tensor>();
    const value = (n: string): tf.Tensor => (n === 'input' ? x : (changed.get(n) ?? base.get(n)!));
    for (const layer of this.plan.layers) {
      const sum = o.sums.get(layer.name);
      const keep = o.means.get(layer.name);
      const zero = o.zeros.has(layer.name);
      if (!sum && !keep && !zero && !layer.inputs.some((n) => changed.has(n))) continue;
      const ins = layer.inputs.map(value);
      if (zero) changed.set(layer.name, this.apply(layer.name, [tf.zerosLike(ins[0]!)]));
      else if (sum) changed.set(layer.name, this.maskedSum(layer.name, ins, sum));
      else if (keep) {
        const kept = ins.filter((_, i) => keep[i]);
        changed.set(layer.name, kept.length === 1 ? kept[0]! : tf.div(tf.addN(kept), kept.length));
      } else changed.set(layer.name, this.apply(layer.name, ins));
    }
    return changed;
  }

  /** A node's weighted sum with some terms dropped: relu(sum_i mask_i * sigmoid(w_i) * x_i), as the layer computes it. */
  private maskedSum(name: string, xs: tf.Tensor[], mask: number[]): tf.Tensor {
    const layer = this.model.getLayer(name) as tf.layers.Layer & { activation?: string };
    const gates = tf.mul(tf.sigmoid(layer.getWeights()[0]!), tf.tensor1d(mask));
    const kept = xs.map((x, i) => tf.mul(x, tf.slice(gates, [i], [1])));
    const sum = tf.addN(kept);
    return layer.activation === 'relu' ? tf.relu(sum) : sum;
  }
}
