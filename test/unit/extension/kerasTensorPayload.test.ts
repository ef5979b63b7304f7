// The inspector's payload for a weight of a real Keras run (the conv fixture, written by the
// tensorlens callback): its values come from the newest snapshot that carries them, sliced as the
// inspector draws them, and they are the snapshot file's own bytes — read here by hand, by the
// layout of docs/run-format.md §3, not by the reader under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShownKerasTensor, kerasTensorPayload } from '../../../src/extension/kerasTensorPayload';
import { describeFault, faultOf, localizeFaults } from '../../../src/shared/faults';
import { readRun } from '../../../src/shared/node/runFiles';
import { copyFixtures, eventLines, runFolder } from '../../support/kerasRuns';
import { bundleKo } from '../../support/l10nBundles';

const KERNEL = 'sequential/conv2d/kernel';

/** A weight's float32 values and statistics straight from a snapshot file (§3), without the reader. */
function groundTruth(file: string, name: string): { values: number[]; min: number; max: number; index: number } {
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 8).toString('latin1'), 'TLSNAP1\n');
  const headerBytes = Number(bytes.readBigUInt64LE(8));
  const header = JSON.parse(bytes.subarray(24, 24 + headerBytes).toString('utf8'));
  const weight = header.weights.find((w: { name: string }) => w.name === name);
  const start = 24 + headerBytes + weight.values.offset;
  const values = Array.from({ length: weight.count }, (_, i) => bytes.readFloatLE(start + 4 * i));
  return { values, min: weight.min, max: weight.max, index: header.index };
}

async function convRun(base: string) {
  const folder = runFolder(base, 'conv-jax');
  const { summary } = await readRun(folder, base);
  return { folder, summary, snapshot: null };
}

test("the conv kernel [3, 3, 1, 4] of a real run: the newest snapshot's values, input channel 0 as 9 positions × 4 filters", async () => {
  const base = copyFixtures('keras-payload');
  const run = await convRun(base);
  const newest = run.summary.snapshots.at(-1);
  assert.ok(newest);
  const payload = await kerasTensorPayload(run, KERNEL, null);
  assert.deepEqual(payload.ref, { source: 'keras', runId: path.basename(run.folder), name: KERNEL });
  assert.deepEqual(payload.shape, [3, 3, 1, 4]);
  assert.equal(payload.dtype, 'float32');
  assert.equal(payload.sliceIndex, 0, 'a conv kernel opens on its first input channel');
  assert.deepEqual(payload.snapshot, {
    kind: 'values',
    index: newest.index,
    epoch: newest.epoch,
    step: newest.step,
    reason: 'epoch',
  });
  const truth = groundTruth(path.join(run.folder, newest.file), KERNEL);
  assert.equal(truth.index, newest.index);
  assert.ok(payload.values);
  assert.equal(payload.values.length, 36);
  // Drawn cell [y·3 + x, o] is kernel[y, x, 0, o]: row-major offset ((y·3 + x)·1 + 0)·4 + o.
  for (let y = 0; y < 3; y++)
    for (let x = 0; x < 3; x++)
      for (let o = 0; o < 4; o++)
        assert.equal(
          payload.values[(y * 3 + x) * 4 + o],
          truth.values[((y * 3 + x) * 1 + 0) * 4 + o],
          `[${y}, ${x}, 0, ${o}]`,
        );
  assert.equal(payload.summary.stats.count, 36);
  assert.equal(payload.summary.stats.min, truth.min);
  assert.equal(payload.summary.stats.max, truth.max);
  assert.equal(
    payload.summary.histogram.counts.reduce((a, b) => a + b, 0),
    36,
  );
});

test('a matrix and a vector of the same run are drawn whole; a slice they do not have is refused in one line', async () => {
  const base = copyFixtures('keras-payload-dense');
  const run = await convRun(base);
  const dense = await kerasTensorPayload(run, 'sequential/dense/kernel', null);
  assert.deepEqual(dense.shape, [36, 3]);
  assert.equal(dense.sliceIndex, null);
  const newest = run.summary.snapshots.at(-1);
  assert.ok(newest);
  assert.deepEqual(
    Array.from(dense.values ?? []),
    groundTruth(path.join(run.folder, newest.file), 'sequential/dense/kernel').values,
  );
  const bias = await kerasTensorPayload(run, 'sequential/conv2d/bias', null);
  assert.equal(bias.values?.length, 4);
  await assert.rejects(kerasTensorPayload(run, 'sequential/dense/kernel', 0), /a rank-2 tensor has no slices/);
  await assert.rejects(kerasTensorPayload(run, KERNEL, 1), /slice 1 is out of range 0–0/);
  await assert.rejects(
    kerasTensorPayload(run, 'sequential/conv2d/kernel_2', null),
    /has no weight "sequential\/conv2d\/kernel_2"/,
  );
});

const korean = localizeFaults((english) => bundleKo[english] ?? english);

