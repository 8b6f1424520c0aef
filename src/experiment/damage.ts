import * as tf from '@tensorflow/tfjs';
import { RandwireError } from '../core/errors.js';
import { initBackend, type BackendChoice } from '../backend/backend.js';
import { fitThreadsToFreeCores } from '../backend/native/threads.js';
import { classCount, loadIdxSplit, mnistDirectory } from '../data/idx-files.js';
import { makeBatch } from '../data/batch.js';
import { DamageEvaluator, damageCandidates, randwireStages, type Damage } from '../model/damage.js';
import { STAGE_NAMES } from '../model/randwire.js';
import { betweenness } from '../graph/betweenness.js';
import { flowStats } from '../graph/flow-stats.js';
import type { RandomGraph } from '../graph/types.js';
import { describe, spearman } from '../analysis/index.js';
import { reportTrainingStep } from '../backend/native/threads.js';
import { assertFinite } from '../train/evaluate.js';
import { finishedRunSummary, loadRunModel } from './evaluate-run.js';
import { readRunConfig } from './run-files.js';
import { runPlan } from './config.js';
import { checkDataFits, runTestSet } from './run-data.js';

import type { DamageWhat } from '../model/damage-what.js';

export { DAMAGE_WHAT, type DamageWhat } from '../model/damage-what.js';

export interface NodeDamage {
  stage: number;
  node: number;
  role: 'input' | 'hidden' | 'output';
  inDegree: number;
  outDegree: number;
  depth: number;
  betweenness: number;
  accuracy: number;
  drop: number;
}
export interface EdgeDamage {
  stage: number;
  from: number;
  to: number;
  weight: number | null;
  betweenness: number;
  skips: number;
  accuracy: number;
  drop: number;
}
export interface Predictor {
  kind: 'node' | 'edge';
  predictor: string;
  n: number;
  rho: number | null;
  p: number | null;
}

export interface DamageResult {
  run: string;
  testImages: number;
  /** Accuracy of the undamaged model on the same images (equal to the run's when the images are). */
  accuracy: number;
  nodes: NodeDamage[];
  edges: EdgeDamage[];
  predictors: Predictor[];
  meanDrop: { node: number | null; edge: number | null };
  seconds: number;
  /** The settings it was measured with, recorded by whoever writes damage.json. */
  options?: { what: DamageWhat; testLimit: number | null };
}

export interface DamageOptions {
  what: DamageWhat;
  testLimit?: number;
  backend?: BackendChoice;
  batchSize?: number;
  /** Called after each removal is measured on a batch of test images. */
  onProgress?: (p: DamageProgress) => void;
}

export interface DamageProgress {
  /** Of all the work: every removal on every test image. */
  fraction: number;
  /** Removals measured on the current batch, of all (the undamaged model counts as one). */
  removalsDone: number;
  removals: number;
  /** The current batch's test images, 1-based, of how many. */
  firstImage: number;
  lastImage: number;
  images: number;
}

const NODE_PREDICTORS = ['inDegree', 'outDegree', 'depth', 'betweenness'] as const;
const EDGE_PREDICTORS = ['weight', 'betweenness', 'skips'] as const;

function rho<T>(rows: T[], key: keyof T, kind: 'node' | 'edge'): Predictor {
  const pairs = rows.filter((r) => typeof r[key] === 'number');
  const s =
    pairs.length >= 3
      ? spearman(
          pairs.map((r) => r[key] as number),
          pairs.map((r) => (r as { drop: number }).drop),
        )
      : null;
  return { kind, predictor: String(key), n: pairs.length, rho: s?.rho ?? null, p: s?.p ?? null };
}

/** A RandWire run's stage graphs, as its config defines them. */
export function runStageGraphs(dir: string): RandomGraph[] {
  return randwireStages(runPlan(readRunConfig(dir))).map((s) => s.graph);
}

const mean = (v: number[]): number | null => describe(v).mean;

/**
 * Remove each node and each edge of a trained RandWire run's stages, one at a time, and measure
 * the test accuracy without retraining (Xie et al. 2019, section 5 "graph damage").
 */
