// Trains the book's Dense(h, relu) → Dense(10, softmax) model with a hand-written forward and
// backward pass instead of model.fit. It computes what model.fit computes (sparse categorical
// cross-entropy with tfjs-layers' clipping, the same optimizer updates, a shuffle every epoch,
// Keras' sample-weighted epoch metrics) but routes around the wasm backend's slow transposed
// matMul (the weight gradient xᵀ·dz) by feeding a transposed copy of each batch.
// Two paths: on wasm or native TensorFlow with RMSprop, Adam or SGD, the fused trainer (denseStep.ts,
// fusedUpdate.ts, fusedTrainer.ts: flat parameters, one SIMD update; on wasm optionally worker
// threads), which writes the weights into the model's variables at most every 100 ms, so whatever
// the host reads between batches is one consistent set; elsewhere (or with `update: 'optimizer'`) the
// model's own tfjs optimizer after every batch, with batch metrics read in coalesced groups.
import * as tf from '@tensorflow/tfjs';
import { Coalescer, DEFAULT_COALESCE_INTERVAL_MS } from '../shared/coalesce';
import type { BatchPoint, EpochMetrics } from '../shared/protocol';
import { MNIST_CLASSES, MNIST_PIXELS } from '../shared/mnist';
import {
  type DenseVariables,
  type StepBatch,
  type StepClock,
  StepStager,
  denseLayout,
  paramTensors,
  readParams,
  writeParams,
} from './fused/denseStep';
import { lossSums, logitGradient } from './denseMath';
import { FusedStepper, isFusedBackend } from './fused/fusedTrainer';
import { FusedUpdate, fusedRuleOf } from './fused/fusedUpdate';
import { seededRandom } from '../shared/random';

export interface FitData {
  /** count × 784 pixels in [0, 1], row-major. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  /** Threads computing each batch (this one and `workers - 1` worker threads); fused path only. Default 1. */
  workers?: number;
  /** 'fused' (default) where the backend and optimizer allow it, else the tfjs optimizer; 'optimizer' forces the latter. */
  update?: 'fused' | 'optimizer';
  /** Receives the time split of each step (`npm run bench -- --profile`). */
  clock?: StepClock;
}

/** What the next batch does: train as usual, or train as a Step whose tensors are kept (`inspect`). */
export type BatchMode = 'train' | 'inspect';

export interface FitHooks {
  /**
   * Asked before every batch. A promise holds the run there (paused; batch metrics are flushed
   * first); it is resolved by resume, a step or stop (shouldStop is checked after it). Default: train.
   */
  beforeBatch?(): BatchMode | Promise<BatchMode>;
  /** Receives an inspected batch's tensors (ownership passes) before the next batch. */
  onStep?(step: InspectedStep): Promise<void> | void;
  /** When given, each epoch's last batch is inspected and handed here (ownership passes) before onEpochEnd. */
  onEpochGradients?(step: InspectedStep): Promise<void> | void;
  /** Coalesced: at most one call per ~50 ms (plus one at each epoch end), every batch's point included. */
  onBatches(points: BatchPoint[], samplesPerSecond: number): void;
  /** Awaited before the next epoch. */
  onEpochEnd(metrics: EpochMetrics): Promise<void> | void;
  /** Checked after every batch. */
  shouldStop(): boolean;
}

export interface FitResult {
  reason: 'completed' | 'stopped';
  epochsCompleted: number;
  /** Wall time of the whole fit, validation and hooks included. */
  seconds: number;
  /** Training samples processed / `seconds`: the throughput with everything the hooks do. */
  samplesPerSecond: number;
  /** Accuracy over the last epoch's samples (the partial epoch's, when stopped mid-epoch). */
  trainAccuracy: number;
  /** The path that ran and its threads. */
  update: 'fused' | 'optimizer';
  workers: number;
}

/** Samples per forward pass when computing validation metrics. */
const VALIDATION_CHUNK = 2000;

