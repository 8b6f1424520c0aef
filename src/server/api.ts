import { sweepTrialIds } from '../sweep/added-trials.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readJson } from '../io/json.js';
import { RandwireError } from '../core/errors.js';
import { MODEL_FILES, RUNS_DIR, SWEEP_FILES } from '../io/run-layout.js';
import { RUN_FILES, readSummary } from '../experiment/run-files.js';
import { parseGraph } from '../graph/format.js';
import { readText } from '../io/files.js';
import type { EpochMetrics } from '../train/state.js';
import { loadSpec } from '../sweep/folder.js';
import { planSweep, type SweepPlan } from '../sweep/plan.js';
import { SweepStore } from '../sweep/store.js';
import { progressStatus, sweepProgress } from '../sweep/status.js';
import { stoppedByHalving } from '../sweep/halving-status.js';
import { collectResults } from '../sweep/collect.js';
import { cellRows, correlationRows, pairRows } from '../report/sweep-stats.js';
import { folderKind } from './folders.js';
import { fileInside, HttpError } from './safe-path.js';
import { DAMAGE_DIR } from '../report/damage-report.js';
import { readSearchData } from '../report/search-read.js';
import { searchSections } from '../report/search-report.js';

/** Metrics lines written so far; a line being appended right now is left for the next read. */
function readMetrics(file: string): EpochMetrics[] {
  if (!existsSync(file)) return [];
  const text = readText(file);
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete.trim()
    ? complete
        .trim()
        .split('\n')
        .map((l, i) => {
          try {
            return JSON.parse(l) as EpochMetrics;
          } catch {
            throw new RandwireError('serve', `${file}: line ${i + 1} is not JSON; the file is damaged`);
          }
        })
    : [];
}

/** The files a view reads must lie under the served folder too (a symlinked config.json must not lead out). */
function confine(realRoot: string, dir: string, names: string[]): void {
  for (const n of names) if (existsSync(join(dir, n))) fileInside(realRoot, join(dir, n));
}

/** A run folder as the dashboard shows it: config, summary (null while training), epochs, stage graphs. */
export function runView(realRoot: string, dir: string, path: string) {
  if (folderKind(dir) !== 'run')
    throw new HttpError(404, `${path || 'the served folder'} is not a run folder (a sweep's trial folders exist only where its trials ran)`);
  confine(realRoot, dir, [RUN_FILES.config, RUN_FILES.summary, RUN_FILES.metrics, RUN_FILES.graphs, DAMAGE_DIR]);
  const graphsDir = join(dir, RUN_FILES.graphs);
  const graphs = existsSync(graphsDir)
    ? readdirSync(graphsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => parseGraph(readText(fileInside(realRoot, join(graphsDir, f))), f))
    : [];
  const hasModel = existsSync(join(dir, RUN_FILES.model, MODEL_FILES.json));
  // `randwire damage` writes its figures into the run's damage/ folder.
  const damageDir = join(dir, DAMAGE_DIR);
  const damage = existsSync(damageDir)
    ? readdirSync(damageDir)
        .filter((f) => f.endsWith('.svg'))
        .sort()
        .map((f) => `${path ? `${path}/` : ''}${DAMAGE_DIR}/${f}`)
    : [];
  return {
    path,
    config: readJson(join(dir, RUN_FILES.config), 'run config'),
    summary: readSummary(dir) ?? null,
    metrics: readMetrics(join(dir, RUN_FILES.metrics)),
    graphs,
    model: hasModel ? `${path ? `${path}/` : ''}${RUN_FILES.model}/${MODEL_FILES.json}` : null,
    damage,
  };
}

