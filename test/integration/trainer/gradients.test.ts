// Gradients over time: every epoch of a streamed run reports its layers' gradient norms, update
// ratios and gradient histograms, and the dead ReLU units, counted here again independently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent } from '../../../src/shared/protocol';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import { toFitData } from '../../../src/trainer/fitData';
import { engineFromSources } from '../../support/sourceWorker';

type EventOf<T extends TrainerEvent['type']> = Extract<TrainerEvent, { type: T }>;

test('gradients: each epoch reports ‖g‖, ‖Δw‖/‖w‖, gradient histograms and dead units that match an independent count', async () => {
  const events: TrainerEvent[] = [];
  const numTensors: number[] = [];
  const trainer = engineFromSources((event) => {
    events.push(event);
    if (event.type === 'epoch') numTensors.push(tf.memory().numTensors);
  });
  await trainer.handle({
    type: 'start',
    config: { ...DEFAULT_TRAIN_CONFIG, epochs: 3, trainLimit: 2048, hiddenUnits: 64 },
  });
  const all = <T extends TrainerEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type);
  assert.deepEqual(all('error'), []);
  const gradients = all('gradients').map((e) => e.gradients);
  assert.deepEqual(
    gradients.map((g) => g.epoch),
    [1, 2, 3],
  );
  for (const g of gradients) {
    assert.deepEqual(
      g.layers.map((l) => l.weight),
      ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'],
    );
    for (const l of g.layers) {
      assert.ok(l.gradientNorm > 0 && Number.isFinite(l.gradientNorm), `${l.weight} ‖g‖ ${l.gradientNorm}`);
      assert.ok(l.updateRatio !== null && l.updateRatio > 0 && l.updateRatio < 1, `${l.weight} ratio ${l.updateRatio}`);
    }
    assert.equal(g.tensors[0].name, 'gradient/dense/kernel');
    assert.equal(g.tensors[0].stats.count, 784 * 64);
    assert.equal(g.hiddenUnits, 64);
    assert.ok(g.deadUnits >= 0 && g.deadUnits <= 64);
  }
  // No tensors kept from epoch to epoch for this.
  assert.equal(numTensors[2], numTensors[1], `tensors after epochs: ${numTensors.join(', ')}`);

  // The last epoch's dead units, counted again from the final weights on the test set.
  const answers: Record<string, Float32Array> = {};
  let id = 1;
  for (const name of ['dense/kernel', 'dense/bias']) {
    await trainer.handle({ type: 'getTensor', requestId: id, name });
    answers[name] = all('tensor').find((e) => e.requestId === id)!.values;
    id++;
  }
  const test = loadMnist().test;
  const input = toFitData(test.images, test.labels, 0, test.count).images;
  const w = answers['dense/kernel'];
  const b = answers['dense/bias'];
  const everActive = new Uint8Array(64);
  for (let s = 0; s < test.count; s++) {
    for (let j = 0; j < 64; j++) {
      if (everActive[j]) continue;
      let z = b[j];
      for (let i = 0; i < 784; i++) {
        const x = input[s * 784 + i];
        if (x !== 0) z += x * w[i * 64 + j];
      }
      if (z > 0) everActive[j] = 1;
    }
  }
  const dead = everActive.reduce((n, a) => n + (a ? 0 : 1), 0);
  assert.equal(gradients[2].deadUnits, dead);
});
