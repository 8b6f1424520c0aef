import { existsSync, statSync } from 'node:fs';
import { readText } from '../io/files.js';
import { join } from 'node:path';
import { describe, type Description } from '../analysis/index.js';
import { isRandwireError } from '../core/errors.js';
import { MODEL_FILES, RUN_FILES, SWEEP_FILES } from '../io/run-layout.js';
import { damageRun, runStageGraphs, type DamageResult } from '../experiment/damage.js';
import type { DamageWhat } from '../model/damage-what.js';
import type { SweepResults } from '../sweep/collect.js';
import { DAMAGE_DIR, DAMAGE_FILES, writeDamageReport } from './damage-report.js';
import { byCell } from './sweep-stats.js';
import { toCsv, toMarkdown } from './csv.js';
import { plural } from '../core/format.js';

export interface DamageCellRow {
  cell: string;
  family: string;
  /** Over the cell's graphs (each the mean of its training seeds), in accuracy points lost per removal. */
  nodeDrop: Description;
  edgeDrop: Description;
  trials: number;
}

export interface PredictorRow {
  family: string;
  predictor: string;
  /** Mean of the per-trial Spearman rho over the family's trials. */
  meanRho: number | null;
  trials: number;
}

export interface SweepDamage {
  cells: DamageCellRow[];
  predictors: PredictorRow[];
  /** The predictor with the largest mean |rho| over all families, per kind of removal. */
  best: { node: PredictorRow | null; edge: PredictorRow | null };
  /** Finished RandWire trials without a model here (trained elsewhere without weights) or that could not be damaged. */
  missing: number;
  analysed: number;
}

/** A trial's damage.json, computed once: reused while it is newer than the trial's model. */
async function trialDamage(dir: string, what: DamageWhat, testLimit: number | undefined, log: (l: string) => void): Promise<DamageResult | undefined> {
  const model = join(dir, RUN_FILES.model, MODEL_FILES.json);
  if (!existsSync(model)) return undefined;
  const file = join(dir, DAMAGE_DIR, DAMAGE_FILES.json);
  if (existsSync(file) && statSync(file).mtimeMs >= statSync(model).mtimeMs) {
    try {
      const r = JSON.parse(readText(file, 'damage result')) as DamageResult & { options?: { what: string; testLimit: number | null } };
      if (r.options?.what === what && r.options.testLimit === (testLimit ?? null)) return r;
    } catch {
      // A damaged file is computed again.
    }
  }
  const r = await damageRun(dir, { what, testLimit });
  await writeDamageReport(join(dir, DAMAGE_DIR), { ...r, options: { what, testLimit: testLimit ?? null } } as DamageResult, runStageGraphs(dir));
  log(`damage: ${dir}: ${plural(r.nodes.length, 'node')}, ${plural(r.edges.length, 'edge')} in ${r.seconds.toFixed(0)} s`);
  return r;
}

const avg = (v: number[]): number | null => describe(v).mean;

/**
 * Graph damage over a sweep (`analysis: {damage: true}`): every finished RandWire trial's model
 * is damaged node by node and edge by edge; per cell, the mean drop per removal, mean +/- std over
 * the cell's graphs; per family, which predictor ranks the damage best (mean Spearman rho).
 */
