import { RandwireError, isRandwireError } from '../core/errors.js';
import { deriveSeed, type Seeding } from '../core/rng.js';
import { generateGraph } from '../graph/generators.js';
import type { RandomGraph } from '../graph/types.js';
import { sha256 } from '../io/checksum.js';
import { searchProblems, withSearchEpochs } from './search-spec.js';
import { dataFolder, dataPath } from '../data/sources.js';
import { complexity } from '../model/complexity.js';
import { DEFAULT_MODEL_OPTIONS, modelPlan, type ModelOptions } from '../model/registry.js';
import { stageGraphSeed, stageLayout } from '../model/randwire.js';
import { DEFAULT_TRAIN_CONFIG, withSeeding, type TrainConfig } from '../experiment/config.js';
import { PRESETS } from '../experiment/presets.js';
import { TRAIN_OPTION_KEYS, type TrainOptions } from '../experiment/train-options.js';
import { expandCells, type Cell } from './cells.js';
import { checkTrialCount } from './trial-count.js';
import { seedValues, sweepSeeding, sweepSpecSchema, type SweepSpec } from './spec.js';

/** Bump when what a trial id covers changes meaning (e.g. how seeds are derived). */
export const SWEEP_FORMAT_VERSION = 1;

export interface PlannedTrial {
  id: string;
  /** Place in the balanced order: every cell's k-th trial comes before any cell's (k+1)-th. */
  position: number;
  cell: Cell;
  graphSeed: number;
  trainSeed: number;
  config: TrainConfig;
  params: number;
  multiplyAdds: number;
  /** Per stage: a hash of (nodes, sorted edges); equal hashes are the same graph. */
  graphHashes: string[];
  /**
   * The first trial of the same graph setting (generator, parameters, nodes) under another graph
   * seed with exactly these graphs: a sample that repeats where it should differ (WS with p=0 is
   * the ring whatever the seed). Cells that differ only in channels share their graphs by design.
   */
  sameGraphsAs: string | undefined;
  outOfBudget: boolean;
}

export interface SweepPlan {
  spec: SweepSpec;
  /** Hash of everything but the search space: a sweep with results may not change it. */
  recipeHash: string;
  recipe: TrainOptions;
  cells: Cell[];
  trials: PlannedTrial[];
  /** Trials left out by the complexity window (budget.action 'drop'). */
  dropped: number;
}

/** JSON with sorted keys, so that equal content always hashes alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const hashOf = (value: unknown, length = 12): string => sha256(new TextEncoder().encode(canonicalJson(value))).slice(0, length);

/** The id of a trial: a hash of its whole training config (graphs included), so equal configs share an id. */
export function trialId(config: TrainConfig): string {
  return hashOf({ v: SWEEP_FORMAT_VERSION, config });
}

export function graphHash(g: RandomGraph): string {
  const edges = g.edges.map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return hashOf({ nodes: g.nodes, edges }, 16);
}