/** A `reproduce` results folder: its table (if written) and its runs. */
export function resultsView(realRoot: string, dir: string, path: string) {
  if (folderKind(dir) !== 'results') throw new HttpError(404, 'not a results folder');
  confine(realRoot, dir, [RUNS_DIR, 'table.json']);
  const runsDir = join(dir, RUNS_DIR);
  const runs = existsSync(runsDir)
    ? readdirSync(runsDir)
        .filter((r) => folderKind(join(runsDir, r)) === 'run')
        .sort()
    : [];
  const table = existsSync(join(dir, 'table.json')) ? readJson(join(dir, 'table.json'), 'results table') : null;
  const prefix = path ? `${path}/` : '';
  return {
    path,
    table,
    runs: runs.map((r) => {
      const runDir = join(runsDir, r);
      confine(realRoot, runDir, ['.', RUN_FILES.summary, RUN_FILES.metrics]);
      return {
        id: r,
        path: `${prefix}${RUNS_DIR}/${r}`,
        summary: readSummary(runDir) ?? null,
        epochs: readMetrics(join(runDir, RUN_FILES.metrics)).length,
        hasModel: existsSync(join(runDir, RUN_FILES.model, MODEL_FILES.json)),
      };
    }),
  };
}

/** Planning a large sweep takes a while; the plan changes only when sweep.json does. */
const plans = new Map<string, { stamp: string; plan: SweepPlan }>();

function cachedPlan(dir: string): SweepPlan {
  const file = join(dir, SWEEP_FILES.spec);
  const st = statSync(file);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const hit = plans.get(dir);
  if (hit?.stamp === stamp) return hit.plan;
  // Reading needs no data set: a sweep trained elsewhere can be looked at here.
  const plan = planSweep(loadSpec({ path: dir }, false).spec, false);
  plans.set(dir, { stamp, plan });
  return plan;
}

/** A sweep: progress per cell, every trial with its numbers and graph statistics, and the report's statistics. */
export function sweepView(realRoot: string, dir: string, path: string) {
  if (folderKind(dir) !== 'sweep') throw new HttpError(404, 'not a sweep folder');
  confine(realRoot, dir, [SWEEP_FILES.spec, SWEEP_FILES.db, `${SWEEP_FILES.db}-wal`]);
  const plan = cachedPlan(dir);
  // Named relative to the served folder: a damaged or unreadable file is said in one line without the server's paths.
  const store = SweepStore.open(join(dir, SWEEP_FILES.db), true, `${path || '.'}/${SWEEP_FILES.db}`);
  try {
    // A few ms for thousands of trials; a damaged page need not lie where the view's queries go.
    store.checkIntact();
    const rows = store.trials(sweepTrialIds(plan, store));
    const stopped = stoppedByHalving(store);
    const results = collectResults(plan, store);
    const byId = new Map(results.trials.map((t) => [t.id, t]));
    const prefix = path ? `${path}/` : '';
    return {
      path,
      spec: plan.spec,
      progress: sweepProgress(rows, stopped),
      results,
      // Every planned trial, finished or not, for the table.
      trials: rows.map((r) => ({
        id: r.id,
        cell: r.cell,
        family: r.family,
        model: r.model,
        status: progressStatus(r, stopped),
        graphSeed: r.graph_seed,
        trainSeed: r.train_seed,
        params: r.model_params,
        multiplyAdds: r.multiply_adds,
        testAccuracy: r.test_accuracy,
        valAccuracy: r.val_accuracy,
        seconds: r.seconds,
        attempts: r.attempts,
        error: r.error,
        graph: byId.get(r.id)?.graph ?? null,
        path: `${prefix}${SWEEP_FILES.trials}/${r.id}`,
      })),
      cells: cellRows(results),
      pairs: pairRows(results),
      correlations: correlationRows(results),
      // The anytime curve, halving's rungs, evolution's lineage and the Pareto front, from the store's rows.
      search: searchSections(readSearchData(plan, store)),
    };
  } finally {
    store.close();
  }
}

export type RunView = ReturnType<typeof runView>;
export type ResultsView = ReturnType<typeof resultsView>;
export type SweepView = ReturnType<typeof sweepView>;
