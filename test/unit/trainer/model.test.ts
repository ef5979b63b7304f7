import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel, createOptimizer, namedWeights, summarizeModel } from '../../../src/trainer/model';

test('model: the book’s network, summarised as Keras prints it', async () => {
  await tf.setBackend('cpu');
  const model = buildModel(512, 42);
  assert.deepEqual(summarizeModel(model), {
    name: 'sequential',
    layers: [
      { name: 'dense', className: 'Dense', outputShape: [null, 512], params: 401920, activation: 'relu' },
      { name: 'dense_1', className: 'Dense', outputShape: [null, 10], params: 5130, activation: 'softmax' },
    ],
    weights: [
      { name: 'dense/kernel', layer: 'dense', shape: [784, 512], dtype: 'float32', params: 401408 },
      { name: 'dense/bias', layer: 'dense', shape: [512], dtype: 'float32', params: 512 },
      { name: 'dense_1/kernel', layer: 'dense_1', shape: [512, 10], dtype: 'float32', params: 5120 },
      { name: 'dense_1/bias', layer: 'dense_1', shape: [10], dtype: 'float32', params: 10 },
    ],
    totalParams: 407050,
    trainableParams: 407050,
  });
  model.dispose();
});

test('model: a seed reproduces the initial weights (Glorot-uniform bounds, zero biases); another seed does not', async () => {
  await tf.setBackend('cpu');
  const [a, b, c] = [buildModel(64, 7), buildModel(64, 7), buildModel(64, 8)];
  // Keras names survive a second model in the same process (tfjs would call its variables dense/kernel_1).
  assert.deepEqual(
    namedWeights(b).map((w) => w.name),
    ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'],
  );
  const kernel = async (m: tf.LayersModel) => Array.from(await namedWeights(m)[0].variable.read().data());
  const [ka, kb, kc] = await Promise.all([a, b, c].map(kernel));
  assert.deepEqual(ka, kb);
  assert.notDeepEqual(ka, kc);
  const limit = Math.sqrt(6 / (784 + 64));
  assert.ok(ka.every((v) => Math.abs(v) <= limit) && ka.some((v) => Math.abs(v) > limit / 2));
  assert.ok(Array.from(await namedWeights(a)[1].variable.read().data()).every((v) => v === 0));
  [a, b, c].forEach((m) => m.dispose());
});

test('model: the optimizer factory gives the named optimizer with the learning rate', () => {
  const rmsprop = createOptimizer('rmsprop', 0.001);
  assert.equal(rmsprop.getClassName(), 'RMSProp');
  assert.equal((rmsprop.getConfig() as { learningRate: number }).learningRate, 0.001);
  assert.equal(createOptimizer('adam', 0.01).getClassName(), 'Adam');
  assert.equal(createOptimizer('sgd', 0.1).getClassName(), 'SGD');
});
