import type { SweepResults, TrialResult } from '../sweep/collect.js';

/** What a comparison can be matched on: a model's size or its compute per image. */
export const MATCH_KINDS = {
  flops: { label: 'multiply-adds per image', of: (t: TrialResult) => t.multiplyAdds },
  params: { label: 'parameters', of: (t: TrialResult) => t.modelParams },
} as const;
export type MatchKind = keyof typeof MATCH_KINDS;
export const MATCH_KIND_NAMES = Object.keys(MATCH_KINDS) as MatchKind[];

export interface ComputeMatch {
  kind: MatchKind;
  tolerance: number;
  /** The median over RandWire trials: the budget every kept trial is within `tolerance` of. */
  reference: number;
  kept: number;
  dropped: number;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Keep only trials within `tolerance` (0.1 = 10 %) of the median RandWire trial's parameters or
 * multiply-adds, so that a family that wins only by being bigger drops out of the comparison.
 */
export function matchCompute(results: SweepResults, kind: MatchKind, tolerance: number): { results: SweepResults; match: ComputeMatch } {
  const of = MATCH_KINDS[kind].of;
  const randwire = results.trials.filter((t) => t.model === 'randwire');
  const reference = median((randwire.length ? randwire : results.trials).map(of));
  const trials = results.trials.filter((t) => Math.abs(of(t) - reference) <= tolerance * reference);
  return { results: { ...results, trials }, match: { kind, tolerance, reference, kept: trials.length, dropped: results.trials.length - trials.length } };
}
