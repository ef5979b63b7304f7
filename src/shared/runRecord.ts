// What Tensor Lens keeps of every run, to list and compare runs later: its config, its epoch
// metrics, how it ended and its test evaluation. Pure: the host stores records as JSON files
// (src/extension/runStore.ts) and validates every file it reads back with parseRunRecord.
import type { EpochMetrics, Optimizer, TrainConfig } from './protocol';
import type { RunState } from './runState';

/** Every record says it is ours: the store never reads, lists or deletes a file without it. */
export const RUN_RECORD_MARK = 'tensor-lens-run';
export const RUN_RECORD_VERSION = 1;
/** `run-<ms since 1970, 13 digits>-<8 hex>`: the record's id and, with `.json`, its file name. */
export const RUN_ID = /^run-\d{13}-[0-9a-f]{8}$/;

export type RunOutcome = 'training' | 'completed' | 'stopped' | 'failed';

export interface RunRecord {
  mark: typeof RUN_RECORD_MARK;
  version: typeof RUN_RECORD_VERSION;
  id: string;
  /** Milliseconds since 1970 (UTC). */
  startedAt: number;
  config: TrainConfig;
  epochs: EpochMetrics[];
  outcome: RunOutcome;
  evaluation: { testLoss: number; testAccuracy: number } | null;
}

/** The record of the run in `state` (null before its trainStart). */
export function recordFromState(id: string, startedAt: number, state: RunState): RunRecord | null {
  if (state.run === null) return null;
  const outcome: RunOutcome = state.status === 'idle' ? 'training' : state.status;
  const e = state.evaluation;
  return {
    mark: RUN_RECORD_MARK,
    version: RUN_RECORD_VERSION,
    id,
    startedAt,
    config: state.run.config,
    epochs: state.epochs.slice(),
    outcome,
    evaluation: e ? { testLoss: e.testLoss, testAccuracy: e.testAccuracy } : null,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const OPTIMIZERS: readonly Optimizer[] = ['rmsprop', 'adam', 'sgd'];
const OUTCOMES: readonly RunOutcome[] = ['training', 'completed', 'stopped', 'failed'];
/** More epochs than any setting allows: a record claiming more is not one of ours. */
const MAX_EPOCHS = 1000;

function isEpoch(v: unknown): v is EpochMetrics {
  if (!isObject(v)) return false;
  const nullableNumber = (x: unknown) => x === null || isNumber(x);
  return (
    ['epoch', 'epochs', 'seconds', 'samplesPerSecond'].every((k) => isNumber(v[k])) &&
    // A diverged run's loss may be NaN, which JSON writes as null.
    ['loss', 'accuracy', 'valLoss', 'valAccuracy'].every((k) => nullableNumber(v[k]))
  );
}

function isConfig(v: unknown): v is TrainConfig {
  if (!isObject(v)) return false;
  return (
    ['epochs', 'batchSize', 'hiddenUnits', 'learningRate', 'validationSplit', 'seed'].every((k) => isNumber(v[k])) &&
    OPTIMIZERS.includes(v.optimizer as Optimizer) &&
    (v.trainLimit === null || isNumber(v.trainLimit))
  );
}

/** The record in `raw` (parsed JSON), or null when it is not exactly a record of ours. */
export function parseRunRecord(raw: unknown): RunRecord | null {
  if (!isObject(raw) || raw.mark !== RUN_RECORD_MARK || raw.version !== RUN_RECORD_VERSION) return null;
  if (typeof raw.id !== 'string' || !RUN_ID.test(raw.id) || !isNumber(raw.startedAt)) return null;
  if (!isConfig(raw.config) || !OUTCOMES.includes(raw.outcome as RunOutcome)) return null;
  if (!Array.isArray(raw.epochs) || raw.epochs.length > MAX_EPOCHS || !raw.epochs.every(isEpoch)) return null;
  const e = raw.evaluation;
  if (e !== null && !(isObject(e) && isNumber(e.testLoss) && isNumber(e.testAccuracy))) return null;
  return raw as unknown as RunRecord;
}

/** The settings a legend may name, in the order it names them, and how. */
const LABELLED: { key: keyof TrainConfig; text: (c: TrainConfig) => string }[] = [
  { key: 'optimizer', text: (c) => c.optimizer },
  { key: 'learningRate', text: (c) => `lr ${c.learningRate}` },
  { key: 'batchSize', text: (c) => `batch ${c.batchSize}` },
  { key: 'hiddenUnits', text: (c) => `${c.hiddenUnits} units` },
  { key: 'epochs', text: (c) => `${c.epochs} epochs` },
  { key: 'trainLimit', text: (c) => (c.trainLimit === null ? 'all samples' : `${c.trainLimit} samples`) },
  { key: 'validationSplit', text: (c) => `validation ${c.validationSplit}` },
  { key: 'seed', text: (c) => `seed ${c.seed}` },
  { key: 'backend', text: (c) => c.backend },
];

/** `HH:MM` of a start time, in the machine's time zone. */
export function startTime(startedAt: number): string {
  const d = new Date(startedAt);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/**
 * A legend label per run by what differs between them ("adam, lr 0.01"); runs that differ in
 * nothing named are told apart by their start time.
 */
export function runLabels(records: readonly Pick<RunRecord, 'config' | 'startedAt'>[]): string[] {
  const differing = LABELLED.filter(({ key }) => new Set(records.map((r) => JSON.stringify(r.config[key]))).size > 1);
  const labels = records.map((r) => differing.map(({ text }) => text(r.config)).join(', '));
  return labels.map((label, i) => {
    const twins = labels.filter((l) => l === label).length > 1;
    if (label === '') return `run ${startTime(records[i].startedAt)}`;
    return twins ? `${label} (${startTime(records[i].startedAt)})` : label;
  });
}
