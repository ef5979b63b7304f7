// One-image prediction latency through the engine (PNG decode, preprocessing, forward pass,
// activation summaries): the first request of a fresh trainer process that has just loaded a
// saved model (cold), the first request on a freshly trained model, and the requests after (warm).
import { describeFault } from '../src/shared/faults';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { MNIST_SIDE, mnistSample } from '../src/shared/mnist';
import { loadMnist } from '../src/trainer/mnistLoader';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent } from '../src/shared/protocol';
import { engineFromSources } from '../test/support/sourceWorker';
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

export interface PredictionFigures {
  /** Fresh process: loading the saved model, then its first prediction. */
  coldLoad: Figure;
  coldProcess: Figure;
  firstOnNewModel: Figure;
  warm: Figure;
}

export async function measurePrediction(
  backend: 'wasm' | 'cpu',
  models: number,
  warmRuns: number,
): Promise<PredictionFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'tensor-lens-bench-'));
  try {
    const file = writeDigitPng(dir);
    const modelDir = join(dir, 'model');
    const first: number[] = [];
    const warm: number[] = [];
    for (let m = 0; m < models; m++) {
      let failure: string | null = null;
      const trainer = engineFromSources((event: TrainerEvent) => {
        if (event.type === 'error') failure = describeFault(event.fault);
      });
      await trainer.handle({
        type: 'start',
        config: { ...DEFAULT_TRAIN_CONFIG, backend, trainLimit: 1280, epochs: 1, stream: 'none', modelDir },
      });
      const predict = (requestId: number) => timeMs(() => trainer.handle({ type: 'predict', requestId, file }));
      first.push(await predict(0));
      for (let i = 1; i <= warmRuns; i++) warm.push(await predict(i));
      if (failure !== null) throw new Error(`prediction failed: ${failure}`);
    }
    const coldLoad: number[] = [];
    const coldProcess: number[] = [];
    for (let r = 0; r < models; r++) {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', join('bench', 'coldPredictProbe.ts'), modelDir, file],
        { encoding: 'utf8' },
      );
      const probe = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
        loadMs?: number;
        predictMs?: number;
        error?: string;
      };
      if (probe.loadMs === undefined || probe.predictMs === undefined)
        throw new Error(`cold prediction failed: ${probe.error ?? out}`);
      coldLoad.push(probe.loadMs);
      coldProcess.push(probe.predictMs);
    }
    return {
      coldLoad: summarize(coldLoad),
      coldProcess: summarize(coldProcess),
      firstOnNewModel: summarize(first),
      warm: summarize(warm),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
