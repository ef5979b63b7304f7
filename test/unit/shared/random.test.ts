import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/shared/random';

test('seededRandom: a seed reproduces its sequence, another seed gives another, values in [0, 1) spread evenly', () => {
  const take = (seed: number) => Array.from({ length: 10_000 }, seededRandom(seed));
  const a = take(42);
  assert.deepEqual(take(42), a);
  assert.notDeepEqual(take(43).slice(0, 10), a.slice(0, 10));
  assert.ok(a.every((v) => v >= 0 && v < 1));
  const tenths = new Array<number>(10).fill(0);
  for (const v of a) tenths[Math.floor(v * 10)]++;
  for (const count of tenths) assert.ok(count > 900 && count < 1100, `each tenth holds about 1,000 (${tenths})`);
});
