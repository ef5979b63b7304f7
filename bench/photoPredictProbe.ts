// Predicts one photo in a fresh trainer process: load a saved model, predict the file once
// (cold), then `warmRuns` more times. Prints one JSON line: { warmMs: number[], peakMiB } where
// peakMiB is the process's peak resident memory (getrusage maxrss), model and runtime included.
// With `afterNativeRun`, a short run on native TensorFlow trains first, as in a trainer that trained
// on it: its library is then in the process, and the prediction runs on it.
// Usage: node --import tsx bench/photoPredictProbe.ts <modelDir> <jpeg> <warmRuns> [afterNativeRun]
import { describeFault } from '../src/shared/faults';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent } from '../src/shared/protocol';
import { Engine } from '../src/trainer/engine';
import { timeMs } from './measure';

async function main(): Promise<void> {
  const [modelDir, file, runs, after] = process.argv.slice(2);
  let failure: string | null = null;
  const backends: string[] = [];
  const trainer = new Engine((event: TrainerEvent) => {
    if (event.type === 'error') failure = describeFault(event.fault);
    if (event.type === 'backend') backends.push(event.backend);
  });
  if (after === 'afterNativeRun') {
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      backend: 'tensorflow',
      epochs: 1,
      trainLimit: 1280,
      stream: 'none',
    } as const;
    await trainer.handle({ type: 'start', config });
  }
  await trainer.handle({ type: 'load', requestId: 1, modelDir });
  const warmMs: number[] = [];
  for (let i = 0; i <= Number(runs); i++) {
    const ms = await timeMs(() => trainer.handle({ type: 'predict', requestId: 2 + i, file }));
    if (i > 0) warmMs.push(ms);
  }
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(failure === null ? { warmMs, peakMiB, backends } : { error: failure }) + '\n');
}

void main();
