// `npm run test:native` (after `npm run setup:native`): the native TensorFlow backend for real —
// train, evaluate, save, load and predict on real MNIST through the CLI and the trainer process.
import { describeFault } from '../../src/shared/faults';
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, fork, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent, type TrainerRequest } from '../../src/shared/protocol';
import { writeDigitVariants } from '../support/digitImages';
import { tempDir } from '../support/tempDir';
import { tfjsNodeInstalled } from '../support/tfjsNode';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/trainer/backend';
import { fastFit } from '../../src/trainer/fastFit';
import { toFitData } from '../../src/trainer/fitData';
import { loadMnist } from '../../src/trainer/mnistLoader';
import { buildModel, createOptimizer } from '../../src/trainer/model';
import { collectingHooks, compareWithTrainOnBatch } from '../support/fitComparison';

const root = path.resolve(__dirname, '../..');
const cliJs = path.join(root, 'dist', 'cli.js');
const trainerJs = path.join(root, 'dist', 'trainer.js');
/** Enough real samples for a quick run that still learns: the book's model reaches > 0.9 test accuracy on them. */
const TRAIN_LIMIT = '12000';
/** The C library's version, as TF's C API reports it (never tfjs's own 4.x). */
const TF_DETAIL = /^tensorflow \(native TensorFlow 2\.\d+\.\d+\)$/;

before(() => {
  assert.ok(tfjsNodeInstalled(), '@tensorflow/tfjs-node is not installed: run npm run setup:native first');
  execFileSync(process.execPath, ['scripts/build.mjs', '--only', 'cli'], { cwd: root });
  execFileSync(process.execPath, ['scripts/build.mjs', '--only', 'trainer'], { cwd: root });
});

/** Ten real MNIST test digits (two of each class) saved as PNG files. */
function digits(dir: string) {
  return writeDigitVariants(dir, [3, 2, 1, 18, 4, 8, 11, 0, 61, 7], ['png']);
}

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [cliJs, ...args], { cwd: root, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('native cli: trains on tensorflow with a quiet stderr, saves, predicts real digits with the saved model, one error line', () => {
  const dir = tempDir('native-cli');
  const modelDir = path.join(dir, 'model');
  const train = cli('train', '--backend', 'tensorflow', '--epochs', '2', '--train-limit', TRAIN_LIMIT);
  assert.equal(train.code, 0, train.stderr);
  assert.equal(train.stderr, '', 'TensorFlow prints nothing on stderr');
  assert.match(train.stdout, /^backend: tensorflow \(native TensorFlow 2\.\d+\.\d+\)$/m);
  // TensorFlow's ops on one thread each were measured fastest for this model: `auto` is 1 there.
  assert.match(train.stdout, /^training on \d+ samples, 1 thread$/m);
  // Asked for, a worker thread trains on its own TensorFlow context from the bundle too.
  const twoArgs = ['--workers', '2', '--epochs', '1', '--train-limit', '2000', '--model-dir', path.join(dir, 'two')];
  const two = cli('train', '--backend', 'tensorflow', ...twoArgs);
  assert.equal(two.code, 0, two.stderr);
  assert.equal(two.stderr, '');
  assert.match(two.stdout, /^training on 2000 samples, 2 threads$/m);

  const json = cli(
    'train',
    '--backend',
    'tensorflow',
    '--epochs',
    '2',
    '--train-limit',
    TRAIN_LIMIT,
    '--model-dir',
    modelDir,
    '--json',
  );
  assert.equal(json.code, 0, json.stderr);
  assert.equal(json.stderr, '');
  const done = JSON.parse(json.stdout.trim().split('\n').pop() ?? '');
  assert.equal(done.event, 'done');
  assert.equal(done.backend, 'tensorflow');
  assert.ok(done.trainAccuracy > 0.9, `train accuracy ${done.trainAccuracy}`);
  assert.ok(done.testAccuracy > 0.9 && done.testAccuracy <= 1, `test accuracy ${done.testAccuracy}`);
  assert.ok(fs.existsSync(path.join(modelDir, 'model.json')));

  const files = digits(path.join(dir, 'digits'));
  const right = files.filter((d) => {
    const predict = cli('predict', d.file, '--model-dir', modelDir, '--json');
    assert.equal(predict.code, 0, predict.stderr);
    assert.equal(predict.stderr, '');
    return JSON.parse(predict.stdout.trim().split('\n').pop() ?? '').digit === d.label;
  });
  assert.ok(right.length >= 8, `${right.length} of 10 digits right`);

  // A failed prediction is exactly one stderr line (predict reads the model on wasm: TensorFlow stays unloaded).
  const missing = cli('predict', path.join(dir, 'no-such-digit.png'), '--model-dir', modelDir);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /^error: [^\n]*no-such-digit\.png[^\n]*\n$/);
});

