// The Keras card's weights over time, from the real fixture runs as the host sends them: the picker's
// weights (kernels first), one scrubber frame per snapshot with each weight's own histogram, the
// update-size lines, and the words for what has no figure; then the card drawn in a DOM.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { type KerasDashboardRun, kerasDashboardRun } from '../../../src/shared/kerasDashboard';
import { readRun, readSnapshot } from '../../../src/shared/node/runFiles';
import {
  KerasWeights,
  MAX_HISTOGRAM_CARDS,
  gradientLines,
  gradientNotes,
  gradientPointWords,
  histogramFrame,
  pickedWeights,
  snapshotWords,
  updateLines,
  updateNotes,
  updatePointWords,
} from '../../../src/webview/dashboard/kerasWeights';
import { type FixtureName, copyFixtures, eventLines, runFolder } from '../../support/kerasRuns';
import { darkPalette } from '../../support/palette';
import { t } from '../../../src/webview/common/strings';
import { installDom } from './dom';

before(() => installDom());

/** A fixture run as the dashboard gets it: through JSON, with every snapshot read. */
async function dashboardRun(name: FixtureName, snapshots = Infinity): Promise<KerasDashboardRun> {
  const base = copyFixtures(`keras-weights-${name}`);
  const folder = runFolder(base, name);
  const { summary, state } = await readRun(folder, base);
  const headers = [];
  for (const event of summary.snapshots.slice(0, snapshots)) headers.push((await readSnapshot(folder, event)).header);
  return JSON.parse(JSON.stringify(kerasDashboardRun(summary, state, headers))) as KerasDashboardRun;
}

/** VS Code's Dark Modern colours. */
const palette = darkPalette;

const short = (name: string) => name.split('/').slice(-2).join('/');
/** The conv-jax run's weights in a chart of one line each: kernels drawn, biases a legend click away. */
const CONV_JAX_KERNELS_DRAWN = [
  ['conv2d/kernel', true],
  ['conv2d/bias', false],
  ['dense/kernel', true],
  ['dense/bias', false],
];

test('pickedWeights: kernels are the weights of rank ≥ 2, in model order; every weight when there is none; one by name', async () => {
  const run = await dashboardRun('conv-jax');
  assert.deepEqual(
    pickedWeights(run.weights, 'kernels').map((w) => short(w.name)),
    ['conv2d/kernel', 'dense/kernel'],
  );
  assert.equal(pickedWeights(run.weights, 'all').length, 4);
  const bias = run.weights[1].name;
  assert.deepEqual(
    pickedWeights(run.weights, { name: bias }).map((w) => w.name),
    [bias],
  );
  const biases = run.weights.filter((w) => w.shape.length === 1);
  assert.deepEqual(pickedWeights(biases, 'kernels'), biases);
});

test('histogramFrame and snapshotWords: each snapshot a frame of every weight with its own histogram, named by epoch, step and why it was taken', async () => {
  const run = await dashboardRun('conv-jax');
  const frames = run.snapshots.map((s) => histogramFrame(run, s));
  assert.equal(frames.length, 5);
  for (const [i, frame] of frames.entries()) {
    assert.deepEqual(
      frame.tensors.map((t) => t.name),
      run.weights.map((w) => w.name),
    );
    assert.deepEqual(frame.tensors[0].histogram, run.snapshots[i].weights[0]?.histogram);
    assert.deepEqual(frame.tensors[0].shape, [3, 3, 1, 4]);
  }
  assert.equal(snapshotWords(run, 0), 'snapshot 1 of 5 · epoch 1, step 0 · at the start');
  assert.equal(snapshotWords(run, 1), 'snapshot 2 of 5 · epoch 1, step 1 · during the epoch');
  assert.equal(snapshotWords(run, 4), 'snapshot 5 of 5 · epoch 3, step 18 · at the epoch’s end');
  assert.equal(snapshotWords(run, null), 'no snapshot read yet');
});

