// The few words a run is summed up in outside the dashboard: the status bar item and the progress
// notification. Pure, from the run state.
import type { RunState } from '../shared/runState';
import { formatCount } from '../shared/format';

/** The words the status bar and the progress notification use; the host passes them in the display language. */
export interface RunWords {
  paused: string;
  loss: string;
  acc: string;
  epoch: string;
  batch: string;
  samplesPerSecond: string;
}

export const ENGLISH_RUN_WORDS: RunWords = {
  paused: 'paused',
  loss: 'loss',
  acc: 'acc',
  epoch: 'epoch',
  batch: 'batch',
  samplesPerSecond: 'samples/s',
};

/** `Tensor Lens: epoch 2/5 · loss 0.21 · acc 0.94` from the newest batch point (` · paused` while paused). */
export function statusText(state: RunState, words: RunWords = ENGLISH_RUN_WORDS): string {
  const last = state.batches.at(-1);
  const epochs = state.started?.config.epochs ?? 0;
  const epoch = last ? last.epoch : 1;
  const metrics = last ? ` · ${words.loss} ${last.loss.toFixed(2)} · ${words.acc} ${last.accuracy.toFixed(2)}` : '';
  return `Tensor Lens: ${words.epoch} ${epoch}/${epochs}${metrics}${state.paused ? ` · ${words.paused}` : ''}`;
}

/** Fraction of the run done, 0..1, from the batches seen. */
export function runFraction(state: RunState): number {
  const run = state.started;
  const last = state.batches.at(-1);
  if (!run || !last) return 0;
  return Math.min(1, last.step / (run.batchesPerEpoch * run.config.epochs));
}

/** `epoch 2/5 · batch 100/469 · loss 0.213 · 9,500 samples/s`, led by `paused · ` while paused. */
export function progressMessage(state: RunState, words: RunWords = ENGLISH_RUN_WORDS): string {
  const last = state.batches.at(-1);
  if (!last || !state.started) return '';
  const { batchesPerEpoch, config } = state.started;
  const lead = state.paused ? `${words.paused} · ` : '';
  return `${lead}${words.epoch} ${last.epoch}/${config.epochs} · ${words.batch} ${last.batch + 1}/${batchesPerEpoch} · ${words.loss} ${last.loss.toFixed(3)} · ${formatCount(state.samplesPerSecond)} ${words.samplesPerSecond}`;
}
