// The `tensorLens.*` settings as a TrainConfig. Pure (the caller passes a getter over VS Code's
// configuration), so the checks are unit-tested; package.json declares the same ranges, and a test
// keeps the two in step.
import {
  type BackendChoice,
  DEFAULT_TRAIN_CONFIG,
  MAX_WORKERS,
  type Optimizer,
  type TrainConfig,
  type WorkersChoice,
} from '../shared/protocol';

export const OPTIMIZER_CHOICES: readonly Optimizer[] = ['rmsprop', 'adam', 'sgd'];
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** Numeric settings: inclusive ranges, and whether they must be integers. */
export const NUMBER_SETTINGS = {
  epochs: { min: 1, max: 1000, integer: true },
  batchSize: { min: 1, max: 60000, integer: true },
  hiddenUnits: { min: 1, max: 8192, integer: true },
  learningRate: { min: 1e-7, max: 10, integer: false },
  validationSplit: { min: 0, max: 0.9, integer: false },
  trainLimit: { min: 0, max: 60000, integer: true },
  seed: { min: -2147483648, max: 2147483647, integer: true },
} as const;

export type NumberSetting = keyof typeof NUMBER_SETTINGS;

export class SettingsError extends Error {}

/** Reads one setting's value; undefined means "not set" (the default applies). */
export type SettingGetter = (key: string) => unknown;

export function readTrainConfig(get: SettingGetter, modelDir: string | null): TrainConfig {
  const number = (key: NumberSetting, fallback: number): number => {
    const value = get(key) ?? fallback;
    const range = NUMBER_SETTINGS[key];
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (range.integer && !Number.isInteger(value)) ||
      value < range.min ||
      value > range.max
    ) {
      const kind = range.integer ? 'an integer' : 'a number';
      throw new SettingsError(
        `Setting tensorLens.${key} must be ${kind} from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const choice = <T extends string>(key: string, options: readonly T[], fallback: T): T => {
    const value = get(key) ?? fallback;
    if (typeof value !== 'string' || !options.includes(value as T)) {
      throw new SettingsError(
        `Setting tensorLens.${key} must be one of ${options.join(', ')}, got ${JSON.stringify(value)}`,
      );
    }
    return value as T;
  };
  const dataDir = get('dataDir') ?? '';
  if (typeof dataDir !== 'string')
    throw new SettingsError(`Setting tensorLens.dataDir must be a folder path, got ${JSON.stringify(dataDir)}`);
  const trainLimit = number('trainLimit', 0);
  const workers = get('workers') ?? DEFAULT_TRAIN_CONFIG.workers;
  if (
    workers !== 'auto' &&
    !(Number.isInteger(workers) && (workers as number) >= 1 && (workers as number) <= MAX_WORKERS)
  ) {
    throw new SettingsError(
      `Setting tensorLens.workers must be auto or an integer from 1 to ${MAX_WORKERS}, got ${JSON.stringify(workers)}`,
    );
  }
  return {
    epochs: number('epochs', DEFAULT_TRAIN_CONFIG.epochs),
    batchSize: number('batchSize', DEFAULT_TRAIN_CONFIG.batchSize),
    hiddenUnits: number('hiddenUnits', DEFAULT_TRAIN_CONFIG.hiddenUnits),
    learningRate: number('learningRate', DEFAULT_TRAIN_CONFIG.learningRate),
    optimizer: choice('optimizer', OPTIMIZER_CHOICES, DEFAULT_TRAIN_CONFIG.optimizer),
    validationSplit: number('validationSplit', DEFAULT_TRAIN_CONFIG.validationSplit),
    trainLimit: trainLimit === 0 ? null : trainLimit,
    seed: number('seed', DEFAULT_TRAIN_CONFIG.seed),
    backend: choice('backend', BACKEND_CHOICES, DEFAULT_TRAIN_CONFIG.backend),
    workers: workers as WorkersChoice,
    dataDir: dataDir.trim() === '' ? null : dataDir.trim(),
    modelDir,
    stream: 'all',
  };
}
