// The records of a run's event file (docs/run-format.md §2), parsed from one line each into a typed,
// validated event. Pure: the file reading lives in src/shared/node/runFiles.ts.
// Unknown record types and unknown keys are skipped (§2: a minor addition keeps version 1); a known
// record whose keys have the wrong types is a fault of the file.
import { type Fault, FaultError, type FaultKind } from '../faults';

export const RUN_FORMAT = 'tensorlens-run';
export const RUN_FORMAT_VERSION = 1;
/** §2's limits: a longer line or a larger event file is refused with one line. */
export const MAX_EVENT_LINE_BYTES = 16 * 1024 * 1024;
export const MAX_EVENT_FILE_BYTES = 1024 * 1024 * 1024;

/** A bad file: its fault says what is wrong (the reader puts it in a `runFile` fault naming the file). */
export class RunFormatError extends FaultError {}

/** `a`/`an` are English: the two wordings are two kinds (other languages word them alike). */
const startsWithVowel = (word: string) => /^[aeiou]/.test(word);

/** `detail` in `a batch record: …` (or `an epoch record: …`). */
export const inRecord = (record: string, detail: Fault): Fault =>
  startsWithVowel(record) ? { kind: 'runRecordAn', record, detail } : { kind: 'runRecordA', record, detail };

/** `a batch record after the end record` (or `an epoch record …`). */
export const recordAfterEnd = (record: string): Fault => ({
  kind: startsWithVowel(record) ? 'runRecordAfterEndAn' : 'runRecordAfterEndA',
  record,
});

/** `the first record is a batch record, not the header` (or `an epoch record`). */
export const firstRecordNotHeader = (record: string): Fault => ({
  kind: startsWithVowel(record) ? 'runFirstRecordAn' : 'runFirstRecordA',
  record,
});

/** A metric as Keras logs it; the strings "NaN", "Infinity", "-Infinity" become those numbers. */
export type MetricValue = number | null;
export type MetricLogs = Record<string, MetricValue>;

export interface WeightInfo {
  name: string;
  shape: number[];
  dtype: string;
  trainable: boolean;
}

/** `outputShape` as written: ints, null for the batch dimension, nested for several outputs. */
export type OutputShape = (number | null | OutputShape)[] | null;

export interface LayerInfo {
  name: string;
  className: string;
  outputShape: OutputShape;
  params: number | null;
}

export interface WriterProcess {
  pid: number;
  host: string;
  startTicks: number | null;
  bootId: string | null;
}

export interface HeaderEvent {
  type: 'header';
  runId: string;
  name: string | null;
  time: number;
  writer: { name: string; version: string };
  process: WriterProcess;
  framework: { name: string; version: string; backend: string };
  /** Keras' params: `epochs` planned, `steps` per epoch (null for generators). */
  params: { epochs: number | null; steps: number | null };
  model: { name: string; className: string; summary: string | null; layers: LayerInfo[]; weights: WeightInfo[] };
  snapshots: { histogramBins: number; rawMaxElements: number; budget: number };
  /**
   * Whether the run measures gradients (§2.5), and if not, why (null: the writer did not say); `after`:
   * seconds of training before the first measurement (null: not said).
   */
  gradients: { available: boolean; reason: string | null; probe: number | null; after: number | null };
}

export interface BatchEvent {
  type: 'batch';
  epoch: number;
  batch: number;
  batches: number;
  step: number;
  time: number;
  logs: MetricLogs;
}

export interface EpochEvent {
  type: 'epoch';
  epoch: number;
  step: number;
  time: number;
  seconds: number;
  logs: MetricLogs;
}

export const SNAPSHOT_REASONS = ['begin', 'budget', 'epoch'] as const;
export type SnapshotReason = (typeof SNAPSHOT_REASONS)[number];

export interface SnapshotEvent {
  type: 'snapshot';
  index: number;
  file: string;
  bytes: number;
  reason: SnapshotReason;
  epoch: number;
  batch: number;
  step: number;
  time: number;
  seconds: number;
}

/** Gradient norms on the run's probe batch (§2.5): per trainable weight, ‖∂loss/∂w‖₂. */
export interface GradientsEvent {
  type: 'gradients';
  epoch: number;
  batch: number;
  step: number;
  time: number;
  seconds: number;
  probe: number;
  /** The loss on the probe (NaN/±Infinity from §2's strings; null when not written). */
  loss: MetricValue;
  /** A norm is ≥ 0, or NaN/Infinity when the gradient was not finite. */
  weights: { name: string; norm: number }[];
}

export interface EndEvent {
  type: 'end';
  state: 'ended' | 'failed';
  error: { type: string | null; message: string } | null;
  time: number;
  epochs: number;
  step: number;
}

export type RunEvent = HeaderEvent | BatchEvent | EpochEvent | SnapshotEvent | GradientsEvent | EndEvent;

/** A line is an event, or a record this reader skips (a `type` it does not know). */
export type ParsedLine = { kind: 'event'; event: RunEvent } | { kind: 'skipped'; type: string };

