import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/protocol';
import { DEFAULT_MODEL_DIR, UsageError, parseCommandLine } from '../../../src/trainer/cliArgs';

test('cli args: `train` alone is the book’s setup, saved to ./mnist-model; data files may link out of the data folder', () => {
  const command = parseCommandLine(['train']);
  assert.equal(command.kind, 'train');
  if (command.kind !== 'train') return;
  assert.deepEqual(command.config, {
    ...DEFAULT_TRAIN_CONFIG,
    modelDir: path.resolve(DEFAULT_MODEL_DIR),
    followDataLinks: true,
  });
  assert.equal(command.json, false);
});

test('cli args: every train flag lands in the config', () => {
  const command = parseCommandLine([
    'train',
    '--epochs',
    '2',
    '--batch-size',
    '64',
    '--hidden-units',
    '32',
    '--learning-rate',
    '0.01',
    '--optimizer',
    'adam',
    '--validation-split',
    '0.1',
    '--backend',
    'cpu',
    '--workers',
    '3',
    '--data',
    'mnist',
    '--train-limit',
    '5000',
    '--seed',
    '7',
    '--model-dir',
    'out/m',
    '--json',
    '--verbose',
  ]);
  assert.deepEqual(command, {
    kind: 'train',
    config: {
      epochs: 2,
      batchSize: 64,
      hiddenUnits: 32,
      learningRate: 0.01,
      optimizer: 'adam',
      validationSplit: 0.1,
      trainLimit: 5000,
      seed: 7,
      backend: 'cpu',
      workers: 3,
      dataDir: path.resolve('mnist'),
      followDataLinks: true,
      modelDir: path.resolve('out/m'),
      stream: 'all',
    },
    json: true,
    verbose: true,
  });
});

test('cli args: predict takes one image and an optional model folder', () => {
  assert.deepEqual(parseCommandLine(['predict', 'digit.png', '--model-dir', 'm', '--json']), {
    kind: 'predict',
    image: path.resolve('digit.png'),
    modelDir: path.resolve('m'),
    json: true,
    verbose: false,
  });
  assert.throws(() => parseCommandLine(['predict']), /predict takes one IMAGE file, got 0/);
});

test('cli args: bad flags are usage errors naming the flag', () => {
  const cases: [string[], RegExp][] = [
    [['train', '--epochs', 'five'], /--epochs must be an integer, got "five"/],
    [['train', '--epochs', '0'], /--epochs must be an integer from 1 to 1000, got 0/],
    [['train', '--learning-rate', 'fast'], /--learning-rate must be a number, got "fast"/],
    [['train', '--learning-rate=-1'], /--learning-rate must be a number from 1e-7 to 1e\+30, got -1/],
    [['train', '--learning-rate', '-1'], /^Option '--learning-rate' argument is ambiguous\. [^\n]*=-XYZ'\.$/],
    [['train', '--validation-split', '1'], /--validation-split must be a number from 0 to 0\.9, got 1/],
    [['train', '--optimizer', 'lbfgs'], /--optimizer must be one of rmsprop, adam, sgd, got "lbfgs"/],
    [['train', '--backend', 'gpu'], /--backend must be one of auto, tensorflow, wasm, cpu, got "gpu"/],
    [['train', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['train', '--epochs'], /--epochs/],
    [['train', 'extra'], /train takes no arguments, got "extra"/],
    [['train', '--model-dir', ''], /--model-dir must name a folder, got ""/],
    [['train', '--batch-size', '60000'], /--batch-size must be an integer from 1 to 4096, got 60000/],
    [['fly'], /unknown command "fly" \(expected train, predict or runs/],
    [['runs', 'a', 'b'], /runs takes at most one folder, got 2/],
    [['runs', ''], /runs: the folder must be named, got ""/],
    [['runs', '--model-dir', 'x'], /Unknown option '--model-dir'/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseCommandLine(argv),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
      argv.join(' '),
    );
  }
});

test('cli args: runs takes an optional folder (default: the current one) and --json', () => {
  assert.deepEqual(parseCommandLine(['runs']), { kind: 'runs', dir: process.cwd(), json: false, verbose: false });
  assert.deepEqual(parseCommandLine(['runs', 'sub/dir', '--json']), {
    kind: 'runs',
    dir: path.resolve('sub/dir'),
    json: true,
    verbose: false,
  });
  assert.deepEqual(parseCommandLine(['runs', '--help']), { kind: 'help' });
});

test('cli args: no command or --help asks for the usage text', () => {
  assert.deepEqual(parseCommandLine([]), { kind: 'help' });
  assert.deepEqual(parseCommandLine(['train', '--help']), { kind: 'help' });
});

test('cli args: --workers takes auto or a thread count, and names itself when wrong', () => {
  const workers = (...flag: string[]) => {
    const command = parseCommandLine(['train', ...flag]);
    return command.kind === 'train' ? command.config.workers : null;
  };
  assert.equal(workers(), 'auto');
  assert.equal(workers('--workers', 'auto'), 'auto');
  assert.equal(workers('--workers', '2'), 2);
  assert.throws(() => workers('--workers', '0'), /--workers must be auto or an integer from 1 to 16, got 0/);
  assert.throws(() => workers('--workers', 'all'), /--workers must be an integer, got "all"/);
});
