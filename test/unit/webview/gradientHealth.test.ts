// The gradients table from a run state that came through postMessage (JSON: the hole at epoch 0 is null).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { GradientEpoch } from '../../../src/shared/protocol';
import { deadUnitsLine, renderGradientTable } from '../../../src/webview/dashboard/gradientHealth';
import { installDom } from './dom';

before(() => installDom());

const epoch = (n: number, dead: number): GradientEpoch => ({
  epoch: n,
  tensors: [],
  layers: [
    { weight: 'dense/kernel', gradientNorm: 0.5 / n, updateRatio: 0.002 },
    { weight: 'dense/bias', gradientNorm: 0.1 / n, updateRatio: null },
  ],
  deadUnits: dead,
  hiddenUnits: 512,
});

test('gradients table: one row per epoch from a snapshot sent as JSON, the newest epoch’s dead units', () => {
  const state = JSON.parse(JSON.stringify([undefined, epoch(1, 0), epoch(2, 3)])) as (GradientEpoch | null)[];
  assert.equal(state[0], null);
  const table = document.createElement('table');
  renderGradientTable(table, state);
  const rows = [...table.querySelectorAll('tr[data-epoch]')].map((r) => [...r.children].map((c) => c.textContent));
  assert.deepEqual(rows, [
    ['1', '0.5', '0.002', '0.1', '—', '0 / 512'],
    ['2', '0.25', '0.002', '0.05', '—', '3 / 512'],
  ]);
  assert.match(deadUnitsLine(state), /^3 of 512 hidden units never fire/);
  assert.equal(deadUnitsLine([]), '');
  renderGradientTable(table, []);
  assert.equal(table.querySelectorAll('tr').length, 0);
});
