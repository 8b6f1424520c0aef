import { Command } from 'commander';
import { exitWhenFlushed, installProcessErrorHandlers, reportError } from './process-errors.js';
import { PRINT_ONLY_COMMANDS, setClosedOutputPolicy } from './closed-output.js';
import { graphCommand } from './graph.js';
import { figuresCommand } from './figures.js';
import { modelCommand } from './model.js';
import { infoCommand } from './info.js';
import { trainCommand } from './train.js';
import { evalCommand } from './eval.js';
import { predictCommand } from './predict.js';
import { reproduceCommand, reportCommand } from './reproduce.js';
import { sweepCommand } from './sweep.js';
import { workerCommand } from './worker.js';
import { serveCommand } from './serve.js';
import { damageCommand } from './damage.js';

installProcessErrorHandlers();

const program = new Command('randwire')
  .description('Randomly wired neural networks (Xie et al. 2019) on TensorFlow.js')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

program.addCommand(graphCommand());
program.addCommand(figuresCommand());
program.addCommand(modelCommand());
program.addCommand(infoCommand());
program.addCommand(trainCommand());
program.addCommand(evalCommand());
program.addCommand(predictCommand());
program.addCommand(reproduceCommand());
program.addCommand(reportCommand());
program.addCommand(sweepCommand());
program.addCommand(workerCommand());
program.addCommand(damageCommand());
program.addCommand(serveCommand());

// Commander sub-commands inherit neither exitOverride nor help-after-error; set them everywhere.
function configure(cmd: Command): void {
  for (const sub of cmd.commands) {
    sub.exitOverride().showHelpAfterError('(add --help for usage)');
    configure(sub);
  }
}
configure(program);

/** `sweep plan` for the command that runs: the names below `randwire`. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c !== program; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
program.hook('preAction', (_program, command) => {
  const path = commandPath(command);
  const printOnly = PRINT_ONLY_COMMANDS.some((p) => path === p || path.startsWith(`${p} `));
  setClosedOutputPolicy(printOnly ? 'quiet-exit' : 'keep-working');
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // A failed command ends now, whatever still holds the event loop (an open stdin, a timer).
  exitWhenFlushed(reportError(e));
}
