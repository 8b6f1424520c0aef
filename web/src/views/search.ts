import type { SweepView } from '../api.js';
import { drawVega } from '../charts/vega.js';
import { duration, h, num, pct, plural, section } from '../dom.js';
import { anytimeSpec, lineageSpec, paretoSpec } from '../../../src/report/search-figures.js';
import { GRAPH_STAT_LABELS, type GraphStatKey } from '../../../src/sweep/graph-stat-columns.js';

type Search = SweepView['search'];

function table(id: string, head: string[], rows: Array<Array<string | number>>, numeric: (i: number) => boolean): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'grid', id },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((c) => h('th', {}, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            r.map((c, i) => h('td', { class: numeric(i) ? 'n' : '' }, c)),
          ),
        ),
      ),
    ),
  );
}

function rungTable(s: Search): HTMLElement {
  return table(
    'rungs',
    ['bracket', 'rung', 'epochs', 'planned', 'admitted', 'results', 'promoted', 'stopped', 'best validation accuracy', 'best trial'],
    s.rungs.map((r) => [
      r.bracket,
      r.rung,
      r.epochs ?? '–',
      r.planned ?? '–',
      r.admitted,
      r.results,
      r.promoted,
      r.stopped,
      pct(r.bestValAccuracy),
      r.bestTrialId ?? '–',
    ]),
    (i) => i < 9,
  );
}

function generationTable(s: Search): HTMLElement {
  const keys = Object.keys(s.generations[0]?.graph ?? {}) as GraphStatKey[];
  return table(
    'generations',
    ['generation', 'trials', 'with a result', 'mean validation accuracy', 'best', ...keys.map((k) => GRAPH_STAT_LABELS[k])],
    s.generations.map((g) => [
      g.generation,
      g.trials,
      g.withResult,
      pct(g.meanValAccuracy),
      pct(g.bestValAccuracy),
      ...keys.map((k) => num(g.graph[k] ?? null)),
    ]),
    () => true,
  );
}

function lineageTable(s: Search): HTMLElement {
  return table(
    'lineage',
    ['birth', 'generation', 'child', 'parent', 'mutations', 'status', 'validation accuracy', "parent's"],
    s.lineage.map((l) => [l.birth, l.generation, l.trialId, l.parentId ?? '–', l.mutations || '–', l.status, pct(l.valAccuracy), pct(l.parentValAccuracy)]),
    (i) => i < 2 || i > 5,
  );
}

function summary(s: Search): string {
  const last = s.anytime.at(-1);
  if (!last) return `${s.strategy}: no result yet.`;
  return `${s.strategy}: ${plural(last.cumulativeEpochs, 'epoch')} trained (${duration(last.cumulativeSeconds)} summed over workers); best validation accuracy so far ${pct(last.bestValAccuracy)} (trial ${last.bestTrialId ?? '–'}).`;
}

/**
 * The search's part of the sweep page: the anytime curve, halving's rungs, evolution's lineage and
 * the Pareto front. `update` redraws only what changed (a trial's heartbeat changes nothing here).
 */
export function searchPanel(): { el: HTMLElement; update: (s: Search, name: string) => Promise<void> } {
  const line = h('p', { id: 'search-summary', class: 'muted' });
  const anytime = h('div', { class: 'chart', id: 'anytime' });
  const pareto = h('div', { class: 'chart', id: 'pareto' });
  const rungs = h('div');
  const lineage = h('div');
  const lineageChart = h('div', { class: 'chart', id: 'lineage-chart' });
  const generations = h('div');
  const rungCard = section(
    'Rungs (halving)',
    h('p', { class: 'muted' }, "Per bracket and rung: trials admitted (rung 0: the bracket's; later: those promoted), results so far, decisions."),
    rungs,
  );
  const lineageCard = section(
    'Lineage (evolution)',
    h('p', { class: 'muted' }, 'Graph statistics per generation (generation 0: the planned trials), then every child.'),
    generations,
    lineageChart,
    lineage,
  );
  const el = h(
    'div',
    { id: 'search' },
    section('Search: best validation accuracy against compute', line, anytime),
    rungCard,
    lineageCard,
    section('Pareto front: validation accuracy against cost', pareto),
  );
  let drawn = { anytime: '', pareto: '', lineage: '' };
  const update = async (s: Search, name: string): Promise<void> => {
    line.textContent = summary(s);
    rungCard.hidden = s.rungs.length === 0;
    lineageCard.hidden = s.lineage.length === 0;
    rungs.replaceChildren(rungTable(s));
    generations.replaceChildren(generationTable(s));
    lineage.replaceChildren(lineageTable(s));
    anytime.dataset.points = String(s.anytime.length);
    pareto.dataset.front = String(s.pareto.filter((p) => p.rankFlops === 0).length);
    const now = { anytime: JSON.stringify(s.anytime.at(-1) ?? null) + s.anytime.length, pareto: JSON.stringify(s.pareto), lineage: JSON.stringify(s.lineage) };
    const draws: Array<Promise<void>> = [];
    if (now.anytime !== drawn.anytime && s.anytime.some((p) => p.bestValAccuracy !== null))
      draws.push(drawVega(anytime, anytimeSpec([{ label: `${name} (${s.strategy})`, points: s.anytime }], 'Best validation accuracy so far')));
    if (now.pareto !== drawn.pareto && s.pareto.length) draws.push(drawVega(pareto, paretoSpec(s.pareto, 'Validation accuracy against cost')));
    if (now.lineage !== drawn.lineage && s.lineage.length) draws.push(drawVega(lineageChart, lineageSpec(s.lineage, 'Lineage')));
    drawn = now;
    await Promise.all(draws);
  };
  return { el, update };
}