export async function damageRun(dir: string, o: DamageOptions): Promise<DamageResult> {
  const config = readRunConfig(dir);
  if (config.model.model !== 'randwire')
    throw new RandwireError('damage', `${dir} is a ${config.model.model} run; damage needs a RandWire run (a baseline has no random graph)`);
  const summary = finishedRunSummary(dir);
  const test = loadIdxSplit(config.data ?? mnistDirectory(), 'test');
  checkDataFits(config, test, classCount(test));
  const set = runTestSet(config, test, o.testLimit ?? config.testLimit);
  await initBackend(o.backend ?? config.backend);
  await fitThreadsToFreeCores();
  const model = await loadRunModel(dir);
  const started = Date.now();
  try {
    const ev = new DamageEvaluator(model, runPlan(config));
    const damages: Damage[] = [{ kind: 'none' }, ...damageCandidates(ev.stages, o.what)];
    const correct = new Float64Array(damages.length);
    const batchSize = o.batchSize ?? 200;
    const plan = runPlan(config);
    const layers = plan.layers.length;
    const output = plan.output;
    let work = 1;
    for (let start = 0; start < set.count; start += batchSize) {
      const n = Math.min(batchSize, set.count - start);
      const b = makeBatch(
        set,
        Array.from({ length: n }, (_, i) => start + i),
        summary.normalization,
      );
      const x = tf.tensor4d(b.x, [n, set.height, set.width, set.channels]);
      const y = tf.tensor1d(b.labels, 'int32');
      const base = ev.base(x);
      try {
        // The undamaged model's outputs must be finite, as for eval and predict: NaN would score as class 0.
        assertFinite(base.get(output)!.dataSync(), `${dir}/model`);
        damages.forEach((d, i) => {
          const t0 = performance.now();
          correct[i]! += tf.tidy(() => {
            const changed = ev.recompute(base, x, d);
            work = changed.size / layers;
            return tf.sum(tf.cast(tf.equal(tf.argMax(changed.get(output) ?? base.get(output)!, 1), y), 'int32')).dataSync()[0]!;
          });
          // The thread governor learns only from reported steps: without them two threads stay on
          // under contention, and inference was 40 times slower (12 s for 100 images instead of 0.2 s).
          // A damage recomputes part of the network; its images count in proportion.
          reportTrainingStep((performance.now() - t0) / 1000, n * work);
          o.onProgress?.({
            fraction: (start + (n * (i + 1)) / damages.length) / set.count,
            removalsDone: i + 1,
            removals: damages.length,
            firstImage: start + 1,
            lastImage: start + n,
            images: set.count,
          });
        });
      } finally {
        tf.dispose([x, y, ...base.values()]);
      }
    }
    const accuracy = correct[0]! / set.count;
    const nodes: NodeDamage[] = [];
    const edges: EdgeDamage[] = [];
    const perStage = ev.stages.map((s) => ({ s, flow: flowStats(s.graph), between: betweenness(s.graph) }));
    damages.forEach((d, i) => {
      const acc = correct[i]! / set.count;
      if (d.kind === 'node') {
        const { s, flow, between } = perStage[d.stage]!;
        const role = s.inputs.includes(d.node) ? 'input' : s.outputs.includes(d.node) ? 'output' : 'hidden';
        nodes.push({
          stage: d.stage + 1,
          node: d.node,
          role,
          inDegree: s.preds[d.node]!.length,
          outDegree: s.succs[d.node]!.length,
          depth: flow.depth[d.node]!,
          betweenness: between.nodes[d.node]!,
          accuracy: acc,
          drop: accuracy - acc,
        });
      } else if (d.kind === 'edge') {
        const { s, flow, between } = perStage[d.stage]!;
        const preds = s.preds[d.to]!;
        // A node with one input has no gate: its input enters with weight 1.
        const gate =
          preds.length > 1 ? 1 / (1 + Math.exp(-model.getLayer(STAGE_NAMES.sum(s.prefix, d.to)).getWeights()[0]!.dataSync()[preds.indexOf(d.from)]!)) : null;
        const e = s.graph.edges.findIndex(([u, v]) => u === d.from && v === d.to);
        edges.push({
          stage: d.stage + 1,
          from: d.from,
          to: d.to,
          weight: gate,
          betweenness: between.edges[e]!,
          skips: flow.depth[d.to]! - flow.depth[d.from]! - 1,
          accuracy: acc,
          drop: accuracy - acc,
        });
      }
    });
    const predictors = [...NODE_PREDICTORS.map((k) => rho(nodes, k, 'node')), ...EDGE_PREDICTORS.map((k) => rho(edges, k, 'edge'))].filter((p) => p.n > 0);
    return {
      run: dir,
      testImages: set.count,
      accuracy,
      nodes,
      edges,
      predictors,
      meanDrop: { node: mean(nodes.map((r) => r.drop)), edge: mean(edges.map((r) => r.drop)) },
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    model.dispose();
  }
}