// ----- checks: each names the key it refuses -----

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The kinds of a key whose value is not what the record needs (each names only the key). */
type KeyKind = Extract<FaultKind, `runKeyNot${string}`>;

function fault(key: string, kind: Exclude<KeyKind, 'runKeyNotIntegerFrom' | 'runKeyNotOneOf'>): never;
function fault(key: string, kind: 'runKeyNotIntegerFrom', min: number): never;
function fault(key: string, kind: 'runKeyNotOneOf', options: string): never;
function fault(key: string, kind: KeyKind, extra?: number | string): never {
  if (kind === 'runKeyNotIntegerFrom') throw new RunFormatError({ kind, key, min: extra as number });
  if (kind === 'runKeyNotOneOf') throw new RunFormatError({ kind, key, options: extra as string });
  throw new RunFormatError({ kind, key });
}

function object(record: Json, key: string): Json {
  const value = record[key];
  return isObject(value) ? value : fault(key, 'runKeyNotObject');
}

function string(record: Json, key: string): string {
  const value = record[key];
  return typeof value === 'string' ? value : fault(key, 'runKeyNotString');
}

function stringOrNull(record: Json, key: string): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : fault(key, 'runKeyNotStringOrNull');
}

function number(record: Json, key: string): number {
  const value = record[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : fault(key, 'runKeyNotNumber');
}

function nonNegative(record: Json, key: string): number {
  const value = number(record, key);
  return value >= 0 ? value : fault(key, 'runKeyNotNonNegative');
}

function integer(record: Json, key: string, min = Number.MIN_SAFE_INTEGER): number {
  const value = record[key];
  return Number.isSafeInteger(value) && (value as number) >= min
    ? (value as number)
    : min === Number.MIN_SAFE_INTEGER
      ? fault(key, 'runKeyNotInteger')
      : fault(key, 'runKeyNotIntegerFrom', min);
}

function integerOrNull(record: Json, key: string, min = 0): number | null {
  const value = record[key];
  return value === undefined || value === null ? null : integer(record, key, min);
}

function array(record: Json, key: string): unknown[] {
  const value = record[key];
  return Array.isArray(value) ? value : fault(key, 'runKeyNotArray');
}

/** `[2, 3]`: a tensor shape. */
export function shapeOf(record: Json, key: string): number[] {
  const value = array(record, key);
  return value.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)
    ? (value as number[])
    : fault(key, 'runKeyNotShape');
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** A number, or one of §2's non-finite strings (as that number); null when absent or null. */
function metric(record: Json, key: string): MetricValue {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value in NON_FINITE) return NON_FINITE[value];
  return fault(key, 'runKeyNotMetric');
}

function logs(record: Json, key: string): MetricLogs {
  const raw = object(record, key);
  const result: MetricLogs = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'number' || value === null) result[name] = value;
    else if (typeof value === 'string' && value in NON_FINITE) result[name] = NON_FINITE[value];
    // A metric Keras logs as something else (a list, a string) is not a number to plot: skipped.
  }
  return result;
}

function outputShape(value: unknown, depth = 0): OutputShape {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value) || depth > 8) return fault('outputShape', 'runKeyNotOutputShape');
  return value.map((d) => {
    if (d === null || (Number.isSafeInteger(d) && (d as number) >= 0)) return d as number | null;
    if (Array.isArray(d)) return outputShape(d, depth + 1) as OutputShape & unknown[];
    return fault('outputShape', 'runKeyNotOutputShape');
  });
}

function elements<T>(record: Json, key: string, read: (item: Json) => T): T[] {
  return array(record, key).map((item) => (isObject(item) ? read(item) : fault(key, 'runKeyNotObjects')));
}

export function weightInfo(item: Json): WeightInfo {
  return {
    name: string(item, 'name'),
    shape: shapeOf(item, 'shape'),
    dtype: string(item, 'dtype'),
    trainable: item.trainable !== false,
  };
}

