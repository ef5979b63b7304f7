// The dashboard's Keras card drawn in a DOM from a real fixture run: its status line.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { type KerasDashboardRun, kerasDashboardRun } from '../../../src/shared/kerasDashboard';
import { readRun } from '../../../src/shared/node/runFiles';
import { KerasRunCard } from '../../../src/webview/dashboard/kerasRunCard';
import { copyFixtures, runFolder } from '../../support/kerasRuns';
import { darkPalette } from '../../support/palette';
import { installDom } from './dom';

before(() => installDom());

test('KerasRunCard: the status line counts the batches with thousands separators, as the rest of the panels write counts', async () => {
  const base = copyFixtures('keras-run-card');
  const { summary, state } = await readRun(runFolder(base, 'dense-tf'), base);
  const run = JSON.parse(JSON.stringify(kerasDashboardRun(summary, state, []))) as KerasDashboardRun;
  // Chart.js does not lay out in happy-dom: no metric and no figure, so the card makes no chart.
  run.metrics = [];
  run.updates.byWeight = run.updates.byWeight.map((sizes) => sizes.map(() => null));
  run.gradients.byWeight = run.gradients.byWeight.map((norms) => norms.map(() => null));
  run.batches = 12345;
  const card = new KerasRunCard();
  document.body.append(card.root);
  card.render(run, darkPalette);
  assert.match(card.root.querySelector('#keras-run-status')?.textContent ?? '', / · 12,345 batches$/);
  card.clear();
  card.root.remove();
});