/** A trainer child process and the events it sent, awaited by type (an error event fails the wait). */
function trainer() {
  const child = fork(trainerJs, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const events: TrainerEvent[] = [];
  const waiting: { type: TrainerEvent['type']; resolve: (e: TrainerEvent) => void; reject: (e: Error) => void }[] = [];
  child.on('message', (event: TrainerEvent) => {
    events.push(event);
    for (const w of [...waiting]) {
      if (event.type === 'error') w.reject(new Error(`trainer error: ${describeFault(event.fault)}`));
      else if (event.type !== w.type) continue;
      else w.resolve(event);
      waiting.splice(waiting.indexOf(w), 1);
    }
  });
  const next = <T extends TrainerEvent['type']>(type: T) =>
    new Promise<Extract<TrainerEvent, { type: T }>>((resolve, reject) =>
      waiting.push({ type, resolve: resolve as (e: TrainerEvent) => void, reject }),
    );
  const send = (request: TrainerRequest) => child.send(request);
  const shutdown = async () => {
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    send({ type: 'shutdown' });
    assert.equal(await exit, 0);
  };
  return { next, send, events, shutdown, stderr: () => stderr };
}

test('native cli: tfjs-node beside another copy of tfjs registers into the one tfjs bundled in dist/', () => {
  const dir = tempDir('native-one-tfjs');
  // Preloaded into the CLI: at exit, the tfjs files that ran (a file answered with another's module is not one).
  const probe = path.join(dir, 'probe.cjs');
  fs.writeFileSync(
    probe,
    `process.on('exit', () => {
  const ran = Object.entries(require.cache)
    .filter(([file, m]) => m && m.filename === file && /[\\\\/]@tensorflow[\\\\/]tfjs(-core)?[\\\\/]/.test(file))
    .map(([file]) => file);
  require('node:fs').writeFileSync(${JSON.stringify(path.join(dir, 'ran.json'))}, JSON.stringify(ran));
});
`,
  );
  const args = [
    '--require',
    probe,
    cliJs,
    'train',
    '--backend',
    'tensorflow',
    '--epochs',
    '1',
    '--train-limit',
    '2000',
  ];
  const result = spawnSync(process.execPath, [...args, '--workers', '2', '--model-dir', path.join(dir, 'model')], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^backend: tensorflow \(native TensorFlow 2\.\d+\.\d+\)$/m);
  const ran = JSON.parse(fs.readFileSync(path.join(dir, 'ran.json'), 'utf8')) as string[];
  assert.deepEqual(ran, [path.join(root, 'dist', 'node_modules', '@tensorflow', 'tfjs', 'index.js')]);
});

test('native trainer process: trains, evaluates, saves; a fresh process loads it on wasm and predicts the same', async () => {
  const dir = tempDir('native-trainer');
  const modelDir = path.join(dir, 'model');
  const first = trainer();
  await first.next('hello');
  const config = {
    ...DEFAULT_TRAIN_CONFIG,
    backend: 'tensorflow',
    epochs: 2,
    trainLimit: Number(TRAIN_LIMIT),
  } as const;
  first.send({ type: 'start', config });
  const backend = await first.next('backend');
  assert.equal(backend.backend, 'tensorflow');
  assert.match(backend.detail, TF_DETAIL);
  const end = await first.next('trainEnd');
  assert.equal(end.reason, 'completed');
  assert.equal(first.events.filter((e) => e.type === 'epoch').length, 2);
  first.send({ type: 'evaluate', requestId: 1 });
  const { evaluation } = await first.next('evaluation');
  assert.ok(evaluation.testAccuracy > 0.9, `test accuracy ${evaluation.testAccuracy}`);
  first.send({ type: 'save', requestId: 2, modelDir });
  assert.equal((await first.next('saved')).modelDir, modelDir);
  await first.shutdown();
  assert.equal(first.stderr(), '', 'TensorFlow prints nothing on stderr');

  // A trainer that only reads a model does not load TensorFlow's library (≈ 250 MB): it runs on wasm.
  const second = trainer();
  await second.next('hello');
  second.send({ type: 'load', requestId: 1, modelDir });
  await second.next('loaded');
  const picked = second.events.find((e) => e.type === 'backend');
  assert.ok(picked?.type === 'backend' && picked.backend === 'wasm', 'a model only read runs on wasm');
  const files = digits(path.join(dir, 'digits'));
  let right = 0;
  for (const [i, d] of files.entries()) {
    second.send({ type: 'predict', requestId: 10 + i, file: d.file });
    const { prediction } = await second.next('prediction');
    assert.equal(prediction.probabilities.length, 10);
    if (prediction.digit === d.label) right++;
  }
  assert.ok(right >= 8, `${right} of 10 digits right`);
  second.send({ type: 'evaluate', requestId: 2 });
  const reloaded = (await second.next('evaluation')).evaluation;
  assert.ok(Math.abs(reloaded.testAccuracy - evaluation.testAccuracy) < 1e-6, 'the loaded model is the saved one');
  await second.shutdown();
});

// The fused trainer on native TensorFlow: the same weights as tfjs-layers' own training on the same
// backend, on one thread and with a worker thread (its own TensorFlow context), and no tensor left
// behind although each step makes its weight tensors anew.
describe('fused trainer on tensorflow', () => {
  const mnist = loadMnist();
  const train = toFitData(mnist.train.images, mnist.train.labels, 0, 6000);
  before(() => selectBackend('tensorflow'));

  for (const optimizer of ['rmsprop', 'adam', 'sgd'] as const) {
    for (const threads of [1, 2]) {
      test(`fastFit (tensorflow, ${optimizer}, ${threads} thread(s)): after 12 batches the weights equal 12 trainOnBatch steps`, async (t) => {
        const { diff, result } = await compareWithTrainOnBatch(
          train,
          'tensorflow',
          optimizer,
          { threads },
          'tensorflow',
        );
        t.diagnostic(`max weight difference ${diff}`);
        assert.equal(result.update, 'fused');
        assert.equal(result.threads, threads);
        assert.ok(diff <= 1e-6, `weights differ by ${diff}`);
      });
    }
  }

  test('fastFit (tensorflow, fused): numTensors identical after epochs 1, 2 and 3, none kept', async () => {
    const model = buildModel(64, 2);
    const c = collectingHooks();
    const before = tf.memory().numTensors;
    const result = await fastFit(
      model,
      createOptimizer('rmsprop', 0.001),
      toFitData(mnist.train.images, mnist.train.labels, 0, 1000),
      toFitData(mnist.test.images, mnist.test.labels, 0, 1000),
      { epochs: 3, batchSize: 128, seed: 2 },
      c.hooks,
    );
    assert.equal(result.update, 'fused');
    assert.deepEqual(c.tensorsAtEpochEnd, Array(3).fill(c.tensorsAtEpochEnd[0]));
    assert.equal(tf.memory().numTensors - before, 0);
    model.dispose();
  });
});
