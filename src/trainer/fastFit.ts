// Trains the book's Dense(h, relu) → Dense(10, softmax) model with a hand-written forward and
// backward pass instead of model.fit. It computes what model.fit computes (sparse categorical
// cross-entropy with tfjs-layers' clipping, the same optimizer updates, a shuffle every epoch,
// Keras' sample-weighted epoch metrics) but routes around the wasm backend's slow transposed
// matMul (the weight gradient xᵀ·dz) by feeding a transposed copy of each batch.
// Two paths (steppers.ts): on wasm or native TensorFlow with RMSprop, Adam or SGD, the fused trainer
// (fused/: flat parameters, one SIMD update; on wasm optionally worker threads), which writes the
// weights into the model's variables at most every 100 ms, so whatever the host reads between
// batches is one consistent set; elsewhere (or with `update: 'optimizer'`) the model's own tfjs
// optimizer after every batch, with batch metrics read in coalesced groups. This file is the loop.
import * as tf from '@tensorflow/tfjs';
import { Coalescer, DEFAULT_COALESCE_INTERVAL_MS } from '../shared/coalesce';
import type { BatchPoint, EpochMetrics } from '../shared/protocol';
import { type DenseWeights, denseWeights } from './denseWeights';
import { type FitData, BatchStager, checkFitData, epochOrders } from './fitData';
import { type InspectedStep, inspectStep } from './inspectStep';
import { type BatchSums, type Stepper, type StepperOptions, type UpdatePath, startStepper } from './steppers';
import { evaluateData } from './validation';

export interface FitOptions extends StepperOptions {
  epochs: number;
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
  /** The path that ran and its threads. */
  update: UpdatePath;
  threads: number;
}

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

/** The loop's counts: over the whole fit, and the current epoch's (Keras' epoch metrics are sums over its samples). */
class FitTally {
  step = 0;
  samplesTrained = 0;
  epochsCompleted = 0;
  epochStart = 0;
  epochSamples = 0;
  epochLossSum = 0;
  epochCorrect = 0;

  startEpoch(): void {
    this.epochStart = performance.now();
    this.epochSamples = 0;
    this.epochLossSum = 0;
    this.epochCorrect = 0;
  }

  /** Counts a batch of n samples about to train; returns its step number. */
  countBatch(n: number): number {
    this.samplesTrained += n;
    this.epochSamples += n;
    return ++this.step;
  }

  /** Folds a batch's [loss sum, correct count] into the epoch's. */
  addSums(lossSum: number, correct: number): void {
    this.epochLossSum += lossSum;
    this.epochCorrect += correct;
  }

  /** Samples per second since the epoch started. */
  epochRate(): number {
    const seconds = (performance.now() - this.epochStart) / 1000;
    return seconds > 0 ? this.epochSamples / seconds : 0;
  }
}

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
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1))
    throw new Error(`fastFit: threads must be a positive integer, got ${options.threads}`);
  checkFitData(train, 'training data');
  if (validation) checkFitData(validation, 'validation data');
  const weights = denseWeights(model);
  // tfjs-layers clips probabilities with the backend's epsilon (1e-7 in float32).
  const epsilon = tf.backend().epsilon();
  const stepper = await startStepper(train, weights, optimizer, options, epsilon);
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
  const stager = new BatchStager(batchSize);

  clock?.lap('setup');
  const fitStart = performance.now();
  let lastSync = fitStart;
  const tally = new FitTally();

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
      tally.addSums(lossSum, correct);
      return { epoch: g.epoch, batch: g.batch, step: g.step, loss: lossSum / g.size, accuracy: correct / g.size };
    });
    hooks.onBatches(points, tally.epochRate());
    clock?.lap('metrics');
  };

  const result = (reason: FitResult['reason']): FitResult => {
    const seconds = (performance.now() - fitStart) / 1000;
    return {
      reason,
      epochsCompleted: tally.epochsCompleted,
      seconds,
      samplesPerSecond: seconds > 0 ? tally.samplesTrained / seconds : 0,
      update: stepper.update,
      threads: stepper.threads,
    };
  };

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = nextOrder();
    stepper.setOrder(order);
    tally.startEpoch();
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
      const step = tally.countBatch(n);
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
    const loopSeconds = (performance.now() - tally.epochStart) / 1000;
    const val = validation ? await evaluateData(validation, weights, epsilon) : null;
    tally.epochsCompleted = epoch;
    await hooks.onEpochEnd({
      epoch,
      epochs,
      loss: tally.epochLossSum / tally.epochSamples,
      accuracy: tally.epochCorrect / tally.epochSamples,
      valLoss: val ? val.loss : null,
      valAccuracy: val ? val.accuracy : null,
      seconds: (performance.now() - tally.epochStart) / 1000,
      samplesPerSecond: tally.epochSamples / loopSeconds,
    });
    if (hooks.shouldStop() && epoch < epochs) return result('stopped');
  }
  return result('completed');
}
