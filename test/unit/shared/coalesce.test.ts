import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Coalescer } from '../../../src/shared/coalesce';

test('coalesce: at most one group per interval, and every item delivered once, in order', () => {
  let now = 1000;
  const coalescer = new Coalescer<number>(50, () => now);
  const emitted: { at: number; items: number[] }[] = [];
  // 1,000 items arriving every 3 ms (a fast trainer): 3 s of batches.
  for (let i = 0; i < 1000; i++) {
    now += 3;
    const group = coalescer.add(i);
    if (group) emitted.push({ at: now, items: group });
  }
  emitted.push({ at: now, items: coalescer.flush() });
  for (let k = 1; k < emitted.length - 1; k++) {
    assert.ok(
      emitted[k].at - emitted[k - 1].at >= 50,
      `groups ${k - 1} and ${k} are ${emitted[k].at - emitted[k - 1].at} ms apart`,
    );
  }
  // 3 s at ≥ 50 ms per group: no more than 60 groups (+ the final flush).
  assert.ok(emitted.length <= 61, `${emitted.length} groups`);
  assert.deepEqual(
    emitted.flatMap((e) => e.items),
    Array.from({ length: 1000 }, (_, i) => i),
  );
});

test('coalesce: slow items are sent one by one as soon as the interval has passed', () => {
  let now = 0;
  const coalescer = new Coalescer<string>(50, () => now);
  now = 10;
  assert.equal(coalescer.add('a'), null);
  now = 60;
  assert.deepEqual(coalescer.add('b'), ['a', 'b']);
  now = 200;
  assert.deepEqual(coalescer.add('c'), ['c']);
  assert.deepEqual(coalescer.flush(), [], 'nothing left queued');
});

test('coalesce: a flush restarts the interval', () => {
  let now = 0;
  const coalescer = new Coalescer<number>(50, () => now);
  now = 49;
  assert.equal(coalescer.add(1), null);
  assert.deepEqual(coalescer.flush(), [1]);
  now = 60; // 11 ms after the flush
  assert.equal(coalescer.add(2), null);
  now = 99;
  assert.deepEqual(coalescer.add(3), [2, 3]);
  assert.deepEqual(coalescer.flush(), []);
});
