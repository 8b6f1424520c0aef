import type { ProgressStatus } from '../../../src/sweep/status.js';
import { h } from '../dom.js';

export const TRIAL_STATUS_ORDER: readonly ProgressStatus[] = ['done', 'running', 'failed', 'queued', 'stopped'];

/** A stacked bar of trial counts by status (done green, running blue, failed red, queued grey, stopped by a halving decision hatched). */
export function progressBar(counts: Record<ProgressStatus, number>, total: number, large: boolean): HTMLElement {
  return h(
    'div',
    { class: `progress${large ? ' large' : ''}`, role: 'img', 'aria-label': TRIAL_STATUS_ORDER.map((s) => `${counts[s]} ${s}`).join(', ') },
    TRIAL_STATUS_ORDER.filter((s) => counts[s] > 0).map((s) =>
      h('span', { class: s, style: `width:${(100 * counts[s]) / Math.max(1, total)}%`, title: `${counts[s]} ${s}` }),
    ),
  );
}
