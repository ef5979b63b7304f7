// The drawing pad runs the network by hand: on real test digits it must give what tfjs gives for
// the same model, hidden layer included, and its "units behind the answer" must add up to the logit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { denseForward, topContributors } from '../../../src/shared/denseForward';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { toFitData } from '../../../src/trainer/fitData';
import { buildModel, namedWeights } from '../../../src/trainer/model';

test('denseForward: hidden activations and probabilities equal tfjs on real MNIST test digits', async () => {
  const model = buildModel(512, 7);
  try {
    const [kernel1, bias1, kernel2, bias2] = await Promise.all(
      namedWeights(model).map(async ({ variable }) => (await variable.read().data()) as Float32Array),
    );
    // Non-zero biases, so they are checked too.
    bias1.forEach((_, j) => (bias1[j] = ((j % 7) - 3) * 0.01));
    bias2.forEach((_, k) => (bias2[k] = (k - 5) * 0.02));
    model.layers[0].setWeights([tf.tensor2d(kernel1, [784, 512]), tf.tensor1d(bias1)]);
    model.layers[1].setWeights([tf.tensor2d(kernel2, [512, 10]), tf.tensor1d(bias2)]);
    const test = loadMnist().test;
    const digits = toFitData(test.images, test.labels, 0, 20);
    const x = tf.tensor2d(digits.images, [20, 784]);
    const hiddenT = model.layers[0].apply(x) as tf.Tensor;
    const probsT = model.predict(x) as tf.Tensor;
    const [hidden, probs] = await Promise.all([hiddenT.data(), probsT.data()]);
    tf.dispose([x, hiddenT, probsT]);
    for (let s = 0; s < 20; s++) {
      const input = digits.images.subarray(s * 784, (s + 1) * 784);
      const mine = denseForward(input, { kernel1, bias1, kernel2, bias2 });
      for (let j = 0; j < 512; j++)
        assert.ok(Math.abs(mine.hidden[j] - hidden[s * 512 + j]) < 1e-4, `digit ${s} unit ${j}`);
      for (let k = 0; k < 10; k++)
        assert.ok(Math.abs(mine.probabilities[k] - probs[s * 10 + k]) < 1e-5, `digit ${s} p${k}`);
      const tfDigit = Array.from(probs.subarray(s * 10, s * 10 + 10)).indexOf(
        Math.max(...probs.subarray(s * 10, s * 10 + 10)),
      );
      assert.equal(mine.digit, tfDigit);
      // Every positive contribution, largest first, each = activation × weight to the answer.
      const top = topContributors(mine.hidden, kernel2, 10, mine.digit, 512);
      assert.ok(top.length > 0);
      for (let i = 0; i < top.length; i++) {
        const { unit, contribution } = top[i];
        assert.ok(Math.abs(contribution - mine.hidden[unit] * kernel2[unit * 10 + mine.digit]) < 1e-9);
        if (i > 0) assert.ok(contribution <= top[i - 1].contribution);
      }
      assert.deepEqual(topContributors(mine.hidden, kernel2, 10, mine.digit, 3), top.slice(0, 3));
    }
  } finally {
    model.dispose();
  }
});
