import { hostname } from 'node:os';
import { assignBrackets, planHalving, type BracketPlan, type DecisionRow, type HalvingWork, type RungRanking } from '../search/halving-plan.js';
import { canonicalJson, type PlannedTrial, type SweepPlan } from './plan.js';
import { halvingSettings } from './search-spec.js';
import { SearchStore } from './search-store.js';
import { halvingAllowance, halvingSpent, minutesLeft, workWithinBudget } from '../search/budget.js';
import { BudgetClock, searchBudgetOf } from './search-budget.js';
import { keepCoordinating } from './coordination.js';
import { requeueOrphans } from './local.js';
import type { SweepStore } from './store.js';
import type { RungJob, RungOutcome, SearchRunOptions, SearchRunResult } from './rung-job.js';

/**
 * The coordinator of a halving search on this machine: it asks the planner (search/halving-plan.ts)
 * for decisions and work, stores every rung result and decision, and trains `workers` rung jobs at
 * once. It holds no state of its own between rounds: all of it is in sweep.db, so a coordinator
 * killed at any moment is replaced by running it again.
 */

export interface HalvingRunResult extends SearchRunResult {
  /** Decisions stored in this run. */
  decided: number;
  /** Time the workers spent in rung jobs / (workers x wall time of the run). */
  busy: number;
  /** The coordinator's own time per trial of the plan: planning decisions and writing the store (ms). */
  overheadMsPerTrial: number;
  /** `budget spent: ...` when the search's budget ended it. */
  budgetSpent?: string;
}

/** The brackets of a sweep's halving search, and the JSON its stored rows are bound to. */
export function halvingPlanOf(plan: SweepPlan): { brackets: BracketPlan[]; settingsJson: string; ranking: RungRanking } {
  const settings = halvingSettings(plan.spec);
  const ids = plan.trials.map((t) => t.id);
  const ranking: RungRanking =
    settings.objective === 'pareto'
      ? { kind: 'pareto', costs: new Map(plan.trials.map((t) => [t.id, settings.cost === 'params' ? t.params : t.multiplyAdds])) }
      : { kind: 'accuracy' };
  return { brackets: assignBrackets(ids, settings), settingsJson: canonicalJson({ settings, trials: ids }), ranking };
}

const describe = (d: readonly DecisionRow[], trials: ReadonlyMap<string, PlannedTrial>): string => {
  const promoted = d.filter((x) => x.decision === 'promoted').map((x) => trials.get(x.trialId)?.cell.label ?? x.trialId);
  return `bracket ${d[0]!.bracket} rung ${d[0]!.rung}: ${promoted.length} promoted (${promoted.join(', ')}), ${d.length - promoted.length} stopped`;
};

