import { admittedTrials, budgetLine, minutesLeft, type BudgetSpent, type SearchBudget } from '../search/budget.js';
import type { PlannedTrial } from './plan.js';
import { hasTable } from './search-store.js';
import type { SweepSpec } from './spec.js';
import type { SweepStore } from './store.js';
import type { BudgetState } from './store-rows.js';

/**
 * A search's budget against sweep.db: the wall time of training summed over the sweep's runs (so a
 * resumed sweep goes on counting), and the line that says the budget ended the search (so status
 * and report tell trials left untrained by it from unfinished ones). Both live in the meta table.
 */

/** Seconds of training wall time over every run of the sweep. */
const SECONDS_KEY = 'search_budget_seconds';
/** Set when a run ended because the budget was spent; cleared when a run starts (a larger budget continues). */
const SPENT_KEY = 'search_budget_spent';

export const searchBudgetOf = (spec: SweepSpec): SearchBudget | undefined => spec.search?.budget;

/** The sweep's training wall time: what earlier runs stored, plus this run's since `start()`. */
export class BudgetClock {
  private readonly before: number;
  private readonly startedAt = Date.now();

  constructor(private readonly store: SweepStore) {
    this.before = Number(store.getMeta(SECONDS_KEY) ?? 0);
    store.setMeta(SPENT_KEY, '');
  }

  minutes(): number {
    return (this.before + (Date.now() - this.startedAt) / 1000) / 60;
  }

  /** Store the time so far: called at each start and at the end, so a killed run loses at most one job's time. */
  save(): void {
    this.store.setMeta(SECONDS_KEY, String(this.minutes() * 60));
  }

  /** The search stopped on its budget: store the line and return it. */
  spent(budget: SearchBudget, spent: Omit<BudgetSpent, 'minutes'>): string {
    this.save();
    const line = budgetLine(budget, { ...spent, minutes: this.minutes() });
    this.store.setMeta(SPENT_KEY, line);
    return line;
  }
}

/** What the budget left untrained, or undefined while no run has stopped on it. */
export function budgetState(store: SweepStore, ids: ReadonlySet<string>): BudgetState | undefined {
  const line = store.getMeta(SPENT_KEY);
  if (!line) return undefined;
  // A trial with an epoch stored, or a rung result (the halving coordinator's record of one), was trained.
  const sql = `SELECT trial_id FROM epochs${hasTable(store.db, 'search_rungs') ? ' UNION SELECT trial_id FROM search_rungs' : ''}`;
  const trained = store.guarded(() => new Set((store.db.prepare(sql).all() as Array<{ trial_id: string }>).map((r) => r.trial_id)));
  const notTrained = store
    .trials(ids)
    .filter((r) => r.status === 'queued' && !trained.has(r.id))
    .map((r) => r.id);
  return { line, notTrained };
}

/** Grid and random under a budget: the trials to train (a prefix of the plan), the minutes' check before each start, and the end. */
export interface EnumerationBudget {
  trials: PlannedTrial[];
  mayStart?: () => boolean;
  /** After a run that was not interrupted: the `budget spent` line if the budget left trials untrained (stored), else undefined. */
  end(): string | undefined;
}

export function enumerationBudget(store: SweepStore, trials: PlannedTrial[], budget: SearchBudget | undefined): EnumerationBudget {
  if (!budget) return { trials, end: () => undefined };
  const clock = new BudgetClock(store);
  const admitted = admittedTrials(trials, budget);
  return {
    trials: admitted,
    ...(budget.minutes !== undefined ? { mayStart: () => (clock.save(), minutesLeft(budget, clock.minutes())) } : {}),
    end: () => {
      clock.save();
      const rows = store.trials(new Set(trials.map((t) => t.id)));
      if (!rows.some((r) => r.status === 'queued')) return undefined;
      const started = new Set(rows.filter((r) => r.status === 'done' || r.status === 'failed').map((r) => r.id));
      const spent = trials.filter((t) => started.has(t.id));
      return clock.spent(budget, { epochs: spent.reduce((n, t) => n + t.config.epochs, 0), trials: spent.length });
    },
  };
}
