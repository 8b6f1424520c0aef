import type { SweepPlan } from '../sweep/plan.js';
import { halvingPlanOf } from '../sweep/halving-run.js';

/** BullMQ's priorities run from 1 (first) to 2^21; 0 would mean none, taken before every prioritised job. */
const LOWEST = 2 ** 21;

/**
 * A rung job's BullMQ priority in the halving planner's order of work (search/halving-plan.ts):
 * higher rungs first, then bracket by bracket, then plan order. Workers take jobs in this order
 * whenever they are free, however many are waiting; a job the planner does not know goes last.
 */
export function rungPriorities(plan: SweepPlan): (trialId: string, stopEpoch: number) => number {
  const { brackets } = halvingPlanOf(plan);
  const maxRungs = Math.max(1, ...brackets.map((b) => b.rungs.length));
  const perBracket = Math.max(1, ...brackets.map((b) => b.trialIds.length));
  const where = new Map(brackets.flatMap((b, position) => b.trialIds.map((id, order) => [id, { b, position, order }] as const)));
  return (trialId, stopEpoch) => {
    const w = where.get(trialId);
    const rung = w?.b.rungs.findIndex((r) => r.epochs === stopEpoch) ?? -1;
    if (!w || rung < 0) return LOWEST;
    return Math.min(LOWEST, 1 + ((maxRungs - 1 - rung) * brackets.length + w.position) * perBracket + w.order);
  };
}
