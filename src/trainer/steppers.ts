// The two ways fastFit trains a batch, behind one Stepper: the fused trainer (fused/: flat
// parameters, one SIMD update, optionally worker threads) on wasm or native TensorFlow with
// RMSprop, Adam or SGD; elsewhere, or with `update: 'optimizer'`, a hand-written backward pass and
// the model's own tfjs optimizer.
import * as tf from '@tensorflow/tfjs';
import { logitGradient, lossSums } from './denseMath';
import type { DenseWeights } from './denseWeights';
import { type FitData, type BatchTensors, BatchStager } from './fitData';
import { denseLayout, paramTensors, readParams, writeParams } from './fused/denseStep';
import { FusedStepper } from './fused/fusedStepper';
import { type FusedRule, FusedUpdate, fusedRuleOf } from './fused/fusedUpdate';
import { type WorkerStarter, isFusedBackend } from './fused/workerProtocol';
import type { StepClock } from './stepClock';

/** The path that trains: the fused trainer, or the model's tfjs optimizer. */
export type UpdatePath = 'fused' | 'optimizer';

export interface StepperOptions {
  batchSize: number;
  /** Threads computing each batch (this one and `threads - 1` worker threads); fused path only. Default 1. */
  threads?: number;
  /** 'fused' (default) where the backend and optimizer allow it, else the tfjs optimizer; 'optimizer' forces the latter. */
  update?: UpdatePath;
  /** Receives the time split of each step (`npm run bench -- --profile`). */
  clock?: StepClock;
  /** Starts the fused path's worker threads; the default runs dist/gradientWorker.js (from the sources: test/support/sourceWorker.ts). */
  startWorker?: WorkerStarter;
}

/** A batch's [loss sum, correct count]: on the backend (tfjs-optimizer path) or already read (fused path). */
export type BatchSums = tf.Tensor1D | [number, number];

/** How one path trains a batch. */
export interface Stepper {
  readonly update: UpdatePath;
  readonly threads: number;
  /** Loads the epoch's sample order. */
  setOrder(order: Uint32Array): void;
  step(from: number, n: number): Promise<BatchSums> | BatchSums;
  /** Trains a batch as `step` does, and returns the gradients it applied too (the caller's to dispose). */
  inspect(from: number, n: number): Promise<{ sums: BatchSums; gradients: tf.Tensor[] }>;
  /** Makes the model's variables hold the current weights; called before the host can read them. */
  syncModel(): void;
  dispose(): Promise<void>;
}

/** The fused trainer where the backend and optimizer allow it (and `update` does not refuse it), else the optimizer path. */
export async function startStepper(
  train: FitData,
  weights: DenseWeights,
  optimizer: tf.Optimizer,
  options: StepperOptions,
  epsilon: number,
): Promise<Stepper> {
  return (
    (await startFused(train, weights, optimizer, options, epsilon)) ??
    optimizerStepper(train, weights, optimizer, options.batchSize, epsilon, options.clock)
  );
}

/**
 * Forward and backward pass of one batch (call inside tf.tidy): [loss sum, correct count] and the
 * gradient of the mean loss for each weight. Shapes are arranged for the wasm backend's matMul,
 * which repacks its second operand whenever that tensor is new and is 20× slower with transposeA:
 * the hidden layer runs as W1ᵀ·xᵀ (an explicit transpose of W1 costs less than repacking it every step).
 */
function backward(
  batch: BatchTensors,
  weights: DenseWeights,
  epsilon: number,
  clock?: StepClock,
): { sums: tf.Tensor1D; gradients: tf.Tensor[] } {
  const n = batch.x.shape[0];
  const xT = tf.transpose(batch.x);
  const w1T = tf.transpose(weights.w1);
  clock?.lap('stage');
  const zT = tf.matMul(w1T, xT);
  clock?.lap('matMul');
  const hiddenT = tf.relu(tf.add(zT, tf.reshape(weights.b1, [-1, 1])));
  const hidden = tf.transpose(hiddenT);
  clock?.lap('backprop elementwise');
  const logits = tf.fused.matMul({ a: hidden, b: weights.w2, bias: weights.b2 });
  clock?.lap('matMul');
  const probs = tf.softmax(logits);
  const { sums, trueProb } = lossSums(logits, probs, batch, epsilon);
  const dLogits = logitGradient(probs, trueProb, batch, epsilon, n);
  clock?.lap('softmax/loss');
  const dW2 = tf.matMul(hiddenT, dLogits);
  const db2 = tf.sum(dLogits, 0);
  const dHidden = tf.matMul(dLogits, tf.transpose(weights.w2));
  clock?.lap('matMul');
  // relu'(z) = step(z), and hidden > 0 exactly where z > 0.
  const dZ = tf.mul(dHidden, tf.step(hidden));
  clock?.lap('backprop elementwise');
  const dW1 = tf.matMul(xT, dZ);
  clock?.lap('matMul');
  const db1 = tf.sum(dZ, 0);
  return { sums, gradients: [dW1, db1, dW2, db2] };
}

