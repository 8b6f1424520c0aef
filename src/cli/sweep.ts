import { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { loadSpec } from '../sweep/folder.js';
import { halvingSettings } from '../sweep/search-spec.js';
import { assignBrackets, describeBrackets } from '../search/halving-plan.js';
import { planSweep, type PlannedTrial } from '../sweep/plan.js';
import { runTrialChild } from '../sweep/trial-child.js';
import { STOP_AFTER_EPOCH_FLAG } from '../sweep/trial-process.js';
import { positiveIntegerFlag } from './flags.js';
import { exitWhenFlushed } from './process-errors.js';
import { presetOption } from './sweep-flags.js';
import { sweepRunCommand } from './sweep-run.js';
import { sweepStatusCommand } from './sweep-status.js';
import { sweepReportCommand } from './sweep-report.js';
import { sweepCompareCommand } from './sweep-compare.js';
import { sweepRetrainCommand } from './sweep-retrain.js';
import { plural } from '../core/format.js';

const kilo = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n));

function planLine(t: PlannedTrial): string {
  const flags = [t.sameGraphsAs ? `same graphs as ${t.sameGraphsAs}` : '', t.outOfBudget ? 'out of budget' : ''].filter(Boolean).join(', ');
  return [
    t.id,
    t.cell.label.padEnd(28),
    String(t.graphSeed).padStart(5),
    String(t.trainSeed).padStart(5),
    kilo(t.params).padStart(9),
    kilo(t.multiplyAdds).padStart(9),
    t.graphHashes.map((h) => h.slice(0, 8)).join('/') || '-',
    flags,
  ]
    .join('  ')
    .trimEnd();
}

function planCommand(): Command {
  return new Command('plan')
    .description('expand a sweep into its trials without training, and print them')
    .argument('[file]', 'sweep file (JSON) or sweep folder')
    .addOption(presetOption())
    .option('--json', 'print the trials as JSON lines (id, cell, seeds, params, multiply-adds, graph hashes)')
    .action((file: string | undefined, flags: { preset?: string; json?: boolean }) => {
      const plan = planSweep(loadSpec({ path: file, preset: flags.preset }).spec);
      if (flags.json) {
        for (const t of plan.trials) {
          process.stdout.write(
            JSON.stringify({
              id: t.id,
              position: t.position,
              cell: t.cell.label,
              family: t.cell.family,
              params: t.cell.params,
              nodes: t.cell.nodes,
              channels: t.cell.channels,
              graphSeed: t.graphSeed,
              trainSeed: t.trainSeed,
              seed: t.config.seed,
              modelParams: t.params,
              multiplyAdds: t.multiplyAdds,
              graphHashes: t.graphHashes,
              sameGraphsAs: t.sameGraphsAs ?? null,
              outOfBudget: t.outOfBudget,
            }) + '\n',
          );
        }
        return;
      }
      process.stdout.write(`${['id'.padEnd(12), 'cell'.padEnd(28), 'graph', 'train', '   params', '  mult-add', 'graph hash per stage'].join('  ')}\n`);
      for (const t of plan.trials) process.stdout.write(planLine(t) + '\n');
      if (plan.spec.search?.strategy === 'halving') {
        for (const line of describeBrackets(
          assignBrackets(
            plan.trials.map((t) => t.id),
            halvingSettings(plan.spec),
          ),
        ))
          process.stdout.write(`halving ${line}\n`);
      }
      const same = plan.trials.filter((t) => t.sameGraphsAs).length;
      process.stdout.write(
        `${plural(plan.trials.length, 'trial')} in ${plural(plan.cells.length, 'cell')}${plan.dropped ? `; ${plan.dropped} left out by the budget` : ''}${same ? `; ${plural(same, 'trial')} repeat${same === 1 ? 's' : ''} the graphs of another graph seed of the same setting` : ''}\n`,
      );
    });
}

function trialCommand(): Command {
  return new Command('trial')
    .description('(internal) train one trial; its config comes on stdin from `sweep run`')
    .argument('<dir>', 'the trial run folder')
    .option(`${STOP_AFTER_EPOCH_FLAG} <k>`, "pause after epoch K of the trial's schedule (a rung); it continues when started again", positiveIntegerFlag)
    .action(async (dir: string, flags: { stopAfterEpoch?: number }) => {
      exitWhenFlushed(await runTrialChild(dir, flags.stopAfterEpoch));
    });
}

export function sweepCommand(): Command {
  return new Command('sweep')
    .description(COMMANDS.sweep.description)
    .addCommand(planCommand())
    .addCommand(sweepRunCommand())
    .addCommand(sweepStatusCommand())
    .addCommand(sweepReportCommand())
    .addCommand(sweepCompareCommand())
    .addCommand(sweepRetrainCommand())
    .addCommand(trialCommand(), { hidden: true });
}
