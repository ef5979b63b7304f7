// What the dashboard draws of a followed Keras run: per metric Keras logs, its batch curve (the
// epoch's running mean, as Keras logs it, and the per-batch value derived from it, §2.2) and its
// epoch curve with the `val_` twin; per weight its histogram at each snapshot read (for the scrubber)
// and its update size ‖Δw‖/‖w‖ since the snapshot before (the writer's `update`, §3), and its gradient
// norm on the probe batch when the run measures them (§2.5). Bounded
// whatever the run's size: at most MAX_BATCH_POINTS batch points per metric and a bounded number of
// snapshot entries (evenly strided, the last always kept), so a 100,000-batch run is a small message.
import { kerasRunIdentity } from './kerasCompare';
import type { SnapshotHeader } from './runFormat/snapshot';
import type { RunState, RunSummary } from './runFormat/summary';
import type { Histogram } from './stats';

export const MAX_BATCH_POINTS = 2000;

export interface KerasMetricCurves {
  /** Keras' name of the training metric (`loss`, `accuracy`, `mae`, …); its validation twin is `val_<name>`. */
  name: string;
  /** Batch curve: global step, running mean, derived per-batch value (null where absent or non-finite). */
  steps: number[];
  means: (number | null)[];
  values: (number | null)[];
  /** Epoch curve, epochs from 1. */
  epochs: number[];
  train: (number | null)[];
  /** Null when the run logs no `val_<name>`. */
  validation: (number | null)[] | null;
}

/** Histogram entries (snapshots × weights) sent at most, and snapshots at most: the scrubber's frames. */
export const MAX_HISTOGRAM_ENTRIES = 2000;
export const MAX_HISTOGRAM_FRAMES = 100;
/** Update-size points (snapshots × weights) sent at most: one number each. */
export const MAX_UPDATE_ENTRIES = 20_000;
/** Gradient-norm points (measurements × weights) sent at most: one number each, beside the update sizes. */
export const MAX_GRADIENT_ENTRIES = 10_000;

/** One weight in one snapshot, as the histogram card draws it. */
export interface KerasWeightFrame {
  /** Over the finite values; null when none is finite (`nans`/`infs` say why). */
  stats: { min: number | null; max: number | null; mean: number | null; std: number | null };
  nans: number;
  infs: number;
  histogram: Histogram;
}

/** One snapshot: where in the run it was taken, and per weight of `KerasDashboardRun.weights` its frame (null: not in this snapshot). */
export interface KerasSnapshotFrame {
  index: number;
  epoch: number;
  /** −1: before the epoch's first batch. */
  batch: number;
  step: number;
  reason: string;
  weights: (KerasWeightFrame | null)[];
}

/**
 * Per snapshot read (strided when many), the step, the steps it covers, and per weight ‖Δw‖/‖w‖ since
 * the snapshot before it (null: no figure). The figure is the writer's, over the whole span, and is
 * kept so: it is not turned into a per-step size, as none can be had from it. k steps that all pushed
 * the same way move a weight k times one step's size, k steps of noise only about √k times, and
 * training is somewhere between, differently as it goes; so spans, uneven on the writer's time
 * budget, are shown beside the figure instead of divided out of it.
 */
export interface KerasUpdateSizes {
  steps: number[];
  /** Steps since the snapshot before this one in the run (not the point before, when strided); null for the first. */
  spans: (number | null)[];
  byWeight: (number | null)[][];
}

/**
 * Gradient norms on the run's fixed probe batch (§2.5), strided when many: per weight of
 * `KerasDashboardRun.weights`, ‖∂loss/∂w‖ at each step (null: not measured, or not finite).
 */
export interface KerasGradientNorms {
  /** The header's word: false with its `reason` (null: not said, e.g. a run from before §2.5). */
  available: boolean;
  reason: string | null;
  /** Seconds of training before the first measurement; samples in the probe (null: not said). */
  after: number | null;
  probe: number | null;
  steps: number[];
  byWeight: (number | null)[][];
}

export interface KerasDashboardRun {
  id: string;
  name: string;
  backend: string;
  state: RunState;
  epochs: number;
  epochsPlanned: number | null;
  batches: number;
  metrics: KerasMetricCurves[];
  /** The run's weight tensors, in the header's order (empty before the header). */
  weights: { name: string; shape: number[]; dtype: string }[];
  /** Snapshots the run has recorded; `snapshots` below holds those read, strided. */
  snapshotsRecorded: number;
  snapshots: KerasSnapshotFrame[];
  updates: KerasUpdateSizes;
  gradients: KerasGradientNorms;
}

const finite = (value: number | null | undefined): number | null =>
  value !== null && value !== undefined && Number.isFinite(value) ? value : null;

/** Indices 0…length−1 strided down to at most `max`, the last included. */
export function stridedIndices(length: number, max: number = MAX_BATCH_POINTS): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  const stride = Math.ceil(length / max);
  const picked: number[] = [];
  for (let i = 0; i < length; i += stride) picked.push(i);
  if (picked.at(-1) !== length - 1) picked[picked.length - 1] = length - 1;
  return picked;
}