/**
 * One training step (call inside tf.tidy), gradients applied by the caller's optimizer. Returns
 * [loss sum, correct count] of the batch and the gradients it applied, in the model's weight order.
 */
function trainStep(
  batch: BatchTensors,
  weights: DenseWeights,
  optimizer: tf.Optimizer,
  epsilon: number,
  clock?: StepClock,
): { sums: tf.Tensor1D; gradients: tf.Tensor[] } {
  const { sums, gradients } = backward(batch, weights, epsilon, clock);
  const names = [weights.names.w1, weights.names.b1, weights.names.w2, weights.names.b2];
  optimizer.applyGradients(Object.fromEntries(names.map((name, i) => [name, gradients[i]])));
  clock?.lap('update');
  return { sums, gradients };
}

function optimizerStepper(
  train: FitData,
  weights: DenseWeights,
  optimizer: tf.Optimizer,
  batchSize: number,
  epsilon: number,
  clock?: StepClock,
): Stepper {
  const stager = new BatchStager(batchSize);
  let order: Uint32Array = new Uint32Array(0);
  return {
    update: 'optimizer',
    threads: 1,
    setOrder: (next) => (order = next),
    step: (from, n) =>
      tf.tidy(() => trainStep(stager.tensors(train, order, from, n), weights, optimizer, epsilon, clock).sums),
    inspect: async (from, n) =>
      tf.tidy(() => trainStep(stager.tensors(train, order, from, n), weights, optimizer, epsilon, clock)),
    syncModel: () => undefined,
    dispose: async () => undefined,
  };
}

type PathOptions = Pick<StepperOptions, 'threads' | 'batchSize' | 'update'>;

/** The fused trainer's update rule when it trains this fit; null when the tfjs optimizer does. */
function fusedRuleFor(backend: string, optimizer: tf.Optimizer, options: PathOptions): FusedRule | null {
  return options.update === 'optimizer' || !isFusedBackend(backend) ? null : fusedRuleOf(optimizer);
}

/**
 * The threads a fit trains each batch with on `backend`: the fused trainer's `threads`, at most one
 * per sample of a batch; the tfjs optimizer path (the cpu backend, an optimizer the fused update
 * lacks) trains on this thread alone. What a run reports is this number, the one that runs.
 */
export function fitThreads(backend: string, optimizer: tf.Optimizer, options: PathOptions): number {
  if (fusedRuleFor(backend, optimizer, options) === null) return 1;
  return Math.max(1, Math.min(options.threads ?? 1, options.batchSize));
}

async function startFused(
  train: FitData,
  weights: DenseWeights,
  optimizer: tf.Optimizer,
  options: StepperOptions,
  epsilon: number,
): Promise<Stepper | null> {
  const backend = tf.getBackend();
  const rule = fusedRuleFor(backend, optimizer, options);
  if (rule === null || !isFusedBackend(backend)) return null; // (the second narrows the type)
  const layout = denseLayout(weights.w1.shape[1]);
  const threads = fitThreads(backend, optimizer, options);
  const update = new FusedUpdate(rule, layout.size, threads);
  await readParams(weights.variables, layout, update.params);
  const stepper = await FusedStepper.start(
    backend,
    update,
    layout,
    train,
    options.batchSize,
    epsilon,
    options.startWorker,
  );
  return {
    update: 'fused',
    threads,
    setOrder: (order) => stepper.order.set(order),
    step: (from, n) => stepper.step(from, n, options.clock),
    inspect: async (from, n) => {
      const sums = await stepper.step(from, n, options.clock);
      // After a step, thread 0's gradient array holds the batch's summed gradient the update applied.
      return { sums, gradients: paramTensors(update.gradients(0), layout) };
    },
    syncModel: () => writeParams(update.params, layout, weights.variables),
    dispose: () => stepper.dispose(),
  };
}
