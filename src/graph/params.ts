import { RandwireError } from '../core/errors.js';
import { LIMITS, formatCount } from '../core/limits.js';

/** Why a graph of this size is refused (LIMITS.graphNodes, graphEdges), or undefined: one wording for every reader. */
export function graphSizeProblem(nodes: number, edges: number): string | undefined {
  if (nodes > LIMITS.graphNodes) return `${formatCount(nodes)} nodes, more than the ${formatCount(LIMITS.graphNodes)} allowed`;
  if (edges > LIMITS.graphEdges) return `${formatCount(edges)} edges, more than the ${formatCount(LIMITS.graphEdges)} allowed`;
  return undefined;
}

/** What a generator parameter may be; drives validation, CLI flags and help text. */
export interface ParamSpec {
  description: string;
  kind: 'probability' | 'integer' | 'positive';
  /** For integers: the smallest allowed value. */
  min?: number;
  /** Extra rule given the node count, returning an error text or undefined. */
  check?: (value: number, nodes: number) => string | undefined;
  default: number;
}

export function checkNodes(nodes: number): void {
  if (!Number.isInteger(nodes) || nodes < 2) {
    throw new RandwireError('graph', `nodes must be an integer >= 2, got ${nodes}`);
  }
  if (nodes > LIMITS.graphNodes) throw new RandwireError('graph', `nodes must be at most ${LIMITS.graphNodes}, got ${nodes}`);
}

export function checkParam(name: string, spec: ParamSpec, value: number, nodes: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RandwireError('graph', `${name} must be a number, got ${String(value)}`);
  }
  if (spec.kind === 'probability' && (value < 0 || value > 1)) {
    throw new RandwireError('graph', `${name} must be a probability in [0, 1], got ${value}`);
  }
  if (spec.kind === 'positive' && !(value > 0)) {
    throw new RandwireError('graph', `${name} must be > 0, got ${value}`);
  }
  if (spec.kind === 'integer') {
    if (!Number.isInteger(value)) {
      throw new RandwireError('graph', `${name} must be an integer, got ${value}`);
    }
    if (spec.min !== undefined && value < spec.min) {
      throw new RandwireError('graph', `${name} must be >= ${spec.min}, got ${value}`);
    }
  }
  const problem = spec.check?.(value, nodes);
  if (problem !== undefined) throw new RandwireError('graph', `${name} ${problem}, got ${value}`);
}
