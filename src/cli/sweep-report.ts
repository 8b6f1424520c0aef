import { Command, Option } from 'commander';
import { sweepReport } from '../api/sweep.js';
import { MATCH_KIND_NAMES, type MatchKind } from '../report/compute-match.js';
import { choiceFlag, flagParser } from './flags.js';
import { parseNumber } from '../core/parse.js';
import { plural } from '../core/format.js';

function percent(text: string): number {
  const v = parseNumber(text.replace(/%$/, ''));
  if (v <= 0 || v >= 100) throw new Error('expected a percentage between 0 and 100 (e.g. 10 or 10%).');
  return v / 100;
}

export function sweepReportCommand(): Command {
  const cmd = new Command('report');
  return cmd
    .description("(re)write a sweep's report from its store: tables, significance, correlations with graph statistics, figures")
    .argument('<dir>', 'sweep folder')
    .addOption(
      new Option(
        '--match <kind>',
        'compare only trials of about the same size: params or flops (multiply-adds), within --tolerance of the median RandWire trial; written to report-matched-<kind>-<tolerance>/',
      ).argParser(choiceFlag(MATCH_KIND_NAMES)),
    )
    .option('--tolerance <percent>', 'with --match: how far from the median a trial may be', flagParser(percent), 0.1)
    .action(async (dir: string, flags: { match?: MatchKind; tolerance: number }) => {
      if (!flags.match && cmd.getOptionValueSource('tolerance') === 'cli')
        cmd.error(`error: option '--tolerance' needs --match ${MATCH_KIND_NAMES.join('|')}: without --match no trial is left out`, { exitCode: 2 });
      const r = await sweepReport(dir, {
        ...(flags.match ? { match: { kind: flags.match, tolerance: flags.tolerance } } : {}),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`wrote ${plural(r.files.length, 'file')} to ${r.dir} (${plural(r.cells.length, 'cell')})\n`);
    });
}
