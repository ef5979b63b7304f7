// The book's configuration end to end (5 epochs × 60,000 samples, batch 128, rmsprop): Tensor Lens's
// trainer (fastFit) on wasm and on native TensorFlow, and the CLI as a user runs it (its defaults:
// the fastest backend installed, `--workers auto`, everything streamed), next to the book's own
// engine, Keras, with default threads and with one. Runs are interleaved round by round and every
// speed is also given as a ratio to the wasm run and to Keras' of the same round, because absolute
// speeds on a shared machine follow its load.
import * as tf from '@tensorflow/tfjs';
import { countOf } from '../src/shared/format';
import type { MnistData } from '../src/shared/mnist';
import { selectBackend } from '../src/trainer/backend';
import { fastFit } from '../src/trainer/fastFit';
import { toFitData } from '../src/trainer/fitData';
import { buildModel, createOptimizer } from '../src/trainer/model';
import { cliTrain } from './cliTrain';
import { type KerasThreads, referencePython, runKeras } from './keras';
import { type Figure, summarize } from './measure';
import { BOOK, silentHooks } from './training';

export const BOOK_EPOCHS = 5;
/** The row of `node dist/cli.js train` with no flags: the fastest backend installed, `--workers auto`, all streamed. */
export const CLI_DEFAULT = 'CLI default (train, streaming all)';
const KERAS_DEFAULT = 'Keras (default threads)';
const KERAS_ONE = 'Keras (1 thread)';

export interface EngineFigures {
  samplesPerSecond: Figure;
  /** This engine's samples/s over the wasm trainer's in the same round. */
  ratioToWasm: Figure;
  /** Over Keras' (default threads, then one thread) in the same round, when Keras ran. */
  ratioToKeras: Figure | null;
  ratioToKerasOneThread: Figure | null;
  testAccuracy: Figure;
  /** What the CLI reported running on, e.g. "tensorflow, 1 thread" (CLI rows only). */
  ranOn?: string;
}

export interface BookComparison {
  engines: Record<string, EngineFigures>;
  /** One line per engine that could not run here. */
  skipped: string[];
}

interface RoundResult {
  samplesPerSecond: number;
  testAccuracy: number;
  ranOn?: string;
}

/** The CLI's book run as a user starts it, plus `flags`. */
async function cliRun(mnist: MnistData, flags: string[]): Promise<RoundResult> {
  const lines = await cliTrain(['--data', mnist.source, ...flags]);
  const start = lines.find((l) => l.event === 'trainStart');
  const done = lines.find((l) => l.event === 'done');
  if (!start || !done) throw new Error('cli train printed no trainStart or done line');
  const threads = start.threads as number;
  return {
    samplesPerSecond: done.samplesPerSecond as number,
    testAccuracy: done.testAccuracy as number,
    ranOn: `${String(done.backend)}, ${countOf(threads, 'thread')}`,
  };
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

/** `rounds` interleaved rounds of every engine available here; `native`: tfjs-node is installed. */
export async function compareWithBook(mnist: MnistData, rounds: number, native: boolean): Promise<BookComparison> {
  const skipped: string[] = [];
  const engines: { name: string; run: () => Promise<RoundResult> }[] = [
    { name: 'fastFit (wasm)', run: () => fastFitRun(mnist, 'wasm') },
  ];
  if (native) engines.push({ name: 'fastFit (tensorflow)', run: () => fastFitRun(mnist, 'tensorflow') });
  // The CLI's own defaults; and on wasm, what a plain `npm ci` (no tfjs-node) gives, when they differ.
  engines.push({ name: CLI_DEFAULT, run: async () => cliRun(mnist, []) });
  if (native)
    engines.push({ name: `${CLI_DEFAULT}, --backend wasm`, run: async () => cliRun(mnist, ['--backend', 'wasm']) });
  const reference = referencePython();
  if ('python' in reference) {
    for (const threads of ['default', 1] as KerasThreads[]) {
      engines.push({
        name: threads === 'default' ? KERAS_DEFAULT : KERAS_ONE,
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
  const ratioTo = (runs: RoundResult[], base: RoundResult[] | undefined) =>
    base ? summarize(runs.map((r, i) => r.samplesPerSecond / base[i].samplesPerSecond)) : null;
  const figures: Record<string, EngineFigures> = {};
  for (const [name, runs] of results) {
    figures[name] = {
      samplesPerSecond: summarize(runs.map((r) => r.samplesPerSecond)),
      ratioToWasm: summarize(runs.map((r, i) => r.samplesPerSecond / wasm[i].samplesPerSecond)),
      ratioToKeras: ratioTo(runs, results.get(KERAS_DEFAULT)),
      ratioToKerasOneThread: ratioTo(runs, results.get(KERAS_ONE)),
      testAccuracy: summarize(runs.map((r) => r.testAccuracy)),
      ranOn: runs[0].ranOn,
    };
  }
  return { engines: figures, skipped };
}
