// fastFit against tfjs-layers' own training on real MNIST: what the trainer tests of every
// backend share (the integration tests on wasm and cpu, test:native on TensorFlow).
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/trainer/backend';
import { buildModel, createOptimizer } from '../../src/trainer/model';
import { fastFit, type FitHooks, type FitOptions, type FitResult } from '../../src/trainer/fastFit';
import { epochOrders, type FitData } from '../../src/trainer/fitData';
import { startWorkerFromSources } from './sourceWorker';
import type { BackendName, BatchPoint, EpochMetrics, Optimizer } from '../../src/shared/protocol';

export function collectingHooks(stopAfterBatches = Infinity) {
  const points: BatchPoint[] = [];
  const epochs: EpochMetrics[] = [];
  const tensorsAtEpochEnd: number[] = [];
  let batchCalls = 0;
  const hooks: FitHooks = {
    onBatches: (p) => {
      batchCalls++;
      points.push(...p);
    },
    onEpochEnd: (m) => {
      epochs.push(m);
      tensorsAtEpochEnd.push(tf.memory().numTensors);
    },
    // shouldStop runs once after every batch.
    shouldStop: () => ++steps >= stopAfterBatches,
  };
  let steps = 0;
  return { hooks, points, epochs, tensorsAtEpochEnd, calls: () => batchCalls };
}

export async function weightsOf(model: tf.Sequential): Promise<Float32Array[]> {
  return Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
}

export function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let max = 0;
  a.forEach((values, k) => values.forEach((v, i) => (max = Math.max(max, Math.abs(v - b[k][i])))));
  return max;
}

/** The samples `idx` of `data` as trainOnBatch's inputs: images n × 784 and labels. */
export function batchTensors(data: FitData, idx: Uint32Array): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const x = tf.tensor2d(
    Float32Array.from({ length: idx.length * 784 }, (_, i) => data.images[idx[Math.floor(i / 784)] * 784 + (i % 784)]),
    [idx.length, 784],
  );
  return { x, y: tf.tensor1d(Float32Array.from(idx, (s) => data.labels[s])) };
}

/** fastFit stopped after 12 batches vs 12 trainOnBatch steps of the same order, model and optimizer. */
export async function compareWithTrainOnBatch(
  train: FitData,
  backend: BackendName,
  optimizer: Optimizer,
  options: Partial<FitOptions>,
  restore: BackendName = 'wasm',
): Promise<{ diff: number; result: FitResult }> {
  await selectBackend(backend);
  try {
    const batchSize = 128;
    const seed = 7;
    const fast = buildModel(64, 3);
    const c = collectingHooks(12);
    const result = await fastFit(
      fast,
      createOptimizer(optimizer, 0.001),
      train,
      null,
      { epochs: 2, batchSize, seed, ...options, startWorker: startWorkerFromSources },
      c.hooks,
    );
    assert.equal(result.reason, 'stopped');
    assert.equal(result.epochsCompleted, 0);

    const reference = buildModel(64, 3);
    reference.compile({
      optimizer: createOptimizer(optimizer, 0.001),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const order = epochOrders(train.count, seed)();
    const referenceLosses: number[] = [];
    for (let b = 0; b < 12; b++) {
      const idx = order.subarray(b * batchSize, (b + 1) * batchSize);
      const { x, y } = batchTensors(train, idx);
      const [loss] = (await reference.trainOnBatch(x, y)) as number[];
      referenceLosses.push(loss);
      tf.dispose([x, y]);
    }
    const diff = maxAbsDiff(await weightsOf(fast), await weightsOf(reference));
    assert.equal(c.points.length, 12);
    c.points.forEach((p, b) =>
      assert.ok(Math.abs(p.loss - referenceLosses[b]) < 1e-5, `batch ${b} loss ${p.loss} vs ${referenceLosses[b]}`),
    );
    fast.dispose();
    reference.dispose();
    return { diff, result };
  } finally {
    await selectBackend(restore);
  }
}
