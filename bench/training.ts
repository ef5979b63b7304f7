// Training throughput: fastFit against an unchanged model.fit of the same model, optimizer and
// data on the same backend, interleaved run by run so machine noise hits both alike. Each run is
// measured in wall time and in this process' CPU time: training is single-threaded, so samples per
// CPU-second stay put while other processes load the machine, and wall time does not.
import * as tf from '@tensorflow/tfjs';
import { fastFit, type FitHooks } from '../src/trainer/fastFit';
import type { FitData } from '../src/trainer/fitData';
import { buildModel, createOptimizer } from '../src/trainer/model';
import { type Figure, summarize } from './measure';

export const BOOK = { hiddenUnits: 512, batchSize: 128, learningRate: 0.001, seed: 42 };

export const silentHooks: FitHooks = {
  onBatches: () => undefined,
  onEpochEnd: () => undefined,
  shouldStop: () => false,
};

export interface Rate {
  /** Samples per wall-clock second. */
  wall: number;
  /** Samples per CPU-second of this process. */
  cpu: number;
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

async function rateOf(samples: number, work: () => Promise<unknown>): Promise<Rate> {
  const wall = performance.now();
  const cpu = cpuSeconds();
  await work();
  return { wall: samples / ((performance.now() - wall) / 1000), cpu: samples / (cpuSeconds() - cpu) };
}

/** One fastFit epoch over `data`, everything the hooks do included. */
export async function fastFitRate(data: FitData, hooks: FitHooks = silentHooks): Promise<Rate> {
  const model = buildModel(BOOK.hiddenUnits, BOOK.seed);
  const optimizer = createOptimizer('rmsprop', BOOK.learningRate);
  const rate = await rateOf(data.count, () =>
    fastFit(model, optimizer, data, null, { epochs: 1, batchSize: BOOK.batchSize, seed: BOOK.seed }, hooks),
  );
  model.dispose();
  optimizer.dispose();
  return rate;
}

/** One unchanged `model.fit` epoch over `data` (its tensors made before timing). */
export async function naiveFitRate(data: FitData): Promise<Rate> {
  const model = buildModel(BOOK.hiddenUnits, BOOK.seed);
  const optimizer = createOptimizer('rmsprop', BOOK.learningRate);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor2d(data.images, [data.count, 784]);
  const y = tf.tensor1d(Float32Array.from(data.labels));
  const rate = await rateOf(data.count, () =>
    model.fit(x, y, { epochs: 1, batchSize: BOOK.batchSize, shuffle: true, verbose: 0 }),
  );
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  return rate;
}

export interface ThroughputFigures {
  fastSamples: number;
  naiveSamples: number;
  fastFit: Figure;
  naiveFit: Figure;
  ratio: Figure;
  fastFitCpu: Figure;
  naiveFitCpu: Figure;
  cpuRatio: Figure;
}

/** fastFit vs model.fit, `runs` interleaved pairs after one warm-up of each (model.fit may use fewer samples: it is slow). */
export async function compareThroughput(
  fastData: FitData,
  naiveData: FitData,
  runs: number,
): Promise<ThroughputFigures> {
  await fastFitRate(fastData);
  await naiveFitRate(naiveData);
  const fast: Rate[] = [];
  const naive: Rate[] = [];
  for (let i = 0; i < runs; i++) {
    fast.push(await fastFitRate(fastData));
    naive.push(await naiveFitRate(naiveData));
  }
  return {
    fastSamples: fastData.count,
    naiveSamples: naiveData.count,
    fastFit: summarize(fast.map((r) => r.wall)),
    naiveFit: summarize(naive.map((r) => r.wall)),
    ratio: summarize(fast.map((r, i) => r.wall / naive[i].wall)),
    fastFitCpu: summarize(fast.map((r) => r.cpu)),
    naiveFitCpu: summarize(naive.map((r) => r.cpu)),
    cpuRatio: summarize(fast.map((r, i) => r.cpu / naive[i].cpu)),
  };
}
