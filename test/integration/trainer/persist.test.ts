import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { toFitData } from '../../../src/trainer/fitData';
import { buildModel } from '../../../src/trainer/model';
import {
  MODEL_FILE,
  TOOL_PREFIX,
  WEIGHTS_FILE,
  loadModel,
  prepareModelFolder,
  saveModel,
} from '../../../src/trainer/persist';
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

/** The state a save leaves when killed after its backup, half way through replacing the live files. */
function crashAfterBackup(dir: string, next: tf.LayersModel): Promise<void> {
  const backup = path.join(dir, `${TOOL_PREFIX}backup`);
  fs.mkdirSync(backup);
  for (const name of [MODEL_FILE, WEIGHTS_FILE]) fs.copyFileSync(path.join(dir, name), path.join(backup, name));
  // The new weights are in place, model.json is still the old one; and a temp folder is left behind.
  const temp = path.join(dir, `${TOOL_PREFIX}tmp-999`);
  fs.mkdirSync(temp);
  return saveModel(next, temp).then(() => {
    fs.renameSync(path.join(temp, WEIGHTS_FILE), path.join(dir, WEIGHTS_FILE));
    fs.rmSync(path.join(temp, MODEL_FILE));
  });
}

test('persist: a crash between the renames leaves the previous model loadable, and the next save completes', async () => {
  await tf.setBackend('cpu');
  const parent = tempDir('persist');
  const dir = path.join(parent, 'model');
  const model = buildModel(32, 5);
  await saveModel(model, dir);
  await crashAfterBackup(dir, buildModel(64, 6));
  const loaded = await loadModel(dir);
  assert.deepEqual(await predictions(loaded), await predictions(model));
  // The next save cleans up and works; only the model's files remain.
  const next = buildModel(32, 7);
  await saveModel(next, dir);
  assert.deepEqual(fs.readdirSync(dir).sort(), [MODEL_FILE, WEIGHTS_FILE]);
  assert.deepEqual(fs.readdirSync(parent), ['model']);
  const reloaded = await loadModel(dir);
  assert.deepEqual(await predictions(reloaded), await predictions(next));
  [model, loaded, next, reloaded].forEach((m) => m.dispose());
});

test('persist: a save killed while it probes the folder leaves only a name the next save clears', async () => {
  await tf.setBackend('cpu');
  const dir = path.join(tempDir('persist'), 'model');
  const model = buildModel(32, 8);
  await saveModel(model, dir);
  // What a kill between writing the probe and removing it leaves (the CLI's second Ctrl-C lands there often).
  fs.writeFileSync(path.join(dir, `${TOOL_PREFIX}probe-99999`), 'probe');
  await saveModel(model, dir);
  assert.deepEqual(fs.readdirSync(dir).sort(), [MODEL_FILE, WEIGHTS_FILE]);
  model.dispose();
});

