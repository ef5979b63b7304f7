import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ScoreTally, argmaxRow, evaluateProbabilities } from '../../../src/shared/evaluation';

test('evaluation: accuracy, confusion[actual][predicted], per-class accuracy and the mistakes', () => {
  // Three classes, four samples: 0→0, 1→2 (mistake), 2→2, 1→1.
  const probabilities = [0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.0, 0.1, 0.9, 0.25, 0.5, 0.25];
  const e = evaluateProbabilities(probabilities, [0, 1, 2, 1], 3);
  assert.equal(e.testAccuracy, 0.75);
  assert.deepEqual(e.confusion, [
    [1, 0, 0],
    [0, 1, 1],
    [0, 0, 1],
  ]);
  assert.deepEqual(e.perClassAccuracy, [1, 0.5, 1]);
  assert.deepEqual(e.misclassified, [1]);
  assert.deepEqual([...e.predictedLabels], [0, 2, 2, 1]);
  const expectedLoss = -(Math.log(0.7) + Math.log(0.3) + Math.log(0.9) + Math.log(0.5)) / 4;
  assert.ok(Math.abs(e.testLoss - expectedLoss) < 1e-12);
});

test('evaluation: a zero probability for the true class costs -log(1e-7), like Keras, not Infinity', () => {
  const e = evaluateProbabilities([1, 0], [1], 2);
  assert.ok(Math.abs(e.testLoss + Math.log(1e-7)) < 1e-9);
  assert.equal(e.testAccuracy, 0);
});

test('evaluation: the loss equals tfjs’ categorical cross-entropy on the same softmax outputs', async () => {
  await tf.setBackend('cpu');
  const logits = tf.randomNormal([200, 10], 0, 3, 'float32', 7);
  const probs = tf.softmax(logits);
  const labels = new Uint8Array(200).map((_, i) => (i * 7) % 10);
  const labelTensor = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const tfLoss = tf.metrics.categoricalCrossentropy(labelTensor, probs).mean();
  const e = evaluateProbabilities(await probs.data(), labels);
  assert.ok(Math.abs(e.testLoss - (await tfLoss.data())[0]) < 1e-4, `${e.testLoss} vs tfjs`);
  const argmax = await probs.argMax(1).data();
  assert.deepEqual([...e.predictedLabels], [...argmax]);
  tf.dispose([logits, probs, labelTensor, tfLoss]);
});

test('evaluation: mismatched sizes and bad labels are refused with a clear message', () => {
  assert.throws(
    () => evaluateProbabilities([0.5, 0.5, 0.5], [0, 1], 2),
    /expected 4 probabilities for 2 samples of 2 classes, got 3/,
  );
  assert.throws(() => evaluateProbabilities([0.5, 0.5], [3], 2), /label 3 of sample 0 is not a class in 0\.\.1/);
  assert.throws(() => evaluateProbabilities([], [], 10), /empty test set/);
  assert.equal(argmaxRow([0, 1, 5, 2, 9, 3], 1, 3), 1);
});

test('evaluation: the training set tallied batch by batch gives the loss and accuracy of the whole at once', () => {
  // The four samples above in batches of 3 and 1, with a confident mistake (p = 0) in the second.
  const probabilities = [0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.0, 0.1, 0.9, 0.0, 0.5, 0.5];
  const labels = [0, 1, 2, 0];
  const whole = evaluateProbabilities(probabilities, labels, 3);
  const tally = new ScoreTally();
  tally.add(probabilities.slice(0, 9), labels.slice(0, 3), 3);
  tally.add(probabilities.slice(9), labels.slice(3), 3);
  const train = tally.measurement(5);
  assert.equal(train.accuracy, whole.testAccuracy);
  assert.ok(Math.abs(train.loss - whole.testLoss) < 1e-12);
  assert.deepEqual([train.samples, train.epochs], [4, 5]);
  assert.throws(() => new ScoreTally().measurement(1), /no samples/);
  assert.throws(() => tally.add([0.5, 0.5], [0, 1], 2), /expected 4 probabilities, got 2/);
});
