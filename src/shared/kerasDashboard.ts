// What the dashboard draws of a followed Keras run: per metric Keras logs, its batch curve (the
// epoch's running mean, as Keras logs it, and the per-batch value derived from it, §2.2) and its
// epoch curve with the `val_` twin. Bounded whatever the run's size: at most MAX_BATCH_POINTS batch
// points per metric (evenly strided, the last always kept), so a 100,000-batch run is a small message.
import { kerasRunIdentity } from './kerasCompare';
import type { RunState, RunSummary } from './runFormat/summary';

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

export interface KerasDashboardRun {
  id: string;
  name: string;
  backend: string;
  state: RunState;
  epochs: number;
  epochsPlanned: number | null;
  batches: number;
  metrics: KerasMetricCurves[];
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

export function kerasDashboardRun(summary: RunSummary, state: RunState): KerasDashboardRun {
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
  };
}
