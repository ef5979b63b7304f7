// The dashboard's curves of a Keras run, from the real fixture runs and the bench's 100,000-batch run:
// every metric Keras logs, val_* as the epoch twin, the derived per-batch values, the gradient norms,
// bounded in size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeScaleRun } from '../../../bench/kerasRuns';
import {
  MAX_BATCH_POINTS,
  MAX_GRADIENT_ENTRIES,
  MAX_HISTOGRAM_ENTRIES,
  MAX_HISTOGRAM_FRAMES,
  MAX_UPDATE_ENTRIES,
  kerasDashboardRun,
  stridedIndices,
} from '../../../src/shared/kerasDashboard';
import { readRun, readSnapshot } from '../../../src/shared/node/runFiles';
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

/** Every snapshot header of a fixture run, in order, as the host reads them. */
async function snapshotHeaders(folder: string, summary: Awaited<ReturnType<typeof readRun>>['summary']) {
  const headers = [];
  for (const event of summary.snapshots) headers.push((await readSnapshot(folder, event)).header);
  return headers;
}

test('kerasDashboardRun: the conv run read snapshot by snapshot gives each weight a histogram frame and its update size since the snapshot before', async () => {
  const base = copyFixtures('keras-dashboard-history');
  const folder = runFolder(base, 'conv-jax');
  const { summary, state } = await readRun(folder, base);
  const headers = await snapshotHeaders(folder, summary);
  const run = kerasDashboardRun(summary, state, headers);
  assert.deepEqual(
    run.weights.map((w) => `${w.name.split('/').slice(-2).join('/')} ${JSON.stringify(w.shape)}`),
    ['conv2d/kernel [3,3,1,4]', 'conv2d/bias [4]', 'dense/kernel [36,3]', 'dense/bias [3]'],
  );
  assert.equal(run.snapshotsRecorded, 5);
  assert.deepEqual(
    run.snapshots.map((s) => [s.index, s.reason, s.epoch, s.batch, s.step]),
    [
      [1, 'begin', 0, -1, 0],
      [2, 'budget', 0, 0, 1],
      [3, 'epoch', 0, 5, 6],
      [4, 'epoch', 1, 5, 12],
      [5, 'epoch', 2, 5, 18],
    ],
  );
  // Each frame is the snapshot's own histogram and statistics of that weight.
  for (const [i, frame] of run.snapshots.entries())
    for (const [w, weight] of frame.weights.entries()) {
      const stats = headers[i].weights.find((s) => s.name === run.weights[w].name);
      assert.ok(weight && stats);
      assert.deepEqual(weight.histogram.counts, stats.histogram.counts);
      assert.equal(
        weight.histogram.counts.reduce((a, b) => a + b, 0),
        stats.histogram.sampled,
      );
      assert.equal(weight.stats.std, stats.std);
    }
  // The conv kernel moved: its histogram after three epochs is not the one it started with.
  assert.notDeepEqual(run.snapshots[0].weights[0]?.histogram, run.snapshots[4].weights[0]?.histogram);
  // Update sizes: none at the first snapshot; the biases (zeros at first) none at the second either.
  assert.deepEqual(run.updates.steps, [0, 1, 6, 12, 18]);
  // Each point covers the steps since the snapshot before it: uneven, as snapshots are on a time budget.
  assert.deepEqual(run.updates.spans, [null, 1, 5, 6, 6]);
  const [convKernel, convBias] = run.updates.byWeight;
  assert.equal(convKernel[0], null);
  assert.ok(
    convKernel.slice(1).every((u) => u !== null && u > 0 && u < 0.1),
    JSON.stringify(convKernel),
  );
  assert.deepEqual(convBias.slice(0, 2), [null, null]);
  assert.ok(convBias.slice(2).every((u) => u !== null && u > 0));
  // ‖Δw‖/‖w‖ is what the values say: from the raw kernels of snapshots 4 and 5.
  const name = run.weights[0].name;
  const [before, after] = await Promise.all(
    summary.snapshots.slice(3, 5).map(async (e) => (await readSnapshot(folder, e, new Set([name]))).values.get(name)),
  );
  assert.ok(before && after);
  let delta = 0;
  let norm = 0;
  for (let i = 0; i < before.length; i++) {
    delta += (after[i] - before[i]) ** 2;
    norm += before[i] ** 2;
  }
  assert.ok(Math.abs((convKernel[4] as number) - Math.sqrt(delta / norm)) < 1e-5);
});

