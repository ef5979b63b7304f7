// The `tensorLens.*` settings as a TrainConfig. Pure (the caller passes a getter over VS Code's
// configuration), so the checks are unit-tested; package.json declares the same ranges, and a test
// keeps the two in step.
import { FaultError } from '../shared/faults';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig, type WorkersChoice } from '../shared/protocol';
import {
  BACKENDS,
  MAX_WORKERS,
  NUMBER_RULES,
  type NumberField,
  OPTIMIZERS,
  choiceFault,
  numberFault,
  workersFault,
} from '../shared/trainConfigRules';

/** The numeric settings: the shared rules, except that trainLimit 0 means "all samples". */
export const NUMBER_SETTINGS: Record<NumberField, { min: number; max: number; integer: boolean }> = {
  ...NUMBER_RULES,
  trainLimit: { ...NUMBER_RULES.trainLimit, min: 0 },
};

/**
 * tensorLens.keptRuns: how many runs the Runs view keeps. It governs data shared by every workspace,
 * so the manifest gives it the application scope (a workspace's settings cannot set it).
 */
export const KEPT_RUNS_SETTING = { min: 1, max: 1000, integer: true, default: 50 };

/** The number of runs to keep, or the refused value (then every run is kept, and the caller says so). */
export type KeptRuns = { ok: true; limit: number } | { ok: false; value: unknown };

export function readKeptRuns(get: SettingGetter): KeptRuns {
  const value = get('keptRuns') ?? KEPT_RUNS_SETTING.default;
  return numberFault(KEPT_RUNS_SETTING, value) === null ? { ok: true, limit: value as number } : { ok: false, value };
}

/** A setting refused: its fault names the setting, its rule and the value (as JSON). */
export class SettingsError extends FaultError {}

const shown = (value: unknown): string => String(JSON.stringify(value));

/** Reads one setting's value; undefined means "not set" (the default applies). */
export type SettingGetter = (key: string) => unknown;

/**
 * `workspaceTrusted` (vscode.workspace.isTrusted) decides whether data files may link out of the data
 * folder: an untrusted workspace must not point Tensor Lens at files elsewhere on the machine.
 */
export function readTrainConfig(get: SettingGetter, modelDir: string | null, workspaceTrusted: boolean): TrainConfig {
  const number = (key: NumberField, fallback: number): number => {
    const value = get(key) ?? fallback;
    const rule = NUMBER_SETTINGS[key];
    if (numberFault(rule, value) !== null)
      throw new SettingsError({
        kind: rule.integer ? 'settingInteger' : 'settingNumber',
        key,
        min: rule.min,
        max: rule.max,
        value: shown(value),
      });
    return value as number;
  };
  const choice = <T extends string>(key: string, options: readonly T[], fallback: T): T => {
    const value = get(key) ?? fallback;
    if (choiceFault(options, value) !== null)
      throw new SettingsError({ kind: 'settingChoice', key, options: options.join(', '), value: shown(value) });
    return value as T;
  };
  const dataDir = get('dataDir') ?? '';
  if (typeof dataDir !== 'string')
    throw new SettingsError({ kind: 'settingFolder', key: 'dataDir', value: shown(dataDir) });
  const trainLimit = number('trainLimit', 0);
  const workers = (): WorkersChoice => {
    const value = get('workers') ?? DEFAULT_TRAIN_CONFIG.workers;
    if (workersFault(value) !== null)
      throw new SettingsError({ kind: 'settingWorkers', key: 'workers', max: MAX_WORKERS, value: shown(value) });
    return value as WorkersChoice;
  };
  return {
    epochs: number('epochs', DEFAULT_TRAIN_CONFIG.epochs),
    batchSize: number('batchSize', DEFAULT_TRAIN_CONFIG.batchSize),
    hiddenUnits: number('hiddenUnits', DEFAULT_TRAIN_CONFIG.hiddenUnits),
    learningRate: number('learningRate', DEFAULT_TRAIN_CONFIG.learningRate),
    optimizer: choice('optimizer', OPTIMIZERS, DEFAULT_TRAIN_CONFIG.optimizer),
    validationSplit: number('validationSplit', DEFAULT_TRAIN_CONFIG.validationSplit),
    trainLimit: trainLimit === 0 ? null : trainLimit,
    seed: number('seed', DEFAULT_TRAIN_CONFIG.seed),
    backend: choice('backend', BACKENDS, DEFAULT_TRAIN_CONFIG.backend),
    workers: workers(),
    dataDir: dataDir.trim() === '' ? null : dataDir.trim(),
    followDataLinks: workspaceTrusted,
    modelDir,
    stream: 'all',
  };
}
