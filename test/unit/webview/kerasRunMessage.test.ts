// The dashboard's kerasRun message is checked like every host message: a real fixture run's curves
// pass unchanged; a message missing a metric's arrays is refused before the card draws from it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kerasDashboardRun } from '../../../src/shared/kerasDashboard';
import { readRun } from '../../../src/shared/node/runFiles';
import { readHostMessage } from '../../../src/webview/common/hostMessages';
import { copyFixtures, runFolder } from '../../support/kerasRuns';

test('readHostMessage: a kerasRun message of a real run passes; malformed ones are refused', async () => {
  const base = copyFixtures('keras-message');
  const { summary, state } = await readRun(runFolder(base, 'dense-tf'), base);
  const message = { type: 'kerasRun', run: kerasDashboardRun(summary, state) };
  assert.equal(readHostMessage(message), message);
  const [first] = message.run.metrics;
  for (const bad of [
    { type: 'kerasRun' },
    { type: 'kerasRun', run: { ...message.run, metrics: 'loss' } },
    { type: 'kerasRun', run: { ...message.run, metrics: [{ ...first, means: undefined }] } },
    { type: 'kerasRun', run: { ...message.run, metrics: [{ ...first, validation: 'none' }] } },
  ])
    assert.equal(readHostMessage(bad), null, JSON.stringify(bad).slice(0, 80));
});
