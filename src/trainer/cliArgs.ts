// The headless CLI's command line: `train [flags]`, `predict IMAGE [flags]` and `runs [DIR] [flags]`,
// parsed strictly
// (unknown flags, missing values and non-numbers are errors naming the flag).
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../shared/errors';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../shared/protocol';
import { BACKENDS, MAX_WORKERS, NUMBER_RULES, type NumberField, OPTIMIZERS } from '../shared/trainConfigRules';
import { validateTrainConfig } from './requests';

export const DEFAULT_MODEL_DIR = 'mnist-model';

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
  followDataLinks: 'followDataLinks',
  modelDir: '--model-dir',
  stream: 'stream',
};

/** `[--epochs 1..1000]`: a numeric flag with its range from the shared rules. */
const rangeText = (field: NumberField) => `[${FLAG_OF[field]} ${NUMBER_RULES[field].min}..${NUMBER_RULES[field].max}]`;

export const USAGE = `Usage:
  node dist/cli.js train ${rangeText('epochs')} ${rangeText('batchSize')} ${rangeText('hiddenUnits')}
                         ${rangeText('learningRate')} ${rangeText('validationSplit')}
                         [--optimizer ${OPTIMIZERS.join('|')}] [--backend ${BACKENDS.join('|')}]
                         [--workers auto|1..${MAX_WORKERS}]
                         ${rangeText('trainLimit')} ${rangeText('seed')}
                         [--data DIR] [--model-dir DIR] [--json] [--verbose]
  node dist/cli.js predict IMAGE [--model-dir DIR] [--json] [--verbose]
  node dist/cli.js runs [DIR] [--json]
Trains the MNIST network of Deep Learning with Python ch. 2 (defaults: the book's), or predicts
the digit in an image with a saved model (default folder ./${DEFAULT_MODEL_DIR}). The model folder
must be new, empty, or one this tool saved into: nothing else in it is ever replaced. Ctrl-C stops
training after its batch and saves the model so far (exit code 130); a second Ctrl-C quits at once.
runs lists the Keras runs the tensorlens callback wrote under DIR/.tensorlens/runs/ (default: the
current folder): state (running, ended, failed, died), backend, epochs, batches, last metrics.`;

export class UsageError extends Error {}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'train'; config: TrainConfig; json: boolean; verbose: boolean }
  | { kind: 'predict'; image: string; modelDir: string; json: boolean; verbose: boolean }
  | { kind: 'runs'; dir: string; json: boolean; verbose: boolean };

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
    throw new UsageError(
      messageOf(e)
        .split('. To specify a positional')[0]
        .replace(/\s*\n\s*/g, ' '),
    );
  }
}

/** --model-dir as an absolute path; an empty value is an error, never the current folder. */
function modelFolder(text: string | undefined): string {
  if (text !== undefined && text.trim() === '') throw new UsageError('--model-dir must name a folder, got ""');
  return path.resolve(text ?? DEFAULT_MODEL_DIR);
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
      // The CLI's user chose the folder (no workspace stands between): links from shared storage are followed.
      followDataLinks: true,
      modelDir: modelFolder(values['model-dir']),
      stream: 'all',
    };
    try {
      validateTrainConfig(config, (field) => FLAG_OF[field]);
    } catch (e) {
      throw new UsageError(messageOf(e));
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
      modelDir: modelFolder(values['model-dir']),
      json: values.json ?? false,
      verbose: values.verbose ?? false,
    };
  }
  if (command === 'runs') {
    const { values, positionals } = parsed(() =>
      parseArgs({
        args: rest,
        options: { json: common.json, verbose: common.verbose, help: common.help },
        allowPositionals: true,
        strict: true,
      }),
    );
    if (values.help) return { kind: 'help' };
    if (positionals.length > 1) throw new UsageError(`runs takes at most one folder, got ${positionals.length}`);
    if (positionals[0]?.trim() === '') throw new UsageError('runs: the folder must be named, got ""');
    return {
      kind: 'runs',
      dir: path.resolve(positionals[0] ?? '.'),
      json: values.json ?? false,
      verbose: values.verbose ?? false,
    };
  }
  throw new UsageError(`unknown command "${command}" (expected train, predict or runs; --help for usage)`);
}
