// Predicts one photo in a fresh trainer process: load a saved model, predict the file once
// (cold), then `warmRuns` more times. Prints one JSON line: { warmMs: number[], peakMiB } where
// peakMiB is the process's peak resident memory (getrusage maxrss), model and runtime included.
// Usage: node --import tsx bench/photoPredictProbe.ts <modelDir> <jpeg> <warmRuns>
import { describeFault } from '../src/shared/faults';
import type { TrainerEvent } from '../src/shared/protocol';
import { Engine } from '../src/trainer/engine';
import { timeMs } from './measure';

async function main(): Promise<void> {
  const [modelDir, file, runs] = process.argv.slice(2);
  let failure: string | null = null;
  const trainer = new Engine((event: TrainerEvent) => {
    if (event.type === 'error') failure = describeFault(event.fault);
  });
  await trainer.handle({ type: 'load', requestId: 1, modelDir });
  const warmMs: number[] = [];
  for (let i = 0; i <= Number(runs); i++) {
    const ms = await timeMs(() => trainer.handle({ type: 'predict', requestId: 2 + i, file }));
    if (i > 0) warmMs.push(ms);
  }
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(failure === null ? { warmMs, peakMiB } : { error: failure }) + '\n');
}

void main();
