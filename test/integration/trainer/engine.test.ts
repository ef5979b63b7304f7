import { describeFault } from '../../../src/shared/faults';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig, type TrainerEvent } from '../../../src/shared/protocol';
import { applyEvent, initialRunState } from '../../../src/shared/runState';
import { Engine } from '../../../src/trainer/engine';
import { engineFromSources } from '../../support/sourceWorker';
import { toFitData } from '../../../src/trainer/fitData';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { loadModel } from '../../../src/trainer/persist';
import { writeDigitVariants } from '../../support/digitImages';
import { idxBytes, writeMnistSubset } from '../../support/idxFiles';
import { tempDir } from '../../support/tempDir';

type EventOf<T extends TrainerEvent['type']> = Extract<TrainerEvent, { type: T }>;

/** An Engine whose events are recorded, with helpers to find them. */
function recordingTrainer(onEvent: (event: TrainerEvent, trainer: Engine) => void = () => {}) {
  const events: TrainerEvent[] = [];
  const trainer: Engine = engineFromSources((event) => {
    events.push(event);
    onEvent(event, trainer);
  });
  const all = <T extends TrainerEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type);
  const one = <T extends TrainerEvent['type']>(type: T): EventOf<T> => {
    const found = all(type);
    assert.equal(found.length, 1, `exactly one ${type} event (${events.map((e) => e.type).join(', ')})`);
    return found[0];
  };
  return { trainer, events, all, one };
}

const quick = (overrides: Partial<TrainConfig>): TrainConfig => ({ ...DEFAULT_TRAIN_CONFIG, ...overrides });

// 5,120 = 40 full batches. With 5,000 the run ends on an 8-sample batch, and one rmsprop step on 8
// samples is as large as on 128 but far noisier: tfjs' model.fit then lands at 0.72–0.77 as well.
test('engine: 1 epoch on 5,120 real MNIST samples beats 85 % on the test set, streaming every batch and the weights', async () => {
  const { trainer, events, all, one } = recordingTrainer();
  await trainer.handle({ type: 'start', config: quick({ epochs: 1, trainLimit: 5120 }) });
  assert.deepEqual(all('error'), []);
  const order = events.map((e) => e.type).filter((t) => t !== 'batches');
  assert.deepEqual(order, [
    'dataset',
    'backend',
    'modelSummary',
    'trainStart',
    'weights',
    'epoch',
    'weights',
    'gradients',
    'trainEnd',
    'evaluation',
  ]);

  assert.match(one('backend').detail, /^(wasm|tensorflow|cpu)/);
  const start = one('trainStart');
  assert.equal(start.trainSamples, 5120);
  assert.equal(start.batchesPerEpoch, 40);
  assert.equal(one('modelSummary').summary.totalParams, 784 * 512 + 512 + 512 * 10 + 10);

  const steps = all('batches').flatMap((e) => e.points.map((p) => p.step));
  assert.deepEqual(
    steps,
    Array.from({ length: start.batchesPerEpoch }, (_, i) => i + 1),
    'every batch reported once, in order',
  );

  const weights = all('weights');
  assert.deepEqual(
    weights.map((w) => w.epoch),
    [0, 1],
  );
  assert.deepEqual(
    weights[1].tensors.map((t) => [t.name, t.shape]),
    [
      ['dense/kernel', [784, 512]],
      ['dense/bias', [512]],
      ['dense_1/kernel', [512, 10]],
      ['dense_1/bias', [10]],
    ],
  );
  assert.equal(weights[0].tensors[1].stats.max, 0, 'biases start at zero');
  assert.notEqual(weights[1].tensors[1].stats.max, 0, 'biases moved after an epoch');

  const end = one('trainEnd');
  assert.equal(end.reason, 'completed');
  assert.equal(end.epochsCompleted, 1);
  const evaluation = one('evaluation');
  assert.equal(evaluation.requestId, null);
  assert.ok(evaluation.evaluation.testAccuracy > 0.85, `test accuracy ${evaluation.evaluation.testAccuracy}`);
  assert.equal(evaluation.evaluation.predictedLabels.length, 10000);
  const confusionTotal = evaluation.evaluation.confusion.flat().reduce((a, b) => a + b, 0);
  assert.equal(confusionTotal, 10000);
  assert.equal(
    evaluation.evaluation.misclassified.length,
    Math.round(10000 * (1 - evaluation.evaluation.testAccuracy)),
  );
});

