// A Keras run on the Runs panel's axes: the fixture runs' epochs (real Keras logs) as loss/accuracy
// with their validation, 1-based like Tensor Lens' epochs; other metric names are kept as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { accuracyName, comparedKerasRun, comparedKerasRuns, kerasEpochPoint } from '../../../src/shared/kerasCompare';
import { readRun } from '../../../src/shared/node/runFiles';
import { copyFixtures, runFolder } from '../../support/kerasRuns';

test('comparedKerasRun: the dense fixture run (validation_split) gives four series per epoch, epochs from 1', async () => {
  const base = copyFixtures('keras-compare');
  const { summary, state } = await readRun(runFolder(base, 'dense-tf'), base);
  const compared = comparedKerasRun(summary, state);
  assert.equal(compared.state, 'ended');
  assert.equal(compared.backend, 'tensorflow');
  assert.deepEqual(
    compared.epochs.map((e) => e.epoch),
    [1, 2, 3],
  );
  const last = summary.epochHistory.at(-1);
  assert.ok(last);
  assert.deepEqual(compared.epochs.at(-1), {
    epoch: 3,
    loss: last.logs.loss,
    accuracy: last.logs.accuracy,
    valLoss: last.logs.val_loss,
    valAccuracy: last.logs.val_accuracy,
  });
  // The conv run has no validation: those series are empty (null), not zero.
  const conv = await readRun(runFolder(base, 'conv-jax'), base);
  const convPoints = comparedKerasRun(conv.summary, conv.state).epochs;
  assert.ok(convPoints.every((e) => e.valLoss === null && e.valAccuracy === null && e.loss !== null));
});

test('kerasEpochPoint: other accuracy names, other metrics, non-finite values', () => {
  assert.equal(accuracyName({ loss: 1, sparse_categorical_accuracy: 0.5 }), 'sparse_categorical_accuracy');
  assert.deepEqual(kerasEpochPoint(0, { loss: NaN, acc: 0.5, val_acc: 0.25, mae: 3 }), {
    epoch: 1,
    loss: null,
    accuracy: 0.5,
    valLoss: null,
    valAccuracy: 0.25,
  });
  assert.deepEqual(kerasEpochPoint(4, { mae: 3, val_mae: 4 }), {
    epoch: 5,
    loss: null,
    accuracy: null,
    valLoss: null,
    valAccuracy: null,
  });
});

test('kerasRunLabels: backend and name; the run id tells twins apart', async () => {
  const { kerasRunLabels } = await import('../../../src/shared/kerasCompare');
  assert.deepEqual(
    kerasRunLabels([
      { id: 'a', name: 'chapter2', backend: 'jax' },
      { id: 'b', name: 'chapter2', backend: 'jax' },
      { id: 'c', name: 'chapter2', backend: 'tensorflow' },
    ]),
    ['Keras jax: chapter2 (a)', 'Keras jax: chapter2 (b)', 'Keras tensorflow: chapter2'],
  );
});

test('comparedKerasRuns: the runs a restored Runs panel saved, by run id, in its order; ids not found (yet) left out', async () => {
  const base = copyFixtures('keras-compare-restore');
  const runs = await Promise.all(
    (['dense-tf', 'conv-jax', 'failed-tf'] as const).map((name) => readRun(runFolder(base, name), base)),
  );
  const [dense, conv] = runs.map((r) => r.summary.id);
  assert.deepEqual(
    comparedKerasRuns(runs, [conv, dense]).map((r) => [r.id, r.backend, r.epochs.length]),
    [
      [conv, 'jax', 3],
      [dense, 'tensorflow', 3],
    ],
  );
  // Saved ids are folder names: the runs found are matched by their header's runId.
  assert.equal(path.basename(runFolder(base, 'conv-jax')), conv);
  assert.deepEqual(comparedKerasRuns([], [conv, dense]), [], 'before the workspace is read');
  assert.deepEqual(comparedKerasRuns(runs, ['20261206T000000Z-gone-000000']), []);
});
