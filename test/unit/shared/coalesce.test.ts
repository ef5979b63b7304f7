import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Coalescer, LatestOnly } from '../../../src/shared/coalesce';

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

/** A job whose runs the test finishes by hand, recording which ran and how many at once. */
function manualJob() {
  const runs: { arg: number; finish: (ok: boolean) => void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const job = (arg: number) =>
    new Promise<string>((resolve, reject) => {
      mostAtOnce = Math.max(mostAtOnce, ++running);
      runs.push({
        arg,
        finish: (ok) => {
          running--;
          if (ok) resolve(`answer ${arg}`);
          else reject(new Error(`job ${arg} failed`));
        },
      });
    });
  return { job, runs, mostAtOnce: () => mostAtOnce };
}

/** Lets every settled promise's reactions run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('latest only: a burst while a job runs starts one more job, for the newest request; the others answer null', async () => {
  const { job, runs, mostAtOnce } = manualJob();
  const latest = new LatestOnly(job);
  const answers = Array.from({ length: 20 }, (_, i) => latest.run(i));
  await settle();
  assert.deepEqual(
    runs.map((r) => r.arg),
    [0],
    'only the first runs while it runs',
  );
  runs[0].finish(true);
  await settle();
  assert.deepEqual(
    runs.map((r) => r.arg),
    [0, 19],
    'then only the newest',
  );
  runs[1].finish(true);
  assert.deepEqual(await Promise.all(answers), ['answer 0', ...Array<null>(18).fill(null), 'answer 19']);
  assert.equal(mostAtOnce(), 1);
  // Idle again: the next request runs at once.
  const alone = latest.run(42);
  await settle();
  assert.equal(runs.at(-1)?.arg, 42);
  runs.at(-1)?.finish(true);
  assert.equal(await alone, 'answer 42');
});

test('latest only: a failed job rejects its own request only, and the waiting one still runs', async () => {
  const { job, runs } = manualJob();
  const latest = new LatestOnly(job);
  const first = latest.run(1);
  const second = latest.run(2);
  await settle();
  runs[0].finish(false);
  await assert.rejects(first, /job 1 failed/);
  await settle();
  runs[1].finish(true);
  assert.equal(await second, 'answer 2');
  const throwsAtOnce = new LatestOnly<number, string>(() => {
    throw new Error('at once');
  });
  await assert.rejects(throwsAtOnce.run(1), /at once/);
});
