// One training step up close: Step, Pause and Resume in the real engine on real MNIST, with the
// gradients checked against tfjs' own autodiff and the updates against the weights' change.
import { describeFault } from '../../../src/shared/faults';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import {
  DEFAULT_TRAIN_CONFIG,
  type TrainConfig,
  type TrainerEvent,
  gradientName,
  updateName,
} from '../../../src/shared/protocol';
import { applyEvent, initialRunState } from '../../../src/shared/runState';
import { engineFromSources } from '../../support/sourceWorker';
import { tempDir } from '../../support/tempDir';
import type { EngineOptions } from '../../../src/trainer/engine';

type EventOf<T extends TrainerEvent['type']> = Extract<TrainerEvent, { type: T }>;
const WEIGHTS = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'];

/** An Engine whose events are recorded; `next` resolves with the first matching event from now on. */
function recordingTrainer(options: EngineOptions = {}) {
  const events: TrainerEvent[] = [];
  const waiters: { match: (e: TrainerEvent) => boolean; resolve: (e: TrainerEvent) => void }[] = [];
  const state = initialRunState();
  const trainer = engineFromSources((event) => {
    events.push(event);
    applyEvent(state, event);
    for (const w of waiters.splice(0)) {
      if (w.match(event)) w.resolve(event);
      else waiters.push(w);
    }
  }, options);
  const next = <T extends TrainerEvent['type']>(type: T, match: (e: EventOf<T>) => boolean = () => true) =>
    new Promise<EventOf<T>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event within 60 s`)), 60_000);
      waiters.push({
        match: (e) => e.type === type && match(e as EventOf<T>),
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as EventOf<T>);
        },
      });
    });
  const all = <T extends TrainerEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type);
  /** Asks for a tensor the way the host does: a getTensor request, answered by a tensor event. */
  const tensor = async (name: string, requestId: number) => {
    const answer = next('tensor', (e) => e.requestId === requestId);
    await trainer.handle({ type: 'getTensor', requestId, name });
    return answer;
  };
  return { trainer, events, state, next, all, tensor };
}

const quick = (overrides: Partial<TrainConfig>): TrainConfig => ({ ...DEFAULT_TRAIN_CONFIG, ...overrides });

/** The book's loss on a batch, by tfjs' autodiff, and its gradient for the four weights. */
async function autodiffGradients(
  weights: Float32Array[],
  shapes: number[][],
  images: Uint8Array,
  labels: Uint8Array,
): Promise<Float32Array[]> {
  const grads = tf.tidy(() => {
    const [w1, b1, w2, b2] = weights.map((v, i) => tf.tensor(v, shapes[i]));
    const x = tf.tensor2d(
      Float32Array.from(images, (p) => p / 255),
      [labels.length, 784],
    );
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
    const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
      const probs = tf.softmax(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, a), b)), c), d));
      const trueProb = tf.clipByValue(tf.sum(tf.mul(probs, y), 1), 1e-7, 1 - 1e-7);
      return tf.neg(tf.mean(tf.log(trueProb))) as tf.Scalar;
    };
    return tf.grads(loss)([w1, b1, w2, b2]);
  });
  const values = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose(grads);
  return values;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function maxAbs(a: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
  return max;
}

test('step: with no run, Step starts a paused run and trains exactly one batch; gradients match autodiff, updates are the weight change, no tensor leaks', async () => {
  const { trainer, events, state, next, all, tensor } = recordingTrainer();
  const first = next('step', (e) => e.requestId === 1);
  const run = trainer.handle({
    type: 'step',
    requestId: 1,
    config: quick({ epochs: 1, trainLimit: 1280, backend: 'wasm' }),
  });
  const one = (await first).report;
  assert.deepEqual(all('error'), []);
  // wasm with rmsprop: the fused trainer (worker threads, flat parameters) trains the step's batch.
  assert.equal(all('backend')[0]?.backend, 'wasm');
  const order = events.map((e) => e.type).filter((t) => !['batches', 'dataset', 'backend'].includes(t));
  assert.deepEqual(order, ['modelSummary', 'trainStart', 'paused', 'weights', 'step']);
  assert.equal(state.status, 'training');
  assert.equal(state.paused, true, 'the run stays paused after its step');
  assert.equal(one.step, 1);
  assert.equal(one.batch, 0);
  assert.equal(one.labels.length, 128);
  assert.equal(one.images.length, 128 * 784);
  assert.ok(one.lossAfter < one.lossBefore, `loss of the batch fell: ${one.lossBefore} → ${one.lossAfter}`);
  assert.ok(one.lossBefore > 2 && one.lossBefore < 2.6, `a fresh model's loss is near ln 10: ${one.lossBefore}`);
  assert.deepEqual(
    one.tensors.map((t) => [t.weight, t.gradient.name, t.update.name, t.gradient.shape]),
    [
      ['dense/kernel', 'gradient/dense/kernel', 'update/dense/kernel', [784, 512]],
      ['dense/bias', 'gradient/dense/bias', 'update/dense/bias', [512]],
      ['dense_1/kernel', 'gradient/dense_1/kernel', 'update/dense_1/kernel', [512, 10]],
      ['dense_1/bias', 'gradient/dense_1/bias', 'update/dense_1/bias', [10]],
    ],
  );
  // Biases start at zero: their relative update is undefined; the kernels' is small but not zero.
  assert.equal(one.tensors[1].updateRatio, null);
  for (const i of [0, 2]) {
    const r = one.tensors[i].updateRatio ?? NaN;
    assert.ok(r > 1e-5 && r < 0.5, `${one.tensors[i].weight} ‖Δw‖/‖w‖ = ${r}`);
  }
  // The points the charts get: the step's batch, with the loss before its update.
  assert.deepEqual(
    state.batches.map((p) => [p.step, p.loss.toFixed(5)]),
    [[1, one.lossBefore.toFixed(5)]],
  );

  // Weights before step 2, then step 2 (the paused run's next batch), then its tensors.
  let id = 100;
  const before = await Promise.all(WEIGHTS.map((name) => tensor(name, id++)));
  const second = next('step', (e) => e.requestId === 2);
  await trainer.handle({ type: 'step', requestId: 2, config: quick({}) });
  const two = (await second).report;
  assert.equal(two.step, 2);
  assert.equal(two.batch, 1);
  const numTensorsAfterTwo = tf.memory().numTensors;
  const after = await Promise.all(WEIGHTS.map((name) => tensor(name, id++)));
  const gradients = await Promise.all(WEIGHTS.map((name) => tensor(gradientName(name), id++)));
  const updates = await Promise.all(WEIGHTS.map((name) => tensor(updateName(name), id++)));
  const expected = await autodiffGradients(
    before.map((t) => t.values),
    before.map((t) => t.shape),
    two.images,
    two.labels,
  );
  WEIGHTS.forEach((name, i) => {
    assert.deepEqual(gradients[i].shape, before[i].shape, `${name} gradient shape`);
    const scale = maxAbs(expected[i]);
    assert.ok(scale > 0, `${name}: autodiff gradient is not all zero`);
    assert.ok(
      maxAbsDiff(gradients[i].values, expected[i]) < 1e-3 * scale + 1e-6,
      `${name}: gradient differs from autodiff by ${maxAbsDiff(gradients[i].values, expected[i])} (scale ${scale})`,
    );
    const change = after[i].values.map((v, j) => v - before[i].values[j]);
    assert.ok(maxAbsDiff(updates[i].values, change) < 1e-6, `${name}: update = weights after − before`);
    assert.ok(maxAbs(change) > 0, `${name} moved`);
  });
  // The summaries in the report describe the same tensors the inspector gets.
  assert.equal(
    two.tensors[0].gradient.stats.max,
    gradients[0].values.reduce((m, v) => Math.max(m, v), -Infinity),
  );
  assert.equal(two.tensors[0].gradient.stats.count, 784 * 512);

  // A third step: the tensors of the second are replaced, not added to.
  const third = next('step', (e) => e.requestId === 3);
  await trainer.handle({ type: 'step', requestId: 3, config: quick({}) });
  assert.equal((await third).report.step, 3);
  assert.equal(tf.memory().numTensors, numTensorsAfterTwo, 'tensors held after step 3 = after step 2');

  const ended = next('trainEnd');
  await trainer.handle({ type: 'stop' });
  await run;
  const end = await ended;
  assert.equal(end.reason, 'stopped');
  assert.deepEqual(
    state.batches.map((p) => p.step),
    [1, 2, 3],
  );
  assert.equal(state.paused, false);
  assert.deepEqual(all('error'), []);
});

