// What Tensor Lens keeps of every run, to list and compare runs later: its config, its epoch
// metrics, how it ended and its test evaluation. Pure: the host stores records as JSON files
// (src/extension/runStore.ts) and validates every file it reads back with parseRunRecord.
import type { EpochMetrics, TrainConfig } from './protocol';
import type { RunState } from './runState';
import { NUMBER_RULES, trainConfigFault } from './trainConfigRules';

/** Every record says it is ours: the store never reads, lists or deletes a file without it. */
export const RUN_RECORD_MARK = 'tensor-lens-run';
export const RUN_RECORD_VERSION = 1;
/** `run-<ms since 1970, 13 digits>-<8 hex>`: the record's id and, with `.json`, its file name. */
export const RUN_ID = /^run-\d{13}-[0-9a-f]{8}$/;

export type RunOutcome = 'training' | 'completed' | 'stopped' | 'failed';
/** Why a run failed when its trainer could not say (worded where it is shown). */
export type FailedBecause = 'windowClosed';

/**
 * The editor process that writes a record while its run trains. Global storage is shared by every
 * window, so a run still "training" is ended only when its own writer is gone: `start` tells a
 * reused pid apart (where the system says when a process started; null elsewhere).
 */
export interface RunWriter {
  pid: number;
  host: string;
  start: string | null;
}

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
  /** Absent in records written before writers were kept. */
  writer?: RunWriter;
  failedBecause?: FailedBecause;
}

/** What the Runs view shows and the store's index holds of a record: all but its epochs. */
export type RunSummary = Omit<RunRecord, 'epochs'> & { epochsDone: number };

export function summarize(record: RunRecord): RunSummary {
  const { epochs, ...rest } = record;
  return { ...rest, epochsDone: epochs.length };
}

/** The record of the run in `state` (null before its trainStart). */
export function recordFromState(id: string, startedAt: number, state: RunState): RunRecord | null {
  if (state.started === null) return null;
  const outcome: RunOutcome = state.status === 'idle' ? 'training' : state.status;
  const e = state.evaluation;
  return {
    mark: RUN_RECORD_MARK,
    version: RUN_RECORD_VERSION,
    id,
    startedAt,
    config: state.started.config,
    epochs: state.epochs.slice(),
    outcome,
    evaluation: e ? { testLoss: e.testLoss, testAccuracy: e.testAccuracy } : null,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const OUTCOMES: readonly RunOutcome[] = ['training', 'completed', 'stopped', 'failed'];
const FAILED_BECAUSE: readonly FailedBecause[] = ['windowClosed'];
/** No run was kept before Tensor Lens existed. */
export const EARLIEST_START = Date.UTC(2020, 0, 1);
/** A start later than a day from now (clock skew aside) is made up. */
export const LATEST_START_AHEAD_MS = 24 * 3600 * 1000;
const MAX_EPOCHS = NUMBER_RULES.epochs.max;

const atLeastZero = (v: unknown) => isNumber(v) && v >= 0;
const fraction = (v: unknown) => isNumber(v) && v >= 0 && v <= 1;
const orNull = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);
const count = (v: unknown, max: number) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;

/** Why `v` is not one epoch's metrics, or null. A diverged run's loss may be NaN, which JSON writes as null. */
function epochFault(v: unknown, i: number): string | null {
  if (!isObject(v)) return `epoch ${i + 1} is not an object`;
  if (!count(v.epochs, MAX_EPOCHS) || !count(v.epoch, v.epochs as number))
    return `epoch ${i + 1}: epoch/epochs must be integers with 1 ≤ epoch ≤ epochs ≤ ${MAX_EPOCHS}`;
  for (const key of ['loss', 'valLoss'])
    if (!orNull(atLeastZero)(v[key])) return `epoch ${i + 1}: ${key} must be a number ≥ 0 or null`;
  for (const key of ['accuracy', 'valAccuracy'])
    if (!orNull(fraction)(v[key])) return `epoch ${i + 1}: ${key} must be a fraction from 0 to 1 or null`;
  for (const key of ['seconds', 'samplesPerSecond'])
    if (!atLeastZero(v[key])) return `epoch ${i + 1}: ${key} must be a number ≥ 0`;
  return null;
}

function writerFault(v: unknown): string | null {
  if (v === undefined) return null;
  const ok =
    isObject(v) &&
    Number.isInteger(v.pid) &&
    (v.pid as number) > 0 &&
    (v.pid as number) < 2 ** 32 &&
    typeof v.host === 'string' &&
    v.host.length <= 255 &&
    (v.start === null || (typeof v.start === 'string' && v.start.length <= 64));
  return ok ? null : 'writer must be {pid, host, start}';
}

/** Why `raw` (parsed JSON) is not exactly a record of ours, or null when it is. `now` bounds its start. */
export function runRecordFault(raw: unknown, now: number = Date.now()): string | null {
  if (!isObject(raw) || raw.mark !== RUN_RECORD_MARK) return 'not a Tensor Lens run record';
  if (raw.version !== RUN_RECORD_VERSION)
    return `record version ${JSON.stringify(raw.version)}, expected ${RUN_RECORD_VERSION}`;
  if (typeof raw.id !== 'string' || !RUN_ID.test(raw.id)) return 'id must be run-<13 digits>-<8 hex>';
  const startedAt = raw.startedAt;
  if (
    !Number.isInteger(startedAt) ||
    (startedAt as number) < EARLIEST_START ||
    (startedAt as number) > now + LATEST_START_AHEAD_MS
  )
    return `startedAt ${JSON.stringify(startedAt)} is not a time from 2020 to tomorrow`;
  if (!isObject(raw.config)) return 'config must be an object';
  // Records kept before trainer protocol 5 have no followDataLinks: they did not follow links.
  const bad = trainConfigFault({ followDataLinks: false, ...raw.config });
  if (bad) return `config.${bad.field} ${bad.fault}`;
  if (!OUTCOMES.includes(raw.outcome as RunOutcome)) return `outcome must be one of ${OUTCOMES.join(', ')}`;
  const epochs = raw.epochs;
  if (!Array.isArray(epochs) || epochs.length > (raw.config.epochs as number))
    return 'epochs must be a list no longer than config.epochs';
  for (const [i, epoch] of epochs.entries()) {
    const fault = epochFault(epoch, i);
    if (fault) return fault;
  }
  const e = raw.evaluation;
  if (e !== null && !(isObject(e) && atLeastZero(e.testLoss) && fraction(e.testAccuracy)))
    return 'evaluation must be null or {testLoss ≥ 0, testAccuracy from 0 to 1}';
  const writer = writerFault(raw.writer);
  if (writer) return writer;
  if (
    raw.failedBecause !== undefined &&
    !(raw.outcome === 'failed' && FAILED_BECAUSE.includes(raw.failedBecause as FailedBecause))
  )
    return 'failedBecause must be windowClosed, on a failed run';
  return null;
}

/** The record in `raw` (parsed JSON), or null when it is not exactly a record of ours. */
export function parseRunRecord(raw: unknown, now: number = Date.now()): RunRecord | null {
  return runRecordFault(raw, now) === null ? (raw as RunRecord) : null;
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