/**
 * The run for the dashboard; `history`: the snapshots read so far, in order (the host reads them
 * for the followed run only).
 */
export function kerasDashboardRun(
  summary: RunSummary,
  state: RunState,
  history: readonly SnapshotHeader[] = [],
): KerasDashboardRun {
  const series = summary.batchSeries;
  const epochLogs = summary.epochHistory.map((e) => e.logs);
  const names = new Set<string>([...series.metrics.keys()].filter((n) => !n.startsWith('val_')));
  for (const logs of epochLogs)
    for (const name of Object.keys(logs)) names.add(name.startsWith('val_') ? name.slice(4) : name);
  const picked = stridedIndices(series.steps.length);
  const metrics = [...names].map((name): KerasMetricCurves => {
    const batch = series.metrics.get(name);
    const hasValidation = epochLogs.some((logs) => `val_${name}` in logs);
    return {
      name,
      steps: batch ? picked.map((i) => series.steps[i]) : [],
      means: batch ? picked.map((i) => finite(batch.means[i])) : [],
      values: batch ? picked.map((i) => finite(batch.values[i])) : [],
      epochs: summary.epochHistory.map((e) => e.epoch + 1),
      train: epochLogs.map((logs) => finite(logs[name])),
      validation: hasValidation ? epochLogs.map((logs) => finite(logs[`val_${name}`])) : null,
    };
  });
  return {
    ...kerasRunIdentity(summary, state),
    epochs: summary.epochs,
    batches: summary.batches,
    metrics,
    ...snapshotHistory(summary, history),
    gradients: gradientNorms(summary),
  };
}

function gradientNorms(summary: RunSummary): KerasGradientNorms {
  const header = summary.header;
  const weights = header?.model.weights ?? [];
  const records = summary.gradients;
  const points = stridedIndices(
    records.length,
    Math.max(2, Math.floor(MAX_GRADIENT_ENTRIES / Math.max(1, weights.length))),
  );
  // Looked up by name, as snapshots are: a record lists the trainable weights only.
  const byName = points.map((i) => new Map(records[i].weights.map((w) => [w.name, w.norm])));
  return {
    available: header?.gradients.available ?? false,
    reason: header?.gradients.reason ?? null,
    after: header?.gradients.after ?? null,
    probe: header?.gradients.probe ?? null,
    steps: points.map((i) => records[i].step),
    byWeight: weights.map((w) => byName.map((norms) => finite(norms.get(w.name)))),
  };
}

function weightFrame(w: SnapshotHeader['weights'][number]): KerasWeightFrame {
  const h = w.histogram;
  return {
    stats: { min: w.min, max: w.max, mean: w.mean, std: w.std },
    nans: w.nans,
    infs: w.infs,
    // A tensor with no finite value has an empty histogram at 0 (as stats.ts draws one).
    histogram: { min: h.low ?? 0, max: h.high ?? 0, counts: h.counts },
  };
}

function snapshotHistory(
  summary: RunSummary,
  history: readonly SnapshotHeader[],
): Pick<KerasDashboardRun, 'weights' | 'snapshotsRecorded' | 'snapshots' | 'updates'> {
  const weights = (summary.header?.model.weights ?? []).map(({ name, shape, dtype }) => ({ name, shape, dtype }));
  // Looked up by name: a snapshot lists the header's weights, but a reader does not rely on the order.
  const byName = history.map((snapshot) => new Map(snapshot.weights.map((w) => [w.name, w])));
  const perWeight = Math.max(1, weights.length);
  const frames = stridedIndices(
    history.length,
    Math.max(2, Math.min(MAX_HISTOGRAM_FRAMES, Math.floor(MAX_HISTOGRAM_ENTRIES / perWeight))),
  );
  const points = stridedIndices(history.length, Math.max(2, Math.floor(MAX_UPDATE_ENTRIES / perWeight)));
  // A kept history may be thinned: the snapshot before a point is found by index in the run's records too.
  const stepAt = new Map<number, number>();
  for (const { index, step } of [...summary.snapshots, ...history]) stepAt.set(index, step);
  return {
    weights,
    snapshotsRecorded: summary.snapshots.length,
    snapshots: frames.map((i) => {
      const { index, epoch, batch, step, reason } = history[i];
      return {
        index,
        epoch,
        batch,
        step,
        reason,
        weights: weights.map((w) => {
          const stats = byName[i].get(w.name);
          return stats ? weightFrame(stats) : null;
        }),
      };
    }),
    updates: {
      steps: points.map((i) => history[i].step),
      spans: points.map((i) => spanOf(history[i], stepAt)),
      byWeight: weights.map((w) => points.map((i) => finite(byName[i].get(w.name)?.update))),
    },
  };
}

/** The steps a snapshot's update covers: since the snapshot before it (index − 1); null when that is unknown. */
function spanOf(snapshot: SnapshotHeader, stepAt: ReadonlyMap<number, number>): number | null {
  const before = stepAt.get(snapshot.index - 1);
  return before === undefined ? null : snapshot.step - before;
}
