import { Command } from 'commander';
import { exitWhenFlushed, installProcessErrorHandlers, reportError } from './process-errors.js';
import { PRINT_ONLY_COMMANDS, setClosedOutputPolicy } from './closed-output.js';
import { COMMANDS, COMMAND_NAMES, type CommandName } from './commands.js';

installProcessErrorHandlers();

const program = new Command('randwire')
  .description('Randomly wired neural networks (Xie et al. 2019) on TensorFlow.js')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

/**
 * The command that runs is loaded whole; the others are only named (enough for `randwire --help`
 * and for the suggestion after a typo), so a command pays for the modules it uses and no others.
 */
const args = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const wanted = (args[0] === 'help' ? args[1] : args[0]) as CommandName | undefined;
for (const name of COMMAND_NAMES) {
  program.addCommand(name === wanted ? await COMMANDS[name].load() : new Command(name).description(COMMANDS[name].description).usage('[options]'));
}

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
