// The host's own MNIST service: sample pages and dataset tensors equal the IDX files' bytes, pages
// are copies (not views of the 47 MB buffer), and out-of-range asks name the range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DatasetStore, weightView } from '../../../src/extension/datasetStore';
import { defaultMnistDir } from '../../../src/shared/mnistFiles';

const dir = defaultMnistDir();
// Raw IDX: 16-byte header for images, 8 for labels.
const testImages = readFileSync(path.join(dir, 't10k-images-idx3-ubyte')).subarray(16);
const testLabels = readFileSync(path.join(dir, 't10k-labels-idx1-ubyte')).subarray(8);
const trainImages = readFileSync(path.join(dir, 'train-images-idx3-ubyte')).subarray(16);

test('the tree’s dataset tensors: names, shapes and dtypes of the four files', () => {
  const store = new DatasetStore(() => null);
  assert.deepEqual(
    store.summaries().map((s) => `${s.name} ${s.dtype} [${s.shape.join(', ')}]`),
    [
      'train_images uint8 [60000, 28, 28]',
      'train_labels uint8 [60000]',
      'test_images uint8 [10000, 28, 28]',
      'test_labels uint8 [10000]',
    ],
  );
  assert.ok(store.isDatasetTensor('test_labels'));
  assert.ok(!store.isDatasetTensor('dense/kernel'));
});

test('a sample page holds exactly the files’ bytes and labels, as its own small buffer', () => {
  const store = new DatasetStore(() => null);
  const page = store.samples('test', 9990, 2000);
  assert.equal(page.count, 10, 'clipped at the end of the split');
  assert.deepEqual(Buffer.from(page.images), testImages.subarray(9990 * 784, 10000 * 784));
  assert.deepEqual([...page.labels], [...testLabels.subarray(9990, 10000)]);
  assert.equal(page.images.buffer.byteLength, 10 * 784, 'a copy, not a view of the whole file');
  assert.throws(() => store.samples('test', 10000, 1), /test sample 10000 is out of range 0–9999/);
});

test('dataset tensors for the inspector: one image of a rank-3 tensor, the whole label vector', () => {
  const store = new DatasetStore(() => null);
  const image = store.tensorView('train_images', 4);
  assert.deepEqual(image.shape, [60000, 28, 28]);
  assert.equal(image.sliceIndex, 4);
  assert.deepEqual([...image.values], [...trainImages.subarray(4 * 784, 5 * 784)]);
  assert.equal(image.summary.name, 'train_images');
  const labels = store.tensorView('test_labels', null);
  assert.equal(labels.sliceIndex, null);
  assert.deepEqual([...labels.values], [...testLabels]);
  assert.throws(() => store.tensorView('train_images', 60000), /train_images\[60000\] is out of range 0–59999/);
  assert.throws(() => store.tensorView('dense/kernel', null), /unknown dataset tensor "dense\/kernel"/);
});

test('a data folder that does not exist: the error names it', () => {
  const store = new DatasetStore(() => '/no/such/mnist');
  assert.throws(() => store.summaries(), /\/no\/such\/mnist/);
});

test('weightView summarizes the values it shows', () => {
  const view = weightView('dense_1/bias', [4], new Float32Array([0, 1, 2, 3]));
  assert.equal(view.summary.stats.mean, 1.5);
  assert.equal(view.summary.stats.zeroFraction, 0.25);
  assert.equal(view.dtype, 'float32');
});
