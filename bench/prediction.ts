// One-image prediction latency through the engine (PNG decode, preprocessing, forward pass,
// activation summaries): the first request on a freshly trained model (cold) and the ones after.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { loadMnist, MNIST_SIDE, mnistSample } from '../src/shared/mnistFiles';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent } from '../src/shared/protocol';
import { Trainer } from '../src/trainer/engine';
import { type Figure, summarize, timeMs } from './measure';

/** A real test digit as a grayscale PNG, the kind of file a user predicts on. */
function writeDigitPng(dir: string): string {
  const pixels = mnistSample(loadMnist().test, 0);
  const png = new PNG({ width: MNIST_SIDE, height: MNIST_SIDE });
  pixels.forEach((v, i) => png.data.set([v, v, v, 255], i * 4));
  const file = join(dir, 'digit.png');
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

export async function measurePrediction(backend: 'wasm' | 'cpu', models: number, warmRuns: number): Promise<{ cold: Figure; warm: Figure }> {
  const dir = mkdtempSync(join(tmpdir(), 'tensor-lens-bench-'));
  try {
    const file = writeDigitPng(dir);
    const cold: number[] = [];
    const warm: number[] = [];
    for (let m = 0; m < models; m++) {
      let failure: string | null = null;
      const trainer = new Trainer((event: TrainerEvent) => {
        if (event.type === 'error') failure = event.message;
      });
      await trainer.handle({ type: 'start', config: { ...DEFAULT_TRAIN_CONFIG, backend, trainLimit: 1280, epochs: 1, stream: 'none' } });
      const predict = (requestId: number) => timeMs(() => trainer.handle({ type: 'predict', requestId, file }));
      cold.push(await predict(0));
      for (let i = 1; i <= warmRuns; i++) warm.push(await predict(i));
      if (failure !== null) throw new Error(`prediction failed: ${failure}`);
    }
    return { cold: summarize(cold), warm: summarize(warm) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
