// The first prediction of a fresh trainer process: load a saved model, then predict one PNG, on
// wasm kernels that have never run in this process. Prints one JSON line: { loadMs, predictMs }.
// Usage: node --import tsx bench/coldPredictProbe.ts <modelDir> <png>
import { describeFault } from '../src/shared/faults';
import type { TrainerEvent } from '../src/shared/protocol';
import { Engine } from '../src/trainer/engine';
import { timeMs } from './measure';

async function main(): Promise<void> {
  const [modelDir, file] = process.argv.slice(2);
  let failure: string | null = null;
  const trainer = new Engine((event: TrainerEvent) => {
    if (event.type === 'error') failure = describeFault(event.fault);
  });
  const loadMs = await timeMs(() => trainer.handle({ type: 'load', requestId: 1, modelDir }));
  const predictMs = await timeMs(() => trainer.handle({ type: 'predict', requestId: 2, file }));
  process.stdout.write(JSON.stringify(failure === null ? { loadMs, predictMs } : { error: failure }) + '\n');
}

void main();
