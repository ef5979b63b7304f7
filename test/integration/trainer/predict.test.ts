import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent } from '../../../src/shared/protocol';
import { engineFromSources } from '../../support/sourceWorker';
import { writeDigitVariants } from '../../support/digitImages';
import { tempDir } from '../../support/tempDir';

type EventOf<T extends TrainerEvent['type']> = Extract<TrainerEvent, { type: T }>;

function recorder() {
  const events: TrainerEvent[] = [];
  const trainer = engineFromSources((e) => events.push(e));
  const take = <T extends TrainerEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type);
  return { trainer, events, take };
}

test('predict: a model trained here reads real MNIST digits saved the ways people save them, and survives save/load', async () => {
  const dir = tempDir('predict');
  const modelDir = path.join(dir, 'model');
  const first = recorder();
  await first.trainer.handle({
    type: 'start',
    config: { ...DEFAULT_TRAIN_CONFIG, epochs: 2, trainLimit: 20000, modelDir },
  });
  assert.deepEqual(first.take('error'), []);
  assert.equal(first.take('saved')[0].modelDir, modelDir);

  // Test-set digits 0..39, each saved as several variants (inverted, off-centre, JPEG, alpha, 16-bit, tinted…).
  const digits = writeDigitVariants(
    path.join(dir, 'digits'),
    Array.from({ length: 40 }, (_, i) => i),
  );
  assert.ok(digits.length >= 40 && new Set(digits.map((d) => d.variant)).size >= 5, 'many variants');
  for (const [i, d] of digits.entries()) await first.trainer.handle({ type: 'predict', requestId: i, file: d.file });
  assert.deepEqual(first.take('error'), []);
  const predictions = first.take('prediction');
  assert.equal(predictions.length, digits.length);
  const right = predictions.filter((p) => p.prediction.digit === digits[p.requestId].label).length;
  const wrong = predictions
    .filter((p) => p.prediction.digit !== digits[p.requestId].label)
    .map((p) => `${path.basename(p.prediction.file)}→${p.prediction.digit}`);
  assert.ok(right / digits.length >= 0.95, `${right}/${digits.length} right; wrong: ${wrong.join(', ')}`);

  const sample = predictions[0];
  assert.equal(sample.prediction.probabilities.length, 10);
  assert.ok(Math.abs(sample.prediction.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  assert.equal(sample.prediction.input.length, 784);
  assert.deepEqual(
    sample.activations.map((a) => [a.name, a.shape]),
    [
      ['dense', [1, 512]],
      ['dense_1', [1, 10]],
    ],
  );
  assert.ok(sample.activations[0].stats.min >= 0, 'relu outputs are never negative');

  // A fresh trainer (as in a new process) loads the saved model and gives the same answers: the very same
  // when the run trained on wasm; to float32 rounding when it trained on native TensorFlow, since a
  // model that is only loaded is read on wasm.
  const second = recorder();
  await second.trainer.handle({ type: 'load', requestId: 100, modelDir });
  assert.equal(second.take('loaded')[0].summary.totalParams, 407050);
  for (const [i, d] of digits.slice(0, 12).entries())
    await second.trainer.handle({ type: 'predict', requestId: i, file: d.file });
  for (const p of second.take('prediction')) {
    const before = predictions[p.requestId].prediction;
    assert.equal(p.prediction.digit, before.digit);
    p.prediction.probabilities.forEach((q, k) =>
      assert.ok(Math.abs(q - before.probabilities[k]) <= 1e-6, `class ${k}: ${q} vs ${before.probabilities[k]}`),
    );
  }
});
