// A 12 MP phone photo of a handwritten digit (4000×3000 JPEG, quality 90: a real MNIST test digit
// written large on paper lit from one side) predicted through the engine in a fresh process: warm
// time per prediction and the process's peak memory. Targets: ≤ 1 s warm, ≤ 300 MB peak. Measured
// twice: in a trainer that only loaded the model (wasm: native TensorFlow is never loaded to read a
// model), and in one that trained on native TensorFlow first (its library in the process).
import { describeFault } from '../src/shared/faults';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { mnistSample } from '../src/shared/mnist';
import { loadMnist } from '../src/trainer/mnistLoader';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent } from '../src/shared/protocol';
import { engineFromSources } from '../test/support/sourceWorker';
import { type Figure, summarize } from './measure';

const [WIDTH, HEIGHT] = [4000, 3000];

/** MNIST test digit 0, 1,400 pixels tall, dark on paper that darkens from left to right. */
function writePhotoJpeg(dir: string): string {
  const digit = mnistSample(loadMnist().test, 0);
  const side = 1400;
  const [left, top] = [1500, 800];
  const rgba = new Uint8Array(WIDTH * HEIGHT * 4);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const inside = x >= left && x < left + side && y >= top && y < top + side;
      const ink = inside
        ? digit[Math.floor(((y - top) * 28) / side) * 28 + Math.floor(((x - left) * 28) / side)] / 255
        : 0;
      const paper = 235 - 90 * (x / WIDTH) + ((x * 7 + y * 13) % 9);
      const v = paper * (1 - ink) + 20 * ink;
      rgba.set([v, v - 4, v - 15, 255], 4 * (y * WIDTH + x));
    }
  }
  const file = join(dir, 'photo-12mp.jpg');
  writeFileSync(file, jpeg.encode({ data: rgba, width: WIDTH, height: HEIGHT }, 90).data);
  return file;
}

export interface PhotoFigures {
  warmMs: Figure;
  peakMiB: Figure;
  /** The backends the probe's trainer said it used, in order (each process the same). */
  backends: string[];
}

/** `afterNativeRun`: a 1,280-digit run on native TensorFlow trains in the process before the model is loaded. */
export async function measurePhotoPrediction(
  processes: number,
  warmRuns: number,
  afterNativeRun = false,
): Promise<PhotoFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'tensor-lens-bench-photo-'));
  try {
    const file = writePhotoJpeg(dir);
    const modelDir = join(dir, 'model');
    let failure: string | null = null;
    const trainer = engineFromSources((event: TrainerEvent) => {
      if (event.type === 'error') failure = describeFault(event.fault);
    });
    await trainer.handle({
      type: 'start',
      config: { ...DEFAULT_TRAIN_CONFIG, backend: 'wasm', trainLimit: 1280, epochs: 1, stream: 'none', modelDir },
    });
    if (failure !== null) throw new Error(`training the bench model failed: ${failure}`);
    const warm: number[] = [];
    const peaks: number[] = [];
    let backends: string[] = [];
    for (let p = 0; p < processes; p++) {
      const out = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join('bench', 'photoPredictProbe.ts'),
          modelDir,
          file,
          String(warmRuns),
          ...(afterNativeRun ? ['afterNativeRun'] : []),
        ],
        { encoding: 'utf8' },
      );
      const probe = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
        warmMs?: number[];
        peakMiB?: number;
        backends?: string[];
        error?: string;
      };
      if (probe.warmMs === undefined || probe.peakMiB === undefined)
        throw new Error(`photo prediction failed: ${probe.error ?? out}`);
      warm.push(...probe.warmMs);
      peaks.push(probe.peakMiB);
      backends = probe.backends ?? [];
    }
    return { warmMs: summarize(warm), peakMiB: summarize(peaks), backends };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