test('engine: no tensor leaks — numTensors is flat across epochs and after evaluate, predict and getTensor', async () => {
  const dir = tempDir('engine');
  const [digit] = writeDigitVariants(dir, [0]);
  const atEpochs: number[] = [];
  const { trainer, all } = recordingTrainer((event) => {
    if (event.type === 'epoch') atEpochs.push(tf.memory().numTensors);
  });
  await trainer.handle({ type: 'start', config: quick({ epochs: 3, trainLimit: 1500, validationSplit: 0.2 }) });
  assert.equal(atEpochs.length, 3);
  assert.ok(
    atEpochs.every((n) => n === atEpochs[0]),
    `numTensors at epoch ends: ${atEpochs.join(', ')}`,
  );
  assert.ok(
    all('epoch').every((e) => e.metrics.valAccuracy !== null),
    'validation metrics with validationSplit',
  );

  const before = tf.memory().numTensors;
  for (let i = 0; i < 2; i++) {
    await trainer.handle({ type: 'evaluate', requestId: 1 });
    await trainer.handle({ type: 'predict', requestId: 2, file: digit.file });
    await trainer.handle({ type: 'getTensor', requestId: 3, name: 'dense/kernel' });
  }
  assert.deepEqual(all('error'), []);
  assert.equal(tf.memory().numTensors, before);
});

test('engine: stop ends the run after the current batch, as stopped, without evaluating; the model stays usable', async () => {
  let stopSent = false;
  const { trainer, all, one } = recordingTrainer((event, t) => {
    if (event.type === 'batches' && !stopSent) {
      stopSent = true;
      void t.handle({ type: 'stop' });
    }
  });
  await trainer.handle({ type: 'start', config: quick({ epochs: 5, trainLimit: 20000 }) });
  const end = one('trainEnd');
  assert.equal(end.reason, 'stopped');
  assert.equal(end.epochsCompleted, 0);
  assert.equal(all('evaluation').length, 0);
  assert.ok(all('batches').flatMap((e) => e.points).length < 157, 'stopped well before the end of epoch 1');
  await trainer.handle({ type: 'getTensor', requestId: 9, name: 'dense_1/bias' });
  const tensor = one('tensor');
  assert.deepEqual(tensor.shape, [10]);
  assert.ok(
    tensor.values.some((v) => v !== 0),
    'the model keeps what it learnt before the stop',
  );
});

test('engine: requests that arrive mid-training are answered during the run; conflicting ones say busy', async () => {
  let asked = false;
  const answeredBeforeEnd: string[] = [];
  const { trainer, events, all } = recordingTrainer((event, t) => {
    if (event.type === 'batches' && !asked) {
      asked = true;
      void t.handle({ type: 'getTensor', requestId: 1, name: 'dense/bias' });
      void t.handle({ type: 'evaluate', requestId: 2 });
      void t.handle({ type: 'start', config: quick({ epochs: 1 }) });
      void t.handle({ type: 'save', requestId: 3, modelDir: path.join(os.tmpdir(), 'never-saved') });
    }
    if ((event.type === 'tensor' || event.type === 'evaluation') && !events.some((e) => e.type === 'trainEnd'))
      answeredBeforeEnd.push(event.type);
  });
  await trainer.handle({ type: 'start', config: quick({ epochs: 2, trainLimit: 10000 }) });
  assert.deepEqual(answeredBeforeEnd.sort(), ['evaluation', 'tensor']);
  const errors = all('error').map((e) => [e.requestId, describeFault(e.fault).split(' is not possible')[0]]);
  assert.deepEqual(errors.sort(), [
    [null, 'busy training: starting another run'],
    [3, 'busy training: saving'],
  ]);
  assert.equal(all('trainEnd')[0].reason, 'completed');
});