export async function sweepDamage(
  sweepDir: string,
  results: SweepResults,
  o: { what: DamageWhat; testLimit?: number; log: (l: string) => void },
): Promise<SweepDamage> {
  const cells: DamageCellRow[] = [];
  const perFamily = new Map<string, DamageResult[]>();
  let missing = 0;
  let analysed = 0;
  for (const [cell, ts] of byCell(results)) {
    const randwire = ts.filter((t) => t.model === 'randwire');
    if (!randwire.length) continue;
    const byGraph = new Map<number, { node: number[]; edge: number[] }>();
    for (const t of randwire) {
      let r: DamageResult | undefined;
      try {
        r = await trialDamage(join(sweepDir, SWEEP_FILES.trials, t.id), o.what, o.testLimit, o.log);
      } catch (e) {
        // One trial that cannot be damaged here (its data set is missing, say) must not cost the whole report.
        if (!isRandwireError(e)) throw e;
        o.log(`damage: trial ${t.id} left out: ${e.message}`);
      }
      if (!r) {
        missing++;
        continue;
      }
      analysed++;
      perFamily.set(t.family, [...(perFamily.get(t.family) ?? []), r]);
      const g = byGraph.get(t.graphSeed) ?? { node: [], edge: [] };
      if (r.meanDrop.node !== null) g.node.push(r.meanDrop.node);
      if (r.meanDrop.edge !== null) g.edge.push(r.meanDrop.edge);
      byGraph.set(t.graphSeed, g);
    }
    if (!byGraph.size) continue;
    const units = [...byGraph.values()];
    cells.push({
      cell,
      family: randwire[0]!.family,
      trials: randwire.length,
      nodeDrop: describe(units.map((u) => avg(u.node)).filter((x): x is number => x !== null)),
      edgeDrop: describe(units.map((u) => avg(u.edge)).filter((x): x is number => x !== null)),
    });
  }
  const predictors: PredictorRow[] = [];
  for (const [family, rs] of perFamily) {
    const names = [...new Set(rs.flatMap((r) => r.predictors.map((p) => `${p.kind} ${p.predictor}`)))];
    for (const predictor of names) {
      const rhos = rs.map((r) => r.predictors.find((p) => `${p.kind} ${p.predictor}` === predictor)?.rho).filter((x): x is number => typeof x === 'number');
      predictors.push({ family, predictor, meanRho: avg(rhos), trials: rhos.length });
    }
  }
  const bestOf = (kind: 'node' | 'edge'): PredictorRow | null => {
    const overall = [...new Set(predictors.filter((p) => p.predictor.startsWith(kind)).map((p) => p.predictor))].map((predictor) => {
      const rows = predictors.filter((p) => p.predictor === predictor && p.meanRho !== null);
      return { family: 'all', predictor, meanRho: avg(rows.map((p) => p.meanRho!)), trials: rows.reduce((a, p) => a + p.trials, 0) };
    });
    return overall.filter((p) => p.meanRho !== null).sort((a, b) => Math.abs(b.meanRho!) - Math.abs(a.meanRho!))[0] ?? null;
  };
  return { cells, predictors, best: { node: bestOf('node'), edge: bestOf('edge') }, missing, analysed };
}

const pts = (d: Description): string => (d.mean === null ? '-' : `${(d.mean * 100).toFixed(3)} +/- ${d.std === null ? '-' : (d.std * 100).toFixed(3)}`);

/** The report's damage section (Markdown) and its CSV. */
export function damageTables(d: SweepDamage): { markdown: string; csv: string } {
  const families = [...new Set(d.predictors.map((p) => p.family))];
  const names = [...new Set(d.predictors.map((p) => p.predictor))];
  const best = (['node', 'edge'] as const)
    .map((k) =>
      d.best[k] ? `removed ${k}s: ${d.best[k]!.predictor.split(' ')[1]} (mean Spearman rho ${d.best[k]!.meanRho!.toFixed(3)})` : `removed ${k}s: none`,
    )
    .join('; ');
  const markdown = [
    '## Graph damage',
    '',
    `Each node and each edge of ${d.analysed} RandWire ${d.analysed === 1 ? "trial's model" : "trials' models"} removed one at a time at test time (\`randwire damage\`)${d.missing ? `; ${plural(d.missing, 'trial')} ${d.missing === 1 ? 'has' : 'have'} no model in this folder and are left out` : ''}. Drop in accuracy points per removal, mean +/- std over the cell's graphs:`,
    '',
    toMarkdown(
      ['cell', 'family', 'trials', 'per removed node', 'per removed edge'],
      d.cells.map((c) => [c.cell, c.family, String(c.trials), pts(c.nodeDrop), pts(c.edgeDrop)]),
      (i) => i > 1,
    ),
    '',
    `Which property of a node or edge predicts its damage (mean over trials of Spearman's rho with the drop). Best across families: ${best}.`,
    '',
    toMarkdown(
      ['predictor', ...families],
      names.map((n) => [n, ...families.map((f) => d.predictors.find((p) => p.family === f && p.predictor === n)?.meanRho?.toFixed(3) ?? '-')]),
    ),
    '',
  ].join('\n');
  const csv = toCsv(
    d.cells.map((c) => ({
      cell: c.cell,
      family: c.family,
      trials: c.trials,
      graphs: c.nodeDrop.n,
      node_drop_mean: c.nodeDrop.mean,
      node_drop_std: c.nodeDrop.std,
      edge_drop_mean: c.edgeDrop.mean,
      edge_drop_std: c.edgeDrop.std,
    })),
    ['cell', 'family', 'trials', 'graphs', 'node_drop_mean', 'node_drop_std', 'edge_drop_mean', 'edge_drop_std'],
  );
  return { markdown, csv };
}
