// The one protocol between the trainer child process and the VS Code host (and, through the
// host, the webviews). Discriminated unions per direction; every consumer switches exhaustively.
// Bump PROTOCOL_VERSION on any incompatible change: the host refuses a trainer of another version.
import type { Fault } from './faults';
import type { DigitReading, PreprocessStage } from './preprocess';
import type { DType, TensorSummary } from './stats';
import type { RankedDigit, UnsureReason } from './verdict';

export const PROTOCOL_VERSION = 8;

import type { TrainConfig } from './trainConfigRules';

export type { BackendChoice, Optimizer, StreamLevel, TrainConfig, WorkersChoice } from './trainConfigRules';
export type { DType, Histogram, TensorStats, TensorSummary } from './stats';
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** The book's model and training setup (Deep Learning with Python, chapter 2). */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  epochs: 5,
  batchSize: 128,
  hiddenUnits: 512,
  learningRate: 0.001,
  optimizer: 'rmsprop',
  validationSplit: 0,
  trainLimit: null,
  seed: 42,
  backend: 'auto',
  workers: 'auto',
  dataDir: null,
  followDataLinks: false,
  modelDir: null,
  stream: 'all',
};

export interface LayerSummary {
  name: string;
  className: string;
  /** Keras-style output shape, batch dimension as null: [null, 512]. */
  outputShape: (number | null)[];
  params: number;
  activation: string;
}

export interface WeightInfo {
  name: string;
  layer: string;
  shape: number[];
  dtype: DType;
  params: number;
}

export interface ModelSummary {
  /** The model's own name, as Keras's summary captions it: `Model: "sequential"`. */
  name: string;
  layers: LayerSummary[];
  weights: WeightInfo[];
  totalParams: number;
  trainableParams: number;
}

export interface BatchPoint {
  epoch: number;
  /** Batch index within the epoch, from 0. */
  batch: number;
  /** Batches done since the run started, from 1. */
  step: number;
  loss: number;
  accuracy: number;
}

export interface EpochMetrics {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number;
  samplesPerSecond: number;
}

/**
 * The trained model on the training samples its run used, measured after the last epoch (the book's
 * `model.evaluate(train)`), not the running mean of the last epoch that Keras prints while training.
 */
export interface TrainMeasurement {
  loss: number;
  accuracy: number;
  /** The training samples measured: the run's, without its validation split. */
  samples: number;
  /** Epochs the run completed before the measurement. */
  epochs: number;
}

export interface Evaluation {
  testLoss: number;
  testAccuracy: number;
  /** The model on its run's training samples; null for a model no completed run of this trainer made (a loaded one). */
  train: TrainMeasurement | null;
  /** confusion[actual][predicted], 10×10. */
  confusion: number[][];
  perClassAccuracy: number[];
  /** Indices into the test set of every misclassified sample. */
  misclassified: number[];
  /** The model's answer for each test sample, in test-set order. */
  predictedLabels: Uint8Array;
}

export interface Prediction {
  file: string;
  digit: number;
  probabilities: number[];
  /** The 28×28 input actually fed to the model, row-major, values in [0, 1]. */
  input: Float32Array;
  /** The three likeliest digits, most likely first. */
  top3: RankedDigit[];
  /** Why the answer is a guess (low probability, empty picture, several digits…), or null. */
  unsure: UnsureReason | null;
  /** 'clean': read as a scan; 'photo': paper evened out, lines and specks removed first. */
  reading: DigitReading['kind'];
  /** The preprocessing as small pictures (each side ≤ STEP_SIDE): original → … → 28×28 input. */
  steps: PreprocessStage[];
}

/** What one training step did to one weight tensor (the gradient and the update are requestable tensors). */
export interface StepTensor {
  /** The weight's name: `dense/kernel`. */
  weight: string;
  /** Its gradient (d mean loss / d weight), named `gradient/dense/kernel`. */
  gradient: TensorSummary;
  /** The change the optimizer applied (Δweights), named `update/dense/kernel`. */
  update: TensorSummary;
  /** ‖Δw‖ / ‖w‖ (Frobenius norms, w before the step); null while the weights were all zero (biases at first). */
  updateRatio: number | null;
}

