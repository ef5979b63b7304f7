// One reducer from a run's events (docs/run-format.md §2) to what Tensor Lens shows of it: the run's
// header, progress, last epoch's metrics, snapshot list, and per batch the logged running means with
// the per-batch values derived from them (§2.2). Mutates in place: a run of 100,000 batches is
// folded event by event as its file streams in, without copying its history.
import { assertNever } from '../protocol';
import {
  type BatchEvent,
  type EndEvent,
  type EpochEvent,
  type GradientsEvent,
  type HeaderEvent,
  type MetricLogs,
  type RunEvent,
  RunFormatError,
  type SnapshotEvent,
  firstRecordNotHeader,
  recordAfterEnd,
} from './events';

/** `died`: no end record and the writer's process is gone (§4); decided by the reader, not the file. */
export type RunState = 'running' | 'ended' | 'failed' | 'died';

/** A metric per batch event: Keras' running mean and the value of the batches the event covers. */
export interface MetricSeries {
  means: number[];
  values: number[];
}

export interface BatchSeries {
  /**
   * Per batch event: `step`, `epoch`, and how many batches it covers (a writer may coalesce batches,
   * §2.2); every metric's arrays have the same length (NaN where absent).
   */
  steps: number[];
  epochs: number[];
  batches: number[];
  metrics: Map<string, MetricSeries>;
}

export interface RunSummary {
  /** The run folder's name until the header names the run. */
  id: string;
  header: HeaderEvent | null;
  /** Epochs completed, batches trained (the last `step`). */
  epochs: number;
  batches: number;
  /** The last epoch's logs (validation metrics included). */
  lastMetrics: MetricLogs;
  epochHistory: EpochEvent[];
  batchSeries: BatchSeries;
  snapshots: SnapshotEvent[];
  /** Gradient norms on the probe batch (§2.5), in file order; empty when the run has none. */
  gradients: GradientsEvent[];
  end: EndEvent | null;
  /** Records of types this reader does not know, skipped (§2). */
  skippedRecords: number;
  /** Where the current epoch's running means stood: the derivation's previous point. */
  previousMeans: { epoch: number; batchesSoFar: number; means: Map<string, number> } | null;
}

export function emptyRunSummary(folderName: string): RunSummary {
  return {
    id: folderName,
    header: null,
    epochs: 0,
    batches: 0,
    lastMetrics: {},
    epochHistory: [],
    batchSeries: { steps: [], epochs: [], batches: [], metrics: new Map() },
    snapshots: [],
    gradients: [],
    end: null,
    skippedRecords: 0,
    previousMeans: null,
  };
}

/**
 * The value of the batches between two points of one epoch's running mean (§2.2): after n₁ batches
 * the mean was m₁, after n₂ it is m₂, so those n₂ − n₁ batches averaged (n₂·m₂ − n₁·m₁) / (n₂ − n₁).
 * The epoch's first event (n₁ = 0) is its own value.
 */
export function batchValue(batchesBefore: number, meanBefore: number, batchesNow: number, meanNow: number): number {
  if (batchesBefore === 0) return meanNow;
  return (batchesNow * meanNow - batchesBefore * meanBefore) / (batchesNow - batchesBefore);
}

function addBatch(summary: RunSummary, event: BatchEvent): void {
  const series = summary.batchSeries;
  const index = series.steps.length;
  series.steps.push(event.step);
  series.epochs.push(event.epoch);
  series.batches.push(event.batches);
  const batchesNow = event.batch + 1;
  let previous = summary.previousMeans;
  if (previous === null || previous.epoch !== event.epoch || previous.batchesSoFar >= batchesNow)
    previous = { epoch: event.epoch, batchesSoFar: 0, means: new Map() };
  for (const [name, logged] of Object.entries(event.logs)) {
    let metric = series.metrics.get(name);
    if (metric === undefined) {
      metric = { means: new Array<number>(index).fill(NaN), values: new Array<number>(index).fill(NaN) };
      series.metrics.set(name, metric);
    }
    const mean = logged ?? NaN;
    const before = previous.means.get(name);
    metric.means.push(mean);
    metric.values.push(
      before === undefined
        ? previous.batchesSoFar === 0
          ? mean
          : NaN
        : batchValue(previous.batchesSoFar, before, batchesNow, mean),
    );
  }
  for (const metric of series.metrics.values()) {
    if (metric.means.length === index) {
      metric.means.push(NaN);
      metric.values.push(NaN);
    }
  }
  const means = new Map<string, number>();
  for (const [name, logged] of Object.entries(event.logs)) means.set(name, logged ?? NaN);
  summary.previousMeans = { epoch: event.epoch, batchesSoFar: batchesNow, means };
  summary.batches = event.step;
}