/** Converts `count` MNIST images from `start` (uint8 pixels) to fastFit's float input. */
export function toFitData(images: Uint8Array, labels: Uint8Array, start: number, count: number): FitData {
  const pixels = images.subarray(start * MNIST_PIXELS, (start + count) * MNIST_PIXELS);
  if (pixels.length !== count * MNIST_PIXELS || start + count > labels.length) {
    throw new RangeError(
      `toFitData: samples ${start}..${start + count} are outside the ${labels.length} samples given`,
    );
  }
  // Shared memory, so the fused trainer's worker threads read the data without copies.
  const floats = new Float32Array(new SharedArrayBuffer(pixels.length * 4));
  for (let i = 0; i < pixels.length; i++) floats[i] = pixels[i] / 255;
  const shared = new Uint8Array(new SharedArrayBuffer(count));
  shared.set(labels.subarray(start, start + count));
  return { images: floats, labels: shared, count };
}

/** The sample order of every epoch (Keras shuffles before each epoch); deterministic per seed. */
export function epochOrders(count: number, seed: number): () => Uint32Array {
  const random = seededRandom(seed);
  return () => {
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  };
}

interface DenseWeights {
  w1: tf.Tensor2D;
  b1: tf.Tensor1D;
  w2: tf.Tensor2D;
  b2: tf.Tensor1D;
  /** The registered variable names the optimizer updates (unique per model: `dense/kernel_1`…). */
  names: { w1: string; b1: string; w2: string; b2: string };
  variables: DenseVariables;
}

/** The model's four variables, after checking it is the Dense(relu) → Dense(softmax) this loop implements. */
function denseWeights(model: tf.Sequential): DenseWeights {
  const describe = model.layers.map(
    (l) => `${l.getClassName()}(${String((l.getConfig() as { activation?: unknown }).activation)})`,
  );
  const [hidden, output] = model.layers;
  const ok =
    model.layers.length === 2 &&
    describe[0] === 'Dense(relu)' &&
    describe[1] === 'Dense(softmax)' &&
    hidden.weights.length === 2 &&
    output.weights.length === 2 &&
    hidden.weights[0].shape[0] === MNIST_PIXELS &&
    output.weights[0].shape[1] === MNIST_CLASSES;
  if (!ok) {
    throw new Error(
      `fastFit trains Dense(relu, input ${MNIST_PIXELS}) → Dense(${MNIST_CLASSES}, softmax); got ${describe.join(' → ')}`,
    );
  }
  const [w1, b1] = hidden.weights;
  const [w2, b2] = output.weights;
  return {
    w1: w1.read() as tf.Tensor2D,
    b1: b1.read() as tf.Tensor1D,
    w2: w2.read() as tf.Tensor2D,
    b2: b2.read() as tf.Tensor1D,
    names: { w1: w1.name, b1: b1.name, w2: w2.name, b2: b2.name },
    variables: [w1, b1, w2, b2],
  };
}

function checkData(data: FitData, what: string): void {
  if (!Number.isInteger(data.count) || data.count < 1)
    throw new Error(`fastFit: ${what} count must be a positive integer, got ${data.count}`);
  if (data.images.length !== data.count * MNIST_PIXELS) {
    throw new Error(
      `fastFit: ${what} images hold ${data.images.length} values, expected ${data.count} × ${MNIST_PIXELS}`,
    );
  }
  if (data.labels.length < data.count)
    throw new Error(`fastFit: ${what} has ${data.labels.length} labels for ${data.count} images`);
  for (let i = 0; i < data.count; i++) {
    if (data.labels[i] >= MNIST_CLASSES)
      throw new Error(`fastFit: ${what} label ${i} is ${data.labels[i]}, not a digit 0-9`);
  }
}

/** Forward pass: hidden activations and softmax probabilities. */
function forward(x: tf.Tensor2D, weights: DenseWeights): { hidden: tf.Tensor; logits: tf.Tensor; probs: tf.Tensor } {
  const hidden = tf.fused.matMul({ a: x, b: weights.w1, bias: weights.b1, activation: 'relu' });
  const logits = tf.fused.matMul({ a: hidden, b: weights.w2, bias: weights.b2 });
  return { hidden, logits, probs: tf.softmax(logits) };
}

/**
 * Forward and backward pass of one batch (call inside tf.tidy): [loss sum, correct count] and the
 * gradient of the mean loss for each weight. Shapes are arranged for the wasm backend's matMul,
 * which repacks its second operand whenever that tensor is new and is 20× slower with transposeA:
 * the hidden layer runs as W1ᵀ·xᵀ (an explicit transpose of W1 costs less than repacking it every step).
 */
