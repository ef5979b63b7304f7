// The fused trainer's control block: every field has its own place in the shared memory, and a
// block attached to the same buffer (as a worker attaches) sees what the other wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControlBlock } from '../../../src/trainer/fused/controlBlock';

test('control block: fields written on one thread are read on another, none overlapping', () => {
  const main = ControlBlock.create(3);
  const worker = new ControlBlock(main.buffer);
  main.setBatch(256, 128);
  main.adamScalars = [0.25, 0.5];
  [0, 1, 2].forEach((thread) => main.setSums(thread, [10 + thread, 100 + thread]));
  main.arrive('generation');
  main.arrive('gradientsDone');
  main.arrive('gradientsDone');
  assert.deepEqual([worker.from, worker.count], [256, 128]);
  assert.deepEqual(worker.adamScalars, [0.25, 0.5]);
  assert.deepEqual(
    [0, 1, 2].map((thread) => worker.sums(thread)),
    [
      [10, 100],
      [11, 101],
      [12, 102],
    ],
  );
  assert.deepEqual([worker.load('generation'), worker.load('gradientsDone'), worker.load('updatesDone')], [1, 2, 0]);
  assert.equal(worker.exit || worker.failed, false);
  main.requestExit();
  assert.deepEqual([worker.exit, worker.failed], [true, false]);
  main.markFailed();
  assert.equal(worker.failed, true);
  worker.reset('gradientsDone');
  assert.equal(main.load('gradientsDone'), 0);
});
