// The dashboard's kerasRun message is checked like every host message: a real fixture run's curves
// pass unchanged; a message missing a metric's arrays is refused before the card draws from it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kerasDashboardRun } from '../../../src/shared/kerasDashboard';
import { readRun, readSnapshot } from '../../../src/shared/node/runFiles';
import { readHostMessage } from '../../../src/webview/common/hostMessages';
import { copyFixtures, runFolder } from '../../support/kerasRuns';

test('readHostMessage: a kerasRun message of a real run, its snapshots included, passes; malformed ones are refused', async () => {
  const base = copyFixtures('keras-message');
  const folder = runFolder(base, 'dense-tf');
  const { summary, state } = await readRun(folder, base);
  const history = await Promise.all(summary.snapshots.map(async (e) => (await readSnapshot(folder, e)).header));
  const message = { type: 'kerasRun', run: kerasDashboardRun(summary, state, history) };
  assert.equal(readHostMessage(message), message);
  const [first] = message.run.metrics;
  const [snapshot] = message.run.snapshots;
  assert.equal(message.run.snapshots.length, 4);
  assert.ok(message.run.gradients.steps.length >= 4, 'the fixture run has gradient norms');
  for (const bad of [
    { type: 'kerasRun' },
    { type: 'kerasRun', run: { ...message.run, metrics: 'loss' } },
    { type: 'kerasRun', run: { ...message.run, metrics: [{ ...first, means: undefined }] } },
    { type: 'kerasRun', run: { ...message.run, metrics: [{ ...first, validation: 'none' }] } },
    { type: 'kerasRun', run: { ...message.run, weights: undefined } },
    { type: 'kerasRun', run: { ...message.run, snapshots: [{ ...snapshot, weights: snapshot.weights.slice(1) }] } },
    {
      type: 'kerasRun',
      run: { ...message.run, snapshots: [{ ...snapshot, weights: [{ ...snapshot.weights[0], histogram: 'bars' }] }] },
    },
    { type: 'kerasRun', run: { ...message.run, updates: { steps: [], spans: [], byWeight: [] } } },
    { type: 'kerasRun', run: { ...message.run, updates: { ...message.run.updates, spans: undefined } } },
    { type: 'kerasRun', run: { ...message.run, updates: { ...message.run.updates, spans: [null] } } },
    { type: 'kerasRun', run: { ...message.run, gradients: undefined } },
    { type: 'kerasRun', run: { ...message.run, gradients: { ...message.run.gradients, available: 'yes' } } },
    { type: 'kerasRun', run: { ...message.run, gradients: { ...message.run.gradients, reason: 7 } } },
    { type: 'kerasRun', run: { ...message.run, gradients: { ...message.run.gradients, byWeight: [] } } },
    {
      type: 'kerasRun',
      run: { ...message.run, gradients: { ...message.run.gradients, steps: [...message.run.gradients.steps, 99] } },
    },
  ])
    assert.equal(readHostMessage(bad), null, JSON.stringify(bad).slice(0, 80));
});
