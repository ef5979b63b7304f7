// The host's own MNIST service: sample pages and dataset tensors equal the IDX files' bytes, pages
// are copies (not views of the 47 MB buffer), out-of-range asks name the range, and the files are
// read by the dataset worker (dist/datasetWorker.js) while the host's event loop keeps running; the
// worker stays to search the training digits and ends when the store is closed.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatasetStore, tensorPayload } from '../../../src/extension/datasetStore';
import { FaultError } from '../../../src/shared/faults';
import { describeMnist } from '../../../src/shared/mnist';
import { defaultMnistDir, loadMnist } from '../../../src/trainer/mnistLoader';
import { writeMnistSubset } from '../../support/idxFiles';
import { tempDir } from '../../support/tempDir';

const root = path.resolve(__dirname, '../../..');
const workerScript = path.join(root, 'dist', 'datasetWorker.js');
const store = (dir: string | null = null) => new DatasetStore(() => ({ dir, followDataLinks: false }), workerScript);

before(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--only', 'datasetWorker'], { cwd: root });
});

const dir = defaultMnistDir();
// Raw IDX: 16-byte header for images, 8 for labels.
const testImages = readFileSync(path.join(dir, 't10k-images-idx3-ubyte')).subarray(16);
const testLabels = readFileSync(path.join(dir, 't10k-labels-idx1-ubyte')).subarray(8);
const trainImages = readFileSync(path.join(dir, 'train-images-idx3-ubyte')).subarray(16);

test('the tree’s dataset tensors: names, shapes and dtypes of the four files', async () => {
  const s = store();
  assert.equal(s.current(), null, 'nothing read before the first ask');
  const { summaries } = await s.load();
  assert.deepEqual(
    summaries.map((t) => `${t.name} ${t.dtype} [${t.shape.join(', ')}]`),
    [
      'train_images uint8 [60000, 28, 28]',
      'train_labels uint8 [60000]',
      'test_images uint8 [10000, 28, 28]',
      'test_labels uint8 [10000]',
    ],
  );
  assert.equal(s.current()?.summaries, summaries, 'kept once read');
  assert.ok(s.isDatasetTensor('test_labels'));
  assert.ok(!s.isDatasetTensor('dense/kernel'));
});

/** Milliseconds the main thread's event loop was busy (not waiting for I/O or timers) during `work`. */
async function busyMs(work: () => unknown): Promise<number> {
  const before = performance.eventLoopUtilization();
  await work();
  return performance.eventLoopUtilization(before).active;
}

test('reading the 47 MB keeps the host free: its event loop is busy less than half as long as an in-thread read', async () => {
  let count = 0;
  const inWorker = await busyMs(async () => (count = (await store().load()).data.train.count));
  // What the host did before: the same read and statistics on its own thread, measured in the same run.
  const inThread = await busyMs(() => describeMnist(loadMnist()));
  assert.equal(count, 60000);
  assert.ok(
    inWorker < inThread / 2 && inWorker < 100,
    `busy ${inWorker.toFixed(1)} ms with the worker, ${inThread.toFixed(1)} ms reading on the main thread`,
  );
});

test('a sample page holds exactly the files’ bytes and labels, as its own small buffer', async () => {
  const s = store();
  const page = await s.samples('test', 9990, 2000);
  assert.equal(page.count, 10, 'clipped at the end of the split');
  assert.deepEqual(Buffer.from(page.images), testImages.subarray(9990 * 784, 10000 * 784));
  assert.deepEqual([...page.labels], [...testLabels.subarray(9990, 10000)]);
  assert.equal(page.images.buffer.byteLength, 10 * 784, 'a copy, not a view of the whole file');
  await assert.rejects(s.samples('test', 10000, 1), /test sample 10000 is out of range 0–9999/);
});

