// Training progress: how far, how fast, how long still (from the batches and samples/s streamed),
// and what it runs on.
import type { RunState } from '../../shared/runState';
import { formatCount, formatDuration } from '../../shared/format';
import { t } from '../common/strings';

export interface ProgressInfo {
  /** 0–100. */
  percent: number;
  /** Where the run is, with the time still to go once the speed is known. */
  text: string;
}

export function progressInfo(state: RunState): ProgressInfo {
  const run = state.started;
  if (!run)
    return { percent: 0, text: state.status === 'idle' ? t('progress.notTrained') : t(`status.${state.status}`) };
  const totalSteps = run.batchesPerEpoch * run.config.epochs;
  const doneSteps = state.batches.at(-1)?.step ?? 0;
  const finished = state.status === 'completed';
  const percent = finished ? 100 : totalSteps > 0 ? Math.min(100, (doneSteps / totalSteps) * 100) : 0;
  if (state.status !== 'training') {
    const word = t(`status.${state.status}`);
    if (!state.end) return { percent, text: word };
    const epochs = state.end.epochsCompleted;
    const epochText = epochs === 1 ? t('progress.oneEpoch') : t('progress.epochs', epochs);
    return { percent, text: t('progress.ended', word, formatDuration(state.end.seconds), epochText) };
  }
  const samplesLeft = Math.max(0, run.trainSamples * run.config.epochs - doneSteps * run.config.batchSize);
  const etaSeconds = state.samplesPerSecond > 0 ? samplesLeft / state.samplesPerSecond : null;
  const eta = etaSeconds === null ? '' : t('progress.eta', formatDuration(etaSeconds));
  return {
    percent,
    text:
      t(
        'progress.running',
        Math.max(1, Math.ceil(doneSteps / run.batchesPerEpoch)),
        run.config.epochs,
        formatCount(doneSteps),
        formatCount(totalSteps),
      ) + eta,
  };
}

/**
 * Whether the backend line offers Install Native TensorFlow…: while a run is on wasm (cpu is a forced
 * or failed choice). Before any run, a model only loaded runs on wasm even where native TensorFlow is
 * installed (reading a model never loads it), so wasm then says nothing about what training would use.
 */
export function offersNativeInstall(state: Pick<RunState, 'backend' | 'started'>): boolean {
  return state.started !== null && state.backend?.name === 'wasm';
}

/** The backend of the run, with the threads that train it once it has started: "wasm, 2 threads". */
export function backendText(state: Pick<RunState, 'backend' | 'started'>): string {
  if (state.backend === null) return '—';
  if (state.started === null) return state.backend.name;
  return state.started.threads === 1
    ? t('dashboard.oneThread', state.backend.name)
    : t('dashboard.threads', state.backend.name, state.started.threads);
}
