import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { toFitData } from '../../../src/trainer/fastFit';
import { buildModel } from '../../../src/trainer/model';
import { MODEL_FILE, WEIGHTS_FILE, loadModel, saveModel } from '../../../src/trainer/persist';
import { tempDir } from '../../support/tempDir';

const SAMPLES = 200;
const testImages = (() => {
  const { test } = loadMnist();
  return toFitData(test.images, test.labels, 0, SAMPLES).images;
})();

/** The model's softmax outputs for the first real MNIST test digits. */
async function predictions(model: tf.LayersModel): Promise<Float32Array> {
  const out = tf.tidy(() => model.predict(tf.tensor2d(testImages, [SAMPLES, 784])) as tf.Tensor);
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

test('persist: save then load gives the identical model (same predictions on real digits, same weight names)', async () => {
  await tf.setBackend('cpu');
  const dir = path.join(tempDir('persist'), 'model');
  const model = buildModel(64, 3);
  const saved = await saveModel(model, dir);
  assert.equal(saved, dir);
  assert.deepEqual(fs.readdirSync(dir).sort(), [MODEL_FILE, WEIGHTS_FILE]);
  const json = JSON.parse(fs.readFileSync(path.join(dir, MODEL_FILE), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.deepEqual(
    json.weightsManifest[0].weights.map((w: { name: string }) => w.name),
    ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'],
  );
  assert.equal(fs.statSync(path.join(dir, WEIGHTS_FILE)).size, (784 * 64 + 64 + 64 * 10 + 10) * 4);
  const loaded = await loadModel(dir);
  assert.deepEqual(await predictions(loaded), await predictions(model));
  [model, loaded].forEach((m) => m.dispose());
});

test('persist: saving over a model replaces it and leaves no temp or backup folder behind', async () => {
  await tf.setBackend('cpu');
  const parent = tempDir('persist');
  const dir = path.join(parent, 'model');
  const first = buildModel(32, 1);
  const second = buildModel(32, 2);
  await saveModel(first, dir);
  await saveModel(second, dir);
  assert.deepEqual(fs.readdirSync(parent), ['model']);
  const loaded = await loadModel(dir);
  assert.deepEqual(await predictions(loaded), await predictions(second));
  assert.notDeepEqual(await predictions(loaded), await predictions(first));
  [first, second, loaded].forEach((m) => m.dispose());
});

test('persist: a crash between the two renames leaves the previous model loadable', async () => {
  await tf.setBackend('cpu');
  const parent = tempDir('persist');
  const dir = path.join(parent, 'model');
  const model = buildModel(32, 5);
  await saveModel(model, dir);
  // The state a save leaves when killed after moving the old model aside, before moving the new one in.
  fs.renameSync(dir, `${dir}.previous`);
  fs.mkdirSync(`${dir}.tmp-999-1`);
  fs.writeFileSync(path.join(`${dir}.tmp-999-1`, WEIGHTS_FILE), Buffer.alloc(100));
  const loaded = await loadModel(dir);
  assert.deepEqual(await predictions(loaded), await predictions(model));
  // The next save cleans up and works.
  await saveModel(loaded, dir);
  assert.deepEqual(fs.readdirSync(parent), ['model']);
  [model, loaded].forEach((m) => m.dispose());
});

/** Runs the save-loop fixture and SIGKILLs it `delayMs` after its first complete save. */
function killDuringSaves(dir: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'saveLoop.fixture.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.once('error', reject);
    child.once('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`fixture exited by itself (${signal})`)),
    );
  });
}

test('persist: killing a process in the middle of saves never leaves a broken model', async () => {
  await tf.setBackend('cpu');
  const expected = [await predictions(buildModel(512, 1)), await predictions(buildModel(512, 2))];
  const dir = path.join(tempDir('persist'), 'model');
  for (const delayMs of [0, 7, 23, 61, 150]) {
    await killDuringSaves(dir, delayMs);
    const loaded = await loadModel(dir);
    const got = await predictions(loaded);
    loaded.dispose();
    assert.ok(
      expected.some((e) => e.every((v, i) => v === got[i])),
      `after a kill at +${delayMs} ms the loaded model is one of the two saved ones`,
    );
  }
});

test('persist: bad model folders give errors naming the folder or file and the fault', async () => {
  await tf.setBackend('cpu');
  const parent = tempDir('persist');
  await assert.rejects(
    loadModel(path.join(parent, 'nowhere')),
    new RegExp(`${path.join(parent, 'nowhere')}: no such model folder`),
  );
  const empty = path.join(parent, 'empty');
  fs.mkdirSync(empty);
  await assert.rejects(loadModel(empty), /empty\/model\.json: missing \(not a saved model folder\)/);

  const dir = path.join(parent, 'model');
  const model = buildModel(16, 1);
  await saveModel(model, dir);
  model.dispose();
  const modelJson = path.join(dir, MODEL_FILE);
  const weights = path.join(dir, WEIGHTS_FILE);
  const goodJson = fs.readFileSync(modelJson, 'utf8');
  const goodWeights = fs.readFileSync(weights);

  fs.writeFileSync(weights, goodWeights.subarray(0, goodWeights.length - 8));
  await assert.rejects(
    loadModel(dir),
    new RegExp(
      `weights\\.bin: weights size mismatch: ${goodWeights.length - 8} bytes, model\\.json describes ${goodWeights.length}`,
    ),
  );
  fs.rmSync(weights);
  await assert.rejects(loadModel(dir), /weights\.bin: missing \(named in model\.json\)/);
  fs.writeFileSync(weights, goodWeights);

  fs.writeFileSync(modelJson, goodJson.slice(0, 40));
  await assert.rejects(loadModel(dir), /model\.json: corrupt JSON: /);
  fs.writeFileSync(modelJson, JSON.stringify({ hello: 'world' }));
  await assert.rejects(loadModel(dir), /model\.json: not a tfjs layers model/);
  fs.writeFileSync(modelJson, goodJson);
  const reloaded = await loadModel(dir);
  reloaded.dispose();
});
