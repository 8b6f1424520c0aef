import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { planHalving, type BracketPlan, type DecisionRow, type HalvingWork, type RungResultRow } from '../../src/search/halving-plan.js';

/**
 * A halving search with simulated workers and clock, driven only through the planner and the rows
 * a store would hold: each job takes (epochs to train) x a seeded random factor, so the results
 * arrive in another order for every seed and worker count. A crash loses the running jobs and
 * everything not yet stored; the next round asks the planner again on the stored rows.
 */

/**
 * Seeded floats in [0, 1) (mulberry32): the simulation's own, so that it does not change when the
 * project's generators do.
 */
export function seededFloats(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A number in [0, 1) fixed by a text. */
const unit = (text: string): number => parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16) / 2 ** 32;

/** Validation and test accuracy of a trial after an epoch: seeded, coarse (ties happen), and test ranks trials otherwise. */
export function accuracyOf(trialId: string, epoch: number): { val: number; test: number } {
  const base = unit(`acc/${trialId}`);
  const val = Math.round((0.5 + 0.3 * base + 0.02 * Math.log(epoch)) * 50) / 50;
  return { val, test: 1.4 - val };
}

export interface SimOptions {
  workers: number;
  seed: number;
  /** Chance that the coordinator dies after an event. */
  crashChance?: number;
}

export interface SimResult {
  /** Stored decisions with the sequence number they got. */
  decisions: Array<DecisionRow & { seq: number }>;
  results: RungResultRow[];
  /** Every (trial, rung) started, in start order (again after a crash lost it). */
  started: HalvingWork[];
  crashes: number;
  /** Worker time spent training / (workers x makespan). */
  busy: number;
}

export function simulate(plan: BracketPlan[], o: SimOptions): SimResult {
  const random = seededFloats(o.seed);
  const results: RungResultRow[] = [];
  const decisions: Array<DecisionRow & { seq: number }> = [];
  const started: HalvingWork[] = [];
  let running: Array<{ work: HalvingWork; finishAt: number }> = [];
  let clock = 0;
  let trained = 0;
  let crashes = 0;
  for (let round = 0; ; round++) {
    assert.ok(round < 100_000, 'the simulated search did not end within 100,000 rounds');
    const step = planHalving(plan, results, decisions);
    for (const d of step.decisions) {
      assert.ok(!decisions.some((x) => x.bracket === d.bracket && x.rung === d.rung && x.trialId === d.trialId), `decided twice: ${JSON.stringify(d)}`);
      decisions.push({ ...d, seq: decisions.length + 1 });
    }
    const stopped = new Set(decisions.filter((d) => d.decision === 'stopped').map((d) => d.trialId));
    const busyIds = new Set(running.map((r) => r.work.trialId));
    for (const w of step.work) {
      if (running.length >= o.workers) break;
      if (busyIds.has(w.trialId)) continue;
      assert.ok(!stopped.has(w.trialId), `work for stopped trial ${w.trialId}`);
      busyIds.add(w.trialId);
      started.push(w);
      running.push({ work: w, finishAt: clock + (w.stopEpoch - w.fromEpoch) * (0.5 + random()) });
    }
    if (running.length === 0) {
      assert.ok(step.finished, 'nothing runs and nothing is runnable, but the search is not finished');
      break;
    }
    running.sort((a, b) => a.finishAt - b.finishAt);
    const next = running.shift()!;
    trained += (running.length + 1) * (next.finishAt - clock);
    clock = next.finishAt;
    const { work } = next;
    results.push({
      trialId: work.trialId,
      bracket: work.bracket,
      rung: work.rung,
      epoch: work.stopEpoch,
      valAccuracy: accuracyOf(work.trialId, work.stopEpoch).val,
    });
    if (o.crashChance !== undefined && random() < o.crashChance) {
      crashes++;
      running = [];
    }
  }
  return { decisions, results, started, crashes, busy: trained / (o.workers * clock) };
}

/** Decisions without their order, for comparing runs. */
export const decisionSet = (d: readonly DecisionRow[]): string[] => d.map((x) => `${x.bracket}/${x.rung}/${x.trialId}/${x.decision}`).sort();

/** Per bracket, the trials with a result at its top rung. */
export function finalSet(plan: readonly BracketPlan[], results: readonly RungResultRow[]): string[] {
  return plan.flatMap((b) => results.filter((r) => r.bracket === b.index && r.rung === b.rungs.length - 1).map((r) => `${b.index}/${r.trialId}`)).sort();
}
