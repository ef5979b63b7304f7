import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../../src/trainer/model';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { toFitData } from '../../../src/trainer/fitData';
import { MODEL_FILE, TOOL_PREFIX, WEIGHTS_FILE, loadModel, saveModel } from '../../../src/trainer/persist';
import { writeDigitVariants } from '../../support/digitImages';
import { writeMnistSubset } from '../../support/idxFiles';
import { tfjsNodeInstalled } from '../../support/tfjsNode';
import { tempDir } from '../../support/tempDir';
import { REPO_ROOT as root, built } from '../../support/trainer';
import { isAlive } from '../../support/wait';

let cliJs = '';

before(() => {
  cliJs = built('cli');
});

function cli(...args: string[]) {
  // A CLI that hangs (on a FIFO, say) is killed and fails the test instead of stalling the run.
  const result = spawnSync(process.execPath, [cliJs, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  assert.equal(result.signal, null, 'the CLI hung and was killed');
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertOneErrorLine(result: { code: number | null; stderr: string }, message: RegExp): void {
  assert.notEqual(result.code, 0);
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `exactly one stderr line, got:\n${result.stderr}`);
  assert.match(lines[0], /^error: /);
  assert.match(lines[0], message);
}

test('cli: a short --json run prints one JSON object per line, epochs then done, and saves a model that predict can use', () => {
  const dir = tempDir('cli');
  const modelDir = path.join(dir, 'model');
  const train = cli('train', '--epochs', '2', '--train-limit', '3000', '--model-dir', modelDir, '--json');
  assert.equal(train.code, 0, train.stderr);
  assert.equal(train.stderr, '');
  const lines = train.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const epochs = lines.filter((l) => l.event === 'epoch');
  assert.deepEqual(
    epochs.map((e) => [e.epoch, e.epochs]),
    [
      [1, 2],
      [2, 2],
    ],
  );
  for (const e of epochs) for (const key of ['loss', 'accuracy', 'seconds']) assert.equal(typeof e[key], 'number', key);
  const done = lines[lines.length - 1];
  assert.equal(done.event, 'done');
  assert.match(done.backend, /^(wasm|tensorflow|cpu)$/);
  assert.equal(done.modelDir, modelDir);
  assert.equal(done.trainAccuracy, epochs[1].accuracy);
  assert.ok(done.testAccuracy > 0.8, `test accuracy ${done.testAccuracy}`);
  assert.ok(done.testLoss > 0 && done.samplesPerSecond > 0);
  assert.ok(fs.existsSync(path.join(modelDir, 'model.json')));

  const [digit] = writeDigitVariants(path.join(dir, 'digits'), [0]);
  const predict = cli('predict', digit.file, '--model-dir', modelDir, '--json');
  assert.equal(predict.code, 0, predict.stderr);
  const prediction = JSON.parse(predict.stdout.trim().split('\n').pop() ?? '');
  assert.equal(prediction.event, 'prediction');
  assert.equal(prediction.probabilities.length, 10);
  assert.equal(prediction.digit, prediction.probabilities.indexOf(Math.max(...prediction.probabilities)));
  assert.equal(prediction.top3.length, 3);
  assert.equal(prediction.top3[0].digit, prediction.digit);
  assert.ok(prediction.top3[0].probability >= prediction.top3[1].probability);
  assert.ok(prediction.unsure === null || typeof prediction.unsure === 'string');
  assert.equal(prediction.reading, 'clean');
  // The steps are named and sized, not shipped as pixels: the whole line stays small.
  assert.deepEqual(
    prediction.steps.map((s: { name: string }) => s.name),
    ['original', 'normalised', 'ink', 'digit', 'input'],
  );
  assert.deepEqual(prediction.steps[4], { name: 'input', width: 28, height: 28 });
  assert.ok(predict.stdout.length < 4000, `${predict.stdout.length} characters of JSON`);

  assertOneErrorLine(
    cli('predict', path.join(dir, 'no-such-digit.png'), '--model-dir', modelDir),
    /no-such-digit\.png/,
  );

  // An empty picture is an answer, "unsure" because it is empty, as in the panel: not an error line.
  const blankFile = path.join(dir, 'blank.png');
  const blankPng = new PNG({ width: 64, height: 48 });
  for (let i = 0; i < blankPng.data.length; i += 4) blankPng.data.set([110, 85, 57, 255], i); // uniform kraft brown
  fs.writeFileSync(blankFile, PNG.sync.write(blankPng));
  const blank = cli('predict', blankFile, '--model-dir', modelDir, '--json');
  assert.equal(blank.code, 0, blank.stderr);
  assert.equal(JSON.parse(blank.stdout.trim().split('\n').pop() ?? '').unsure, 'no ink found: the picture looks empty');

  const text = cli('predict', digit.file, '--model-dir', modelDir);
  assert.equal(text.code, 0);
  assert.match(text.stdout, new RegExp(`^digit: ${prediction.digit}$`, 'm'));
  assert.match(text.stdout, new RegExp(`^top 3: ${prediction.top3[0].digit} \\(`, 'm'));
});

test('cli: human output names the backend and dataset shapes first, then Keras-like epochs and the test metrics; a folder name prints escaped', () => {
  const dir = tempDir('cli');
  // A newline and an escape sequence in the folder's name print escaped, as in error lines.
  const modelDir = path.join(dir, 'm\nerror: fake\u001b[31m');
  const result = cli('train', '--epochs', '1', '--train-limit', '1000', '--model-dir', modelDir);
  assert.equal(result.code, 0, result.stderr);
  const out = result.stdout;
  assert.equal(out.includes('\u001b'), false, 'no escape sequence reaches the terminal');
  assert.doesNotMatch(out, /^error:/m);
  assert.match(out, /^model saved to .*m\\nerror: fake\\u001b\[31m$/m);
  assert.ok(fs.existsSync(path.join(modelDir, 'model.json')));
  assert.match(out, /^backend: (wasm|tensorflow|cpu)/m);
  assert.match(out, /train_images shape \(60000, 28, 28\) dtype uint8/);
  assert.match(out, /^Epoch 1\/1$/m);
  assert.match(out, /^8\/8 ━{20} \d+s \d+ms\/step - accuracy: 0\.\d{4} - loss: \d\.\d{4}$/m);
  assert.match(out, /^test_loss: \d\.\d{4} - test_accuracy: 0\.\d{4}$/m);
  assert.ok(out.indexOf('backend:') < out.indexOf('Epoch 1/1'));
});

test('cli: on wasm, --workers auto trains on every core (at most 4), as the status line and trainStart say; --workers 1 on one', () => {
  const dir = tempDir('cli');
  const args = [
    'train',
    '--backend',
    'wasm',
    '--epochs',
    '1',
    '--train-limit',
    '1000',
    '--model-dir',
    path.join(dir, 'm'),
  ];
  const all = Math.min(4, availableParallelism());
  const auto = cli(...args);
  assert.equal(auto.code, 0, auto.stderr);
  assert.match(auto.stdout, new RegExp(`^training on 1000 samples, ${all} threads?$`, 'm'));
  const one = cli(...args, '--workers', '1', '--json');
  assert.equal(one.code, 0, one.stderr);
  const start = one.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .find((l) => l.event === 'trainStart');
  assert.equal(start.threads, 1);
});

test('cli: the thread count printed is the one that trains: one on cpu whatever --workers asks, at most one per sample of a batch', () => {
  const dir = tempDir('cli');
  const threadsOf = (...flags: string[]) => {
    const run = cli('train', '--epochs', '1', '--model-dir', path.join(dir, 'm'), ...flags);
    assert.equal(run.code, 0, run.stderr);
    return run.stdout;
  };
  // The cpu backend trains through tfjs' optimizer on this thread: the fused trainer's workers need wasm or TensorFlow.
  assert.match(
    threadsOf('--backend', 'cpu', '--workers', '4', '--train-limit', '256'),
    /^training on 256 samples, 1 thread$/m,
  );
  const start = threadsOf('--backend', 'wasm', '--workers', '4', '--batch-size', '2', '--train-limit', '64', '--json')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .find((l) => l.event === 'trainStart');
  assert.equal(start.threads, 2);
});

test('cli: bad flags, a missing image and a missing model each give exit ≠ 0 and exactly one error line, no stack', () => {
  assertOneErrorLine(cli('train', '--epochs', 'many'), /--epochs must be an integer, got "many"/);
  assertOneErrorLine(cli('train', '--batch-size', '0'), /--batch-size must be an integer from 1 to 4096, got 0/);
  assertOneErrorLine(cli('train', '--colour', 'blue'), /Unknown option '--colour'/);
  if (!tfjsNodeInstalled()) {
    assertOneErrorLine(
      cli('train', '--backend', 'tensorflow', '--train-limit', '100'),
      /backend tensorflow is not available: @tensorflow\/tfjs-node is not installed/,
    );
  }
  assertOneErrorLine(cli('train', '--data', '/nonexistent/mnist'), /\/nonexistent\/mnist/);
  assertOneErrorLine(cli('juggle'), /unknown command "juggle"/);
  assertOneErrorLine(
    cli('predict', '/nonexistent/seven.png', '--model-dir', '/nonexistent/model'),
    /\/nonexistent\/model: no such model folder/,
  );
  const verbose = cli('predict', '/nonexistent/seven.png', '--model-dir', '/nonexistent/model', '--verbose');
  assert.notEqual(verbose.code, 0);
  assert.match(verbose.stderr, /^error: [^\n]*\n[\s\S]*\n\s+at /, '--verbose adds the stack');
});

test('cli: predict refuses a saved model whose output layer is not softmax, in one line naming its model.json', async () => {
  const dir = tempDir('cli');
  const modelDir = path.join(dir, 'model');
  await tf.setBackend('cpu');
  const model = buildModel(16, 1);
  await saveModel(model, modelDir);
  model.dispose();
  const modelJson = path.join(modelDir, MODEL_FILE);
  const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  json.modelTopology.config.layers[1].config.activation = 'linear';
  fs.writeFileSync(modelJson, JSON.stringify(json));
  const [digit] = writeDigitVariants(path.join(dir, 'digits'), [0]);
  // Before: "1050.7 %" on stdout, then a RangeError from the bar chart.
  const result = cli('predict', digit.file, '--model-dir', modelDir);
  assertOneErrorLine(
    result,
    new RegExp(
      `^error: ${modelJson}: the output layer's activation is "linear", but the book's network ends in softmax$`,
    ),
  );
  assert.doesNotMatch(result.stdout, /%|digit/, 'no prediction printed');
});

test('cli: a data folder whose training or test set has zero items is refused before any training, naming the file', () => {
  for (const [counts, file, set] of [
    [{ trainCount: 0 }, 'train-images-idx3-ubyte', 'training'],
    [{ testCount: 0 }, 't10k-images-idx3-ubyte', 'test'],
  ] as const) {
    const dir = tempDir('cli-empty-data');
    writeMnistSubset(path.join(dir, 'data'), counts);
    const modelDir = path.join(dir, 'model');
    const result = cli('train', '--epochs', '1', '--data', path.join(dir, 'data'), '--model-dir', modelDir);
    assertOneErrorLine(
      result,
      new RegExp(
        `^error: ${path.join(dir, 'data', file)}: holds no images \\(its header declares 0×28×28\\); the ${set} set needs at least one$`,
      ),
    );
    assert.doesNotMatch(result.stdout, /Epoch|training on/, 'refused before training');
    assert.equal(fs.existsSync(path.join(modelDir, 'model.json')), false);
  }
});

test('cli: a data file may be a link to a regular IDX file on shared storage; links to a FIFO or /dev/zero are refused at once', () => {
  const dir = tempDir('cli-links');
  const data = path.join(dir, 'data');
  const shared = path.join(dir, 'shared');
  writeMnistSubset(data, { trainCount: 256, testCount: 50 });
  fs.mkdirSync(shared);
  const images = path.join(data, 'train-images-idx3-ubyte');
  fs.renameSync(images, path.join(shared, 'train-images'));
  fs.symlinkSync(path.join(shared, 'train-images'), images);
  const modelDir = path.join(dir, 'model');
  const train = cli('train', '--epochs', '1', '--data', data, '--model-dir', modelDir, '--json');
  assert.equal(train.code, 0, train.stderr);
  assert.equal(JSON.parse(train.stdout.trim().split('\n').pop() ?? '').event, 'done');
  assert.ok(fs.existsSync(path.join(modelDir, 'model.json')));

  const labels = path.join(data, 't10k-labels-idx1-ubyte');
  fs.rmSync(labels);
  const fifo = path.join(shared, 'labels-pipe');
  execFileSync('mkfifo', [fifo]);
  for (const [target, kind] of [
    [fifo, 'a named pipe'],
    ['/dev/zero', 'a character device'],
  ]) {
    fs.rmSync(labels, { force: true });
    fs.symlinkSync(target, labels);
    const result = cli('train', '--epochs', '1', '--data', data, '--model-dir', path.join(dir, 'never'));
    assertOneErrorLine(
      result,
      new RegExp(`^error: ${labels}: is a link to ${target}, which is not a regular file \\(${kind}\\)$`),
    );
    assert.doesNotMatch(result.stdout, /Epoch/, 'refused before training');
  }
});

test('cli: a model folder the tool did not write is refused before training, in one line, its name escaped; nothing in it changes', () => {
  const dir = tempDir('cli');
  // A newline and an escape sequence in the folder's name must not print a second line or reach the terminal.
  const foreign = path.join(dir, 'my\nerror: fake\u001b[31m project');
  fs.mkdirSync(foreign);
  fs.writeFileSync(path.join(foreign, 'thesis.tex'), 'years of work');
  const result = cli('train', '--epochs', '1', '--train-limit', '256', '--model-dir', foreign);
  assertOneErrorLine(
    result,
    /my\\nerror: fake\\u001b\[31m project: holds files that Tensor Lens did not save; choose a new or empty folder/,
  );
  assert.equal(result.stdout.includes('Epoch'), false, 'refused before training');
  assert.deepEqual(fs.readdirSync(foreign), ['thesis.tex']);
  assert.equal(fs.readFileSync(path.join(foreign, 'thesis.tex'), 'utf8'), 'years of work');
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, 'keep');
  assertOneErrorLine(cli('train', '--model-dir', file), /a-file: is a file, not a folder/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'keep');
  assertOneErrorLine(cli('train', '--model-dir', ''), /--model-dir must name a folder/);
});

test('cli: `train | head -1` ends quietly when the reader goes away, and still saves the model', () => {
  const dir = tempDir('cli-pipe');
  const modelDir = path.join(dir, 'model');
  const stderrFile = path.join(dir, 'stderr');
  // bash's PIPESTATUS gives the trainer's own exit code, not head's.
  const result = spawnSync(
    'bash',
    [
      '-c',
      `"$0" "$1" train --epochs 2 --train-limit 3000 --model-dir "$2" 2>"$3" | head -1; echo "exit \${PIPESTATUS[0]}"`,
      process.execPath,
      cliJs,
      modelDir,
      stderrFile,
    ],
    { cwd: root, encoding: 'utf8' },
  );
  const [first, status] = result.stdout.trim().split('\n');
  assert.ok(first.length > 0, 'head printed the first line');
  assert.equal(fs.readFileSync(stderrFile, 'utf8'), '', 'no EPIPE error nor stack on stderr');
  assert.equal(status, 'exit 0');
  assert.ok(fs.existsSync(path.join(modelDir, 'model.json')), 'the model was saved all the same');
});

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  pid: number;
  lines: string[];
  stderr: string;
}

/**
 * Runs the CLI and sends it SIGINT (Ctrl-C) each time a stdout line matches `interruptAt`'s next
 * pattern, as a person watching the output would; resolves when it exits.
 */
function interrupt(args: string[], interruptAt: RegExp[]): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliJs, ...args], { cwd: root });
    const lines: string[] = [];
    let stderr = '';
    let partial = '';
    const pending = [...interruptAt];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (pending.length > 0 && pending[0].test(line)) {
          pending.shift();
          child.kill('SIGINT');
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, pid: child.pid!, lines, stderr }));
  });
}