/** Runs the save-loop fixture and SIGKILLs it `delayMs` after its first complete save. */
function killDuringSaves(
  dir: string,
  delayMs: number,
  when: 'afterFirstSave' | 'early' = 'afterFirstSave',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = [path.join(__dirname, 'saveLoop.fixture.ts'), dir, ...(when === 'early' ? ['early'] : [])];
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
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

test('persist: two crashes in a row (one between the renames, one during the next save) still leave a model', async () => {
  await tf.setBackend('cpu');
  const first = buildModel(512, 3);
  const candidates = [first, buildModel(512, 1), buildModel(512, 2)];
  const expected = await Promise.all(candidates.map(predictions));
  const dir = path.join(tempDir('persist'), 'model');
  for (const delayMs of [0, 30, 90, 200, 400]) {
    fs.rmSync(dir, { recursive: true, force: true });
    await saveModel(first, dir);
    await crashAfterBackup(dir, buildModel(512, 4));
    await killDuringSaves(dir, delayMs, 'early');
    const loaded = await loadModel(dir);
    const got = await predictions(loaded);
    loaded.dispose();
    assert.ok(
      expected.some((e) => e.every((v, i) => v === got[i])),
      `after a second crash at +${delayMs} ms the loaded model is the first one or a saved one`,
    );
  }
  candidates.forEach((m) => m.dispose());
});

/** Every file and folder under `root`, with its content (files) so a test sees any change. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true }) as string[]) {
    const full = path.join(root, entry);
    const stat = fs.lstatSync(full);
    out[entry] = stat.isSymbolicLink()
      ? `-> ${fs.readlinkSync(full)}`
      : stat.isFile()
        ? fs.readFileSync(full, 'utf8')
        : 'dir';
  }
  return out;
}

test('persist: saving refuses (before writing anything) every target the tool did not write', async (t) => {
  await tf.setBackend('cpu');
  const model = buildModel(16, 1);
  const parent = tempDir('persist');
  const foreign = path.join(parent, 'project');
  fs.mkdirSync(path.join(foreign, '.git'), { recursive: true });
  fs.writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
  fs.writeFileSync(path.join(foreign, '.git', 'HEAD'), 'ref: refs/heads/main');
  // A user's model.json without the tool's marker is not ours either.
  fs.writeFileSync(path.join(foreign, MODEL_FILE), '{"modelTopology":{}}');
  const file = path.join(parent, 'a-file');
  fs.writeFileSync(file, 'data');
  const link = path.join(parent, 'link');
  fs.symlinkSync(foreign, link);
  // Siblings that merely share the old temp and backup names.
  fs.mkdirSync(path.join(parent, 'model.previous'));
  fs.writeFileSync(path.join(parent, 'model.previous', 'keep'), 'k');
  fs.mkdirSync(path.join(parent, 'model.tmp-1-2'));
  fs.writeFileSync(path.join(parent, 'model.tmp-1-2', 'keep'), 'k');
  const before = snapshot(parent);
  const cwd = process.cwd();
  process.chdir(foreign);
  try {
    for (const [target, fault] of [
      [foreign, /project: holds files that Tensor Lens did not save; choose a new or empty folder/],
      ['.', /project: holds files that Tensor Lens did not save/],
      [file, /a-file: is a file, not a folder/],
      [link, /link: is a symbolic link, not a folder/],
      ['', /the model folder path is empty/],
    ] as const) {
      await t.test(`refuses ${target === '' ? 'an empty path' : `"${path.basename(target)}"`}`, async () => {
        assert.throws(() => prepareModelFolder(target), fault);
        await assert.rejects(saveModel(model, target), fault);
      });
    }
  } finally {
    process.chdir(cwd);
  }
  assert.deepEqual(snapshot(parent), before, 'nothing was changed');
  // The siblings survive a real save next to them, too.
  await saveModel(model, path.join(parent, 'model'));
  assert.deepEqual(fs.readdirSync(path.join(parent, 'model.previous')), ['keep']);
  assert.deepEqual(fs.readdirSync(path.join(parent, 'model.tmp-1-2')), ['keep']);
  model.dispose();
});

test('persist: a folder the tool saved into keeps everything but the model files; an empty or absent one is created', async () => {
  await tf.setBackend('cpu');
  const parent = tempDir('persist');
  const empty = path.join(parent, 'empty');
  fs.mkdirSync(empty);
  const first = buildModel(16, 1);
  const second = buildModel(16, 2);
  await saveModel(first, empty);
  const json = JSON.parse(fs.readFileSync(path.join(empty, MODEL_FILE), 'utf8'));
  assert.deepEqual(json.userDefinedMetadata, { tensorLens: { format: 1 } });
  fs.writeFileSync(path.join(empty, 'README.txt'), 'my notes');
  await saveModel(second, empty);
  assert.deepEqual(fs.readdirSync(empty).sort(), ['README.txt', MODEL_FILE, WEIGHTS_FILE]);
  assert.equal(fs.readFileSync(path.join(empty, 'README.txt'), 'utf8'), 'my notes');
  assert.equal(await saveModel(first, path.join(parent, 'new', 'deep')), path.join(parent, 'new', 'deep'));
  // A first save that crashed left only its temp folder: the folder is still ours to save into.
  const crashedFirst = path.join(parent, 'crashed-first');
  fs.mkdirSync(path.join(crashedFirst, `${TOOL_PREFIX}tmp-123`), { recursive: true });
  await saveModel(first, crashedFirst);
  assert.deepEqual(fs.readdirSync(crashedFirst).sort(), [MODEL_FILE, WEIGHTS_FILE]);
  // A folder that cannot be written is refused before training, by a probe.
  const locked = path.join(parent, 'locked');
  fs.mkdirSync(locked, { mode: 0o500 });
  if (process.getuid?.() !== 0)
    assert.throws(() => prepareModelFolder(locked), /locked: cannot write into the model folder/);
  [first, second].forEach((m) => m.dispose());
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

test('persist: a hostile model folder gives one line naming the file and the fault, never a hang or a library message', async (t) => {
  await tf.setBackend('cpu');
  const parent = tempDir('persist');
  const dir = path.join(parent, 'model');
  const model = buildModel(16, 1);
  await saveModel(model, dir);
  model.dispose();
  const modelJson = path.join(dir, MODEL_FILE);
  const weights = path.join(dir, WEIGHTS_FILE);
  const good = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const goodWeights = fs.readFileSync(weights);
  const outside = path.join(parent, 'outside.bin');
  fs.writeFileSync(outside, goodWeights);
  interface SavedJson {
    modelTopology: {
      class_name: string;
      config: { layers: { class_name: string; config: Record<string, unknown> }[] };
    };
    weightsManifest: { paths: unknown; weights: { shape: unknown; dtype: string }[] }[];
  }
  const edit = (change: (json: SavedJson) => void) => {
    const json = structuredClone(good);
    change(json);
    fs.writeFileSync(modelJson, JSON.stringify(json));
  };
  const layers = (json: SavedJson) => json.modelTopology.config.layers;
  const cases: [string, () => void, RegExp][] = [
    [
      'a path up and out',
      () => edit((j) => (j.weightsManifest[0].paths = ['../outside.bin'])),
      /leads outside the model folder/,
    ],
    ['an absolute path', () => edit((j) => (j.weightsManifest[0].paths = [outside])), /is absolute/],
    [
      'a symlink out',
      () => {
        fs.rmSync(weights);
        fs.symlinkSync(outside, weights);
      },
      /weights\.bin: leads outside the model folder/,
    ],
    [
      'a FIFO for weights',
      () => {
        fs.rmSync(weights);
        execFileSync('mkfifo', [weights]);
      },
      /weights\.bin: not a regular file/,
    ],
    [
      'a FIFO for model.json',
      () => {
        fs.rmSync(modelJson);
        execFileSync('mkfifo', [modelJson]);
      },
      /model\.json: not a regular file/,
    ],
    [
      'a huge model.json',
      () => fs.writeFileSync(modelJson, ' '.repeat(2 << 20)),
      /model\.json: \d+ bytes, more than the 1048576/,
    ],
    [
      'an unknown layer class',
      () => edit((j) => (layers(j)[1].class_name = 'Lambda')),
      /model\.json: not the book's network Dense → Dense \(layers: Dense → Lambda\)/,
    ],
    ['a third layer', () => edit((j) => layers(j).push(layers(j)[1])), /model\.json: not the book's network/],
    [
      'units of the wrong type',
      () => edit((j) => (layers(j)[0].config.units = '16')),
      /model\.json: layer 1: units must be a positive integer, got "16"/,
    ],
    [
      'an unknown activation',
      () => edit((j) => (layers(j)[0].config.activation = 'exec')),
      /model\.json: layer 1: unknown activation "exec"/,
    ],
    [
      'another input size',
      () => edit((j) => (layers(j)[0].config.batch_input_shape = [null, 100])),
      /model\.json: input shape must be \[null, 784\]/,
    ],
    [
      'another output size',
      () => edit((j) => (layers(j)[1].config.units = 5)),
      /model\.json: output layer has 5 units, not 10/,
    ],
    [
      'a hidden layer past the cap',
      () => edit((j) => (layers(j)[0].config.units = 1e6)),
      /model\.json: hidden layer has 1000000 units, more than 4096/,
    ],
    [
      'weight shapes off',
      () => edit((j) => (j.weightsManifest[0].weights[1].shape = [17])),
      /model\.json: weights must have shapes/,
    ],
    [
      'quantized weights',
      () => edit((j) => (j.weightsManifest[0].weights[0].dtype = 'int32')),
      /model\.json: weights must be unquantized float32/,
    ],
    [
      'a manifest of the wrong type',
      () => edit((j) => (j.weightsManifest = [{ paths: 'weights.bin' } as never])),
      /model\.json: weightsManifest entries need/,
    ],
    [
      'another model class',
      () => edit((j) => (j.modelTopology.class_name = 'Model')),
      /model\.json: not a Sequential model/,
    ],
  ];
  // One subtest per case: a failure names its case, and the other cases still run.
  for (const [what, breakIt, fault] of cases) {
    await t.test(what, async () => {
      breakIt();
      try {
        const started = performance.now();
        await assert.rejects(loadModel(dir), (e: Error) => {
          assert.match(e.message, fault);
          assert.ok(e.message.includes(dir), 'names the folder');
          assert.ok(!e.message.includes('\n'), 'one line');
          return true;
        });
        assert.ok(performance.now() - started < 2000, 'no hang');
      } finally {
        for (const file of [modelJson, weights]) fs.rmSync(file, { force: true });
        fs.writeFileSync(modelJson, JSON.stringify(good));
        fs.writeFileSync(weights, goodWeights);
      }
    });
  }
  (await loadModel(dir)).dispose();
});

test('persist: a model.json of binary garbage gives one line, its bytes escaped (found by npm run fuzz, seed 17130 case 129)', async () => {
  const dir = tempDir('garbage-json');
  fs.writeFileSync(path.join(dir, 'model.json'), Buffer.from('ss_n\u00ffmo\n\u0000+\u001b[31m=', 'latin1'));
  await assert.rejects(loadModel(dir), (e: Error) => {
    assert.match(e.message, /model\.json: corrupt JSON: /);
    assert.ok(
      [...e.message].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f),
      'no control character, so no second line and no escape sequence',
    );
    return true;
  });
});

test("persist: a model whose output layer is not softmax is refused in one line naming its model.json, a planted backup's too", async (t) => {
  await tf.setBackend('cpu');
  const dir = path.join(tempDir('persist'), 'model');
  const model = buildModel(16, 1);
  await saveModel(model, dir);
  model.dispose();
  const modelJson = path.join(dir, MODEL_FILE);
  const good = fs.readFileSync(modelJson, 'utf8');
  const withOutput = (activation: string): string => {
    const json = JSON.parse(good);
    json.modelTopology.config.layers[1].config.activation = activation;
    return JSON.stringify(json);
  };
  // linear printed "1050.7 %" and then broke predict's bars; sigmoid's ten outputs sum above one.
  for (const activation of ['linear', 'sigmoid', 'relu']) {
    await t.test(`output activation ${activation}`, async () => {
      fs.writeFileSync(modelJson, withOutput(activation));
      await assert.rejects(loadModel(dir), (e: Error) => {
        assert.equal(
          e.message,
          `${modelJson}: the output layer's activation is "${activation}", but the book's network ends in softmax`,
        );
        return true;
      });
    });
  }
  // The loader prefers a backup (a save that did not finish), so a planted one is checked the same way.
  fs.writeFileSync(modelJson, good);
  const backup = path.join(dir, `${TOOL_PREFIX}backup`);
  fs.mkdirSync(backup);
  fs.writeFileSync(path.join(backup, MODEL_FILE), withOutput('linear'));
  fs.copyFileSync(path.join(dir, WEIGHTS_FILE), path.join(backup, WEIGHTS_FILE));
  await assert.rejects(loadModel(dir), (e: Error) => {
    assert.equal(
      e.message,
      `${path.join(backup, MODEL_FILE)}: the output layer's activation is "linear", but the book's network ends in softmax`,
    );
    return true;
  });
  fs.writeFileSync(path.join(backup, MODEL_FILE), good);
  (await loadModel(dir)).dispose();
});

/**
 * A folder as a Tensor Lens from before the ownership marker left it: `model` saved, then its
 * model.json rewritten without userDefinedMetadata, its weights under `weightsName`.
 */
async function unmarkedFolder(dir: string, model: tf.LayersModel, weightsName = WEIGHTS_FILE): Promise<string> {
  await saveModel(model, dir);
  const modelJson = path.join(dir, MODEL_FILE);
  const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  delete json.userDefinedMetadata;
  json.weightsManifest[0].paths = [`./${weightsName}`];
  fs.writeFileSync(modelJson, JSON.stringify(json));
  if (weightsName !== WEIGHTS_FILE) fs.renameSync(path.join(dir, WEIGHTS_FILE), path.join(dir, weightsName));
  return modelJson;
}

test('persist: a model folder an earlier Tensor Lens saved (no marker) loads, is saved into, and is marked then', async () => {
  await tf.setBackend('cpu');
  const parent = tempDir('persist');
  const first = buildModel(32, 1);
  const second = buildModel(32, 2);
  // The old extension's folder name, and a shard name as tfjs-node's file:// handler wrote it.
  for (const [name, weightsName] of [
    ['mnist-model', WEIGHTS_FILE],
    ['sharded', 'group1-shard1of1.bin'],
  ]) {
    const dir = path.join(parent, name);
    const modelJson = await unmarkedFolder(dir, first, weightsName);
    assert.equal(JSON.parse(fs.readFileSync(modelJson, 'utf8')).userDefinedMetadata, undefined);
    const loaded = await loadModel(dir);
    assert.deepEqual(await predictions(loaded), await predictions(first), `${name}: the old model loads`);
    loaded.dispose();
    assert.equal(prepareModelFolder(dir), dir, `${name}: recognised as ours`);
    await saveModel(second, dir);
    assert.deepEqual(JSON.parse(fs.readFileSync(modelJson, 'utf8')).userDefinedMetadata, { tensorLens: { format: 1 } });
    const resaved = await loadModel(dir);
    assert.deepEqual(await predictions(resaved), await predictions(second), `${name}: the new model replaced it`);
    resaved.dispose();
    // The old shard is left where it was (nothing not replaced by name is deleted); the folder stays ours.
    assert.deepEqual(fs.readdirSync(dir).sort(), [...new Set([weightsName, MODEL_FILE, WEIGHTS_FILE])].sort());
    await saveModel(first, dir);
  }
  [first, second].forEach((m) => m.dispose());
});

test('persist: an unmarked folder with anything more, less or different than the book model is still refused', async () => {
  await tf.setBackend('cpu');
  const parent = tempDir('persist');
  const model = buildModel(16, 1);
  const cases: [string, (dir: string, modelJson: string) => void][] = [
    ['extra-file', (dir) => fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine')],
    ['extra-folder', (dir) => fs.mkdirSync(path.join(dir, 'checkpoints'))],
    ['no-weights', (dir) => fs.rmSync(path.join(dir, WEIGHTS_FILE))],
    ['short-weights', (dir) => fs.truncateSync(path.join(dir, WEIGHTS_FILE), 100)],
    [
      'not-the-book',
      (_dir, modelJson) => {
        const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
        json.modelTopology.config.layers[1].config.activation = 'sigmoid';
        fs.writeFileSync(modelJson, JSON.stringify(json));
      },
    ],
    [
      'weights-in-subfolder',
      (dir, modelJson) => {
        const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
        json.weightsManifest[0].paths = ['./w/weights.bin'];
        fs.writeFileSync(modelJson, JSON.stringify(json));
        fs.mkdirSync(path.join(dir, 'w'));
        fs.renameSync(path.join(dir, WEIGHTS_FILE), path.join(dir, 'w', WEIGHTS_FILE));
      },
    ],
    [
      'linked-weights',
      (dir, modelJson) => {
        const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
        json.weightsManifest[0].paths = ['./link.bin'];
        fs.writeFileSync(modelJson, JSON.stringify(json));
        fs.symlinkSync(WEIGHTS_FILE, path.join(dir, 'link.bin'));
      },
    ],
  ];
  for (const [name, spoil] of cases) {
    const dir = path.join(parent, name);
    const modelJson = await unmarkedFolder(dir, model);
    spoil(dir, modelJson);
    const before = snapshot(dir);
    assert.throws(() => prepareModelFolder(dir), /holds files that Tensor Lens did not save/, name);
    await assert.rejects(saveModel(model, dir), /holds files that Tensor Lens did not save/, name);
    assert.deepEqual(snapshot(dir), before, `${name}: nothing was changed`);
  }
  model.dispose();
});
