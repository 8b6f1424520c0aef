import { Command } from 'commander';
import { cpus } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RandwireError } from '../core/errors.js';
import { plural } from '../core/format.js';
import { SWEEP_FILES } from '../io/run-layout.js';
import { closeSweep, openSweep } from '../sweep/folder.js';
import { runLocal } from '../sweep/local.js';
import { addRetrains } from '../sweep/retrain-add.js';
import { origins } from '../sweep/added-trials.js';
import { retrainOrigins } from '../sweep/retrain.js';
import { retrainResults } from '../sweep/retrain-results.js';
import { runQueued } from '../queue/coordinator.js';
import { connectChecked, QUEUE_URL_ENV } from '../queue/connection.js';
import { DATA_SOURCES } from '../data/sources.js';
import { dataFingerprint } from '../data/fingerprint.js';
import { retrainMarkdown, writeRetrainTable } from '../report/retrain-report.js';
import { nonNegativeIntegerFlag, positiveIntegerFlag } from './flags.js';
import { interruptFlag } from './progress.js';
import { queueUrl } from './sweep-run.js';

interface RetrainFlags {
  top: number;
  seeds: number;
  workers: number;
  retries: number;
  queue?: string | true;
}

/** The meta key naming the queue that retrains were sent to: a local retrain then must not train them beside its workers. */
export const RETRAIN_QUEUE_META = 'retrainQueue';

/** A sweep folder, or one line saying what it is not (openSweep would read a file as a new sweep). */
function sweepFolder(dir: string): string {
  const why = !existsSync(dir)
    ? 'no such folder'
    : !statSync(dir).isDirectory()
      ? 'not a folder'
      : [SWEEP_FILES.spec, SWEEP_FILES.db]
          .filter((f) => !existsSync(join(dir, f)))
          .map((f, i) => (i ? f : `no ${f}`))
          .join(', ');
  if (why) throw new RandwireError('sweep', `${dir} is not a sweep folder (${why}); retrain the trials of a sweep made by randwire sweep run`);
  return dir;
}

export function sweepRetrainCommand(): Command {
  return new Command('retrain')
    .description(
      "train the sweep's K best finished trials (by validation accuracy) again from scratch with S new seeds each, into cells of their own, and report their test accuracy as mean +/- std (resumable: run it again to continue)",
    )
    .argument('<dir>', 'sweep folder')
    .requiredOption('--top <k>', 'how many of the best finished trials by validation accuracy (ties by trial id) to retrain', positiveIntegerFlag)
    .requiredOption('--seeds <s>', 'new training seeds per trial (seed indices 0..S-1: a larger S later adds only the new ones)', positiveIntegerFlag)
    .option('--workers <n>', 'trials trained at once, one process each', positiveIntegerFlag, Math.max(1, cpus().length))
    .option('--retries <n>', 'new attempts of a failed trial in this run', nonNegativeIntegerFlag, 2)
    .option('--queue [url]', `train the retrains on \`randwire worker\`s through this Redis (as sweep run --queue); given alone, $${QUEUE_URL_ENV}`)
    .addHelpText(
      'after',
      '\nExample:\n  randwire sweep retrain sweeps/wiring --top 3 --seeds 3 --workers 2\n  (writes report/retrain.md and report/retrain.csv; `sweep report` includes them)',
    )
    .action(async (dir: string, flags: RetrainFlags) => {
      const url = queueUrl(flags.queue);
      const log = (l: string): void => void process.stderr.write(l + '\n');
      sweepFolder(dir);
      const connection = url ? await connectChecked(url, log, 'coordinator') : undefined;
      let sweep: ReturnType<typeof openSweep>;
      try {
        sweep = openSweep({ path: dir }, undefined, undefined);
      } catch (e) {
        connection?.disconnect();
        throw e;
      }
      const interrupt = interruptFlag();
      try {
        const queuedTo = sweep.store.getMeta(RETRAIN_QUEUE_META);
        // Refused before anything is added: workers may hold those retrains now.
        if (!url && queuedTo && sweep.store.trials(new Set(retrainOrigins(origins(sweep.store)).map((o) => o.trialId))).some((r) => r.status !== 'done')) {
          throw new RandwireError('sweep', `the retrains of ${dir} were sent to the queue ${queuedTo}; continue them with --queue`);
        }
        const { added, retrains, notes } = addRetrains(sweep.plan, sweep.store, dir, flags.top, flags.seeds);
        for (const n of notes) log(n);
        log(
          `${plural(added.length, 'new retrain')} added to ${dir}; ${plural(retrains.filter((t) => sweep.store.trial(t.id)?.status !== 'done').length, 'retrain')} to train`,
        );
        if (url) sweep.store.setMeta(RETRAIN_QUEUE_META, url.redacted);
        const spec = sweep.plan.spec;
        const r =
          url && connection
            ? await runQueued(sweep.store, retrains, dir, {
                url,
                connection,
                data: spec.data,
                dataSha256: Object.hasOwn(DATA_SOURCES, spec.data) ? undefined : dataFingerprint(spec.data),
                weights: spec.weights,
                retries: flags.retries,
                log,
                shouldStop: interrupt.stop,
              })
            : await runLocal(sweep.store, retrains, dir, { workers: flags.workers, retries: flags.retries, log, shouldStop: interrupt.stop });
        const rows = retrainResults(sweep.plan, sweep.store);
        const files = writeRetrainTable(dir, rows);
        process.stdout.write(`${retrainMarkdown(rows)}\n\nwrote ${files.join(' and ')}\n`);
        if (r.stopped) {
          log(`stopped; continue with: randwire sweep retrain ${dir} --top ${flags.top} --seeds ${flags.seeds}${url ? ' --queue' : ''}`);
          process.exitCode = 130;
        } else if (r.failed.length) {
          log(
            `randwire: sweep: ${plural(r.failed.length, 'retrain')} failed after ${r.failed.length === 1 ? 'its' : 'their'} retries (${r.failed.join(', ')}); see randwire sweep status ${dir}, then run again to retry them`,
          );
          process.exitCode = 1;
        }
      } finally {
        interrupt.dispose();
        connection?.disconnect();
        closeSweep(sweep.store);
      }
    });
}
