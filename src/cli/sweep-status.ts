import { Command } from 'commander';
import { readSweep } from '../sweep/folder.js';
import { sweepTrialIds } from '../sweep/added-trials.js';
import { PROGRESS_STATUSES, sweepProgress } from '../sweep/status.js';
import { stoppedByHalving } from '../sweep/halving-status.js';
import { formatDuration, plural } from '../core/format.js';
import { budgetState } from '../sweep/search-budget.js';

export function sweepStatusCommand(): Command {
  return new Command('status')
    .description('progress of a sweep per cell (done/running/queued/failed, and stopped by a halving decision), throughput and time left')
    .argument('<dir>', 'sweep folder')
    .option('--json', 'print the progress as JSON')
    .action((dir: string, flags: { json?: boolean }) => {
      const { plan, store } = readSweep(dir);
      try {
        const ids = sweepTrialIds(plan, store);
        const rows = store.trials(ids);
        const p = sweepProgress(rows, stoppedByHalving(store));
        const budget = budgetState(store, ids);
        if (flags.json) {
          process.stdout.write(JSON.stringify(budget ? { ...p, budget } : p, null, 2) + '\n');
          return;
        }
        const width = p.cells.reduce((w, c) => Math.max(w, c.cell.length), 4);
        process.stdout.write(`${'cell'.padEnd(width)}  ${PROGRESS_STATUSES.map((s) => s.padStart(7)).join(' ')}\n`);
        for (const c of p.cells) process.stdout.write(`${c.cell.padEnd(width)}  ${PROGRESS_STATUSES.map((s) => String(c.counts[s]).padStart(7)).join(' ')}\n`);
        process.stdout.write(`${'all'.padEnd(width)}  ${PROGRESS_STATUSES.map((s) => String(p.total[s]).padStart(7)).join(' ')}\n`);
        if (p.trialsPerHour !== null) process.stdout.write(`${p.trialsPerHour.toFixed(1)} trials/hour${p.etaSeconds ? `, about ${formatDuration(p.etaSeconds)} left` : ''}\n`);
        // Left queued by a spent budget: not failures, and not waiting for a worker either.
        if (budget) process.stdout.write(`${budget.line}; not trained: budget spent: ${plural(budget.notTrained.length, 'trial')}${budget.notTrained.length ? ` (${budget.notTrained.join(', ')})` : ''}\n`);
        for (const r of rows.filter((r) => r.status === 'failed')) process.stdout.write(`failed ${r.id} (${r.cell}) after ${plural(r.attempts, 'attempt')}: ${r.error}\n`);
      } finally {
        store.close();
      }
    });
}
