// findDeadUnits narrows its work to the units not yet seen firing: on real test digits, with units
// built to fire on exactly one digit late in the set (or on none), it must find the units a plain
// JavaScript pass over every digit finds.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/trainer/backend';
import { findDeadUnits } from '../../../src/trainer/deadUnits';
import { toFitData } from '../../../src/trainer/fitData';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { seededRandom } from '../../../src/shared/random';

before(() => selectBackend('wasm'));

test('dead units: exactly the units that fire on no digit, units firing on one late digit included', async () => {
  const test = loadMnist().test;
  const count = 5000;
  const images = toFitData(test.images, test.labels, 0, count).images;
  const units = 24;
  const random = seededRandom(11);
  const w = Float32Array.from({ length: 784 * units }, () => random() - 0.5);
  // Each unit's largest pre-activation over the digits, and where it is reached.
  const peak = new Float64Array(units).fill(-Infinity);
  const at = new Int32Array(units);
  for (let s = 0; s < count; s++) {
    for (let j = 0; j < units; j++) {
      let z = 0;
      for (let i = 0; i < 784; i++) z += images[s * 784 + i] * w[i * units + j];
      if (z > peak[j]) [peak[j], at[j]] = [z, s];
    }
  }
  // Even units end just below zero at their peak (dead), odd ones just above (alive on one digit).
  const b = Float32Array.from({ length: units }, (_, j) => -peak[j] + (j % 2 === 0 ? -1e-2 : 1e-2));
  const late = Array.from(at).filter((s, j) => j % 2 === 1 && s >= 1000).length;
  assert.ok(late >= 3, `only ${late} alive units peak after the first chunk: the narrowing would go untested`);

  const kernel = tf.tensor2d(w, [784, units]);
  const bias = tf.tensor1d(b);
  const before = tf.memory().numTensors;
  assert.deepEqual(
    await findDeadUnits(images, count, kernel, bias),
    Array.from({ length: units / 2 }, (_, k) => 2 * k),
  );
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  tf.dispose([kernel, bias]);
});
