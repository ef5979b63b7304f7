// The headless CLI's command line: `train [flags]` and `predict IMAGE [flags]`, parsed strictly
// (unknown flags, missing values and non-numbers are errors naming the flag).
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../shared/protocol';
import { validateTrainConfig } from './requests';

export const DEFAULT_MODEL_DIR = 'mnist-model';

export const USAGE = `Usage:
  node dist/cli.js train [--epochs N] [--batch-size N] [--hidden-units N] [--learning-rate X]
                         [--optimizer rmsprop|adam|sgd] [--validation-split X]
                         [--backend auto|tensorflow|wasm|cpu] [--workers auto|N] [--data DIR] [--train-limit N]
                         [--seed N] [--model-dir DIR] [--json] [--verbose]
  node dist/cli.js predict IMAGE [--model-dir DIR] [--json] [--verbose]
Trains the MNIST network of Deep Learning with Python ch. 2 (defaults: the book's), or predicts
the digit in an image with a saved model (default folder ./${DEFAULT_MODEL_DIR}).`;

export class UsageError extends Error {}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'train'; config: TrainConfig; json: boolean; verbose: boolean }
  | { kind: 'predict'; image: string; modelDir: string; json: boolean; verbose: boolean };

const FLAG_OF: Record<keyof TrainConfig, string> = {
  epochs: '--epochs',
  batchSize: '--batch-size',
  hiddenUnits: '--hidden-units',
  learningRate: '--learning-rate',
  optimizer: '--optimizer',
  validationSplit: '--validation-split',
  trainLimit: '--train-limit',
  seed: '--seed',
  backend: '--backend',
  workers: '--workers',
  dataDir: '--data',
  modelDir: '--model-dir',
  stream: 'stream',
};

const common = {
  'model-dir': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const trainOptions = {
  ...common,
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'hidden-units': { type: 'string' },
  'learning-rate': { type: 'string' },
  optimizer: { type: 'string' },
  'validation-split': { type: 'string' },
  backend: { type: 'string' },
  workers: { type: 'string' },
  data: { type: 'string' },
  'train-limit': { type: 'string' },
  seed: { type: 'string' },
} as const;

function integerFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`--${flag} must be an integer, got "${text}"`);
  return Number(text);
}

function numberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a number, got "${text}"`);
  return value;
}

/** Runs node's parseArgs, turning its errors into usage errors. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    // node's messages are clear ("Unknown option '--foo'") but may span lines; the CLI prints one.
    throw new UsageError((e as Error).message.split('. To specify a positional')[0].replace(/\s*\n\s*/g, ' '));
  }
}

export function parseCommandLine(argv: string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { kind: 'help' };
  if (command === 'train') {
    const { values, positionals } = parsed(() =>
      parseArgs({ args: rest, options: trainOptions, allowPositionals: true, strict: true }),
    );
    if (values.help) return { kind: 'help' };
    if (positionals.length > 0) throw new UsageError(`train takes no arguments, got "${positionals[0]}"`);
    const d = DEFAULT_TRAIN_CONFIG;
    const config: TrainConfig = {
      epochs: integerFlag('epochs', values.epochs) ?? d.epochs,
      batchSize: integerFlag('batch-size', values['batch-size']) ?? d.batchSize,
      hiddenUnits: integerFlag('hidden-units', values['hidden-units']) ?? d.hiddenUnits,
      learningRate: numberFlag('learning-rate', values['learning-rate']) ?? d.learningRate,
      optimizer: (values.optimizer ?? d.optimizer) as TrainConfig['optimizer'],
      validationSplit: numberFlag('validation-split', values['validation-split']) ?? d.validationSplit,
      trainLimit: integerFlag('train-limit', values['train-limit']) ?? d.trainLimit,
      seed: integerFlag('seed', values.seed) ?? d.seed,
      backend: (values.backend ?? d.backend) as TrainConfig['backend'],
      workers:
        values.workers === undefined || values.workers === 'auto' ? d.workers : integerFlag('workers', values.workers)!,
      dataDir: values.data === undefined ? d.dataDir : path.resolve(values.data),
      modelDir: path.resolve(values['model-dir'] ?? DEFAULT_MODEL_DIR),
      stream: 'all',
    };
    try {
      validateTrainConfig(config, (field) => FLAG_OF[field]);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    return { kind: 'train', config, json: values.json ?? false, verbose: values.verbose ?? false };
  }
  if (command === 'predict') {
    const { values, positionals } = parsed(() =>
      parseArgs({ args: rest, options: common, allowPositionals: true, strict: true }),
    );
    if (values.help) return { kind: 'help' };
    if (positionals.length !== 1) throw new UsageError(`predict takes one IMAGE file, got ${positionals.length}`);
    return {
      kind: 'predict',
      image: path.resolve(positionals[0]),
      modelDir: path.resolve(values['model-dir'] ?? DEFAULT_MODEL_DIR),
      json: values.json ?? false,
      verbose: values.verbose ?? false,
    };
  }
  throw new UsageError(`unknown command "${command}" (expected train or predict; --help for usage)`);
}
