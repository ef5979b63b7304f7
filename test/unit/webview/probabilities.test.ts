import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriesCsv } from '../../../src/shared/csv';
import { probabilitySeries } from '../../../src/webview/prediction/probabilities';

test("the prediction chart's CSV: one row per digit with its probability", () => {
  const probabilities = [0.01, 0.02, 0.6, 0.05, 0.02, 0.1, 0.05, 0.05, 0.05, 0.05];
  const csv = seriesCsv('digit', probabilitySeries({ probabilities }));
  const rows = csv.trim().split('\r\n');
  assert.equal(rows[0], 'digit,probability');
  assert.equal(rows.length, 11);
  assert.deepEqual(
    rows.slice(1).map((r) => r.split(',').map(Number)),
    probabilities.map((p, d) => [d, p]),
  );
});
