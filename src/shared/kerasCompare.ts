// A Keras run on the Runs panel's axes beside Tensor Lens' own runs: its epochs as the four series
// the panel draws (loss, accuracy, and their validation), taken from Keras' log names. A run that
// logs other metrics (mae, auc, …) keeps them in `lastMetrics`; the panel shows what it has.
import type { MetricLogs } from './runFormat/events';
import type { RunState, RunSummary } from './runFormat/summary';

/** Keras' names for accuracy, in the order one is taken (compile(metrics=['accuracy']) logs `accuracy`). */
const ACCURACY_NAMES = ['accuracy', 'acc', 'sparse_categorical_accuracy', 'categorical_accuracy', 'binary_accuracy'];

export interface KerasEpochPoint {
  /** 1-based, as Tensor Lens counts epochs (Keras' epoch index + 1). */
  epoch: number;
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
}

export interface ComparedKerasRun {
  id: string;
  name: string;
  backend: string;
  state: RunState;
  epochsPlanned: number | null;
  epochs: KerasEpochPoint[];
  /** The last epoch's logs under Keras' own names. */
  lastMetrics: MetricLogs;
}

/** A finite number, else null (a gap in the line). */
const finite = (value: number | null | undefined): number | null =>
  value !== null && value !== undefined && Number.isFinite(value) ? value : null;

/** Which log is the run's accuracy (the first of Keras' names it logs), or null. */
export function accuracyName(logs: MetricLogs): string | null {
  return ACCURACY_NAMES.find((name) => name in logs) ?? null;
}

export function kerasEpochPoint(epoch: number, logs: MetricLogs): KerasEpochPoint {
  const accuracy = accuracyName(logs);
  return {
    epoch: epoch + 1,
    loss: finite(logs.loss),
    accuracy: accuracy === null ? null : finite(logs[accuracy]),
    valLoss: finite(logs.val_loss),
    valAccuracy: accuracy === null ? null : finite(logs[`val_${accuracy}`]),
  };
}

/** What names a Keras run wherever it is shown: its id, name, backend, state and planned epochs. */
export function kerasRunIdentity(
  summary: RunSummary,
  state: RunState,
): Pick<ComparedKerasRun, 'id' | 'name' | 'backend' | 'state' | 'epochsPlanned'> {
  const header = summary.header;
  return {
    id: summary.id,
    name: header?.name ?? summary.id,
    backend: header?.framework.backend ?? '?',
    state,
    epochsPlanned: header?.params.epochs ?? null,
  };
}

export function comparedKerasRun(summary: RunSummary, state: RunState): ComparedKerasRun {
  return {
    ...kerasRunIdentity(summary, state),
    epochs: summary.epochHistory.map((e) => kerasEpochPoint(e.epoch, e.logs)),
    lastMetrics: { ...summary.lastMetrics },
  };
}

/**
 * The runs named by `ids` (run ids, as the Runs panel saves them) among those found, in the order of
 * `ids`; an id not found (yet: the workspace is still being read; or its folder was deleted) is left out.
 */
export function comparedKerasRuns(
  runs: readonly { summary: RunSummary; state: RunState }[],
  ids: readonly string[],
): ComparedKerasRun[] {
  return ids.flatMap((id) => {
    const run = runs.find((r) => r.summary.id === id);
    return run ? [comparedKerasRun(run.summary, run.state)] : [];
  });
}

/** A legend label per Keras run: `Keras jax: name`, with the run id where two share one. */
export function kerasRunLabels(runs: readonly Pick<ComparedKerasRun, 'id' | 'name' | 'backend'>[]): string[] {
  const labels = runs.map((run) => `Keras ${run.backend}: ${run.name}`);
  return labels.map((label, i) => (labels.filter((l) => l === label).length > 1 ? `${label} (${runs[i].id})` : label));
}