/** Validate a sweep file: zod's checks, then every cell against its generator; all problems at once. */
export function parseSweepSpec(raw: unknown, source: string, checkData = true): SweepSpec {
  const r = sweepSpecSchema.safeParse(raw);
  if (!r.success) {
    throw new RandwireError('sweep', `${source} has problems:\n${r.error.issues.map((i) => `  ${i.path.join('.') || 'sweep'}: ${i.message}`).join('\n')}`);
  }
  checkTrialCount(r.data, source);
  const problems = expandCells(r.data).problems;
  try {
    if (checkData) dataFolder(r.data.data);
  } catch (e) {
    if (!isRandwireError(e)) throw e;
    problems.unshift(`data: ${e.message.replace(/^data: /, '')}`);
  }
  problems.push(...searchProblems(r.data));
  if (problems.length) throw new RandwireError('sweep', `${source} has problems:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return r.data;
}

function recipeOf(spec: SweepSpec, checkData: boolean): TrainOptions {
  const { preset, ...flags } = spec.recipe;
  const base = preset ? PRESETS[preset].base : {};
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const defaults = Object.fromEntries(TRAIN_OPTION_KEYS.map((k) => [k, DEFAULT_TRAIN_CONFIG[k]])) as TrainOptions;
  // Seeding 1 stays absent from the recipe and so from trial configs: ids made before seeding 2 existed hold.
  return withSeeding({ ...defaults, ...base, ...defined, data: checkData ? dataFolder(spec.data) : dataPath(spec.data) } as TrainOptions, sweepSeeding(spec));
}

function stageGraphs(cell: Cell, regime: SweepSpec['regime'], graphSeed: number, seeding: Seeding): RandomGraph[] {
  return stageLayout(regime, cell.nodes, cell.channels).map((stage, i) =>
    generateGraph(cell.generator!, stage.nodes, cell.params, stageGraphSeed(graphSeed, i), seeding),
  );
}

function outsideBudget(spec: SweepSpec, params: number, madds: number): boolean {
  const b = spec.budget;
  if (!b) return false;
  return (
    (b.minParams !== undefined && params < b.minParams) ||
    (b.maxParams !== undefined && params > b.maxParams) ||
    (b.minMultiplyAdds !== undefined && madds < b.minMultiplyAdds) ||
    (b.maxMultiplyAdds !== undefined && madds > b.maxMultiplyAdds)
  );
}

/** What a cell's graphs depend on besides the graph seed: not its channels. */
function graphSetting(cell: Cell): string {
  return JSON.stringify([cell.model, cell.generator, Object.entries(cell.params).sort(([a], [b]) => a.localeCompare(b)), cell.nodes]);
}

/**
 * Expand a sweep into trials without training. The graph comes from the graph seed alone (stage
 * graphs as `randwire model --seed G` makes them); weights and data order from a seed derived from
 * the graph seed and the train seed, so that no two trials train alike even when graphs coincide.
 */
export function planSweep(spec: SweepSpec, checkData = true): SweepPlan {
  checkTrialCount(spec, `sweep '${spec.name}'`);
  const { cells, problems } = expandCells(spec);
  if (problems.length) throw new RandwireError('sweep', problems.join('; '));
  const recipe = withSearchEpochs(recipeOf(spec, checkData), spec);
  const recipeHash = hashOf({ v: SWEEP_FORMAT_VERSION, recipe, input: spec.input, classes: spec.classes, regime: spec.regime });
  const graphSeeds = seedValues(spec.graphSeeds);
  const trainSeeds = seedValues(spec.trainSeeds);
  const trials: PlannedTrial[] = [];
  let dropped = 0;
  const firstWithGraphs = new Map<string, { id: string; graphSeed: number }>();
  // Cells innermost: the balanced order (every cell's k-th trial before any cell's (k+1)-th).
  graphSeeds.forEach((graphSeed) =>
    trainSeeds.forEach((trainSeed) =>
      cells.forEach((cell) => {
        const seed = deriveSeed(trainSeed, `sweep/graph-seed/${graphSeed}`);
        const graphs = cell.model === 'randwire' ? stageGraphs(cell, spec.regime, graphSeed, sweepSeeding(spec)) : undefined;
        const model: ModelOptions = {
          ...DEFAULT_MODEL_OPTIONS,
          model: cell.model,
          inputShape: spec.input,
          classes: spec.classes,
          seed,
          regime: spec.regime,
          generator: cell.generator ?? DEFAULT_MODEL_OPTIONS.generator,
          graphParams: cell.generator ? cell.params : DEFAULT_MODEL_OPTIONS.graphParams,
          nodes: cell.nodes,
          channels: cell.channels,
          ...(graphs ? { graphs } : {}),
        };
        const config: TrainConfig = { ...recipe, model, seed };
        const cx = complexity(modelPlan(model, sweepSeeding(spec)));
        const outOfBudget = outsideBudget(spec, cx.params, cx.flops);
        if (outOfBudget && spec.budget?.action === 'drop') {
          dropped++;
          return;
        }
        const id = trialId(config);
        const graphHashes = graphs ? graphs.map(graphHash) : [];
        const key = `${graphSetting(cell)} ${graphHashes.join('/')}`;
        const first = graphs ? firstWithGraphs.get(key) : undefined;
        const sameGraphsAs = first && first.graphSeed !== graphSeed ? first.id : undefined;
        if (graphs && first === undefined) firstWithGraphs.set(key, { id, graphSeed });
        trials.push({
          id,
          position: trials.length,
          cell,
          graphSeed,
          trainSeed,
          config,
          params: cx.params,
          multiplyAdds: cx.flops,
          graphHashes,
          sameGraphsAs,
          outOfBudget,
        });
      }),
    ),
  );
  return { spec, recipeHash, recipe, cells, trials, dropped };
}