/** One training step up close: the batch, its loss before and after the update, the gradients and updates. */
export interface StepReport {
  epoch: number;
  /** Batch index within the epoch, from 0. */
  batch: number;
  /** Batches done since the run started, from 1. */
  step: number;
  /** The batch's 28×28 images as uint8 pixels, concatenated in the order trained; `labels` one per image. */
  images: Uint8Array;
  labels: Uint8Array;
  lossBefore: number;
  lossAfter: number;
  accuracyBefore: number;
  accuracyAfter: number;
  tensors: StepTensor[];
}

/** Gradient health of one epoch, measured on its last batch (Train streams it with everything else). */
export interface GradientEpoch {
  epoch: number;
  /** Gradient histograms and stats per weight (named `gradient/dense/kernel`…), like the weights'. */
  tensors: TensorSummary[];
  /** Per weight: ‖g‖ and ‖Δw‖ / ‖w‖ of that batch's update (null while w was all zero). */
  layers: { weight: string; gradientNorm: number; updateRatio: number | null }[];
  /** Hidden ReLU units never active on any of the test digits after this epoch. */
  deadUnits: number;
  hiddenUnits: number;
}

/** The inspector names of a step's tensors: `gradient/dense/kernel`, `update/dense/kernel`. */
export const STEP_TENSOR_PREFIXES = ['gradient/', 'update/'] as const;
export const gradientName = (weight: string): string => `gradient/${weight}`;
export const updateName = (weight: string): string => `update/${weight}`;

// ---------------------------------------------------------------- host → trainer

export type TrainerRequest =
  | { type: 'start'; config: TrainConfig }
  | { type: 'stop' }
  /** Holds the run between batches until `resume`, `step` or `stop`. */
  | { type: 'pause' }
  | { type: 'resume' }
  /** One batch of the paused run, or (no run going) of a new run started paused with `config`. */
  | { type: 'step'; requestId: number; config: TrainConfig }
  | { type: 'evaluate'; requestId: number }
  | { type: 'predict'; requestId: number; file: string }
  | { type: 'getTensor'; requestId: number; name: string }
  | { type: 'save'; requestId: number; modelDir: string }
  | { type: 'load'; requestId: number; modelDir: string }
  | { type: 'shutdown' };

// ---------------------------------------------------------------- trainer → host

export type TrainerEvent =
  | { type: 'hello'; protocol: number; pid: number }
  | { type: 'backend'; backend: BackendName; detail: string }
  | { type: 'dataset'; source: string; tensors: TensorSummary[] }
  | { type: 'modelSummary'; summary: ModelSummary }
  | {
      type: 'trainStart';
      config: TrainConfig;
      /** Threads training each batch: the `workers` setting resolved for this machine and backend. */
      threads: number;
      trainSamples: number;
      valSamples: number;
      batchesPerEpoch: number;
    }
  /** Batch metrics, coalesced: every batch's point is kept, events are sent at most ~20/s. */
  | { type: 'batches'; points: BatchPoint[]; samplesPerSecond: number }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'paused'; paused: boolean }
  | { type: 'gradients'; gradients: GradientEpoch }
  | { type: 'step'; requestId: number; report: StepReport }
  /** Every weight tensor's stats and histogram; epoch 0 is before training. */
  | { type: 'weights'; epoch: number; tensors: TensorSummary[] }
  | {
      type: 'trainEnd';
      reason: 'completed' | 'stopped';
      epochsCompleted: number;
      seconds: number;
      samplesPerSecond: number;
    }
  | { type: 'evaluation'; requestId: number | null; evaluation: Evaluation }
  | { type: 'saved'; requestId: number | null; modelDir: string }
  | { type: 'loaded'; requestId: number; modelDir: string; summary: ModelSummary }
  | { type: 'prediction'; requestId: number; prediction: Prediction; activations: TensorSummary[] }
  | { type: 'tensor'; requestId: number; name: string; shape: number[]; dtype: DType; values: Float32Array }
  /** What went wrong as a kind with parameters: the host words it in the user's language, the CLI in English. */
  | { type: 'error'; requestId: number | null; fault: Fault };

export function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`);
}
