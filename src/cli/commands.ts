import type { Command } from 'commander';

/**
 * Every `randwire` command, declared once: its name, the line `randwire --help` lists, and how to
 * load it. A command's module (and what it imports: TensorFlow.js, SQLite, BullMQ) is loaded only
 * when that command runs, so `randwire --help` and a trial process start without the rest.
 */
export interface CliCommand {
  readonly description: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS = {
  graph: {
    description: 'generate, inspect and draw random graphs (DAGs by node index)',
    load: async () => (await import('./graph.js')).graphCommand(),
  },
  figures: {
    description: "draw the study's six graph figures (ER(0.3), ER(0.15), BA(4), BA(2), WS(4,0.75), WS(4,0.1), N=32) as SVG",
    load: async () => (await import('./figures.js')).figuresCommand(),
  },
  model: {
    description: 'describe a model: layers, output shapes, parameters and multiply-adds (no training)',
    load: async () => (await import('./model.js')).modelCommand(),
  },
  info: {
    description: 'print the tfjs backend in use, versions and what was detected',
    load: async () => (await import('./info.js')).infoCommand(),
  },
  train: {
    description: 'train a model on MNIST or an IDX data set into a run folder',
    load: async () => (await import('./train.js')).trainCommand(),
  },
  eval: {
    description: "test accuracy and loss of a finished run's saved model",
    load: async () => (await import('./eval.js')).evalCommand(),
  },
  predict: {
    description: 'class probabilities for PNG images (resized to the model input); a bad image is reported and the rest are still scored',
    load: async () => (await import('./predict.js')).predictCommand(),
  },
  reproduce: {
    description: 'rerun the study: six models on MNIST, then its Table 1 and training-curve figures as files',
    load: async () => (await import('./reproduce.js')).reproduceCommand(),
  },
  report: {
    description: 'regenerate the table and figures of a results folder from its run folders',
    load: async () => (await import('./reproduce.js')).reportCommand(),
  },
  sweep: {
    description: 'architecture search over many random graphs: plan, run, status, report and retrain of a sweep',
    load: async () => (await import('./sweep.js')).sweepCommand(),
  },
  worker: {
    description: 'train sweep trials taken from a Redis queue (BullMQ), on this machine',
    load: async () => (await import('./worker.js')).workerCommand(),
  },
  damage: {
    description:
      'remove each node and each edge of a trained RandWire run, one at a time, and measure the test accuracy without retraining (Xie et al. 2019, graph damage)',
    load: async () => (await import('./damage.js')).damageCommand(),
  },
  serve: {
    description: 'a local web dashboard over a run, results or sweep folder (or a folder of them); read only',
    load: async () => (await import('./serve.js')).serveCommand(),
  },
} as const satisfies Record<string, CliCommand>;

export type CommandName = keyof typeof COMMANDS;

export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