test('kerasDashboardRun: without snapshots read there are no frames; a long history of a wide model is strided within its bounds, the newest kept', async () => {
  const base = copyFixtures('keras-dashboard-strided');
  const folder = runFolder(base, 'dense-tf');
  const { summary, state } = await readRun(folder, base);
  const none = kerasDashboardRun(summary, state);
  assert.equal(none.weights.length, 4);
  assert.equal(none.snapshotsRecorded, 4);
  assert.deepEqual(none.snapshots, []);
  assert.deepEqual(none.updates, { steps: [], spans: [], byWeight: [[], [], [], []] });
  // 1,000 snapshots (the fixture's four, again and again, steps counting up).
  const headers = await snapshotHeaders(folder, summary);
  const long = Array.from({ length: 1000 }, (_, i) => ({ ...headers[i % 4], index: i + 1, step: i }));
  const run = kerasDashboardRun(summary, state, long);
  assert.ok(run.snapshots.length <= MAX_HISTOGRAM_FRAMES);
  assert.ok(run.snapshots.length * run.weights.length <= MAX_HISTOGRAM_ENTRIES);
  assert.equal(run.snapshots.at(-1)?.index, 1000);
  assert.ok(run.updates.steps.length * run.weights.length <= MAX_UPDATE_ENTRIES);
  assert.equal(run.updates.steps.at(-1), 999);
  // A strided point still covers only the steps since the snapshot before it in the run, not since the point before.
  assert.equal(run.updates.spans.length, run.updates.steps.length);
  assert.ok(run.updates.spans.slice(1).every((span) => span === 1));
  assert.ok(JSON.stringify(run).length < 400_000);
});

test("kerasDashboardRun: a point whose snapshot before was not kept (a thinned history) takes its span from the run's snapshot records", async () => {
  const base = copyFixtures('keras-dashboard-spans');
  const folder = runFolder(base, 'conv-jax');
  const { summary, state } = await readRun(folder, base);
  const headers = await snapshotHeaders(folder, summary);
  // Snapshots 1, 3 and 5 kept: 3 covers step 1 to 6, 5 covers 12 to 18 (not 6 to 18).
  const run = kerasDashboardRun(summary, state, [headers[0], headers[2], headers[4]]);
  assert.deepEqual(run.updates.steps, [0, 6, 18]);
  assert.deepEqual(run.updates.spans, [null, 5, 6]);
});

test('kerasDashboardRun: gradient norms per weight at the steps the run measured, by name; a long run is strided within its bounds, the newest kept', async () => {
  const base = copyFixtures('keras-dashboard-gradients');
  const folder = runFolder(base, 'conv-jax');
  const { summary, state } = await readRun(folder, base);
  const run = kerasDashboardRun(summary, state);
  assert.equal(run.gradients.available, true);
  assert.equal(run.gradients.probe, 32);
  assert.deepEqual(
    run.gradients.steps,
    summary.gradients.map((g) => g.step),
  );
  assert.deepEqual(
    run.gradients.byWeight,
    run.weights.map((w) => summary.gradients.map((g) => g.weights.find((n) => n.name === w.name)!.norm)),
  );
  // 30,000 measurements: strided like update sizes, the last kept; a non-finite norm is no point.
  const [first] = summary.gradients;
  summary.gradients = Array.from({ length: 30_000 }, (_, i) => ({
    ...first,
    step: i,
    weights: first.weights.map((w) => ({ ...w, norm: i === 29_999 ? Infinity : w.norm })),
  }));
  const long = kerasDashboardRun(summary, state);
  assert.ok(long.gradients.steps.length * long.weights.length <= MAX_GRADIENT_ENTRIES);
  assert.equal(long.gradients.steps.at(-1), 29_999);
  assert.equal(long.gradients.byWeight[0].at(-1), null);
  assert.ok(JSON.stringify(long.gradients).length < 250_000);
  // A run that has none says so, with the writer's reason.
  const failed = await readRun(runFolder(base, 'failed-tf'), base);
  const without = kerasDashboardRun(failed.summary, failed.state).gradients;
  assert.equal(without.available, false);
  assert.match(without.reason ?? '', /^no probe batch/);
  assert.deepEqual(without.steps, []);
});
