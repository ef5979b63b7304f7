// A mistake explained, on real MNIST: the nearest training digits by pixel distance (checked
// against a full sort), and the units that favoured the wrong answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { nearestImages, unitsBehindMistake } from '../../../src/shared/mistake';

const mnist = loadMnist();

test('nearest images: a training digit finds itself first at distance 0; the order equals a full sort', () => {
  const { images, labels } = mnist.train;
  const own = images.slice(7 * 784, 8 * 784);
  const found = nearestImages(own, images.subarray(0, 3000 * 784), labels, 5);
  assert.equal(found[0].index, 7);
  assert.equal(found[0].distance, 0);
  const probe = mnist.test.images.slice(0, 784);
  const pool = images.subarray(0, 3000 * 784);
  const all = Array.from({ length: 3000 }, (_, n) => {
    let s = 0;
    for (let i = 0; i < 784; i++) s += (pool[n * 784 + i] - probe[i]) ** 2;
    return { index: n, distance: Math.sqrt(s) / 255 };
  }).sort((a, b) => a.distance - b.distance || a.index - b.index);
  const mine = nearestImages(probe, pool, labels, 5);
  assert.deepEqual(
    mine.map((n) => n.index),
    all.slice(0, 5).map((n) => n.index),
  );
  for (const n of mine) assert.equal(n.label, labels[n.index]);
  // Test digit 0 is a 7; its nearest training digits are mostly 7s too.
  assert.equal(mnist.test.labels[0], 7);
  assert.ok(mine.filter((n) => n.label === 7).length >= 3, JSON.stringify(mine));
});

test('units behind a mistake: activation × (weight to wrong − weight to right), positive only, largest first', () => {
  const hidden = new Float32Array([1, 0, 2, 0.5]);
  // kernel2 [4 units, 3 classes]: class 1 wrong, class 2 right.
  const kernel2 = new Float32Array([0, 0.5, 0.1, 0, 9, -9, 0, 0.2, 0.4, 0, 1, 0]);
  const units = unitsBehindMistake(hidden, kernel2, 3, 1, 2, 5);
  assert.deepEqual(
    units.map((u) => u.unit),
    [3, 0],
  );
  assert.ok(Math.abs(units[0].push - 0.5) < 1e-6);
  assert.ok(Math.abs(units[1].push - 0.4) < 1e-6);
  assert.deepEqual(unitsBehindMistake(hidden, kernel2, 3, 1, 1, 5), [], 'a right answer has no units behind a mistake');
});
