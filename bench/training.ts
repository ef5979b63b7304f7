// Training throughput: fastFit against an unchanged model.fit of the same model, optimizer and
// data on the same backend, interleaved run by run so machine noise hits both alike.
import * as tf from '@tensorflow/tfjs';
import { fastFit, type FitData, type FitHooks } from '../src/trainer/fastFit';
import { buildModel, createOptimizer } from '../src/trainer/model';
import { type Figure, repeat, summarize, timeMs } from './measure';

export const BOOK = { hiddenUnits: 512, batchSize: 128, learningRate: 0.001, seed: 42 };

const silentHooks: FitHooks = { onBatches: () => undefined, onEpochEnd: () => undefined, shouldStop: () => false };

/** Samples per second of one fastFit epoch over `data`, everything the hooks do included. */
export async function fastFitRate(data: FitData, hooks: FitHooks = silentHooks): Promise<number> {
  const model = buildModel(BOOK.hiddenUnits, BOOK.seed);
  const optimizer = createOptimizer('rmsprop', BOOK.learningRate);
  const result = await fastFit(model, optimizer, data, null, { epochs: 1, batchSize: BOOK.batchSize, seed: BOOK.seed }, hooks);
  model.dispose();
  optimizer.dispose();
  return result.samplesPerSecond;
}

/** Samples per second of one unchanged `model.fit` epoch over `data` (tensors made before timing). */
export async function naiveFitRate(data: FitData): Promise<number> {
  const model = buildModel(BOOK.hiddenUnits, BOOK.seed);
  const optimizer = createOptimizer('rmsprop', BOOK.learningRate);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor2d(data.images, [data.count, 784]);
  const y = tf.tensor1d(Float32Array.from(data.labels));
  const ms = await timeMs(() => model.fit(x, y, { epochs: 1, batchSize: BOOK.batchSize, shuffle: true, verbose: 0 }));
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  return data.count / (ms / 1000);
}

export interface ThroughputFigures {
  samples: number;
  fastFit: Figure;
  naiveFit: Figure;
  ratio: Figure;
}

/** fastFit vs model.fit, `runs` interleaved pairs after one warm-up of each. */
export async function compareThroughput(data: FitData, runs: number): Promise<ThroughputFigures> {
  await fastFitRate(data);
  await naiveFitRate(data);
  const fast: number[] = [];
  const naive: number[] = [];
  for (let i = 0; i < runs; i++) {
    fast.push(await fastFitRate(data));
    naive.push(await naiveFitRate(data));
  }
  return { samples: data.count, fastFit: summarize(fast), naiveFit: summarize(naive), ratio: summarize(fast.map((f, i) => f / naive[i])) };
}

export { repeat };