function backward(
  batch: StepBatch,
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
  batch: StepBatch,
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

/**
 * One training step kept for inspection (a Step, never an ordinary batch): the tensors are the
 * caller's to dispose. Weight tensors are in the model's order: hidden kernel, hidden bias, output kernel, output bias.
 */
export interface InspectedStep {
  epoch: number;
  batch: number;
  step: number;
  /** The batch: n × 784 pixels in [0, 1] and the labels. */
  x: tf.Tensor2D;
  labels: tf.Tensor1D;
  /** [loss sum, correct count] before the update (the step's own forward pass) and after it, same batch. */
  before: tf.Tensor1D;
  after: tf.Tensor1D;
  gradients: tf.Tensor[];
  updates: tf.Tensor[];
  /** ‖Δw‖ and ‖w‖ (before the step) per weight. */
  updateNorms: tf.Tensor1D;
  weightNorms: tf.Tensor1D;
}

/**
 * A Step: the batch trained exactly as any other (`stepper.step`, whichever path runs), with the
 * weights before, the gradients it applied and the weights after kept for inspection.
 */
async function inspectStep(
  stepper: Stepper,
  stager: StepStager,
  train: FitData,
  order: Uint32Array,
  from: number,
  n: number,
  weights: DenseWeights,
  epsilon: number,
): Promise<{ sums: BatchSums; inspected: Omit<InspectedStep, 'epoch' | 'batch' | 'step'> }> {
  stepper.syncModel();
  // Clones keep the old values: the step gives the variables new data.
  const previous = weights.variables.map((v) => v.read().clone());
  const { sums, gradients } = await stepper.inspect(from, n);
  stepper.syncModel();
  const inspected = tf.tidy(() => {
    const batch = stager.tensors(train, order, from, n);
    const updates = weights.variables.map((v, i) => tf.sub(v.read(), previous[i]));
    const { logits, probs } = forward(batch.x, weights);
    return {
      x: batch.x.clone(),
      labels: batch.labels.clone(),
      before: sums instanceof tf.Tensor ? sums.clone() : tf.tensor1d(sums),
      after: lossSums(logits, probs, batch, epsilon).sums,
      gradients,
      updates,
      updateNorms: tf.stack(updates.map((u) => tf.norm(u))) as tf.Tensor1D,
      weightNorms: tf.stack(previous.map((w) => tf.norm(w))) as tf.Tensor1D,
    };
  });
  tf.dispose(previous);
  return { sums, inspected };
}

/** Mean loss and accuracy of the model on `data`, in chunks, one read at the end. */
async function evaluateData(
  data: FitData,
  weights: DenseWeights,
  epsilon: number,
): Promise<{ loss: number; accuracy: number }> {
  const stager = new StepStager(VALIDATION_CHUNK);
  const order = new Uint32Array(data.count).map((_, i) => i);
  const parts: tf.Tensor1D[] = [];
  for (let from = 0; from < data.count; from += VALIDATION_CHUNK) {
    const n = Math.min(VALIDATION_CHUNK, data.count - from);
    parts.push(
      tf.tidy(() => {
        const batch = stager.tensors(data, order, from, n);
        const { logits, probs } = forward(batch.x, weights);
        return lossSums(logits, probs, batch, epsilon).sums;
      }),
    );
  }
  const total = tf.tidy(() => tf.addN(parts));
  const [lossSum, correct] = await total.data();
  tf.dispose([...parts, total]);
  return { loss: lossSum / data.count, accuracy: correct / data.count };
}

/** A batch's [loss sum, correct count]: on the backend (tfjs-optimizer path) or already read (fused path). */
type BatchSums = tf.Tensor1D | [number, number];

interface PendingBatch {
  epoch: number;
  batch: number;
  step: number;
  size: number;
  sums: BatchSums;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * How often the fused path writes its weights into the model's variables (a transpose of W1 each
 * time). Training yields to the event loop after every batch, so requests are served and large
 * answers (a 1.6 MB tensor leaves through the IPC pipe ~64 KB per loop turn) flow out while it
 * trains; what they read is the model as of the last write: one consistent set, ≤ this old.
 */
const SYNC_INTERVAL_MS = 100;

/** How one path trains a batch. */
interface Stepper {
  readonly update: FitResult['update'];
  readonly workers: number;
  /** Loads the epoch's sample order. */
  setOrder(order: Uint32Array): void;
  step(from: number, n: number): Promise<BatchSums> | BatchSums;
  /** Trains a batch as `step` does, and returns the gradients it applied too (the caller's to dispose). */
  inspect(from: number, n: number): Promise<{ sums: BatchSums; gradients: tf.Tensor[] }>;
  /** Makes the model's variables hold the current weights; called before the host can read them. */
  syncModel(): void;
  dispose(): Promise<void>;
}

function optimizerStepper(
  train: FitData,
  weights: DenseWeights,
  optimizer: tf.Optimizer,
  batchSize: number,
  epsilon: number,
  clock?: StepClock,
): Stepper {
  const stager = new StepStager(batchSize);
  let order: Uint32Array = new Uint32Array(0);
  return {
    update: 'optimizer',
    workers: 1,
    setOrder: (next) => (order = next),
    step: (from, n) =>
      tf.tidy(() => trainStep(stager.tensors(train, order, from, n), weights, optimizer, epsilon, clock).sums),
    inspect: async (from, n) =>
      tf.tidy(() => trainStep(stager.tensors(train, order, from, n), weights, optimizer, epsilon, clock)),
    syncModel: () => undefined,
    dispose: async () => undefined,
  };
}

async function fusedStepper(
  train: FitData,
  weights: DenseWeights,
  optimizer: tf.Optimizer,
  options: FitOptions,
  epsilon: number,
): Promise<Stepper | null> {
  const rule = fusedRuleOf(optimizer);
  const backend = tf.getBackend();
  if (rule === null || options.update === 'optimizer' || !isFusedBackend(backend)) return null;
  const layout = denseLayout(weights.w1.shape[1]);
  const workers = Math.max(1, Math.min(options.workers ?? 1, options.batchSize));
  const update = new FusedUpdate(rule, layout.size, workers);
  await readParams(weights.variables, layout, update.params);
  const stepper = await FusedStepper.start(backend, update, layout, train, options.batchSize, epsilon);
  return {
    update: 'fused',
    workers,
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

export async function fastFit(
  model: tf.Sequential,
  optimizer: tf.Optimizer,
  train: FitData,
  validation: FitData | null,
  options: FitOptions,
  hooks: FitHooks,
): Promise<FitResult> {
  const { epochs, batchSize, clock } = options;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`fastFit: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`fastFit: batchSize must be a positive integer, got ${batchSize}`);
  if (options.workers !== undefined && (!Number.isInteger(options.workers) || options.workers < 1))
    throw new Error(`fastFit: workers must be a positive integer, got ${options.workers}`);
  checkData(train, 'training data');
  if (validation) checkData(validation, 'validation data');
  const weights = denseWeights(model);
  // tfjs-layers clips probabilities with the backend's epsilon (1e-7 in float32).
  const epsilon = tf.backend().epsilon();
  const stepper =
    (await fusedStepper(train, weights, optimizer, options, epsilon)) ??
    optimizerStepper(train, weights, optimizer, batchSize, epsilon, clock);
  try {
    return await fitLoop(stepper, train, weights, validation, options, hooks, epsilon);
  } finally {
    stepper.syncModel();
    await stepper.dispose();
  }
}

async function fitLoop(
  stepper: Stepper,
  train: FitData,
  weights: DenseWeights,
  validation: FitData | null,
  options: FitOptions,
  hooks: FitHooks,
  epsilon: number,
): Promise<FitResult> {
  const { epochs, batchSize, clock } = options;
  const nextOrder = epochOrders(train.count, options.seed);
  const coalescer = new Coalescer<PendingBatch>(DEFAULT_COALESCE_INTERVAL_MS, () => performance.now());
  const batchesPerEpoch = Math.ceil(train.count / batchSize);
  // Stages a Step's batch again for its inspection (the stepper stages its own).
  const stager = new StepStager(batchSize);

  clock?.lap('setup');
  const fitStart = performance.now();
  let lastSync = fitStart;
  let samplesTrained = 0;
  let step = 0;
  let epochsCompleted = 0;
  let epochStart = fitStart;
  let epochSamples = 0;
  // Keras' epoch metrics: running sums over samples, read from the coalesced groups.
  let epochLossSum = 0;
  let epochCorrect = 0;

  /** Reads a group of batches' metrics (one transfer for those on the backend), folds them into the epoch, streams them. */
  const emit = async (group: PendingBatch[]) => {
    if (group.length === 0) return;
    const onBackend = group.flatMap((g) => (g.sums instanceof tf.Tensor ? [g.sums] : []));
    let read: Float32Array | null = null;
    if (onBackend.length > 0) {
      const stacked = tf.stack(onBackend);
      read = (await stacked.data()) as Float32Array;
      tf.dispose([stacked, ...onBackend]);
    }
    let next = 0;
    const points: BatchPoint[] = group.map((g) => {
      const [lossSum, correct] = g.sums instanceof tf.Tensor ? [read![2 * next], read![2 * next++ + 1]] : g.sums;
      epochLossSum += lossSum;
      epochCorrect += correct;
      return { epoch: g.epoch, batch: g.batch, step: g.step, loss: lossSum / g.size, accuracy: correct / g.size };
    });
    const seconds = (performance.now() - epochStart) / 1000;
    hooks.onBatches(points, seconds > 0 ? epochSamples / seconds : 0);
    clock?.lap('metrics');
  };

  const result = (reason: FitResult['reason']): FitResult => {
    const seconds = (performance.now() - fitStart) / 1000;
    return {
      reason,
      epochsCompleted,
      seconds,
      samplesPerSecond: seconds > 0 ? samplesTrained / seconds : 0,
      trainAccuracy: epochSamples > 0 ? epochCorrect / epochSamples : 0,
      update: stepper.update,
      workers: stepper.workers,
    };
  };

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = nextOrder();
    stepper.setOrder(order);
    epochStart = performance.now();
    epochSamples = 0;
    epochLossSum = 0;
    epochCorrect = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const from = b * batchSize;
      const n = Math.min(batchSize, train.count - from);
      let mode = hooks.beforeBatch?.() ?? 'train';
      if (typeof mode !== 'string') {
        // Paused: what the host reads meanwhile is the model as it stands.
        stepper.syncModel();
        lastSync = performance.now();
        await emit(coalescer.flush());
        mode = await mode;
        if (hooks.shouldStop()) return result('stopped');
      }
      step++;
      samplesTrained += n;
      epochSamples += n;
      // The epoch's last batch, looked at closely for the gradient health of the epoch.
      const epochSample = mode === 'train' && hooks.onEpochGradients !== undefined && b === batchesPerEpoch - 1;
      if (mode === 'inspect' || epochSample) {
        const { sums, inspected } = await inspectStep(stepper, stager, train, order, from, n, weights, epsilon);
        lastSync = performance.now();
        // The step's point is on the curves before its report arrives.
        await emit(coalescer.add({ epoch, batch: b, step, size: n, sums }) ?? coalescer.flush());
        const report = { epoch, batch: b, step, ...inspected };
        if (epochSample) await hooks.onEpochGradients?.(report);
        else await hooks.onStep?.(report);
        if (hooks.shouldStop()) return result('stopped');
        continue;
      }
      const sums = await stepper.step(from, n);
      const group = coalescer.add({ epoch, batch: b, step, size: n, sums });
      if (group) await emit(group);
      if (performance.now() - lastSync >= SYNC_INTERVAL_MS) {
        stepper.syncModel();
        lastSync = performance.now();
        clock?.lap('sync model');
      }
      // Lets the child process receive `stop` and other requests, and send its answers, while training.
      await yieldToEventLoop();
      clock?.lap('JS glue');
      if (hooks.shouldStop()) {
        await emit(coalescer.flush());
        return result('stopped');
      }
    }
    stepper.syncModel();
    await emit(coalescer.flush());
    const loopSeconds = (performance.now() - epochStart) / 1000;
    const val = validation ? await evaluateData(validation, weights, epsilon) : null;
    epochsCompleted = epoch;
    await hooks.onEpochEnd({
      epoch,
      epochs,
      loss: epochLossSum / epochSamples,
      accuracy: epochCorrect / epochSamples,
      valLoss: val ? val.loss : null,
      valAccuracy: val ? val.accuracy : null,
      seconds: (performance.now() - epochStart) / 1000,
      samplesPerSecond: epochSamples / loopSeconds,
    });
    if (hooks.shouldStop() && epoch < epochs) return result('stopped');
  }
  return result('completed');
}