/** The only path `file` may take (§2.4): inside the run folder's snapshots/, named by its index. */
export const snapshotFileName = (index: number): string => `snapshots/${String(index).padStart(6, '0')}.bin`;

/** Folds one event into the summary; a record out of the spec's order is a fault of the file. */
export function applyRunEvent(summary: RunSummary, event: RunEvent): void {
  if (summary.end !== null) throw new RunFormatError(recordAfterEnd(event.type));
  if (summary.header === null && event.type !== 'header') throw new RunFormatError(firstRecordNotHeader(event.type));
  switch (event.type) {
    case 'header':
      if (summary.header !== null) throw new RunFormatError({ kind: 'runSecondHeader' });
      summary.header = event;
      summary.id = event.runId;
      return;
    case 'batch':
      return addBatch(summary, event);
    case 'epoch':
      summary.epochHistory.push(event);
      summary.epochs = summary.epochHistory.length;
      summary.batches = Math.max(summary.batches, event.step);
      summary.lastMetrics = event.logs;
      summary.previousMeans = null;
      return;
    case 'snapshot': {
      const expected = summary.snapshots.length + 1;
      if (event.index !== expected)
        throw new RunFormatError({ kind: 'runSnapshotOutOfOrder', index: event.index, expected });
      // The file is named by the spec, so a path that leaves the run folder (`..`, absolute) never matches.
      if (event.file !== snapshotFileName(event.index))
        throw new RunFormatError({
          kind: 'runSnapshotFileName',
          index: event.index,
          named: JSON.stringify(event.file),
          expected: snapshotFileName(event.index),
        });
      summary.snapshots.push(event);
      return;
    }
    case 'gradients': {
      // Bounded by the header: one norm per weight it declares, each named there.
      const declared = new Set((summary.header?.model.weights ?? []).map((weight) => weight.name));
      if (event.weights.length > declared.size)
        throw new RunFormatError({
          kind: 'runGradientsTooMany',
          step: event.step,
          count: event.weights.length,
          declared: declared.size,
        });
      const unknown = event.weights.find((weight) => !declared.has(weight.name));
      if (unknown !== undefined)
        throw new RunFormatError({
          kind: 'runGradientsUnknownWeight',
          step: event.step,
          name: JSON.stringify(unknown.name),
        });
      summary.gradients.push(event);
      return;
    }
    case 'end':
      summary.end = event;
      summary.epochs = Math.max(summary.epochs, event.epochs);
      summary.batches = Math.max(summary.batches, event.step);
      return;
    default:
      assertNever(event);
  }
}

/** A run's state as far as its file tells (§4 rule 1); without an end record the writer's process decides. */
export const recordedState = (summary: RunSummary): 'ended' | 'failed' | null => summary.end?.state ?? null;

/** A metric for JSON, which has no NaN or infinities: written as §2's strings. */
export function jsonMetric(value: number | null): number | string | null {
  if (value === null || Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** What the CLI's `runs --json` prints per run (and the Runs view lists). */
export interface RunListing {
  id: string;
  name: string | null;
  state: RunState;
  backend: string | null;
  framework: string | null;
  epochs: number;
  epochsPlanned: number | null;
  batches: number;
  lastMetrics: Record<string, number | string | null>;
  weights: { name: string; shape: number[]; dtype: string }[];
  layers: number;
  snapshots: number;
  /** Gradient records (§2.5); `gradientsMissing` says why there are none when the header says so. */
  gradients: number;
  gradientsMissing: string | null;
  error: string | null;
  started: number | null;
}

export function runListing(summary: RunSummary, state: RunState): RunListing {
  const header = summary.header;
  const error = summary.end?.error ?? null;
  return {
    id: summary.id,
    name: header?.name ?? null,
    state,
    backend: header?.framework.backend ?? null,
    framework: header === null ? null : `${header.framework.name} ${header.framework.version}`,
    epochs: summary.epochs,
    epochsPlanned: header?.params.epochs ?? null,
    batches: summary.batches,
    lastMetrics: Object.fromEntries(Object.entries(summary.lastMetrics).map(([k, v]) => [k, jsonMetric(v)])),
    weights: (header?.model.weights ?? []).map(({ name, shape, dtype }) => ({ name, shape, dtype })),
    layers: header?.model.layers.length ?? 0,
    snapshots: summary.snapshots.length,
    gradients: summary.gradients.length,
    gradientsMissing:
      header === null || header.gradients.available ? null : (header.gradients.reason ?? 'not recorded'),
    error: error === null ? null : error.type === null ? error.message : `${error.type}: ${error.message}`,
    started: header?.time ?? null,
  };
}
