// The fused trainer against the optimizer path (`update: 'optimizer'`: the tfjs optimizer after every batch) and an
// unchanged model.fit, interleaved run by run on one backend: with one thread and with worker
// threads. Rates are training-loop rates (samples / time inside the epochs: what the trainer
// reports per epoch); starting the worker threads is measured separately.
import { availableParallelism } from 'node:os';
import { fastFit, type FitOptions } from '../src/trainer/fastFit';
import type { FitData } from '../src/trainer/fitData';
import { buildModel, createOptimizer } from '../src/trainer/model';
import { type Figure, summarize } from './measure';
import { BOOK, naiveFitRate } from './training';
import { startWorkerFromSources } from '../test/support/sourceWorker';

/** CPU seconds of this process, all its threads (the workers') included. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

export type Variant = { label: string; options: Partial<FitOptions> };

/** Loop rate (samples/s) of one fastFit over `data` for `epochs`, and the seconds before its first batch. */
export async function loopRate(
  data: FitData,
  epochs: number,
  options: Partial<FitOptions>,
): Promise<{ rate: number; cpuRate: number; startSeconds: number; threads: number; update: string }> {
  const model = buildModel(BOOK.hiddenUnits, BOOK.seed);
  const optimizer = createOptimizer('rmsprop', BOOK.learningRate);
  let loopSeconds = 0;
  let loopCpuSeconds = 0;
  let epochCpu = cpuSeconds();
  let firstBatch = 0;
  const started = performance.now();
  const result = await fastFit(
    model,
    optimizer,
    data,
    null,
    { epochs, batchSize: BOOK.batchSize, seed: BOOK.seed, ...options, startWorker: startWorkerFromSources },
    {
      onBatches: () => {
        if (firstBatch === 0) {
          firstBatch = performance.now();
          epochCpu = cpuSeconds();
        }
      },
      onEpochEnd: (m) => {
        loopSeconds += data.count / m.samplesPerSecond;
        loopCpuSeconds += cpuSeconds() - epochCpu;
        epochCpu = cpuSeconds();
      },
      shouldStop: () => false,
    },
  );
  model.dispose();
  optimizer.dispose();
  return {
    rate: (data.count * epochs) / loopSeconds,
    cpuRate: (data.count * epochs) / loopCpuSeconds,
    startSeconds: (firstBatch - started) / 1000,
    threads: result.threads,
    update: result.update,
  };
}

export interface TrainerSpeedFigures {
  samples: number;
  epochs: number;
  threads: number;
  rates: Record<string, Figure>;
  ratios: Record<string, Figure>;
  /** Samples per CPU-second (all threads): steady while other processes load the machine. */
  cpuRates: Record<string, Figure>;
  cpuRatios: Record<string, Figure>;
  workerStartSeconds: Figure;
}

export const ALL_THREADS = Math.max(2, Math.min(availableParallelism(), 8));

export async function compareTrainers(
  data: FitData,
  naiveData: FitData,
  epochs: number,
  runs: number,
): Promise<TrainerSpeedFigures> {
  const variants: Variant[] = [
    { label: 'today (tfjs optimizer)', options: { update: 'optimizer' } },
    { label: 'fused, 1 thread', options: { threads: 1 } },
    { label: `fused, ${ALL_THREADS} threads`, options: { threads: ALL_THREADS } },
  ];
  const rates: Record<string, number[]> = { 'model.fit': [] };
  const cpuRates: Record<string, number[]> = { 'model.fit': [] };
  for (const v of variants) {
    rates[v.label] = [];
    cpuRates[v.label] = [];
  }
  const starts: number[] = [];
  for (const v of variants) await loopRate(data, 1, v.options);
  await naiveFitRate(naiveData);
  for (let i = 0; i < runs; i++) {
    // Rotating the order spreads slow drifts of the machine's load over all variants.
    const order = variants.map((_, k) => variants[(k + i) % variants.length]);
    for (const v of order) {
      const r = await loopRate(data, epochs, v.options);
      rates[v.label].push(r.rate);
      cpuRates[v.label].push(r.cpuRate);
      if (r.threads > 1) starts.push(r.startSeconds);
    }
    const naive = await naiveFitRate(naiveData);
    rates['model.fit'].push(naive.wall);
    cpuRates['model.fit'].push(naive.cpu);
  }
  const [today, one, all] = variants.map((v) => rates[v.label]);
  const ratio = (a: number[], b: number[]) => summarize(a.map((x, i) => x / b[i]));
  return {
    samples: data.count,
    epochs,
    threads: ALL_THREADS,
    rates: Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, summarize(v)])),
    ratios: {
      'fused 1 thread / today': ratio(one, today),
      'fused 1 thread / model.fit': ratio(one, rates['model.fit']),
      [`fused ${ALL_THREADS} threads / fused 1 thread`]: ratio(all, one),
      [`fused ${ALL_THREADS} threads / today`]: ratio(all, today),
    },
    cpuRates: Object.fromEntries(Object.entries(cpuRates).map(([k, v]) => [k, summarize(v)])),
    cpuRatios: {
      'fused 1 thread / today, CPU time': ratio(cpuRates[variants[1].label], cpuRates[variants[0].label]),
      'fused 1 thread / model.fit, CPU time': ratio(cpuRates[variants[1].label], cpuRates['model.fit']),
    },
    workerStartSeconds: summarize(starts),
  };
}
