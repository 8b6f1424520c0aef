import type { BracketPlan, DecisionRow, HalvingWork } from './halving-plan.js';

/**
 * A search's budget: pure, no I/O. Epochs and trials are charged in a fixed order that does not
 * depend on when results arrive (plan order for grid and random; bracket by bracket, rung by rung
 * for halving), so a deterministic budget admits the same jobs with any number of workers or
 * restarts. Minutes are wall time and cannot be: they are checked before each start.
 */

export interface SearchBudget {
  epochs?: number;
  trials?: number;
  minutes?: number;
}

export interface BudgetSpent {
  epochs: number;
  trials: number;
  minutes: number;
}

/** A job's charge against the budget: epochs trained, and 1 for the job that starts a trial. */
interface Charge {
  epochs: number;
  trials: number;
}

/** How many of `charges`, taken in order, fit the epochs and trials budgets: no job after the first that does not fit. */
export function admittedCount(charges: readonly Charge[], budget: SearchBudget): number {
  let epochs = 0;
  let trials = 0;
  for (let i = 0; i < charges.length; i++) {
    epochs += charges[i]!.epochs;
    trials += charges[i]!.trials;
    if ((budget.epochs !== undefined && epochs > budget.epochs) || (budget.trials !== undefined && trials > budget.trials)) return i;
  }
  return charges.length;
}

/** Grid and random: the trials trained, a prefix of the plan's order (each charged its configured epochs). */
export function admittedTrials<T extends { config: { epochs: number } }>(trials: readonly T[], budget: SearchBudget): T[] {
  return trials.slice(
    0,
    admittedCount(
      trials.map((t) => ({ epochs: t.config.epochs, trials: 1 })),
      budget,
    ),
  );
}

const rungKey = (bracket: number, rung: number): string => `${bracket}/${rung}`;

/**
 * Halving: how many of each rung's jobs the budget admits, charging brackets in order and, within
 * one, its rungs in order (Li et al.'s Hyperband runs its brackets one after another). A rung's
 * size is fixed by the bracket plan, so this needs no result. Rungs absent from the map get none.
 */
export function halvingAllowance(plan: readonly BracketPlan[], budget: SearchBudget): Map<string, number> {
  const charges: Array<Charge & { key: string }> = [];
  for (const b of plan) {
    b.rungs.forEach((r, i) => {
      const epochs = r.epochs - (i === 0 ? 0 : b.rungs[i - 1]!.epochs);
      for (let k = 0; k < (i === 0 ? b.trialIds.length : r.trials); k++) charges.push({ key: rungKey(b.index, i), epochs, trials: i === 0 ? 1 : 0 });
    });
  }
  const allowance = new Map<string, number>();
  for (const c of charges.slice(0, admittedCount(charges, budget))) allowance.set(c.key, (allowance.get(c.key) ?? 0) + 1);
  return allowance;
}

/**
 * The planner's work that the allowance admits: at rung 0 the bracket's first trials in plan order,
 * at a higher rung the first trials promoted to it, best first (the planner's order of decisions).
 */
export function workWithinBudget(
  work: readonly HalvingWork[],
  plan: readonly BracketPlan[],
  decisions: readonly DecisionRow[],
  allowance: ReadonlyMap<string, number>,
): HalvingWork[] {
  const position = new Map<string, number>();
  for (const b of plan) b.trialIds.forEach((id, i) => position.set(`${rungKey(b.index, 0)}/${id}`, i));
  const promotedSoFar = new Map<string, number>();
  for (const d of decisions) {
    if (d.decision !== 'promoted') continue;
    const next = rungKey(d.bracket, d.rung + 1);
    const n = promotedSoFar.get(next) ?? 0;
    position.set(`${next}/${d.trialId}`, n);
    promotedSoFar.set(next, n + 1);
  }
  return work.filter((w) => {
    const at = position.get(`${rungKey(w.bracket, w.rung)}/${w.trialId}`);
    return at !== undefined && at < (allowance.get(rungKey(w.bracket, w.rung)) ?? 0);
  });
}

/** Whether a new job may start: the deterministic parts are the allowance's; minutes are checked here. */
export const minutesLeft = (budget: SearchBudget, spentMinutes: number): boolean => budget.minutes === undefined || spentMinutes < budget.minutes;

/** `budget spent: 120 of 120 epochs; 9 of 10 trials; 3.1 of 60 minutes`: the budgets given, with what was spent of each. */
export function budgetLine(budget: SearchBudget, spent: BudgetSpent): string {
  const parts: string[] = [];
  if (budget.epochs !== undefined) parts.push(`${spent.epochs} of ${budget.epochs} epochs`);
  if (budget.trials !== undefined) parts.push(`${spent.trials} of ${budget.trials} trials`);
  // Tenths of a minute, or thousandths for a budget under a minute (tests, quick checks), so that a spent budget never reads 0.0.
  if (budget.minutes !== undefined) parts.push(`${spent.minutes.toFixed(budget.minutes < 1 ? 3 : 1)} of ${budget.minutes} minutes`);
  return `budget spent: ${parts.join('; ')}`;
}

/** Halving's spending from its stored rung results: epochs trained (each result's epoch less the rung below's) and trials started. */
export function halvingSpent(
  plan: readonly BracketPlan[],
  results: ReadonlyArray<{ trialId: string; bracket: number; rung: number; epoch: number }>,
): Omit<BudgetSpent, 'minutes'> {
  const from = (bracket: number, rung: number): number => (rung === 0 ? 0 : (plan.find((b) => b.index === bracket)?.rungs[rung - 1]?.epochs ?? 0));
  return { epochs: results.reduce((n, r) => n + r.epoch - from(r.bracket, r.rung), 0), trials: new Set(results.map((r) => r.trialId)).size };
}
