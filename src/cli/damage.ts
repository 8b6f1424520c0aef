import { Command, Option } from 'commander';
import { COMMANDS } from './commands.js';
import { join } from 'node:path';
import { BACKENDS, type BackendChoice } from '../backend/backend.js';
import { damageRun, DAMAGE_WHAT, runStageGraphs, type DamageWhat } from '../experiment/damage.js';
import { readSummary } from '../experiment/run-files.js';
import { DAMAGE_DIR, DAMAGE_FILES, writeDamageReport } from '../report/damage-report.js';
import { choiceFlag, positiveIntegerFlag } from './flags.js';
import { checkDamageOut, type DamageSettings } from './damage-out.js';
import { damageProgressLines } from './damage-progress.js';
import { plural } from '../core/format.js';

export function damageCommand(): Command {
  return new Command('damage')
    .description(COMMANDS.damage.description)
    .argument('<run>', 'finished RandWire run folder')
    .addOption(new Option('--what <kind>', `what to remove: ${DAMAGE_WHAT.join(', ')}`).argParser(choiceFlag(DAMAGE_WHAT)).default('both'))
    .option('--test-limit <n>', "a seeded subset of this many test images (default: the run's own test set)", positiveIntegerFlag)
    .option(
      '--out <dir>',
      'folder for damage.json|csv|md and the figures (default: RUN/damage; a result of other settings there is replaced only with --force)',
    )
    .option('--force', 'replace a damage result of other settings in --out')
    .addOption(new Option('--backend <name>', 'tfjs backend').argParser(choiceFlag(BACKENDS)))
    .action(async (run: string, opts: { what: DamageWhat; testLimit?: number; out?: string; force?: boolean; backend?: BackendChoice }) => {
      const out = opts.out ?? join(run, DAMAGE_DIR);
      const settings: DamageSettings = { what: opts.what, testLimit: opts.testLimit ?? null };
      checkDamageOut(out, settings, opts.force === true, readSummary(run)?.testImages);
      const r = await damageRun(run, { what: opts.what, testLimit: opts.testLimit, backend: opts.backend, onProgress: damageProgressLines(process.stderr) });
      await writeDamageReport(out, { ...r, options: settings }, runStageGraphs(run));
      const pts = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)} points`);
      process.stdout.write(
        `undamaged ${(r.accuracy * 100).toFixed(2)} % on ${plural(r.testImages, 'test image')}; mean drop per removed node ${pts(r.meanDrop.node)}, per removed edge ${pts(r.meanDrop.edge)} (${plural(r.nodes.length, 'node')}, ${plural(r.edges.length, 'edge')}, ${r.seconds.toFixed(0)} s)\n`,
      );
      const best = [...r.predictors].filter((p) => p.rho !== null).sort((a, b) => Math.abs(b.rho!) - Math.abs(a.rho!));
      for (const p of best) process.stdout.write(`  ${p.kind} ${p.predictor}: Spearman rho ${p.rho!.toFixed(3)} (n ${p.n})\n`);
      process.stdout.write(`wrote ${join(out, DAMAGE_FILES.json)}, ${DAMAGE_FILES.csv}, ${DAMAGE_FILES.table} and figures\n`);
    });
}