test('what the inspector is refused is a fault, worded in Korean where the display language is Korean', async () => {
  const base = copyFixtures('keras-payload-faults');
  const run = await convRun(base);
  const runId = path.basename(run.folder);
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail('not refused'),
      (error: unknown) => faultOf(error),
    );
  const noWeight = await refusal(kerasTensorPayload(run, 'sequential/conv2d/kernel_2', null));
  assert.deepEqual(noWeight, { kind: 'kerasNoWeight', run: runId, name: 'sequential/conv2d/kernel_2' });
  assert.equal(describeFault(noWeight, korean), `Keras 실행 ${runId}에 가중치 "sequential/conv2d/kernel_2"가 없습니다`);
  const noSlices = await refusal(kerasTensorPayload(run, 'sequential/dense/kernel', 0));
  assert.deepEqual(noSlices, { kind: 'tensorNoSlices', rank: 2 });
  assert.equal(describeFault(noSlices, korean), '랭크 2 텐서에는 슬라이스가 없습니다');
  const outOfRange = await refusal(kerasTensorPayload(run, KERNEL, 1));
  assert.deepEqual(outOfRange, { kind: 'tensorSliceOutOfRange', slice: 1, last: 0 });
  const none = await refusal(kerasTensorPayload({ ...run, summary: { ...run.summary, snapshots: [] } }, KERNEL, null));
  assert.deepEqual(none, { kind: 'kerasNoSnapshot', run: runId });
});

test("a weight larger than any snapshot keeps: no values, one line's worth of why, its statistics and histogram still there", async () => {
  const base = copyFixtures('keras-payload-large');
  const folder = runFolder(base, 'conv-jax');
  // The same run, as if its writer kept raw values of at most 16 elements (the kernel has 36).
  const [header, ...rest] = eventLines(folder);
  const parsed = JSON.parse(header);
  parsed.snapshots.rawMaxElements = 16;
  fs.writeFileSync(path.join(folder, 'events.jsonl'), [JSON.stringify(parsed), ...rest, ''].join('\n'));
  const run = await convRun(base);
  const payload = await kerasTensorPayload(run, KERNEL, null);
  assert.equal(payload.values, null);
  assert.deepEqual(payload.snapshot, { kind: 'tooLarge', limit: 16 });
  assert.equal(payload.summary.stats.count, 36);
  assert.equal(
    payload.summary.histogram.counts.reduce((a, b) => a + b, 0),
    36,
  );
});

test("the newest snapshot without the weight's values is passed over for the one before it that has them", async () => {
  const base = copyFixtures('keras-payload-fallback');
  const run = await convRun(base);
  const [older, newest] = run.summary.snapshots.slice(-2);
  // The newest snapshot as a writer that kept no values of the kernel would have written it: its entry's
  // values null, the header padded with spaces to the same length (§3), so sizes and offsets still hold.
  const file = path.join(run.folder, newest.file);
  const bytes = fs.readFileSync(file);
  const headerBytes = Number(bytes.readBigUInt64LE(8));
  const header = bytes.subarray(24, 24 + headerBytes).toString('utf8');
  const entry = header.indexOf(`"name":"${KERNEL}"`);
  const values = /"values":\{[^}]*\}/.exec(header.slice(entry));
  assert.ok(entry >= 0 && values, "the kernel's values range is in the header");
  const at = entry + values.index;
  const edited = `${header.slice(0, at)}"values":null${' '.repeat(values[0].length - 13)}${header.slice(at + values[0].length)}`;
  assert.equal(Buffer.byteLength(edited), headerBytes);
  bytes.write(edited, 24, 'utf8');
  fs.writeFileSync(file, bytes);

  const payload = await kerasTensorPayload(run, KERNEL, 0);
  assert.deepEqual(payload.snapshot, {
    kind: 'values',
    index: older.index,
    epoch: older.epoch,
    step: older.step,
    reason: older.reason,
  });
  assert.deepEqual(Array.from(payload.values ?? []), groundTruth(path.join(run.folder, older.file), KERNEL).values);
});

test('a shown weight is read again when its run has a newer snapshot, on the same slice, and only then', async () => {
  const base = copyFixtures('keras-payload-refresh');
  const folder = runFolder(base, 'conv-jax');
  const lines = eventLines(folder);
  // The run as it stood when its third snapshot was recorded.
  const third = lines.findIndex((line) => line.includes('"type":"snapshot"') && line.includes('"index":3,'));
  assert.ok(third > 0, 'the third snapshot record');
  fs.writeFileSync(path.join(folder, 'events.jsonl'), [...lines.slice(0, third + 1), ''].join('\n'));
  const ref = { source: 'keras', runId: path.basename(folder), name: KERNEL } as const;
  const { shown, payload } = await ShownKerasTensor.open(await convRun(base), ref, 0);
  assert.equal(payload.snapshot?.kind === 'values' && payload.snapshot.index, 3);
  assert.equal(await shown.refresh(await convRun(base)), null, 'no newer snapshot: nothing read');

  fs.writeFileSync(path.join(folder, 'events.jsonl'), [...lines, ''].join('\n'));
  const later = await shown.refresh(await convRun(base));
  assert.ok(later);
  const newest = (await convRun(base)).summary.snapshots.at(-1);
  assert.ok(newest);
  assert.equal(later.snapshot?.kind === 'values' && later.snapshot.index, newest.index);
  assert.equal(later.sliceIndex, 0);
  assert.deepEqual(Array.from(later.values ?? []), groundTruth(path.join(folder, newest.file), KERNEL).values);
  assert.equal(await shown.refresh(await convRun(base)), null);
});
