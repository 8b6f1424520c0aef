import { deriveSeed, Rng, type Seeding } from '../core/rng.js';
import { isRandwireError } from '../core/errors.js';
import { generatorSpec, isGeneratorName, GENERATORS, resolveParams } from '../graph/generators.js';
import { listOf, sweepSeeding, type CellSpec, type SweepSpec } from './spec.js';

/** One point of the search space: what the report compares, with n trials over graph and train seeds. */
export interface Cell {
  label: string;
  /** The generator for RandWire cells, the model name for baselines. */
  family: string;
  model: string;
  generator: string | undefined;
  params: Record<string, number>;
  nodes: number;
  channels: number;
}

const round = (v: number): number => Number(v.toPrecision(4));

function product(grid: Record<string, number[]>): Array<Record<string, number>> {
  return Object.entries(grid).reduce<Array<Record<string, number>>>((acc, [key, values]) => acc.flatMap((s) => values.map((v) => ({ ...s, [key]: v }))), [{}]);
}

/** A `random` cell's settings: uniform draws, whole numbers for integer parameters. */
function randomSettings(cell: CellSpec, index: number, sweepSeed: number, seeding: Seeding): Array<Record<string, number>> {
  const { count, ranges } = cell.random!;
  const rng = Rng.fromSeed(deriveSeed(sweepSeed, `sweep/random-cell/${index}`), seeding);
  const spec = isGeneratorName(cell.generator ?? '') ? generatorSpec(cell.generator!) : undefined;
  return Array.from({ length: count }, () =>
    Object.fromEntries(
      Object.entries(ranges).map(([key, [low, high]]) => {
        const integer = spec?.params[key]?.kind === 'integer';
        return [key, integer ? Math.ceil(low) + rng.int(Math.max(1, Math.floor(high) - Math.ceil(low) + 1)) : round(low + (high - low) * rng.float())];
      }),
    ),
  );
}

function cellSettings(cell: CellSpec, index: number, sweepSeed: number, seeding: Seeding): Array<Record<string, number>> {
  if (cell.grid) return product(cell.grid);
  if (cell.list) return cell.list;
  if (cell.random) return randomSettings(cell, index, sweepSeed, seeding);
  return [{}];
}

const describeParams = (p: Record<string, number>): string =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** Problems of one cell entry that zod cannot see, as lines `cells[i]: ...`. */
function cellProblems(cell: CellSpec, where: string): string[] {
  const ways = [cell.grid, cell.list, cell.random].filter((w) => w !== undefined).length;
  const problems: string[] = [];
  if (ways > 1) problems.push(`${where}: give one of grid, list or random, not several`);
  if (cell.model === 'randwire') {
    if (cell.generator === undefined) problems.push(`${where}: a randwire cell needs a generator (one of ${Object.keys(GENERATORS).join(', ')})`);
    else if (!isGeneratorName(cell.generator))
      problems.push(`${where}.generator: unknown generator '${cell.generator}' (choose one of ${Object.keys(GENERATORS).join(', ')})`);
  } else if (cell.generator !== undefined || ways > 0) {
    problems.push(`${where}: the baseline '${cell.model}' takes no generator or parameters`);
  }
  for (const [key, [low, high]] of Object.entries(cell.random?.ranges ?? {})) {
    if (!(low <= high)) problems.push(`${where}.random.ranges.${key}: low (${low}) must not exceed high (${high})`);
  }
  return problems;
}

/**
 * Expand the sweep's cell entries into cells (each setting x N x C), checking every parameter
 * against its generator. Returns the cells and every problem found, one line each.
 */
export function expandCells(spec: SweepSpec): { cells: Cell[]; problems: string[] } {
  const cells: Cell[] = [];
  const problems: string[] = [];
  const nodes = listOf(spec.nodes);
  const channels = listOf(spec.channels);
  const sizeSuffix = (n: number, c: number): string => [nodes.length > 1 ? `N=${n}` : '', channels.length > 1 ? `C=${c}` : ''].filter(Boolean).join(' ');
  spec.cells.forEach((cell, i) => {
    const where = `cells[${i}]`;
    const own = cellProblems(cell, where);
    problems.push(...own);
    if (own.length) return;
    if (cell.model !== 'randwire') {
      cells.push({
        label: cell.name ?? cell.model,
        family: cell.model,
        model: cell.model,
        generator: undefined,
        params: {},
        nodes: nodes[0]!,
        channels: channels[0]!,
      });
      return;
    }
    const settings = cellSettings(cell, i, spec.seed, sweepSeeding(spec));
    for (const setting of settings) {
      for (const n of nodes) {
        let params: Record<string, number>;
        try {
          params = resolveParams(cell.generator!, n, setting);
        } catch (e) {
          if (!isRandwireError(e)) throw e;
          problems.push(`${where} (${describeParams(setting) || 'defaults'}, N=${n}): ${e.message.replace(/^graph: /, '')}`);
          continue;
        }
        for (const c of channels) {
          const base = cell.name ?? (Object.keys(params).length ? `${cell.generator}(${describeParams(params)})` : cell.generator!);
          const suffix = sizeSuffix(n, c);
          cells.push({
            label: suffix ? `${base} ${suffix}` : base,
            family: cell.generator!,
            model: 'randwire',
            generator: cell.generator,
            params,
            nodes: n,
            channels: c,
          });
        }
      }
    }
  });
  const seen = new Set<string>();
  for (const c of cells) {
    if (seen.has(c.label)) problems.push(`cell '${c.label}' appears twice; give the cells different settings or names`);
    seen.add(c.label);
  }
  return { cells, problems };
}