test('dataset tensors for the inspector: one image of a rank-3 tensor, the whole label vector', async () => {
  const s = store();
  const image = await s.tensorPayload('train_images', 4);
  assert.deepEqual(image.shape, [60000, 28, 28]);
  assert.equal(image.sliceIndex, 4);
  assert.deepEqual([...(image.values ?? [])], [...trainImages.subarray(4 * 784, 5 * 784)]);
  assert.deepEqual(image.ref, { source: 'tensorLens', name: 'train_images' });
  const labels = await s.tensorPayload('test_labels', null);
  assert.equal(labels.sliceIndex, null);
  assert.deepEqual([...(labels.values ?? [])], [...testLabels]);
  await assert.rejects(s.tensorPayload('train_images', 60000), /train_images\[60000\] is out of range 0–59999/);
  // A fault: a restored inspector says it in the display language (a smaller data folder since, say).
  await assert.rejects(s.tensorPayload('train_images', 60000), (error: unknown) => {
    assert.ok(error instanceof FaultError);
    assert.deepEqual(error.fault, { kind: 'datasetSliceOutOfRange', name: 'train_images', index: 60000, last: 59999 });
    return true;
  });
  await assert.rejects(s.tensorPayload('dense/kernel', null), /unknown dataset tensor "dense\/kernel"/);
});

test('a data folder that does not exist: the error names it (a fault the host words in the display language), and a later ask reads again', async () => {
  let folder = '/no/such/mnist';
  const s = new DatasetStore(() => ({ dir: folder, followDataLinks: true }), workerScript);
  await assert.rejects(s.load(), /^Error: \/no\/such\/mnist: MNIST folder not found$/);
  await assert.rejects(s.load(), (error: unknown) => {
    assert.ok(error instanceof FaultError, String(error));
    assert.deepEqual(error.fault, { kind: 'mnistFolderNotFound', file: '/no/such/mnist' });
    return true;
  });
  folder = dir;
  assert.equal((await s.load()).data.test.count, 10000);
});

test('a data file linked from elsewhere: refused in an untrusted workspace, read once trust is granted', async () => {
  const data = tempDir('linked-data');
  const shared = tempDir('shared-storage');
  writeMnistSubset(data, { trainCount: 40, testCount: 20 });
  const file = path.join(data, 't10k-images-idx3-ubyte');
  renameSync(file, path.join(shared, 'test-images'));
  symlinkSync(path.join(shared, 'test-images'), file);
  let trusted = false;
  const s = new DatasetStore(() => ({ dir: data, followDataLinks: trusted }), workerScript);
  await assert.rejects(
    s.load(),
    new RegExp(
      `^Error: ${file}: is a link to ${path.join(shared, 'test-images')}, outside the data folder; links out of it are followed only in a trusted workspace$`,
    ),
  );
  trusted = true;
  const { data: loaded } = await s.load();
  assert.equal(loaded.test.count, 20);
  assert.deepEqual([...loaded.test.images.subarray(0, 784)], [...testImages.subarray(0, 784)]);
  assert.equal(s.current()?.data, loaded);
  trusted = false;
  assert.equal(s.current(), null, 'what was read under trust is not served once the folder is untrusted');
});

test('closing the store ends its worker: a search waiting for it and every later ask are refused', async () => {
  const s = store();
  await s.load();
  const image = testImages.slice(0, 784);
  const waiting = s.nearest(image, 5);
  s.dispose();
  await assert.rejects(waiting, /the MNIST reader was closed/);
  await assert.rejects(s.nearest(image, 5), /the MNIST reader was closed/);
  await assert.rejects(s.load(), /the MNIST reader was closed/);
});

test('the training digits are shared with the worker that searches them; a page of them is still a plain copy', async () => {
  const s = store();
  const { data } = await s.load();
  assert.ok(data.train.images.buffer instanceof SharedArrayBuffer, 'one 47 MB copy for the host and the worker');
  const page = await s.samples('train', 0, 3);
  assert.ok(page.images.buffer instanceof ArrayBuffer, 'a webview gets an ordinary buffer');
  assert.deepEqual(Buffer.from(page.images), trainImages.subarray(0, 3 * 784));
  s.dispose();
});

test('tensorPayload summarizes the values it shows', () => {
  const view = tensorPayload('dense_1/bias', [4], new Float32Array([0, 1, 2, 3]));
  assert.equal(view.summary.stats.mean, 1.5);
  assert.equal(view.summary.stats.zeroFraction, 0.25);
  assert.equal(view.dtype, 'float32');
});
