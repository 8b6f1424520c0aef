import { hostname } from 'node:os';
import { RandwireError, StorageError } from '../core/errors.js';
import { plural } from '../core/format.js';
import { describeMutation, type Bred } from '../search/evolution-breed.js';
import { planEvolution } from '../search/evolution-plan.js';
import { addTrials } from './added-trials.js';
import { keepCoordinating } from './coordination.js';
import { evolutionAdapter, evolutionSettings, evolutionSettingsJson, storedChildren } from './evolution-setup.js';
import type { RungJob, RungOutcome, SearchRunOptions, SearchRunResult } from './rung-job.js';
import { requeueOrphans } from './local.js';
import type { PlannedTrial, SweepPlan } from './plan.js';
import type { SweepStore } from './store.js';

/**
 * The coordinator of an evolution search on this machine: it asks the planner
 * (search/evolution-plan.ts) for children and work, stores every child with its origin before it
 * trains, and trains `workers` members at once to their last epoch through a TrainToEpoch (a
 * queue-backed one plugs in the same way). Its only state is sweep.db: a coordinator killed at any
 * moment is replaced by running it again.
 */

export interface EvolutionRunResult extends SearchRunResult {
  /** Children bred (and stored) in this run. */
  bred: number;
}

const SETTINGS_KEY = 'search_settings';

/** Tie the stored children to the settings that bred them: changing those after the first child is refused. */
function bindSettings(store: SweepStore, settingsJson: string, children: number): void {
  const before = store.getMeta(SETTINGS_KEY);
  if (before === settingsJson) return;
  if (before !== undefined && children > 0) {
    throw new RandwireError(
      'sweep',
      'the search section (or the trials it starts from) changed after the evolution bred children; put the old one back or start a new sweep folder',
    );
  }
  store.setMeta(SETTINGS_KEY, settingsJson);
}

/** A member's result: validation accuracy once trained, null once failed for good, absent while it has none. */
function results(store: SweepStore, ids: ReadonlySet<string>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const r of store.trials(ids)) {
    if (r.status === 'done') out.set(r.id, r.val_accuracy);
    else if (r.status === 'failed') out.set(r.id, null);
  }
  return out;
}

/** Run a sweep's evolution until every child is bred and trained, or until asked to stop (then run it again to continue). */
export async function runEvolution(store: SweepStore, plan: SweepPlan, dir: string, o: SearchRunOptions): Promise<EvolutionRunResult> {
  const settings = evolutionSettings(plan);
  const adapter = evolutionAdapter(settings.seed);
  const initial = plan.trials.slice(0, settings.population);
  const others = plan.trials.slice(settings.population);
  bindSettings(store, evolutionSettingsJson(plan, settings), storedChildren(store).length);
  const memberIds = (stored: ReturnType<typeof storedChildren>): Set<string> => new Set([...initial, ...stored.map((c) => c.trial)].map((t) => t.id));
  await requeueOrphans(store, dir, memberIds(storedChildren(store)), o.log);
  if (others.length > 0)
    o.log(`evolution starts from the plan's first ${plural(settings.population, 'trial')}; its other ${plural(others.length, 'trial')} are not trained`);
  const running = new Map<string, { job: RungJob; handled: Promise<void> }>();
  const attempts = new Map<string, number>();
  const failed: string[] = [];
  let trained = 0;
  let bred = 0;
  let stopped = false;
  let fatal: unknown;
  const halt = (e: unknown): void => {
    if (fatal === undefined) fatal = e;
    stopped = true;
    for (const r of running.values()) r.job.cancel();
  };
  const stopBeating = keepCoordinating(store, halt, () => {
    for (const id of running.keys()) store.heartbeat(id);
  });
  const poll = setInterval(() => {
    if (!stopped && o.shouldStop?.()) {
      stopped = true;
      for (const r of running.values()) r.job.cancel();
    }
  }, 200);

  const finishJob = (t: PlannedTrial, outcome: RungOutcome): void => {
    if (outcome.kind === 'paused')
      outcome = { kind: 'failed', error: `asked to train to its last epoch (${t.config.epochs}), it paused after epoch ${outcome.epoch}` };
    if (outcome.kind === 'done') {
      store.finish(t.id, outcome.summary, outcome.history);
      trained++;
      o.log(`${t.cell.label} ${t.id}: validation accuracy ${fmt(outcome.summary.validationAccuracy)}, test ${fmt(outcome.summary.testAccuracy)}`);
    } else if (outcome.kind === 'stopped' || stopped) {
      store.release(t.id);
    } else if ('storage' in outcome && outcome.storage === true) {
      // The disk, not the member: no attempt is spent (a failed member would change the children bred after it).
      store.release(t.id);
      halt(new StorageError('sweep', `${t.id} (${t.cell.label}) stopped: ${outcome.error}`));
    } else {
      const n = (attempts.get(t.id) ?? 0) + 1;
      attempts.set(t.id, n);
      const retry = n <= o.retries;
      store.fail(t.id, outcome.error, retry);
      o.log(
        `${t.id} (${t.cell.label}) failed: ${outcome.error}${retry ? `; trying again (attempt ${n + 1} of ${o.retries + 1})` : '; it never wins a tournament'}`,
      );
      if (!retry) failed.push(t.id);
    }
  };

  const start = (t: PlannedTrial): void => {
    const job = o.trainTo(t, t.config.epochs, (m) => {
      try {
        store.putEpoch(t.id, m);
        store.heartbeat(t.id);
      } catch (e) {
        halt(e);
      }
    });
    store.markRunning(t.id, job.pid, hostname());
    const handled = job.outcome
      .then((outcome) => {
        running.delete(t.id);
        finishJob(t, outcome);
      })
      .catch(halt);
    running.set(t.id, { job, handled });
  };

  try {
    for (;;) {
      const stored = storedChildren(store);
      const step = planEvolution(initial, stored, results(store, memberIds(stored)), adapter, settings);
      if (step.children.length > 0) {
        // Stored before any of them trains, each with its origin, all or none.
        bred += addTrials(
          store,
          step.children.map((c) => ({ trial: c.trial, kind: 'child' as const, parentId: c.parentId, detail: { ...c.detail } })),
        ).length;
        const parents = new Map([...initial, ...stored.map((c) => c.trial), ...step.children.map((c) => c.trial)].map((t) => [t.id, t]));
        for (const c of step.children) o.log(describeChild(c, parents.get(c.parentId)));
      }
      if (!stopped) {
        for (const t of step.work) {
          if (running.size >= o.workers) break;
          if (!running.has(t.id)) start(t);
        }
      }
      if (running.size === 0) {
        if (!step.finished && !stopped)
          throw new Error(`evolution: nothing runs and nothing is runnable, but the search is not finished (${step.work.length} members to train)`);
        break;
      }
      await Promise.race([...running.values()].map((r) => r.handled));
    }
  } finally {
    stopBeating();
    clearInterval(poll);
  }
  await Promise.all([...running.values()].map((r) => r.handled));
  if (fatal !== undefined) throw fatal;
  return { trained, failed, stopped, bred };
}

function describeChild(c: Bred<PlannedTrial>, parent: PlannedTrial | undefined): string {
  const of = parent ? `${parent.cell.label} graph ${parent.graphSeed} (${c.parentId})` : c.parentId;
  return `child ${c.detail.birth} ${c.trial.id} (generation ${c.detail.generation}) of ${of}: ${c.detail.mutations.map(describeMutation).join(', ')}`;
}

const fmt = (a: number | null): string => (a === null ? 'none' : `${(a * 100).toFixed(2)} %`);
