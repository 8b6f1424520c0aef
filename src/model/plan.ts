/**
 * A model as pure data: a DAG of layers with their hyper-parameters. The same plan is counted
 * by complexity.ts (no tfjs) and turned into a tfjs LayersModel by build.ts, so params and FLOPs
 * can be checked against tfjs and printed without building anything.
 */
export type Op =
  | { kind: 'conv'; filters: number; kernel: number; stride: number; padding: 'same' | 'valid'; bias: boolean }
  | { kind: 'sepconv'; filters: number; kernel: number; stride: number }
  | { kind: 'bn' }
  | { kind: 'relu' }
  | { kind: 'maxpool'; size: number; stride: number; padding: 'same' | 'valid' }
  | { kind: 'gap' }
  | { kind: 'flatten' }
  | { kind: 'dense'; units: number; activation: 'linear' | 'relu' | 'softmax' }
  | { kind: 'dropout'; rate: number }
  /**
   * sum_i sigmoid(w_i) * x_i, one learnable scalar per input (RandWire aggregation), optionally
   * followed by the node's ReLU in the same layer (one pass over memory instead of two).
   */
  | { kind: 'weightedSum'; activation: 'linear' | 'relu' }
  /** Plain mean of the inputs (RandWire stage output). */
  | { kind: 'mean' };

export interface PlanLayer {
  /** Unique layer name; also the tfjs layer name. */
  name: string;
  op: Op;
  inputs: string[];
}

export interface ModelPlan {
  model: string;
  inputShape: [number, number, number];
  classes: number;
  layers: PlanLayer[];
  output: string;
  /** Anything that makes the model self-describing (RandWire: its options and stage graphs). */
  metadata: Record<string, unknown>;
}

export const INPUT = 'input';

/** Small helper to append layers in order and chain single-input ones. */
export class PlanBuilder {
  readonly layers: PlanLayer[] = [];
  private readonly names = new Set<string>([INPUT]);

  add(name: string, op: Op, inputs: string | string[]): string {
    if (this.names.has(name)) throw new Error(`duplicate layer name ${name}`);
    this.names.add(name);
    this.layers.push({ name, op, inputs: Array.isArray(inputs) ? inputs : [inputs] });
    return name;
  }

  /** Add a chain of ops named prefix_<kind>, each reading the previous one. */
  chain(prefix: string, input: string, ops: Op[]): string {
    let last = input;
    const counts = new Map<string, number>();
    for (const op of ops) {
      const n = counts.get(op.kind) ?? 0;
      counts.set(op.kind, n + 1);
      last = this.add(`${prefix}_${op.kind}${n ? n + 1 : ''}`, op, last);
    }
    return last;
  }
}

/** Layers on the plan's longest path from the input to the output (layers are in build order, inputs first). */
export function planDepth(plan: ModelPlan): number {
  const depth = new Map<string, number>([[INPUT, 0]]);
  for (const l of plan.layers) depth.set(l.name, 1 + l.inputs.reduce((m, i) => Math.max(m, depth.get(i) ?? 0), 0));
  return depth.get(plan.output) ?? 0;
}