test('engine: bad requests become error events with clear messages, addressed by requestId', async () => {
  const { trainer, all } = recordingTrainer();
  await trainer.handle({ type: 'evaluate', requestId: 1 });
  await trainer.handle({ type: 'start', config: quick({ dataDir: '/nonexistent/mnist' }) });
  await trainer.handle({ type: 'start', config: quick({ epochs: 0 }) });
  await trainer.handle({ type: 'load', requestId: 2, modelDir: '/nonexistent/model' });
  await trainer.handle({ type: 'start', config: quick({ epochs: 1, trainLimit: 300 }) });
  await trainer.handle({ type: 'getTensor', requestId: 3, name: 'dense/weights' });
  await trainer.handle({ type: 'predict', requestId: 4, file: '/nonexistent/seven.png' });
  const errors = all('error').map((e) => [e.requestId, describeFault(e.fault)]);
  assert.equal(errors.length, 6, JSON.stringify(errors));
  assert.deepEqual(errors[0], [1, 'no model yet: train one or load a saved model first']);
  assert.equal(errors[1][0], null);
  assert.match(String(errors[1][1]), /\/nonexistent\/mnist/);
  assert.deepEqual(errors[2], [null, 'epochs must be an integer from 1 to 1000, got 0']);
  assert.deepEqual(errors[3], [2, '/nonexistent/model: no such model folder']);
  assert.deepEqual(errors[4], [
    3,
    'unknown tensor "dense/weights": the model has dense/kernel, dense/bias, dense_1/kernel, dense_1/bias',
  ]);
  assert.equal(errors[5][0], 4);
  assert.match(String(errors[5][1]), /\/nonexistent\/seven\.png/);
  for (const [, message] of errors) assert.doesNotMatch(String(message), /\n\s+at /, 'no stack traces');
});

test('engine: stream "none" (the benchmark baseline) sends epochs and results but no batches or weights', async () => {
  const { trainer, all, one } = recordingTrainer();
  await trainer.handle({ type: 'start', config: quick({ epochs: 2, trainLimit: 1000, stream: 'none' }) });
  assert.deepEqual(all('error'), []);
  assert.equal(all('batches').length, 0);
  assert.equal(all('weights').length, 0);
  assert.equal(all('epoch').length, 2);
  assert.equal(one('trainEnd').reason, 'completed');
  assert.equal(all('evaluation').length, 1);
});

test('engine: after a run the evaluation measures the model on the training samples it used, as model.evaluate(train) does', async () => {
  const modelDir = path.join(tempDir('engine'), 'model');
  const { trainer, all, one } = recordingTrainer();
  // 3,000 samples, 20 % held out for validation: the run trains on the first 2,400.
  await trainer.handle({
    type: 'start',
    config: quick({ epochs: 2, trainLimit: 3000, validationSplit: 0.2, stream: 'none', modelDir }),
  });
  assert.deepEqual(all('error'), []);
  const { train } = one('evaluation').evaluation;
  assert.ok(train !== null, 'a run measures its training samples');
  assert.equal(train.samples, 2400);
  assert.equal(train.epochs, 2);

  // The same numbers from tfjs' own metrics (float32: 1e-6 is far below one digit's 1/2400) on the saved
  // model and the first 2,400 training digits.
  const model = await loadModel(modelDir);
  const mnist = loadMnist();
  const data = toFitData(mnist.train.images, mnist.train.labels, 0, 2400);
  const [accuracy, loss] = tf.tidy(() => {
    const outputs = model.predict(tf.tensor2d(data.images, [2400, 784])) as tf.Tensor;
    const truth = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 10);
    return [
      tf.metrics.categoricalAccuracy(truth, outputs).mean(),
      tf.metrics.categoricalCrossentropy(truth, outputs).mean(),
    ];
  });
  assert.ok(
    Math.abs(train.accuracy - ((await accuracy.array()) as number)) < 1e-6,
    `accuracy ${train.accuracy} vs ${await accuracy.array()}`,
  );
  assert.ok(Math.abs(train.loss - ((await loss.array()) as number)) < 1e-4, `loss ${train.loss}`);
  tf.dispose([accuracy, loss]);
  model.dispose();
  // Not the running mean of the last epoch (the model kept improving while Keras averaged it).
  assert.notEqual(train.accuracy, all('epoch').at(-1)?.metrics.accuracy);

  // Evaluate asked later measures the run's model on the same digits again; a loaded model, whose
  // training digits are unknown, is not measured (the dashboard then says nothing about overfitting).
  await trainer.handle({ type: 'evaluate', requestId: 7 });
  assert.deepEqual(all('evaluation').at(-1)?.evaluation.train, train);
  await trainer.handle({ type: 'load', requestId: 8, modelDir });
  await trainer.handle({ type: 'evaluate', requestId: 9 });
  assert.deepEqual(all('error'), []);
  assert.equal(all('evaluation').at(-1)?.evaluation.train, null);
});

