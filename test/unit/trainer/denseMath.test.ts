// The one loss both training paths use, against tfjs' own autodiff of the clipped sparse
// categorical cross-entropy (what tfjs-layers' trainOnBatch differentiates).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { logitGradient, lossSums } from '../../../src/trainer/denseMath';

const EPSILON = 1e-7;

/** Three samples of four classes: one right, one wrong, one so sure its true probability is clipped. */
function batch() {
  const logits = tf.tensor2d([0.5, 2, -1, 0.25, 1, 0, 3, -2, 40, 0, 0, 0], [3, 4]);
  const labels = tf.tensor1d([1, 0, 0], 'int32');
  return { logits, labels, oneHot: tf.oneHot(labels, 4).toFloat() as tf.Tensor2D };
}

test('lossSums: the clipped cross-entropy summed over the batch, and the correct count', async () => {
  const { logits, labels, oneHot } = batch();
  const probs = tf.softmax(logits);
  const { sums, trueProb } = lossSums(logits, probs, { oneHot, labels }, EPSILON);
  const [lossSum, correct] = await sums.data();
  const p = (await probs.array()) as number[][];
  const clip = (x: number) => Math.min(Math.max(x, EPSILON), 1 - EPSILON);
  const expected = -[p[0][1], p[1][0], p[2][0]].reduce((s, x) => s + Math.log(clip(x)), 0);
  assert.ok(Math.abs(lossSum - expected) < 1e-6, `loss sum ${lossSum}, expected ${expected}`);
  // Sample 0 (label 1, largest logit 1) and sample 2 (label 0) are right; sample 1 (label 0, argmax 2) is wrong.
  assert.equal(correct, 2);
  assert.deepEqual(trueProb.shape, [3]);
  tf.dispose([logits, labels, oneHot, probs, sums, trueProb]);
});

test('logitGradient: tfjs autodiff of the summed loss / divisor, zero for the clipped sample', async () => {
  const { logits, labels, oneHot } = batch();
  const divisor = 8;
  const autodiff = tf.grad((z: tf.Tensor) => {
    const trueProb = tf.sum(tf.mul(tf.softmax(z), oneHot), 1);
    return tf.div(tf.neg(tf.sum(tf.log(tf.clipByValue(trueProb, EPSILON, 1 - EPSILON)))), divisor);
  })(logits);
  const probs = tf.softmax(logits);
  const { sums, trueProb } = lossSums(logits, probs, { oneHot, labels }, EPSILON);
  const gradient = logitGradient(probs, trueProb, { oneHot, labels }, EPSILON, divisor);
  const [ours, theirs] = [await gradient.data(), await autodiff.data()];
  ours.forEach((g, i) => assert.ok(Math.abs(g - theirs[i]) < 1e-6, `entry ${i}: ${g} vs autodiff ${theirs[i]}`));
  assert.deepEqual(Array.from(ours.slice(8)), [0, 0, 0, 0], 'the clipped sample passes no gradient');
  assert.ok(
    ours.slice(0, 8).some((g) => Math.abs(g) > 1e-3),
    'the other samples do',
  );
  tf.dispose([logits, labels, oneHot, autodiff, probs, sums, trueProb, gradient]);
});
