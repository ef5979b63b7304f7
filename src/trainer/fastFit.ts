// Trains the book's Dense(h, relu) → Dense(10, softmax) model with a hand-written forward and
// backward pass instead of model.fit. It computes what model.fit computes (sparse categorical
// cross-entropy with tfjs-layers' clipping, the same optimizer applying the updates to the model's
// own variables, a shuffle every epoch, Keras' sample-weighted epoch metrics) but routes around the
// wasm backend's slow transposed matMul (the weight gradient xᵀ·dz) by feeding a transposed copy of
// each batch, and reads batch metrics in coalesced groups rather than once per batch.
import * as tf from '@tensorflow/tfjs';
import { Coalescer, DEFAULT_COALESCE_INTERVAL_MS } from '../shared/coalesce';
import type { BatchPoint, EpochMetrics } from '../shared/protocol';
import { CLASSES, INPUT_SIZE } from './model';

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
}

/** Samples per forward pass when computing validation metrics. */
const VALIDATION_CHUNK = 2000;

/** Converts `count` MNIST images from `start` (uint8 pixels) to fastFit's float input. */
export function toFitData(images: Uint8Array, labels: Uint8Array, start: number, count: number): FitData {
  const pixels = images.subarray(start * INPUT_SIZE, (start + count) * INPUT_SIZE);
  if (pixels.length !== count * INPUT_SIZE || start + count > labels.length) {
    throw new RangeError(
      `toFitData: samples ${start}..${start + count} are outside the ${labels.length} samples given`,
    );
  }
  const floats = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) floats[i] = pixels[i] / 255;
  return { images: floats, labels: labels.slice(start, start + count), count };
}

/** mulberry32: a small seeded generator, so a seed reproduces every epoch's order. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
    hidden.weights[0].shape[0] === INPUT_SIZE &&
    output.weights[0].shape[1] === CLASSES;
  if (!ok) {
    throw new Error(
      `fastFit trains Dense(relu, input ${INPUT_SIZE}) → Dense(${CLASSES}, softmax); got ${describe.join(' → ')}`,
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
  };
}

function checkData(data: FitData, what: string): void {
  if (!Number.isInteger(data.count) || data.count < 1)
    throw new Error(`fastFit: ${what} count must be a positive integer, got ${data.count}`);
  if (data.images.length !== data.count * INPUT_SIZE) {
    throw new Error(
      `fastFit: ${what} images hold ${data.images.length} values, expected ${data.count} × ${INPUT_SIZE}`,
    );
  }
  if (data.labels.length < data.count)
    throw new Error(`fastFit: ${what} has ${data.labels.length} labels for ${data.count} images`);
  for (let i = 0; i < data.count; i++) {
    if (data.labels[i] >= CLASSES) throw new Error(`fastFit: ${what} label ${i} is ${data.labels[i]}, not a digit 0-9`);
  }
}

interface Batch {
  x: tf.Tensor2D;
  oneHot: tf.Tensor2D;
  labels: tf.Tensor1D;
}

/** One batch copied out of the dataset in the epoch's order: images, labels, one-hot labels. */
class BatchStager {
  private readonly x: Float32Array;
  private readonly oneHot: Float32Array;
  private readonly labels: Int32Array;

  constructor(private readonly batchSize: number) {
    this.x = new Float32Array(batchSize * INPUT_SIZE);
    this.oneHot = new Float32Array(batchSize * CLASSES);
    this.labels = new Int32Array(batchSize);
  }

  /** Tensors for samples order[from, from + n): the caller disposes them (tf.tidy). */
  tensors(data: FitData, order: Uint32Array, from: number, n: number): Batch {
    const { x, oneHot, labels } = this;
    oneHot.fill(0, 0, n * CLASSES);
    for (let r = 0; r < n; r++) {
      const sample = order[from + r];
      x.set(data.images.subarray(sample * INPUT_SIZE, (sample + 1) * INPUT_SIZE), r * INPUT_SIZE);
      labels[r] = data.labels[sample];
      oneHot[r * CLASSES + data.labels[sample]] = 1;
    }
    const full = n === this.batchSize;
    return {
      x: tf.tensor2d(full ? x : x.slice(0, n * INPUT_SIZE), [n, INPUT_SIZE]),
      oneHot: tf.tensor2d(full ? oneHot : oneHot.slice(0, n * CLASSES), [n, CLASSES]),
      labels: tf.tensor1d(full ? labels : labels.slice(0, n), 'int32'),
    };
  }
}

/** Forward pass: hidden activations and softmax probabilities. */
function forward(x: tf.Tensor2D, weights: DenseWeights): { hidden: tf.Tensor; logits: tf.Tensor; probs: tf.Tensor } {
  const hidden = tf.fused.matMul({ a: x, b: weights.w1, bias: weights.b1, activation: 'relu' });
  const logits = tf.fused.matMul({ a: hidden, b: weights.w2, bias: weights.b2 });
  return { hidden, logits, probs: tf.softmax(logits) };
}