test('updateLines and updateNotes: a line per weight with a figure, kernels drawn, gaps where there is none; too few snapshots said so', async () => {
  const run = await dashboardRun('conv-jax');
  const lines = updateLines(run);
  assert.deepEqual(
    lines.map((l) => [short(l.name), l.shown]),
    CONV_JAX_KERNELS_DRAWN,
  );
  const [kernel, bias] = lines;
  assert.deepEqual(
    kernel.points.map((p) => [p.x, p.span]),
    [
      [0, null],
      [1, 1],
      [6, 5],
      [12, 6],
      [18, 6],
    ],
  );
  assert.equal(kernel.points[0].y, null, 'no figure at the first snapshot');
  assert.ok(kernel.points.slice(1).every((p) => p.y !== null && p.y > 0));
  assert.deepEqual(
    bias.points.slice(0, 2).map((p) => p.y),
    [null, null],
    'zero biases before the first update',
  );
  assert.deepEqual(updateNotes(run), [], 'every weight has a figure somewhere');
  const one = await dashboardRun('conv-jax', 1);
  assert.deepEqual(updateLines(one), []);
  assert.deepEqual(updateNotes(one), ['Update sizes need two snapshots; 1 read so far.']);
  // A weight that never has a figure (an integer step counter, say) and one that did not move are named.
  const still = structuredClone(run);
  still.updates.byWeight[1] = still.updates.byWeight[1].map(() => null);
  still.updates.byWeight[3] = still.updates.byWeight[3].map((u) => (u === null ? null : 0));
  assert.deepEqual(
    updateLines(still).map((l) => short(l.name)),
    ['conv2d/kernel', 'dense/kernel'],
  );
  const [missing, notMoved] = updateNotes(still);
  assert.match(missing, /^No figure for .*conv2d\/bias: not floating point/);
  assert.match(notMoved, /^Did not move between snapshots .*dense\/bias\.$/);
});

test('updatePointWords: a point says its size and the steps it covers, since the snapshot before; the note gives no per-step rule for it', () => {
  assert.equal(
    updatePointWords('dense/kernel', { x: 12, y: 0.012345, span: 6 }),
    'dense/kernel: 0.01235 over 6 steps (step 6 to step 12)',
  );
  assert.equal(
    updatePointWords('dense/kernel', { x: 1, y: 0.0004, span: 1 }),
    'dense/kernel: 4.000e-4 over 1 step (step 0 to step 1)',
  );
  assert.equal(updatePointWords('dense/kernel', { x: 1, y: 0.5, span: null }), 'dense/kernel: 0.5');
  const note = t('keras.updatesNote');
  assert.match(note, /covers every step since the snapshot before it/);
  assert.match(note, /not a size per step/);
  assert.doesNotMatch(note, /1e-3|healthy/, 'a point spans many steps: a per-step rule of thumb does not apply to it');
});

test('the step numbers in the update and gradient tooltips and the scrubber read with thousands separators, as the rest of the panels write counts', async () => {
  assert.equal(
    updatePointWords('dense/kernel', { x: 12345, y: 0.012345, span: 2345 }),
    'dense/kernel: 0.01235 over 2,345 steps (step 10,000 to step 12,345)',
  );
  assert.equal(
    updatePointWords('dense/kernel', { x: 1001, y: 0.0004, span: 1 }),
    'dense/kernel: 4.000e-4 over 1 step (step 1,000 to step 1,001)',
  );
  assert.equal(
    gradientPointWords('dense/kernel', { x: 2345, y: 0.5, span: null }),
    'dense/kernel: ‖g‖ = 0.5 at step 2,345',
  );
  const run = await dashboardRun('conv-jax');
  run.snapshots[4].step = 12345;
  assert.equal(snapshotWords(run, 4), 'snapshot 5 of 5 · epoch 3, step 12,345 · at the epoch’s end');
});

test('gradientLines: a line per trainable weight at the steps the run measured, kernels drawn, each point the norm the file has', async () => {
  const run = await dashboardRun('conv-jax');
  const records = eventLines(runFolder(copyFixtures('keras-gradient-records'), 'conv-jax'))
    .map((line) => JSON.parse(line))
    .filter((r) => r.type === 'gradients');
  const lines = gradientLines(run);
  assert.deepEqual(
    lines.map((l) => [short(l.name), l.shown]),
    CONV_JAX_KERNELS_DRAWN,
  );
  for (const [w, line] of lines.entries()) {
    assert.deepEqual(
      line.points.map((p) => [p.x, p.y, p.span]),
      records.map((r) => [r.step, r.weights[w].norm, null]),
    );
  }
  assert.deepEqual(gradientNotes(run), []);
  assert.equal(
    gradientPointWords('dense/kernel', { x: 12, y: 0.012345, span: null }),
    'dense/kernel: ‖g‖ = 0.01235 at step 12',
  );
});

