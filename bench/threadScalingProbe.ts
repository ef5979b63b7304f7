// One trainer process for bench/threadScaling.ts: the book's model trained with the fused trainer
// on wasm over the first `samples` MNIST digits for `epochs` epochs with `workers` threads. Prints
// `ready` once MNIST and the backend are loaded, starts on a line from stdin (so several probes can
// start together), then prints one JSON line: { epochRates } (training-loop samples/s per epoch).
// Usage: node --import tsx bench/threadScalingProbe.ts <workers> <epochs> <samples>
import { createInterface } from 'node:readline';
import { selectBackend } from '../src/trainer/backend';
import { fastFit, toFitData } from '../src/trainer/fastFit';
import { loadMnist } from '../src/trainer/mnistLoader';
import { buildModel, createOptimizer } from '../src/trainer/model';
import { BOOK } from './training';

async function main(): Promise<void> {
  const [workers, epochs, samples] = process.argv.slice(2).map(Number);
  await selectBackend('wasm');
  const mnist = loadMnist();
  const data = toFitData(mnist.train.images, mnist.train.labels, 0, samples);
  const model = buildModel(BOOK.hiddenUnits, BOOK.seed);
  const optimizer = createOptimizer('rmsprop', BOOK.learningRate);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));
  const epochRates: number[] = [];
  await fastFit(
    model,
    optimizer,
    data,
    null,
    { epochs, batchSize: BOOK.batchSize, seed: BOOK.seed, workers },
    {
      onBatches: () => undefined,
      onEpochEnd: (m) => void epochRates.push(m.samplesPerSecond),
      shouldStop: () => false,
    },
  );
  process.stdout.write(JSON.stringify({ epochRates }) + '\n');
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }) + '\n');
  process.exit(1);
});
