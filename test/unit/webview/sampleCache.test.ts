import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mnistSample } from '../../../src/shared/mnist';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { PAGE_SIZE, SampleCache } from '../../../src/webview/dataset/sampleCache';

const mnist = loadMnist();
const page = (start: number): Uint8Array =>
  mnist.test.images.slice(start * 784, Math.min(mnist.test.count, start + PAGE_SIZE) * 784);

test('asks once per missing page, whole pages, the last one cut at the end of the split', () => {
  const cache = new SampleCache();
  assert.deepEqual(cache.request('test', [0, 1, PAGE_SIZE + 3], 10_000), [
    { start: 0, count: PAGE_SIZE },
    { start: PAGE_SIZE, count: PAGE_SIZE },
  ]);
  assert.deepEqual(cache.request('test', [2, PAGE_SIZE], 10_000), [], 'pages already asked for are not asked again');
  const last = 9_999;
  const lastStart = Math.floor(last / PAGE_SIZE) * PAGE_SIZE;
  assert.deepEqual(cache.request('test', [last], 10_000), [{ start: lastStart, count: 10_000 - lastStart }]);
});

test('stored pages give back each real sample’s 784 bytes', () => {
  const cache = new SampleCache();
  cache.request('test', [PAGE_SIZE + 17], 10_000);
  assert.equal(cache.pixels('test', PAGE_SIZE + 17), null);
  cache.store('test', PAGE_SIZE, page(PAGE_SIZE));
  assert.deepEqual(cache.pixels('test', PAGE_SIZE + 17), mnistSample(mnist.test, PAGE_SIZE + 17));
  assert.equal(cache.pixels('train', PAGE_SIZE + 17), null, 'splits are kept apart');
});

test('the least recently used page is dropped past the limit, and can be asked for again', () => {
  const cache = new SampleCache(2);
  for (const start of [0, PAGE_SIZE, 2 * PAGE_SIZE]) {
    cache.request('test', [start], 10_000);
    cache.store('test', start, page(start));
    if (start === PAGE_SIZE) cache.pixels('test', 0); // touch page 0: page 1 becomes the oldest
  }
  assert.notEqual(cache.pixels('test', 0), null);
  assert.equal(cache.pixels('test', PAGE_SIZE), null);
  assert.deepEqual(cache.request('test', [PAGE_SIZE], 10_000), [{ start: PAGE_SIZE, count: PAGE_SIZE }]);
});
