// Does the editor stay responsive while the trainer's threads run? A host like the extension's
// (this process) forks dist/trainer.js, receives everything it streams, and measures its own
// event-loop delay during the run, and how long a tensor request takes to be answered mid-run.
import { describeFault } from '../src/shared/faults';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as path from 'node:path';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent } from '../src/shared/protocol';
import { TrainerClient } from '../src/extension/trainerClient';
import { type Figure, summarize } from './measure';

/** The same host's event-loop delay over `ms` with no training: what the machine's load alone costs. */
export async function idleDelay(ms: number): Promise<{ p99: number; max: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  await new Promise((r) => setTimeout(r, ms));
  histogram.disable();
  return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
}

export interface HostFigures {
  /** The host's event-loop delay while training (ms): 99th percentile and worst. */
  delayP99: Figure;
  delayMax: Figure;
  /** A getTensor request sent mid-run, until its answer (ms). */
  tensorAnswer: Figure;
  samplesPerSecond: Figure;
}

async function onceRun(
  client: TrainerClient,
  events: TrainerEvent[],
  workers: number,
  trainLimit: number,
  epochs: number,
) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  events.length = 0;
  const ended = new Promise<Extract<TrainerEvent, { type: 'trainEnd' }>>((resolve, reject) => {
    const check = setInterval(() => {
      const failure = events.find((e) => e.type === 'error');
      const end = events.find((e) => e.type === 'trainEnd');
      if (failure || end) clearInterval(check);
      if (failure && failure.type === 'error') reject(new Error(describeFault(failure.fault)));
      else if (end && end.type === 'trainEnd') resolve(end);
    }, 5);
  });
  client.notify({
    type: 'start',
    config: { ...DEFAULT_TRAIN_CONFIG, backend: 'wasm', workers, trainLimit, epochs, stream: 'all' },
  });
  histogram.enable();
  // Asked once training runs (not while it loads its data and threads), a while after its first batches.
  while (!events.some((e) => e.type === 'batches')) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 500));
  const asked = performance.now();
  await client.request<'getTensor'>({ type: 'getTensor', name: 'dense/kernel' }, 30_000);
  const answer = performance.now() - asked;
  const end = await ended;
  histogram.disable();
  return {
    p99: histogram.percentile(99) / 1e6,
    max: histogram.max / 1e6,
    answer,
    rate: end.samplesPerSecond,
  };
}

/** For each thread count, `runs` interleaved runs of `epochs` × `trainLimit` samples in one trainer process. */
export async function measureHost(
  threadCounts: number[],
  trainLimit: number,
  epochs: number,
  runs: number,
): Promise<Record<number, HostFigures>> {
  const events: TrainerEvent[] = [];
  let exit: string | null = null;
  const client = await TrainerClient.start({
    scriptPath: path.resolve('dist/trainer.js'),
    launch: { execPath: process.execPath, env: { ...process.env } },
    onEvent: (e) => events.push(e),
    onExit: (info) => (exit = describeFault(info.fault)),
  });
  try {
    const results: Record<number, Awaited<ReturnType<typeof onceRun>>[]> = {};
    for (const t of threadCounts) results[t] = [];
    await onceRun(client, events, threadCounts[0], trainLimit, 1);
    for (let i = 0; i < runs; i++) {
      for (const t of i % 2 ? [...threadCounts].reverse() : threadCounts) {
        results[t].push(await onceRun(client, events, t, trainLimit, epochs));
      }
    }
    return Object.fromEntries(
      threadCounts.map((t) => [
        t,
        {
          delayP99: summarize(results[t].map((r) => r.p99)),
          delayMax: summarize(results[t].map((r) => r.max)),
          tensorAnswer: summarize(results[t].map((r) => r.answer)),
          samplesPerSecond: summarize(results[t].map((r) => r.rate)),
        },
      ]),
    );
  } finally {
    await client.dispose();
    if (exit !== null && !/dispose|shutdown/i.test(exit)) console.log(`  trainer: ${exit}`);
  }
}