/** Accuracy of the model in `modelDir` on the first 1000 real MNIST test digits. */
/** The weights the model folder loads as (the backup's, while one is there), as bytes. */
async function weightsOf(modelDir: string): Promise<Buffer> {
  await tf.setBackend('cpu');
  const model = await loadModel(modelDir);
  const values = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
  model.dispose();
  return Buffer.concat(values.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)));
}

async function savedModelAccuracy(modelDir: string): Promise<number> {
  await tf.setBackend('cpu');
  const { test } = loadMnist();
  const count = 1000;
  const model = await loadModel(modelDir);
  const guesses = tf.tidy(() =>
    (
      model.predict(tf.tensor2d(toFitData(test.images, test.labels, 0, count).images, [count, 784])) as tf.Tensor
    ).argMax(-1),
  );
  const digits = await guesses.data();
  guesses.dispose();
  model.dispose();
  return digits.filter((d, i) => d === test.labels[i]).length / count;
}

/** Processes whose command line names `text` (none may outlive a CLI run that was told to end). */
function processesNaming(text: string): number[] {
  return fs.readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      return fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text) ? [Number(entry)] : [];
    } catch {
      return []; // ended while we looked
    }
  });
}

test('cli: Ctrl-C after an epoch stops the run and saves its model as of the last batch, saying so (exit 130); a second Ctrl-C ends at once and the folder still loads', async () => {
  const dir = tempDir('cli-sigint');
  const modelDir = path.join(dir, 'model');
  const args = ['train', '--epochs', '20', '--train-limit', '6000', '--model-dir', modelDir];

  // One Ctrl-C once the first epoch's line is out.
  const stopped = await interrupt(args, [/^\d+\/\d+ ━/]);
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.equal(stopped.stderr, '');
  const summary = stopped.lines.find((l) => l.startsWith('stopped: '));
  assert.match(summary ?? '', /^stopped: \d+ epochs? in \d+s \(\d+ samples\/s\)$/);
  const epochs = Number(/^stopped: (\d+)/.exec(summary!)![1]);
  assert.ok(epochs >= 1 && epochs < 20, `${epochs} epochs completed`);
  // The model as of the last batch trained: within the next epoch, or the last of the epochs completed.
  const savedLine = stopped.lines[stopped.lines.length - 1];
  const at = /^stopped after epoch (\d+), batch (\d+)\/47; model saved to (.*)$/.exec(savedLine);
  assert.ok(at !== null, savedLine);
  const [epoch, batch] = [Number(at[1]), Number(at[2])];
  assert.ok(epoch === epochs + 1 || (epoch === epochs && batch === 47), savedLine);
  assert.equal(at[3], modelDir);
  assert.deepEqual(fs.readdirSync(modelDir).sort(), [MODEL_FILE, WEIGHTS_FILE], 'no temp or backup left');
  const accuracy = await savedModelAccuracy(modelDir);
  assert.ok(accuracy > 0.8, `the saved model is the trained one: test accuracy ${accuracy}`);
  assert.deepEqual(processesNaming(modelDir), []);

  // Again into the same folder, now holding that model: Ctrl-C after an epoch, then once more as
  // soon as the run says it stopped, while it saves. The second one kills it at once.
  const lastGood = await weightsOf(modelDir);
  const quit = await interrupt([...args, '--json'], [/"event":"epoch"/, /"event":"trainEnd"/]);
  assert.equal(quit.stderr, '');
  const events = quit.lines.map((l) => JSON.parse(l) as { event: string; reason?: string });
  assert.equal(events.find((e) => e.event === 'trainEnd')?.reason, 'stopped');
  const saved = events.some((e) => e.event === 'saved');
  // Killed by the second SIGINT, or (when the save was quicker than the signal) exited as a stopped run.
  assert.ok(quit.signal === 'SIGINT' || (saved && quit.code === 130), `code ${quit.code}, signal ${quit.signal}`);
  // Never a half model: the folder loads the last complete one, the new model once its save finished.
  const loaded = await weightsOf(modelDir);
  if (saved) assert.notDeepEqual(loaded, lastGood, 'the finished save replaced the model');
  else if (!loaded.equals(lastGood)) assert.ok((await savedModelAccuracy(modelDir)) > 0.8, 'a complete new model');
  assert.ok(
    fs.readdirSync(modelDir).every((f) => f === MODEL_FILE || f === WEIGHTS_FILE || f.startsWith(TOOL_PREFIX)),
    'only the model files and what the save itself named',
  );
  // The folder still serves.
  const [digit] = writeDigitVariants(path.join(dir, 'digits'), [3]);
  assert.equal(cli('predict', digit.file, '--model-dir', modelDir).code, 0);
  // The next save tidies whatever the kill left.
  const model = await loadModel(modelDir);
  await saveModel(model, modelDir);
  model.dispose();
  assert.deepEqual(fs.readdirSync(modelDir).sort(), [MODEL_FILE, WEIGHTS_FILE]);
  assert.equal(isAlive(quit.pid), false);
  assert.deepEqual(processesNaming(modelDir), [], 'no process of the run is left');
});