/**
 * [summed loss, correct count] of a batch, and the probability of each sample's true class.
 * The loss clips like tfjs-layers' sparse categorical cross-entropy: -log(clip(p, ε, 1-ε)).
 */
function lossAndCorrect(
  logits: tf.Tensor,
  probs: tf.Tensor,
  oneHot: tf.Tensor2D,
  labels: tf.Tensor1D,
  epsilon: number,
) {
  const trueProb = tf.sum(tf.mul(probs, oneHot), 1);
  const lossSum = tf.neg(tf.sum(tf.log(tf.clipByValue(trueProb, epsilon, 1 - epsilon))));
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
  return { sums: tf.stack([lossSum, correct]) as tf.Tensor1D, trueProb };
}

type WeightKey = 'w1' | 'b1' | 'w2' | 'b2';
const WEIGHT_KEYS: readonly WeightKey[] = ['w1', 'b1', 'w2', 'b2'];

/**
 * Forward and backward pass of one batch (call inside tf.tidy): [loss sum, correct count] and the
 * gradient of the mean loss for each weight. Shapes are arranged for the wasm backend's matMul,
 * which repacks its second operand whenever that tensor is new and is 20× slower with transposeA:
 * the hidden layer runs as W1ᵀ·xᵀ (an explicit transpose of W1 costs less than repacking it every step).
 */
function backward(
  batch: Batch,
  weights: DenseWeights,
  epsilon: number,
): { sums: tf.Tensor1D; gradients: Record<WeightKey, tf.Tensor> } {
  const n = batch.x.shape[0];
  const xT = tf.transpose(batch.x);
  const hiddenT = tf.relu(tf.add(tf.matMul(tf.transpose(weights.w1), xT), tf.reshape(weights.b1, [-1, 1])));
  const hidden = tf.transpose(hiddenT);
  const logits = tf.fused.matMul({ a: hidden, b: weights.w2, bias: weights.b2 });
  const probs = tf.softmax(logits);
  const { sums, trueProb } = lossAndCorrect(logits, probs, batch.oneHot, batch.labels, epsilon);
  // d(mean loss)/d(logits) = (p - y) / n; zero where tfjs' clip cuts the true class' gradient.
  const unclipped = tf.logicalAnd(tf.greaterEqual(trueProb, epsilon), tf.lessEqual(trueProb, 1 - epsilon));
  const scale = tf.div(tf.cast(unclipped, 'float32'), n).reshape([n, 1]);
  const dLogits = tf.mul(tf.sub(probs, batch.oneHot), scale);
  const dW2 = tf.matMul(hiddenT, dLogits);
  const db2 = tf.sum(dLogits, 0);
  const dHidden = tf.matMul(dLogits, tf.transpose(weights.w2));
  // relu'(z) = step(z), and hidden > 0 exactly where z > 0.
  const dZ = tf.mul(dHidden, tf.step(hidden));
  const dW1 = tf.matMul(xT, dZ);
  const db1 = tf.sum(dZ, 0);
  return { sums, gradients: { w1: dW1, b1: db1, w2: dW2, b2: db2 } };
}

function applyGradients(optimizer: tf.Optimizer, weights: DenseWeights, gradients: Record<WeightKey, tf.Tensor>): void {
  optimizer.applyGradients(Object.fromEntries(WEIGHT_KEYS.map((k) => [weights.names[k], gradients[k]])));
}

