// The cost of live visualization: the engine's real training run streaming everything the UI
// shows (coalesced batch points, weight stats and histograms every epoch) against the same run
// streaming nothing. Events are serialized as the child process' IPC does (v8, 'advanced').
// Each run is timed from its trainStart event to its trainEnd event (the epoch-0 weight snapshot
// included), in wall time and in this process' CPU time: training is single-threaded, so CPU time
// per sample is the figure that stays put while other processes load the machine.
import { describeFault } from '../src/shared/faults';
import { serialize } from 'node:v8';
import { DEFAULT_TRAIN_CONFIG, type StreamLevel, type TrainConfig, type TrainerEvent } from '../src/shared/protocol';
import { engineFromSources } from '../test/support/sourceWorker';
import { summarizeTensor } from '../src/shared/stats';
import { buildModel, namedWeights } from '../src/trainer/model';
import { type Figure, repeat, summarize, timeMs } from './measure';

export interface StreamingFigures {
  samples: number;
  epochs: number;
  all: Figure;
  none: Figure;
  /** all / none samples per second: 1 = free, 0.95 = 5 % slower. */
  ratio: Figure;
  /** none / all CPU time per sample: the same ratio measured in CPU time. */
  cpuRatio: Figure;
  eventsPerRun: number;
}

interface RunCost {
  samplesPerSecond: number;
  cpuSeconds: number;
  events: number;
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Runs one engine training and returns what its training part cost and how many events it sent. */
async function trainOnce(config: TrainConfig): Promise<RunCost> {
  let start = { wall: 0, cpu: 0 };
  let cost: RunCost | null = null;
  let events = 0;
  let failure: string | null = null;
  const trainer = engineFromSources((event: TrainerEvent) => {
    serialize(event);
    events++;
    if (event.type === 'trainStart') start = { wall: performance.now(), cpu: cpuSeconds() };
    if (event.type === 'trainEnd') {
      const samples = (config.trainLimit ?? 60_000) * event.epochsCompleted;
      cost = {
        samplesPerSecond: samples / ((performance.now() - start.wall) / 1000),
        cpuSeconds: cpuSeconds() - start.cpu,
        events,
      };
    }
    if (event.type === 'error') failure = describeFault(event.fault);
  });
  await trainer.handle({ type: 'start', config });
  if (failure !== null || cost === null) throw new Error(`training failed: ${failure}`);
  return cost;
}

export async function compareStreaming(
  backend: 'wasm' | 'cpu',
  trainLimit: number,
  epochs: number,
  runs: number,
): Promise<StreamingFigures> {
  const config = (stream: StreamLevel): TrainConfig => ({
    ...DEFAULT_TRAIN_CONFIG,
    backend,
    trainLimit,
    epochs,
    stream,
  });
  await trainOnce(config('none'));
  const all: RunCost[] = [];
  const none: RunCost[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternating which goes first spreads slow drifts of the machine's load over both.
    if (i % 2 === 0) all.push(await trainOnce(config('all')));
    none.push(await trainOnce(config('none')));
    if (i % 2 === 1) all.push(await trainOnce(config('all')));
  }
  return {
    samples: trainLimit,
    epochs,
    all: summarize(all.map((r) => r.samplesPerSecond)),
    none: summarize(none.map((r) => r.samplesPerSecond)),
    ratio: summarize(all.map((r, i) => r.samplesPerSecond / none[i].samplesPerSecond)),
    cpuRatio: summarize(all.map((r, i) => none[i].cpuSeconds / r.cpuSeconds)),
    eventsPerRun: all[0].events,
  };
}

/** What streaming adds once per epoch: reading every weight and summarizing it (stats + histogram). */
export async function weightSummaryMs(runs: number): Promise<Figure> {
  const model = buildModel(512, 42);
  try {
    return await repeat(
      runs,
      () =>
        timeMs(async () => {
          for (const { name, variable } of namedWeights(model)) {
            summarizeTensor(name, variable.shape as number[], 'float32', await variable.read().data());
          }
        }),
      1,
    );
  } finally {
    model.dispose();
  }
}