test('step: Pause holds a running run between batches, Step trains its next batch, Resume finishes it; Step while running is refused', async () => {
  const { trainer, state, next, all } = recordingTrainer();
  const firstBatches = next('batches');
  const run = trainer.handle({ type: 'start', config: quick({ epochs: 1, trainLimit: 5120 }) });
  await firstBatches;
  const refused = next('error', (e) => e.requestId === 7);
  await trainer.handle({ type: 'step', requestId: 7, config: quick({}) });
  assert.match(describeFault((await refused).fault), /pause the run first/);

  const paused = next('paused');
  await trainer.handle({ type: 'pause' });
  assert.equal((await paused).paused, true);
  // Let the loop reach its next batch and hold there; then nothing moves.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const heldAt = state.batches.length;
  assert.ok(heldAt >= 1 && heldAt < 40, `paused after ${heldAt} of 40 batches`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(state.batches.length, heldAt, 'no batch trained while paused');

  const stepped = next('step', (e) => e.requestId === 8);
  await trainer.handle({ type: 'step', requestId: 8, config: quick({}) });
  assert.equal((await stepped).report.step, heldAt + 1);
  assert.equal(state.batches.length, heldAt + 1);
  assert.equal(state.paused, true);

  const resumed = next('paused');
  await trainer.handle({ type: 'resume' });
  assert.equal((await resumed).paused, false);
  await run;
  assert.equal(state.status, 'completed', 'a refused step does not fail the run');
  assert.deepEqual(
    state.batches.map((p) => p.step),
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  assert.ok(state.evaluation !== null && state.evaluation.testAccuracy > 0.85);
  assert.deepEqual(
    all('error').map((e) => e.requestId),
    [7],
  );
});

test('step: a Step whose run cannot start is answered by one error, the cause; the trainer is free again', async () => {
  const { trainer, all, next } = recordingTrainer();
  await trainer.handle({ type: 'step', requestId: 4, config: quick({ epochs: 0 }) });
  assert.deepEqual(
    all('error').map((e) => [e.requestId, describeFault(e.fault)]),
    [[4, 'epochs must be an integer from 1 to 1000, got 0']],
  );
  const stepped = next('step', (e) => e.requestId === 5);
  const run = trainer.handle({ type: 'step', requestId: 5, config: quick({ epochs: 1, trainLimit: 1280 }) });
  assert.equal((await stepped).report.step, 1);
  await trainer.handle({ type: 'stop' });
  await run;
  assert.equal(all('error').length, 1);
});

test('step: a run started by Step that fails after trainStart fails as a run (the host stops showing it training); the Step is told the run ended', async () => {
  // A build without dist/gradientWorker.js: the fused trainer's second thread cannot start, which
  // fastFit finds out after trainStart has been sent, while the Step still waits for its batch.
  const missing = path.join(tempDir('step-no-worker'), 'gradientWorker.js');
  const { trainer, all, state, next } = recordingTrainer({
    startWorker: (setup) => new Worker(missing, { workerData: setup }),
  });
  await trainer.handle({
    type: 'step',
    requestId: 4,
    config: quick({ epochs: 1, trainLimit: 1280, backend: 'wasm', workers: 2 }),
  });
  assert.equal(all('trainStart').length, 1);
  assert.deepEqual(all('step'), []);
  const errors = all('error').map((e) => [e.requestId, describeFault(e.fault)]);
  assert.equal(errors.length, 2, JSON.stringify(errors));
  assert.deepEqual(errors[0], [4, 'the run ended before its step']);
  // The run's own failure comes last, so the status shows its cause.
  assert.equal(errors[1][0], null, 'the run failed');
  assert.match(String(errors[1][1]), /^gradient worker 1 failed: .*gradientWorker\.js/);
  assert.equal(state.status, 'failed');
  assert.match(state.error ? describeFault(state.error) : '', /gradient worker 1 failed/);

  // The trainer is free again: a Step on one thread starts a new run.
  const stepped = next('step', (e) => e.requestId === 5);
  const again = trainer.handle({
    type: 'step',
    requestId: 5,
    config: quick({ epochs: 1, trainLimit: 1280, workers: 1 }),
  });
  assert.equal((await stepped).report.step, 1);
  await trainer.handle({ type: 'stop' });
  await again;
  assert.equal(all('error').length, 2);
});

test('step: a Step that Stop cuts short is answered that the run ended before it; the next Step starts a new run', async () => {
  const { trainer, all, next } = recordingTrainer();
  const firstBatches = next('batches');
  const run = trainer.handle({ type: 'start', config: quick({ epochs: 1, trainLimit: 5120 }) });
  await firstBatches;
  const paused = next('paused');
  await trainer.handle({ type: 'pause' });
  await paused;
  // Asked together: the stop wins before the step's batch trains.
  void trainer.handle({ type: 'step', requestId: 8, config: quick({}) });
  void trainer.handle({ type: 'stop' });
  await run;
  assert.equal(all('trainEnd')[0]?.reason, 'stopped');
  assert.deepEqual(
    all('error').map((e) => [e.requestId, describeFault(e.fault)]),
    [[8, 'the run ended before its step']],
  );
  const stepped = next('step', (e) => e.requestId === 9);
  const second = trainer.handle({ type: 'step', requestId: 9, config: quick({ epochs: 1, trainLimit: 1280 }) });
  assert.equal((await stepped).report.step, 1);
  await trainer.handle({ type: 'stop' });
  await second;
  assert.equal(all('error').length, 1);
});