/** One training step, gradients applied by the caller's optimizer. Returns [loss sum, correct count] of the batch. */
function trainStep(batch: Batch, weights: DenseWeights, optimizer: tf.Optimizer, epsilon: number): tf.Tensor1D {
  return tf.tidy(() => {
    const { sums, gradients } = backward(batch, weights, epsilon);
    applyGradients(optimizer, weights, gradients);
    return sums;
  });
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

function inspectStep(
  batch: Batch,
  weights: DenseWeights,
  optimizer: tf.Optimizer,
  epsilon: number,
): Omit<InspectedStep, 'epoch' | 'batch' | 'step'> {
  return tf.tidy(() => {
    // Clones keep the old values: the optimizer assigns the variables new data.
    const before = WEIGHT_KEYS.map((k) => weights[k].clone());
    const { sums, gradients } = backward(batch, weights, epsilon);
    applyGradients(optimizer, weights, gradients);
    const updates = WEIGHT_KEYS.map((k, i) => tf.sub(weights[k], before[i]));
    const { logits, probs } = forward(batch.x, weights);
    const after = lossAndCorrect(logits, probs, batch.oneHot, batch.labels, epsilon).sums;
    return {
      x: batch.x.clone(),
      labels: batch.labels.clone(),
      before: sums,
      after,
      gradients: WEIGHT_KEYS.map((k) => gradients[k]),
      updates,
      updateNorms: tf.stack(updates.map((u) => tf.norm(u))) as tf.Tensor1D,
      weightNorms: tf.stack(before.map((w) => tf.norm(w))) as tf.Tensor1D,
    };
  });
}

/** Mean loss and accuracy of the model on `data`, in chunks, one read at the end. */
async function evaluateData(
  data: FitData,
  weights: DenseWeights,
  epsilon: number,
): Promise<{ loss: number; accuracy: number }> {
  const stager = new BatchStager(VALIDATION_CHUNK);
  const order = new Uint32Array(data.count).map((_, i) => i);
  const parts: tf.Tensor1D[] = [];
  for (let from = 0; from < data.count; from += VALIDATION_CHUNK) {
    const n = Math.min(VALIDATION_CHUNK, data.count - from);
    parts.push(
      tf.tidy(() => {
        const batch = stager.tensors(data, order, from, n);
        const { logits, probs } = forward(batch.x, weights);
        return lossAndCorrect(logits, probs, batch.oneHot, batch.labels, epsilon).sums;
      }),
    );
  }
  const total = tf.tidy(() => tf.addN(parts));
  const [lossSum, correct] = await total.data();
  tf.dispose([...parts, total]);
  return { loss: lossSum / data.count, accuracy: correct / data.count };
}

interface PendingBatch {
  epoch: number;
  batch: number;
  step: number;
  size: number;
  sums: tf.Tensor1D;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function fastFit(
  model: tf.Sequential,
  optimizer: tf.Optimizer,
  train: FitData,
  validation: FitData | null,
  options: FitOptions,
  hooks: FitHooks,
): Promise<FitResult> {
  const { epochs, batchSize } = options;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`fastFit: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`fastFit: batchSize must be a positive integer, got ${batchSize}`);
  checkData(train, 'training data');
  if (validation) checkData(validation, 'validation data');
  const weights = denseWeights(model);
  // tfjs-layers clips probabilities with the backend's epsilon (1e-7 in float32).
  const epsilon = tf.backend().epsilon();
  const stager = new BatchStager(batchSize);
  const nextOrder = epochOrders(train.count, options.seed);
  const coalescer = new Coalescer<PendingBatch>(DEFAULT_COALESCE_INTERVAL_MS, () => performance.now());
  const batchesPerEpoch = Math.ceil(train.count / batchSize);

  const fitStart = performance.now();
  let samplesTrained = 0;
  let step = 0;
  let epochsCompleted = 0;
  let epochStart = fitStart;
  let epochSamples = 0;
  // Keras' epoch metrics: running sums over samples, read from the coalesced groups.
  let epochLossSum = 0;
  let epochCorrect = 0;

  /** Reads a group of batches' metrics in one transfer, folds them into the epoch, streams them. */
  const emit = async (group: PendingBatch[]) => {
    if (group.length === 0) return;
    const stacked = tf.stack(group.map((g) => g.sums));
    const values = await stacked.data();
    tf.dispose([stacked, ...group.map((g) => g.sums)]);
    const points: BatchPoint[] = group.map((g, i) => {
      const lossSum = values[2 * i];
      const correct = values[2 * i + 1];
      epochLossSum += lossSum;
      epochCorrect += correct;
      return { epoch: g.epoch, batch: g.batch, step: g.step, loss: lossSum / g.size, accuracy: correct / g.size };
    });
    const seconds = (performance.now() - epochStart) / 1000;
    hooks.onBatches(points, seconds > 0 ? epochSamples / seconds : 0);
  };

  const result = (reason: FitResult['reason']): FitResult => {
    const seconds = (performance.now() - fitStart) / 1000;
    return {
      reason,
      epochsCompleted,
      seconds,
      samplesPerSecond: seconds > 0 ? samplesTrained / seconds : 0,
      trainAccuracy: epochSamples > 0 ? epochCorrect / epochSamples : 0,
    };
  };

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = nextOrder();
    epochStart = performance.now();
    epochSamples = 0;
    epochLossSum = 0;
    epochCorrect = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const from = b * batchSize;
      const n = Math.min(batchSize, train.count - from);
      let mode = hooks.beforeBatch?.() ?? 'train';
      if (typeof mode !== 'string') {
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
        const batch = stager.tensors(train, order, from, n);
        const inspected = inspectStep(batch, weights, optimizer, epsilon);
        tf.dispose([batch.x, batch.oneHot, batch.labels]);
        // The step's point is on the curves before its report arrives.
        const point = { epoch, batch: b, step, size: n, sums: inspected.before.clone() };
        await emit(coalescer.add(point) ?? coalescer.flush());
        const report = { epoch, batch: b, step, ...inspected };
        if (epochSample) await hooks.onEpochGradients?.(report);
        else await hooks.onStep?.(report);
        if (hooks.shouldStop()) return result('stopped');
        continue;
      }
      const sums = tf.tidy(() => trainStep(stager.tensors(train, order, from, n), weights, optimizer, epsilon));
      const group = coalescer.add({ epoch, batch: b, step, size: n, sums });
      if (group) {
        await emit(group);
        // Lets the child process receive `stop` and other requests while training.
        await yieldToEventLoop();
      }
      if (hooks.shouldStop()) {
        await emit(coalescer.flush());
        return result('stopped');
      }
    }
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
