// The state of a training run as the host keeps it and as every webview rebuilds it: one reducer
// over the trainer's events, so a panel that opens late gets the snapshot and then applies the
// same events the host applies.
import type { Fault } from './faults';
import {
  type BackendName,
  type BatchPoint,
  type EpochMetrics,
  type Evaluation,
  type GradientEpoch,
  type ModelSummary,
  type Prediction,
  type StepReport,
  type TensorSummary,
  type TrainConfig,
  type TrainerEvent,
  assertNever,
} from './protocol';

export type RunStatus = 'idle' | 'training' | 'completed' | 'stopped' | 'failed';

export interface RunState {
  status: RunStatus;
  /** The run is held between batches (Pause, or a Step). */
  paused: boolean;
  /** The newest single training step of this run, if one was stepped. */
  lastStep: StepReport | null;
  backend: { name: BackendName; detail: string } | null;
  dataset: { source: string; tensors: TensorSummary[] } | null;
  summary: ModelSummary | null;
  started: {
    config: TrainConfig;
    /** Threads training each batch, as the trainer resolved the `workers` setting. */
    threads: number;
    trainSamples: number;
    valSamples: number;
    batchesPerEpoch: number;
  } | null;
  batches: BatchPoint[];
  epochs: EpochMetrics[];
  /** Weight summaries per epoch (index = epoch, 0 = before training), for the epoch scrubber. */
  weights: { epoch: number; tensors: TensorSummary[] }[];
  /** Gradient health per epoch (index = epoch, from 1). */
  gradients: GradientEpoch[];
  samplesPerSecond: number;
  end: { reason: 'completed' | 'stopped'; epochsCompleted: number; seconds: number; samplesPerSecond: number } | null;
  evaluation: Evaluation | null;
  lastPrediction: { prediction: Prediction; activations: TensorSummary[] } | null;
  savedModelDir: string | null;
  /** The last error, as the trainer's fault (each reader words it in their language). */
  error: Fault | null;
}

export function initialRunState(): RunState {
  return {
    status: 'idle',
    paused: false,
    lastStep: null,
    backend: null,
    dataset: null,
    summary: null,
    started: null,
    batches: [],
    epochs: [],
    weights: [],
    gradients: [],
    samplesPerSecond: 0,
    end: null,
    evaluation: null,
    lastPrediction: null,
    savedModelDir: null,
    error: null,
  };
}

/** Applies one trainer event to the state (in place, for long histories) and returns it. */
export function applyEvent(state: RunState, event: TrainerEvent): RunState {
  switch (event.type) {
    case 'hello':
    case 'tensor':
      break;
    case 'backend':
      state.backend = { name: event.backend, detail: event.detail };
      break;
    case 'dataset':
      state.dataset = { source: event.source, tensors: event.tensors };
      break;
    case 'modelSummary':
      state.summary = event.summary;
      break;
    case 'trainStart':
      state.status = 'training';
      state.paused = false;
      state.lastStep = null;
      state.started = {
        config: event.config,
        threads: event.threads,
        trainSamples: event.trainSamples,
        valSamples: event.valSamples,
        batchesPerEpoch: event.batchesPerEpoch,
      };
      state.batches = [];
      state.epochs = [];
      state.weights = [];
      state.gradients = [];
      state.end = null;
      state.evaluation = null;
      state.error = null;
      state.samplesPerSecond = 0;
      break;
    case 'batches':
      for (const point of event.points) state.batches.push(point);
      state.samplesPerSecond = event.samplesPerSecond;
      break;
    case 'epoch':
      state.epochs.push(event.metrics);
      state.samplesPerSecond = event.metrics.samplesPerSecond;
      break;
    case 'gradients':
      state.gradients[event.gradients.epoch] = event.gradients;
      break;
    case 'paused':
      state.paused = event.paused;
      break;
    case 'step':
      state.lastStep = event.report;
      break;
    case 'weights':
      state.weights[event.epoch] = { epoch: event.epoch, tensors: event.tensors };
      break;
    case 'trainEnd':
      state.status = event.reason;
      state.paused = false;
      state.end = {
        reason: event.reason,
        epochsCompleted: event.epochsCompleted,
        seconds: event.seconds,
        samplesPerSecond: event.samplesPerSecond,
      };
      break;
    case 'evaluation':
      state.evaluation = event.evaluation;
      break;
    case 'saved':
      state.savedModelDir = event.modelDir;
      break;
    case 'loaded':
      state.summary = event.summary;
      state.savedModelDir = event.modelDir;
      break;
    case 'prediction':
      state.lastPrediction = { prediction: event.prediction, activations: event.activations };
      break;
    case 'error':
      state.error = event.fault;
      if (state.status === 'training' && event.requestId === null) {
        state.status = 'failed';
        state.paused = false;
      }
      break;
    default:
      assertNever(event);
  }
  return state;
}