test('engine: a diverged run (sgd at lr 1e20 on real MNIST) fails with where and why, saves nothing over the last good model, and predict refuses', async () => {
  const dir = tempDir('engine');
  const modelDir = path.join(dir, 'model');
  const [digit] = writeDigitVariants(dir, [0]);
  const good = recordingTrainer();
  await good.trainer.handle({
    type: 'start',
    config: quick({ epochs: 1, trainLimit: 512, hiddenUnits: 32, modelDir }),
  });
  assert.deepEqual(good.all('error'), []);
  const savedBefore = fs.readFileSync(path.join(modelDir, 'weights.bin'));

  const { trainer, all, one, events } = recordingTrainer();
  await trainer.handle({
    type: 'start',
    config: quick({ epochs: 2, trainLimit: 512, hiddenUnits: 32, optimizer: 'sgd', learningRate: 1e20, modelDir }),
  });
  assert.match(
    describeFault(one('error').fault),
    /^training diverged at epoch 1, batch \d+ \((loss (NaN|-?Infinity)|weight dense(_1)?\/(kernel|bias) not finite)\) — try a lower learning rate$/,
  );
  assert.deepEqual(all('trainEnd'), [], 'not a completed or stopped run');
  assert.deepEqual(all('saved'), []);
  assert.deepEqual(all('evaluation'), []);
  assert.deepEqual(fs.readFileSync(path.join(modelDir, 'weights.bin')), savedBefore, 'the last good model is kept');
  // The host's reducer shows it as failed, with the message.
  const state = events.reduce(applyEvent, initialRunState());
  assert.equal(state.status, 'failed');
  assert.match(state.error ? describeFault(state.error) : '', /training diverged/);

  await trainer.handle({ type: 'predict', requestId: 7, file: digit.file });
  assert.deepEqual(all('prediction'), [], 'never digit -1');
  assert.match(
    describeFault(all('error')[1].fault),
    /the model gives no answer: its weight dense\/kernel holds NaN or infinity/,
  );
  await trainer.handle({ type: 'evaluate', requestId: 8 });
  assert.deepEqual(all('evaluation'), []);
  assert.match(describeFault(all('error')[2].fault), /the model gives no answer/);
});

test('engine: both data splits are checked before training: a bad test split fails the start, not the end of the run', async () => {
  const dir = tempDir('engine');
  const labels = new Uint8Array(50).fill(3);
  labels[17] = 12;
  writeMnistSubset(dir, { override: { 't10k-labels-idx1-ubyte': idxBytes([50], labels) } });
  const { trainer, all, one } = recordingTrainer();
  await trainer.handle({ type: 'start', config: quick({ epochs: 1, dataDir: dir }) });
  assert.match(describeFault(one('error').fault), /t10k-labels-idx1-ubyte: label 12 at index 17 is out of range 0–9/);
  assert.deepEqual(all('trainStart'), [], 'refused before training');
});

test('engine: a data file linked from shared storage is refused before training when followDataLinks is false (untrusted workspace), trained on when true', async () => {
  const dir = tempDir('engine-links');
  const shared = tempDir('engine-shared');
  writeMnistSubset(dir, { trainCount: 256, testCount: 50 });
  const file = path.join(dir, 'train-images-idx3-ubyte');
  fs.renameSync(file, path.join(shared, 'train-images'));
  fs.symlinkSync(path.join(shared, 'train-images'), file);
  const untrusted = recordingTrainer();
  await untrusted.trainer.handle({
    type: 'start',
    config: quick({ epochs: 1, dataDir: dir, followDataLinks: false, stream: 'none' }),
  });
  assert.equal(
    describeFault(untrusted.one('error').fault),
    `${file}: is a link to ${path.join(shared, 'train-images')}, outside the data folder; links out of it are followed only in a trusted workspace`,
  );
  assert.deepEqual(untrusted.all('trainStart'), [], 'refused before training');
  const trusted = recordingTrainer();
  await trusted.trainer.handle({
    type: 'start',
    config: quick({ epochs: 1, dataDir: dir, followDataLinks: true, stream: 'none' }),
  });
  assert.deepEqual(trusted.all('error'), []);
  assert.equal(trusted.one('trainStart').trainSamples, 256);
  assert.equal(trusted.one('evaluation').evaluation.predictedLabels.length, 50);
});