/** Run a sweep's halving search until every bracket is decided, or until asked to stop (then run it again to continue). */
export async function runHalving(store: SweepStore, plan: SweepPlan, dir: string, o: SearchRunOptions): Promise<HalvingRunResult> {
  const { brackets, settingsJson, ranking } = halvingPlanOf(plan);
  await requeueOrphans(store, dir, new Set(plan.trials.map((t) => t.id)), o.log);
  const search = SearchStore.of(store);
  search.bindSettings(settingsJson);
  const trials = new Map(plan.trials.map((t) => [t.id, t]));
  const budget = searchBudgetOf(plan.spec);
  const allowance = budget && halvingAllowance(brackets, budget);
  const clock = budget && new BudgetClock(store);
  let budgetSpent: string | undefined;
  let overheadMs = 0;
  const timed = <T>(f: () => T): T => {
    const at = performance.now();
    try {
      return f();
    } finally {
      overheadMs += performance.now() - at;
    }
  };
  const running = new Map<string, { job: RungJob; handled: Promise<void> }>();
  const attempts = new Map<string, number>();
  const failed: string[] = [];
  let trained = 0;
  let decided = 0;
  let busyMs = 0;
  let stopped = false;
  const started = Date.now();
  const stopBeating = keepCoordinating(store, () => {
    for (const id of running.keys()) store.heartbeat(id);
  });
  const poll = setInterval(() => {
    if (!stopped && o.shouldStop?.()) {
      stopped = true;
      for (const r of running.values()) r.job.cancel();
    }
  }, 200);

  const finishJob = (w: HalvingWork, outcome: RungOutcome): void => {
    const t = trials.get(w.trialId)!;
    const result = { trialId: w.trialId, bracket: w.bracket, rung: w.rung, epoch: w.stopEpoch };
    if (outcome.kind === 'paused' && outcome.epoch !== w.stopEpoch) {
      outcome = { kind: 'failed', error: `asked to pause after epoch ${w.stopEpoch}, it paused after epoch ${outcome.epoch}` };
    }
    if (outcome.kind === 'paused') {
      for (const m of outcome.history) store.putEpoch(w.trialId, m);
      search.recordRungResult({ ...result, valAccuracy: outcome.validationAccuracy });
      store.release(w.trialId);
      trained++;
    } else if (outcome.kind === 'done') {
      store.finish(w.trialId, outcome.summary, outcome.history);
      search.recordRungResult({ ...result, valAccuracy: outcome.summary.validationAccuracy });
      trained++;
      o.log(
        `${t.cell.label} graph ${t.graphSeed} train ${t.trainSeed} (bracket ${w.bracket}) trained to the top rung: validation accuracy ${fmt(outcome.summary.validationAccuracy)}`,
      );
    } else if (outcome.kind === 'stopped' || stopped) {
      store.release(w.trialId);
    } else {
      const n = (attempts.get(w.trialId) ?? 0) + 1;
      attempts.set(w.trialId, n);
      const retry = n <= o.retries;
      store.fail(w.trialId, outcome.error, retry);
      o.log(
        `${w.trialId} (${t.cell.label}) failed towards epoch ${w.stopEpoch}: ${outcome.error}${retry ? `; trying again (attempt ${n + 1} of ${o.retries + 1})` : '; it ranks last at its rung'}`,
      );
      if (!retry) {
        failed.push(w.trialId);
        search.recordRungResult({ ...result, valAccuracy: null });
      }
    }
  };

  const start = (w: HalvingWork): void => {
    const t = trials.get(w.trialId)!;
    const job = o.trainTo(t, w.stopEpoch, (m) => {
      store.putEpoch(t.id, m);
      store.heartbeat(t.id);
    });
    if (!job.startsLater) store.markRunning(t.id, job.pid, hostname());
    const at = Date.now();
    const handled = job.outcome.then((outcome) => {
      busyMs += Date.now() - at;
      running.delete(w.trialId);
      timed(() => finishJob(w, outcome));
    });
    running.set(w.trialId, { job, handled });
  };

  try {
    for (;;) {
      const { step, runnable } = timed(() => {
        const step = planHalving(brackets, search.rungResults(), search.decisions(), ranking);
        if (step.decisions.length > 0) {
          decided += search.recordDecisions(step.decisions);
          for (const rung of groupByRung(step.decisions)) o.log(describe(rung, trials));
        }
        clock?.save();
        return { step, runnable: allowance ? workWithinBudget(step.work, brackets, search.decisions(), allowance) : step.work };
      });
      const mayStart = !stopped && (!budget || minutesLeft(budget, clock!.minutes()));
      if (mayStart) {
        for (const w of runnable) {
          if (running.size >= o.workers) break;
          if (!running.has(w.trialId)) start(w);
        }
      }
      if (running.size === 0) {
        if (!step.finished && !stopped && budget && (!mayStart || runnable.length < step.work.length)) {
          budgetSpent = clock!.spent(budget, halvingSpent(brackets, search.rungResults()));
          o.log(`${budgetSpent}; the search ends here (raise search.budget and run again to continue)`);
        } else if (!step.finished && !stopped)
          throw new Error(`halving: nothing runs and nothing is runnable, but the search is not finished (${step.work.length} jobs)`);
        break;
      }
      await Promise.race([...running.values()].map((r) => r.handled));
    }
  } finally {
    stopBeating();
    clearInterval(poll);
    clock?.save();
  }
  const wall = Date.now() - started;
  const overheadMsPerTrial = overheadMs / Math.max(1, plan.trials.length);
  return { trained, failed, stopped, decided, busy: wall > 0 ? busyMs / (o.workers * wall) : 1, overheadMsPerTrial, ...(budgetSpent ? { budgetSpent } : {}) };
}

const fmt = (a: number | null): string => (a === null ? 'none' : `${(a * 100).toFixed(2)} %`);

function groupByRung(d: readonly DecisionRow[]): DecisionRow[][] {
  const groups = new Map<string, DecisionRow[]>();
  for (const x of d) {
    const k = `${x.bracket}/${x.rung}`;
    groups.set(k, [...(groups.get(k) ?? []), x]);
  }
  return [...groups.values()];
}