function header(record: Json): HeaderEvent {
  const format = record.format;
  const version = record.version;
  if (format !== RUN_FORMAT)
    throw new RunFormatError({ kind: 'runFormatName', format: JSON.stringify(format ?? null), expected: RUN_FORMAT });
  if (version !== RUN_FORMAT_VERSION)
    throw new RunFormatError({
      kind: 'runFormatVersion',
      version: JSON.stringify(version ?? null),
      known: RUN_FORMAT_VERSION,
    });
  const writer = object(record, 'writer');
  const proc = object(record, 'process');
  const framework = object(record, 'framework');
  const params = isObject(record.params) ? record.params : {};
  const model = object(record, 'model');
  const snapshots = object(record, 'snapshots');
  // Absent in runs written before §2.5 was filled in: no gradients, no reason given.
  const gradients = isObject(record.gradients) ? record.gradients : {};
  return {
    type: 'header',
    runId: string(record, 'runId'),
    name: stringOrNull(record, 'name'),
    time: number(record, 'time'),
    writer: { name: string(writer, 'name'), version: string(writer, 'version') },
    process: {
      pid: integer(proc, 'pid', 1),
      host: string(proc, 'host'),
      startTicks: integerOrNull(proc, 'startTicks'),
      bootId: stringOrNull(proc, 'bootId'),
    },
    framework: {
      name: string(framework, 'name'),
      version: string(framework, 'version'),
      backend: string(framework, 'backend'),
    },
    params: { epochs: integerOrNull(params, 'epochs'), steps: integerOrNull(params, 'steps') },
    model: {
      name: string(model, 'name'),
      className: string(model, 'class'),
      summary: stringOrNull(model, 'summary'),
      layers: elements(model, 'layers', (layer) => ({
        name: string(layer, 'name'),
        className: string(layer, 'class'),
        outputShape: outputShape(layer.outputShape),
        params: integerOrNull(layer, 'params'),
      })),
      weights: elements(model, 'weights', weightInfo),
    },
    snapshots: {
      histogramBins: integer(snapshots, 'histogramBins', 1),
      rawMaxElements: integer(snapshots, 'rawMaxElements', 0),
      budget: number(snapshots, 'budget'),
    },
    gradients: {
      available: gradients.available === true,
      reason: stringOrNull(gradients, 'reason'),
      probe: integerOrNull(gradients, 'probe', 1),
      after: gradients.after === undefined || gradients.after === null ? null : nonNegative(gradients, 'after'),
    },
  };
}

function gradients(record: Json): GradientsEvent {
  return {
    type: 'gradients',
    epoch: integer(record, 'epoch', 0),
    batch: integer(record, 'batch', -1),
    step: integer(record, 'step', 0),
    time: number(record, 'time'),
    seconds: number(record, 'seconds'),
    probe: integer(record, 'probe', 1),
    loss: metric(record, 'loss'),
    weights: elements(record, 'weights', (weight) => {
      const norm = metric(weight, 'norm');
      // A norm is never negative, and never absent: NaN is written as "NaN".
      return {
        name: string(weight, 'name'),
        norm: norm !== null && !(norm < 0) ? norm : fault('norm', 'runKeyNotNorm'),
      };
    }),
  };
}

function snapshot(record: Json): SnapshotEvent {
  const reason = string(record, 'reason');
  if (!(SNAPSHOT_REASONS as readonly string[]).includes(reason))
    fault('reason', 'runKeyNotOneOf', SNAPSHOT_REASONS.join(', '));
  return {
    type: 'snapshot',
    index: integer(record, 'index', 1),
    file: string(record, 'file'),
    bytes: integer(record, 'bytes', 0),
    reason: reason as SnapshotReason,
    epoch: integer(record, 'epoch', 0),
    batch: integer(record, 'batch', -1),
    step: integer(record, 'step', 0),
    time: number(record, 'time'),
    seconds: number(record, 'seconds'),
  };
}

function end(record: Json): EndEvent {
  const state = record.state;
  if (state !== 'ended' && state !== 'failed') return fault('state', 'runKeyNotOneOf', 'ended, failed');
  const error = isObject(record.error)
    ? { type: stringOrNull(record.error, 'type'), message: string(record.error, 'message') }
    : null;
  return {
    type: 'end',
    state,
    error: state === 'failed' ? (error ?? { type: null, message: '' }) : null,
    time: number(record, 'time'),
    epochs: integer(record, 'epochs', 0),
    step: integer(record, 'step', 0),
  };
}

const KNOWN_TYPES = ['header', 'batch', 'epoch', 'snapshot', 'gradients', 'end'] as const;
type KnownType = (typeof KNOWN_TYPES)[number];

function event(type: KnownType, record: Json): RunEvent {
  switch (type) {
    case 'header':
      return header(record);
    case 'batch':
      return {
        type,
        epoch: integer(record, 'epoch', 0),
        batch: integer(record, 'batch', 0),
        batches: integer(record, 'batches', 1),
        step: integer(record, 'step', 1),
        time: number(record, 'time'),
        logs: logs(record, 'logs'),
      };
    case 'epoch':
      return {
        type,
        epoch: integer(record, 'epoch', 0),
        step: integer(record, 'step', 0),
        time: number(record, 'time'),
        seconds: number(record, 'seconds'),
        logs: logs(record, 'logs'),
      };
    case 'snapshot':
      return snapshot(record);
    case 'gradients':
      return gradients(record);
    case 'end':
      return end(record);
  }
}

/** One line of the event file (without its `\n`). Throws RunFormatError naming the fault. */
export function parseEventLine(line: string): ParsedLine {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    throw new RunFormatError({ kind: 'runLineNotJson' });
  }
  if (!isObject(record) || typeof record.type !== 'string') throw new RunFormatError({ kind: 'runLineNoType' });
  const type = record.type;
  if (!(KNOWN_TYPES as readonly string[]).includes(type)) return { kind: 'skipped', type };
  try {
    return { kind: 'event', event: event(type as KnownType, record) };
  } catch (error) {
    if (error instanceof RunFormatError) throw new RunFormatError(inRecord(type, error.fault));
    throw error;
  }
}