test('gradientNotes: a run without gradients says the writer’s reason; one whose first is still due says when; an old run says it was not said', async () => {
  const failed = await dashboardRun('failed-tf');
  assert.deepEqual(gradientLines(failed), []);
  assert.deepEqual(gradientNotes(failed), [
    'This run has no gradients: no probe batch: pass TensorLens(probe=(x, y)), or use tensorlens.autolog() with array data.',
  ]);
  const waiting = await dashboardRun('conv-jax');
  waiting.gradients = { ...waiting.gradients, after: 50, steps: [], byWeight: waiting.weights.map(() => []) };
  assert.deepEqual(gradientLines(waiting), []);
  assert.match(gradientNotes(waiting)[0], /^No gradient norms yet: the first is measured after 50 s of training/);
  const old = { ...waiting, gradients: { ...waiting.gradients, available: false, reason: null } };
  assert.match(gradientNotes(old)[0], /^This run has no gradients: its writer does not say why/);
});

test('KerasWeights: a run without gradients shows the writer’s reason in place of the chart', async () => {
  const run = await dashboardRun('failed-tf');
  run.updates.byWeight = run.updates.byWeight.map((sizes) => sizes.map(() => null));
  const card = new KerasWeights();
  document.body.append(card.root);
  card.render(run, palette);
  assert.equal(card.root.querySelector<HTMLElement>('#keras-gradients')?.dataset.lines, '0');
  assert.equal(card.root.querySelector<HTMLElement>('#keras-gradients')?.hidden, true);
  assert.match(
    card.root.querySelector('#keras-gradient-notes')?.textContent ?? '',
    /^This run has no gradients: no probe batch/,
  );
  card.clear();
  card.root.remove();
});

test('KerasWeights: the card shows the newest snapshot of the kernels, the scrubber goes back, the picker narrows', async () => {
  // Chart.js does not lay out in happy-dom: the update chart is left to the UI test (test/e2e/ui/kerasRun.mjs),
  // and this run's update sizes are taken away so that it is not made, its words shown instead.
  const run = await dashboardRun('conv-jax');
  run.updates.byWeight = run.updates.byWeight.map((sizes) => sizes.map(() => null));
  run.gradients.byWeight = run.gradients.byWeight.map((norms) => norms.map(() => null));
  const card = new KerasWeights();
  document.body.append(card.root);
  card.render(run, palette);
  const visible = () =>
    [...card.root.querySelectorAll<HTMLElement>('.histogram-card')]
      .filter((c) => !c.hidden)
      .map((c) => short(c.dataset.tensor ?? ''));
  assert.deepEqual(visible(), ['conv2d/kernel', 'dense/kernel']);
  const scrubber = card.root.querySelector<HTMLInputElement>('#keras-snapshot-scrubber');
  const label = card.root.querySelector('#keras-snapshot-label');
  assert.ok(scrubber && label);
  assert.equal(scrubber.max, '4');
  assert.equal(scrubber.value, '4');
  assert.match(label.textContent ?? '', /^snapshot 5 of 5/);
  scrubber.value = '0';
  scrubber.dispatchEvent(new window.Event('input') as unknown as Event);
  assert.match(label.textContent ?? '', /^snapshot 1 of 5 · epoch 1, step 0/);
  // The run goes on: the chosen snapshot stays chosen.
  card.render(structuredClone(run), palette);
  assert.equal(scrubber.value, '0');
  const picker = card.root.querySelector<HTMLSelectElement>('#keras-weight-pick');
  assert.ok(picker);
  assert.deepEqual(
    [...picker.options].map((o) => o.value.replace(/^weight:.*\//, 'weight:…/')),
    ['kernels', 'all', 'weight:…/kernel', 'weight:…/kernel', 'weight:…/bias', 'weight:…/bias'],
  );
  picker.value = `weight:${run.weights[1].name}`;
  picker.dispatchEvent(new window.Event('change') as unknown as Event);
  assert.deepEqual(visible(), ['conv2d/bias']);
  assert.equal(card.root.querySelector<HTMLElement>('#keras-more-weights')?.hidden, true);
  assert.equal(card.root.querySelector<HTMLElement>('#keras-updates')?.dataset.lines, '0');
  assert.match(card.root.querySelector('#keras-update-notes')?.textContent ?? '', /^No figure for .*conv2d\/kernel, /);
  assert.equal(card.root.querySelector<HTMLElement>('#keras-gradients')?.dataset.lines, '0');
  assert.ok(MAX_HISTOGRAM_CARDS >= 4);
  card.clear();
});
