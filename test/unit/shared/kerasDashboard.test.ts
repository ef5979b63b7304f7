// The dashboard's curves of a Keras run, from the real fixture runs and the bench's 100,000-batch run:
// every metric Keras logs, val_* as the epoch twin, the derived per-batch values, bounded in size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeScaleRun } from '../../../bench/kerasRuns';
import { MAX_BATCH_POINTS, kerasDashboardRun, stridedIndices } from '../../../src/shared/kerasDashboard';
import { readRun } from '../../../src/shared/node/runFiles';
import { copyFixtures, runFolder } from '../../support/kerasRuns';
import { tempDir } from '../../support/tempDir';

test('kerasDashboardRun: the dense fixture run gives loss and accuracy, each with its batch means, derived values and val_ twin', async () => {
  const base = copyFixtures('keras-dashboard');
  const { summary, state } = await readRun(runFolder(base, 'dense-tf'), base);
  const run = kerasDashboardRun(summary, state);
  assert.deepEqual(run.metrics.map((m) => m.name).sort(), ['accuracy', 'loss']);
  const loss = run.metrics.find((m) => m.name === 'loss');
  assert.ok(loss);
  const series = summary.batchSeries;
  assert.deepEqual(loss.steps, series.steps, 'a small run keeps every batch point');
  assert.deepEqual(loss.means, series.metrics.get('loss')?.means);
  assert.deepEqual(loss.values, series.metrics.get('loss')?.values);
  assert.deepEqual(loss.epochs, [1, 2, 3]);
  assert.deepEqual(
    loss.validation,
    summary.epochHistory.map((e) => e.logs.val_loss),
  );
  // The conv run has no validation: no twin line.
  const conv = await readRun(runFolder(base, 'conv-jax'), base);
  assert.ok(kerasDashboardRun(conv.summary, conv.state).metrics.every((m) => m.validation === null));
});

test('kerasDashboardRun: a 100,000-batch run is strided to at most 2,000 points per metric, its last batch kept', async () => {
  const base = tempDir('keras-dashboard-big');
  const { folder } = writeScaleRun(base);
  const { summary, state } = await readRun(folder, base);
  const run = kerasDashboardRun(summary, state);
  for (const metric of run.metrics) {
    assert.ok(metric.steps.length <= MAX_BATCH_POINTS);
    assert.equal(metric.steps.at(-1), 100_000);
    assert.equal(metric.epochs.length, 100);
  }
  assert.ok(JSON.stringify(run).length < 400_000, 'a message of a few hundred kB at most');
});

test('stridedIndices: all when few; evenly strided with the last when many', () => {
  assert.deepEqual(stridedIndices(3, 5), [0, 1, 2]);
  assert.deepEqual(stridedIndices(10, 4), [0, 3, 6, 9]);
  assert.deepEqual(stridedIndices(11, 4), [0, 3, 6, 10]);
});
