// The mistake panel's explanation on real MNIST: the nearest training digits are searched by the
// dataset worker while the host's event loop keeps turning, and equal the in-thread search; a burst
// of requests (a key held down on a gallery tile) runs the search a few times, not once per request,
// and answers the last one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { DatasetStore } from '../../../src/extension/datasetStore';
import { MistakeExplainer } from '../../../src/extension/mistakeExplainer';
import type { DenseWeightValues } from '../../../src/shared/denseForward';
import { nearestImages } from '../../../src/shared/mistake';
import { MNIST_PIXELS } from '../../../src/shared/mnist';
import { seededRandom } from '../../../src/shared/random';
import { loadMnist } from '../../../src/trainer/mnistLoader';

const root = path.resolve(__dirname, '../../..');
const workerScript = path.join(root, 'dist', 'datasetWorker.js');

before(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--only', 'datasetWorker'], { cwd: root });
});

const mnist = loadMnist();
const store = new DatasetStore(() => ({ dir: null, followDataLinks: false }), workerScript);
after(() => store.dispose());

/** The book's network with small seeded random weights: the search does not depend on them. */
function seededWeights(): DenseWeightValues {
  const random = seededRandom(19);
  const values = (n: number) => Float32Array.from({ length: n }, () => (random() - 0.5) * 0.1);
  return { kernel1: values(784 * 512), bias1: values(512), kernel2: values(512 * 10), bias2: values(10) };
}
const weights = seededWeights();

const testDigit = (index: number) => mnist.test.images.slice(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS);
const withoutImage = ({ index, label, distance }: { index: number; label: number; distance: number }) => ({
  index,
  label,
  distance,
});
const inThreadNearest = (index: number) => nearestImages(testDigit(index), mnist.train.images, mnist.train.labels, 5);

test('the nearest training digits the host gets equal the in-thread search, for real test digits', async () => {
  for (const index of [0, 8, 247, 9999]) {
    const found = await store.nearest(testDigit(index), 5);
    assert.deepEqual(found.map(withoutImage), inThreadNearest(index), `test digit ${index}`);
    for (const n of found)
      assert.deepEqual(n.image, mnist.train.images.subarray(n.index * MNIST_PIXELS, (n.index + 1) * MNIST_PIXELS));
  }
});

test('explaining a digit leaves the host’s event loop turning while the search runs', async () => {
  await store.load();
  const explainer = new MistakeExplainer(store, async () => weights);
  let turns = 0;
  let spinning = true;
  const spin = () => {
    turns++;
    if (spinning) setImmediate(spin);
  };
  setImmediate(spin);
  const mistake = await explainer.explain(8);
  spinning = false;
  // In the thread, the 47 MB search ran between two turns: the loop could not turn at all.
  assert.ok(turns >= 10, `the event loop turned ${turns} times while the search ran`);
  assert.equal(mistake?.index, 8);
  assert.deepEqual(mistake?.nearest.map(withoutImage), inThreadNearest(8));
});

test('a burst of 30 requests (a held key) runs the search a few times, one at a time, and answers the last', async () => {
  let searches = 0;
  let running = 0;
  let mostAtOnce = 0;
  // The real store, counting the searches it is asked for.
  const counted = {
    load: () => store.load(),
    nearest: async (image: Uint8Array, k: number) => {
      searches++;
      mostAtOnce = Math.max(mostAtOnce, ++running);
      try {
        return await store.nearest(image, k);
      } finally {
        running--;
      }
    },
  };
  const explainer = new MistakeExplainer(counted, async () => weights);
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => explainer.explain(100 + i)));
  assert.ok(searches <= 3, `${searches} searches for 30 requests`);
  assert.equal(mostAtOnce, 1, 'one search at a time');
  const last = answers.at(-1);
  assert.equal(last?.index, 129, 'the last request is answered');
  assert.deepEqual(last?.nearest.map(withoutImage), inThreadNearest(129));
  assert.equal(answers.filter((a) => a !== null).length, searches, 'the requests not searched are answered null');
});
