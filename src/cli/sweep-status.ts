import { Command } from 'commander';
import { PROGRESS_STATUSES } from '../sweep/status.js';
import { sweepStatus } from '../api/sweep.js';
import { formatDuration, plural } from '../core/format.js';

export function sweepStatusCommand(): Command {
  return new Command('status')
    .description('progress of a sweep per cell (done/running/queued/failed, and stopped by a halving decision), throughput and time left')
    .argument('<dir>', 'sweep folder')
    .option('--json', 'print the progress as JSON')
    .action((dir: string, flags: { json?: boolean }) => {
      const p = sweepStatus(dir);
      const { budget, failed, ...progress } = p;
      if (flags.json) {
        process.stdout.write(JSON.stringify(budget ? { ...progress, budget } : progress, null, 2) + '\n');
        return;
      }
      const width = p.cells.reduce((w, c) => Math.max(w, c.cell.length), 4);
      process.stdout.write(`${'cell'.padEnd(width)}  ${PROGRESS_STATUSES.map((s) => s.padStart(7)).join(' ')}\n`);
      for (const c of p.cells) process.stdout.write(`${c.cell.padEnd(width)}  ${PROGRESS_STATUSES.map((s) => String(c.counts[s]).padStart(7)).join(' ')}\n`);
      process.stdout.write(`${'all'.padEnd(width)}  ${PROGRESS_STATUSES.map((s) => String(p.total[s]).padStart(7)).join(' ')}\n`);
      if (p.trialsPerHour !== null)
        process.stdout.write(`${p.trialsPerHour.toFixed(1)} trials/hour${p.etaSeconds ? `, about ${formatDuration(p.etaSeconds)} left` : ''}\n`);
      // Left queued by a spent budget: not failures, and not waiting for a worker either.
      if (budget)
        process.stdout.write(
          `${budget.line}; not trained: budget spent: ${plural(budget.notTrained.length, 'trial')}${budget.notTrained.length ? ` (${budget.notTrained.join(', ')})` : ''}\n`,
        );
      for (const r of failed) process.stdout.write(`failed ${r.id} (${r.cell}) after ${plural(r.attempts, 'attempt')}: ${r.error}\n`);
    });
}
