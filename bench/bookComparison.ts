// The book's configuration end to end (5 epochs × 60,000 samples, batch 128, rmsprop): Tensor Lens's
// trainer (fastFit) on wasm and on native TensorFlow next to the book's own engine, Keras, with default
// threads and with one. Runs are interleaved round by round and every speed is also given as a ratio
// to the wasm run of the same round, because absolute speeds on a shared machine follow its load.
import * as tf from '@tensorflow/tfjs';
import type { MnistData } from '../src/shared/mnist';
import { BackendUnavailableError, selectBackend } from '../src/trainer/backend';
import { fastFit, toFitData } from '../src/trainer/fastFit';
import { buildModel, createOptimizer } from '../src/trainer/model';
import { type KerasThreads, referencePython, runKeras } from './keras';
import { type Figure, summarize } from './measure';
import { BOOK, silentHooks } from './training';

export const BOOK_EPOCHS = 5;

export interface EngineFigures {
  samplesPerSecond: Figure;
  /** This engine's samples/s over the wasm trainer's in the same round. */
  ratioToWasm: Figure;
  testAccuracy: Figure;
}

export interface BookComparison {
  engines: Record<string, EngineFigures>;
  /** One line per engine that could not run here. */
  skipped: string[];
}

interface RoundResult {
  samplesPerSecond: number;
  testAccuracy: number;
}

/** fastFit for BOOK_EPOCHS on `backend`, then the test accuracy. */
async function fastFitRun(mnist: MnistData, backend: 'wasm' | 'tensorflow'): Promise<RoundResult> {
  await selectBackend(backend);
  const train = toFitData(mnist.train.images, mnist.train.labels, 0, mnist.train.count);
  const model = buildModel(BOOK.hiddenUnits, BOOK.seed);
  const optimizer = createOptimizer('rmsprop', BOOK.learningRate);
  const fit = await fastFit(
    model,
    optimizer,
    train,
    null,
    { epochs: BOOK_EPOCHS, batchSize: BOOK.batchSize, seed: BOOK.seed },
    silentHooks,
  );
  const test = toFitData(mnist.test.images, mnist.test.labels, 0, mnist.test.count);
  const predicted = tf.tidy(() => (model.predict(tf.tensor2d(test.images, [test.count, 784])) as tf.Tensor).argMax(-1));
  const answers = await predicted.data();
  predicted.dispose();
  model.dispose();
  optimizer.dispose();
  const right = test.labels.reduce((n, label, i) => n + (answers[i] === label ? 1 : 0), 0);
  return { samplesPerSecond: fit.samplesPerSecond, testAccuracy: right / test.count };
}

/** `rounds` interleaved rounds of every engine available here. */
export async function compareWithBook(mnist: MnistData, rounds: number): Promise<BookComparison> {
  const skipped: string[] = [];
  const engines: { name: string; run: () => Promise<RoundResult> }[] = [
    { name: 'fastFit (wasm)', run: () => fastFitRun(mnist, 'wasm') },
  ];
  try {
    await selectBackend('tensorflow');
    engines.push({ name: 'fastFit (tensorflow)', run: () => fastFitRun(mnist, 'tensorflow') });
  } catch (e) {
    if (!(e instanceof BackendUnavailableError)) throw e;
    skipped.push(e.message);
  }
  const reference = referencePython();
  if ('python' in reference) {
    for (const threads of ['default', 1] as KerasThreads[]) {
      engines.push({
        name: `Keras (${threads === 'default' ? 'default threads' : '1 thread'})`,
        run: async () => runKeras(reference.python, mnist.source, threads, BOOK_EPOCHS),
      });
    }
  } else {
    skipped.push(reference.missing);
  }

  const results = new Map<string, RoundResult[]>(engines.map((e) => [e.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const engine of engines) results.get(engine.name)?.push(await engine.run());
  }
  const wasm = results.get('fastFit (wasm)') ?? [];
  const figures: Record<string, EngineFigures> = {};
  for (const [name, runs] of results) {
    figures[name] = {
      samplesPerSecond: summarize(runs.map((r) => r.samplesPerSecond)),
      ratioToWasm: summarize(runs.map((r, i) => r.samplesPerSecond / wasm[i].samplesPerSecond)),
      testAccuracy: summarize(runs.map((r) => r.testAccuracy)),
    };
  }
  return { engines: figures, skipped };
}
