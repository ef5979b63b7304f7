// The pure run-format reader (src/shared/runFormat) on the real Keras runs of test/fixtures/keras-runs
// and on hostile records made here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunFormatError, parseEventLine } from '../../../src/shared/runFormat/events';
import { parseSnapshotHeader, parseSnapshotPreamble } from '../../../src/shared/runFormat/snapshot';
import {
  applyRunEvent,
  batchValue,
  emptyRunSummary,
  runListing,
  type RunSummary,
} from '../../../src/shared/runFormat/summary';
import {
  FIXTURE_BASE,
  type FixtureName,
  decodeSnapshot,
  encodeSnapshot,
  eventLines,
  runFolder,
} from '../../support/kerasRuns';

function fold(lines: string[]): RunSummary {
  const summary = emptyRunSummary('run');
  for (const line of lines) {
    const parsed = parseEventLine(line);
    if (parsed.kind === 'event') applyRunEvent(summary, parsed.event);
    else summary.skippedRecords++;
  }
  return summary;
}

const fixture = (name: FixtureName) => eventLines(runFolder(FIXTURE_BASE, name));
const raw = (name: FixtureName) => fixture(name).map((line) => JSON.parse(line));

test('runFormat: the Dense run on TensorFlow folds to its header, 3 epochs, 24 batches and the last epoch with val_ metrics', () => {
  const summary = fold(fixture('dense-tf'));
  const records = raw('dense-tf');
  const header = records[0];
  assert.equal(summary.id, header.runId);
  assert.equal(summary.header?.framework.backend, 'tensorflow');
  assert.equal(summary.epochs, 3);
  assert.equal(summary.batches, 24);
  const lastEpoch = records.filter((r) => r.type === 'epoch').at(-1);
  assert.deepEqual(summary.lastMetrics, lastEpoch.logs);
  assert.ok('val_loss' in summary.lastMetrics && 'val_accuracy' in summary.lastMetrics);
  assert.deepEqual(
    summary.header?.model.weights.map((w) => [w.name, w.shape, w.dtype]),
    header.model.weights.map((w: { name: string; shape: number[]; dtype: string }) => [w.name, w.shape, w.dtype]),
  );
  assert.equal(summary.snapshots.length, records.filter((r) => r.type === 'snapshot').length);
  assert.equal(summary.end?.state, 'ended');
  const listing = runListing(summary, 'ended');
  assert.deepEqual(listing.weights[0], { name: 'sequential/dense/kernel', shape: [12, 16], dtype: 'float32' });
});

test('runFormat: the Conv2D run on JAX lists a rank-4 kernel, its layers with output shapes and the summary text', () => {
  const summary = fold(fixture('conv-jax'));
  assert.equal(summary.header?.framework.backend, 'jax');
  assert.deepEqual(summary.header?.model.weights[0].shape, [3, 3, 1, 4]);
  assert.deepEqual(
    summary.header?.model.layers.map((l) => [l.className, l.outputShape]),
    [
      ['Conv2D', [null, 6, 6, 4]],
      ['MaxPooling2D', [null, 3, 3, 4]],
      ['Flatten', [null, 36]],
      ['Dense', [null, 3]],
    ],
  );
  assert.match(summary.header?.model.summary ?? '', /Trainable params: 151 /);
});

test('runFormat: the failed run ends failed with the exception; the killed one has no end record', () => {
  const failed = fold(fixture('failed-tf'));
  assert.equal(failed.end?.state, 'failed');
  assert.deepEqual(failed.end?.error, { type: 'RuntimeError', message: 'loss went to the moon at epoch 1, batch 2' });
  assert.equal(runListing(failed, 'failed').error, 'RuntimeError: loss went to the moon at epoch 1, batch 2');
  const killed = fold(fixture('killed-jax'));
  assert.equal(killed.end, null);
  // Killed in epoch 1: what it wrote before (how far depends on when its batch events were due).
  const records = raw('killed-jax');
  assert.equal(killed.epochs, records.filter((r) => r.type === 'epoch').length);
  assert.equal(killed.batches, Math.max(...records.filter((r) => 'step' in r).map((r) => r.step)));
  assert.ok(killed.epochs >= 1 && killed.epochs < 3);
});

test('runFormat: per-batch values derived from the running means average back to each epoch mean (real runs, equal batches)', () => {
  // 128 training samples (dense-tf, after validation_split) and 96 (conv-jax) in batches of 16: all
  // equal. The writer coalesces batch events (at most one per 20 ms), so each value is weighted by
  // the batches its event covers.
  for (const name of ['dense-tf', 'conv-jax'] as const) {
    const summary = fold(fixture(name));
    const { epochs, batches, metrics } = summary.batchSeries;
    assert.ok(
      batches.some((n) => n > 1),
      `${name}: the fixture has events covering several batches`,
    );
    for (const metric of ['loss', 'accuracy']) {
      const series = metrics.get(metric)!;
      for (const epoch of [0, 1, 2]) {
        const indices = epochs.flatMap((e, i) => (e === epoch ? [i] : []));
        const covered = indices.reduce((sum, i) => sum + batches[i], 0);
        const mean = indices.reduce((sum, i) => sum + series.values[i] * batches[i], 0) / covered;
        const lastMean = series.means[indices.at(-1)!];
        assert.ok(Math.abs(mean - lastMean) < 1e-5, `${name} ${metric} epoch ${epoch}: ${mean} vs ${lastMean}`);
        assert.equal(series.values[indices[0]], series.means[indices[0]], "an epoch's first event is its own value");
      }
    }
  }
});

test('runFormat: an event covering several batches (steps_per_execution) derives their mean value', () => {
  // Batch losses 2, 4, 6, 8: running means 2, 3, 4, 5. Events after batches 0 and 3 (the second covers 3).
  assert.equal(batchValue(1, 2, 4, 5), 6);
  const header = fixture('dense-tf')[0];
  const summary = fold([
    header,
    '{"type":"batch","epoch":0,"batch":0,"batches":1,"step":1,"time":1,"logs":{"loss":2}}',
    '{"type":"batch","epoch":0,"batch":3,"batches":3,"step":4,"time":2,"logs":{"loss":5}}',
    '{"type":"batch","epoch":1,"batch":0,"batches":1,"step":5,"time":3,"logs":{"loss":"NaN"}}',
  ]);
  const loss = summary.batchSeries.metrics.get('loss')!;
  assert.deepEqual(loss.values.slice(0, 2), [2, 6]);
  assert.ok(Number.isNaN(loss.means[2]) && Number.isNaN(loss.values[2]));
  assert.deepEqual(summary.batchSeries.steps, [1, 4, 5]);
});

test('runFormat: unknown record types and unknown keys are skipped; non-finite metric strings become numbers', () => {
  const [header, ...rest] = fixture('dense-tf');
  const withExtras = JSON.stringify({ ...JSON.parse(header), future: { x: 1 } });
  const summary = fold([
    withExtras,
    '{"type":"curvature","step":1,"layers":[]}',
    '{"type":"hologram","data":"?"}',
    '{"type":"epoch","epoch":0,"step":8,"time":1,"seconds":1,"logs":{"loss":"Infinity","val_loss":"-Infinity","acc":"NaN","lr":null,"note":"x"},"colour":"red"}',
    ...rest.slice(0, 1),
  ]);
  assert.equal(summary.skippedRecords, 2);
  assert.equal(summary.lastMetrics.loss, Infinity);
  assert.equal(summary.lastMetrics.val_loss, -Infinity);
  assert.ok(Number.isNaN(summary.lastMetrics.acc));
  assert.equal(summary.lastMetrics.lr, null);
  assert.ok(!('note' in summary.lastMetrics));
  assert.deepEqual(runListing(summary, 'running').lastMetrics, {
    loss: 'Infinity',
    val_loss: '-Infinity',
    acc: 'NaN',
    lr: null,
  });
});

test('runFormat: a header of another version or format is refused with a line that says which', () => {
  const header = JSON.parse(fixture('dense-tf')[0]);
  assert.throws(
    () => parseEventLine(JSON.stringify({ ...header, version: 2 })),
    (e: Error) =>
      e instanceof RunFormatError &&
      /format version 2 is not supported \(this reader knows version 1\)/.test(e.message),
  );
  assert.throws(
    () => parseEventLine(JSON.stringify({ ...header, format: 'tensorboard' })),
    /format "tensorboard" is not "tensorlens-run"/,
  );
});

test('runFormat: records out of order or with wrong types are faults that name the record and key', () => {
  const [header, ...rest] = fixture('dense-tf');
  assert.throws(() => fold(rest), /the first record is a (batch|snapshot) record, not the header/);
  assert.throws(() => fold([header, header]), /a second header record/);
  const end = rest.find((line) => line.includes('"type":"end"'))!;
  assert.throws(() => fold([header, end, rest[0]]), /record after the end record/);
  assert.throws(
    () => parseEventLine('{"type":"batch","epoch":"zero","batch":0,"batches":1,"step":1,"time":1,"logs":{}}'),
    /a batch record: "epoch" is not an integer ≥ 0/,
  );
  assert.throws(() => parseEventLine('[1,2]'), /without a string "type"/);
  assert.throws(() => parseEventLine('{"type":"batch",'), /not JSON/);
});

test("runFormat: a snapshot record whose file leaves the run folder ('..', absolute) or is not its index's name is refused", () => {
  const [header] = fixture('dense-tf');
  const snapshot = (file: string) =>
    JSON.stringify({
      type: 'snapshot',
      index: 1,
      file,
      bytes: 10,
      reason: 'begin',
      epoch: 0,
      batch: -1,
      step: 0,
      time: 1,
      seconds: 0,
    });
  for (const file of [
    '../../../etc/passwd',
    'snapshots/../../x/000001.bin',
    '/etc/passwd',
    'snapshots/000002.bin',
    'snapshots\\000001.bin',
  ])
    assert.throws(() => fold([header, snapshot(file)]), /snapshot 1 names the file/, file);
  assert.equal(fold([header, snapshot('snapshots/000001.bin')]).snapshots.length, 1);
});

test('runFormat: the real runs with a probe batch fold to their gradient norms, one per trainable weight; the others say why they have none', () => {
  for (const name of ['dense-tf', 'conv-jax'] as const) {
    const summary = fold(fixture(name));
    const records = raw(name).filter((r) => r.type === 'gradients');
    assert.ok(records.length >= 4, `${name}: before training and after each of 3 epochs`);
    assert.deepEqual(
      summary.gradients.map((g) => [g.step, g.loss]),
      records.map((r) => [r.step, r.loss]),
    );
    assert.deepEqual(summary.header?.gradients, { available: true, reason: null, probe: 32, after: 0 });
    const trainable = summary.header!.model.weights.filter((w) => w.trainable).map((w) => w.name);
    for (const event of summary.gradients) {
      assert.deepEqual(
        event.weights.map((w) => w.name),
        trainable,
      );
      assert.ok(event.weights.every((w) => Number.isFinite(w.norm) && w.norm > 0));
      assert.equal(event.probe, 32);
    }
    // The first is measured with the begin snapshot (dense-tf's model is built by its first batch).
    assert.equal(summary.gradients[0].step, summary.snapshots[0].step);
    const listing = runListing(summary, 'ended');
    assert.equal(listing.gradients, records.length);
    assert.equal(listing.gradientsMissing, null);
  }
  const failed = fold(fixture('failed-tf'));
  assert.equal(failed.gradients.length, 0);
  assert.equal(failed.header?.gradients.available, false);
  assert.match(
    runListing(failed, 'failed').gradientsMissing ?? '',
    /^no probe batch: pass TensorLens\(probe=\(x, y\)\)/,
  );
});

test('runFormat: a header from before gradients were recorded reads as a run without them', () => {
  const [header, ...rest] = raw('dense-tf');
  delete header.gradients;
  const summary = fold([header, ...rest.filter((r) => r.type !== 'gradients')].map((r) => JSON.stringify(r)));
  assert.deepEqual(summary.header?.gradients, { available: false, reason: null, probe: null, after: null });
  assert.equal(runListing(summary, 'ended').gradientsMissing, 'not recorded');
});

test('runFormat: gradient records with wrong types, negative norms or weights the header lacks are faults that say which', () => {
  const [header] = fixture('dense-tf');
  const good = raw('dense-tf').find((r) => r.type === 'gradients');
  const line = (change: Record<string, unknown>) => JSON.stringify({ ...good, ...change });
  const weight = good.weights[0];
  assert.equal(fold([header, line({ loss: 'NaN', weights: [{ ...weight, norm: 'Infinity' }] })]).gradients.length, 1);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ step: -1 }, /a gradients record: "step" is not an integer ≥ 0/],
    [{ probe: 0 }, /"probe" is not an integer ≥ 1/],
    [{ loss: 'lots' }, /"loss" is not a number, "NaN", "Infinity", "-Infinity" or null/],
    [{ weights: {} }, /"weights" is not an array/],
    [{ weights: [{ ...weight, norm: -1 }] }, /"norm" is not a norm/],
    [{ weights: [{ ...weight, norm: null }] }, /"norm" is not a norm/],
    [{ weights: [{ ...weight, name: 7 }] }, /"name" is not a string/],
    [{ weights: [{ ...weight, name: '../x' }] }, /gradients at step \d+ name "..\/x", not a weight of the header/],
    [{ weights: Array(5).fill(weight) }, /gradients at step \d+ name 5 weights; the header has 4/],
  ];
  for (const [change, expected] of cases)
    assert.throws(() => fold([header, line(change)]), expected, JSON.stringify(change));
  assert.throws(() => fold([line({})]), /the first record is a gradients record, not the header/);
});

const realSnapshot = () => path.join(runFolder(FIXTURE_BASE, 'conv-jax'), 'snapshots', '000002.bin');

test('runFormat: a real snapshot parses: every weight with statistics, histogram and a values range inside the data', () => {
  const bytes = fs.readFileSync(realSnapshot());
  const layout = parseSnapshotPreamble(bytes.subarray(0, 24), bytes.length);
  const header = parseSnapshotHeader(bytes.subarray(24, 24 + layout.headerBytes).toString('utf8'), layout.dataBytes);
  assert.deepEqual(
    header.weights.map((w) => [w.name, w.count, w.values?.length]),
    [
      ['sequential/conv2d/kernel', 36, 144],
      ['sequential/conv2d/bias', 4, 16],
      ['sequential/dense/kernel', 108, 432],
      ['sequential/dense/bias', 3, 12],
    ],
  );
  assert.equal(layout.dataBytes, 144 + 16 + 432 + 12);
  for (const w of header.weights)
    assert.equal(
      w.histogram.counts.reduce((a, b) => a + b, 0),
      w.histogram.sampled,
    );
});

test('runFormat: a snapshot whose preamble or header lies about sizes is refused before anything is read from it', () => {
  const { header, data } = decodeSnapshot(realSnapshot());
  const check = (bytes: Buffer) => {
    const layout = parseSnapshotPreamble(bytes.subarray(0, 24), bytes.length);
    return parseSnapshotHeader(bytes.subarray(24, 24 + layout.headerBytes).toString('utf8'), layout.dataBytes);
  };
  assert.equal(check(encodeSnapshot(header, data)).weights.length, 4);
  assert.throws(
    () => check(encodeSnapshot(header, data, { dataBytes: 1n << 40n })),
    /the preamble says 24 \+ \d+ \+ 1099511627776 bytes, the file has \d+/,
  );
  assert.throws(
    () => check(encodeSnapshot(header, data, { headerBytes: 1n << 62n })),
    /a snapshot header of 4611686018427387904 bytes \(at most 67108864\)/,
  );
  assert.throws(() => check(encodeSnapshot(header, data).subarray(0, 100)), /the file has 100/);
  const wrongMagic = encodeSnapshot(header, data);
  wrongMagic.write('TLSNAP2', 0, 'latin1');
  assert.throws(() => check(wrongMagic), /wrong magic/);
  const lying = (change: (w: Record<string, unknown>) => void) => {
    const copy = structuredClone(header);
    change(copy.weights[2]);
    return encodeSnapshot(copy, data);
  };
  assert.throws(
    () => check(lying((w) => (w.values = { offset: 400, length: 432, dtype: 'float32' }))),
    /values end at 832, past the 604-byte data section/,
  );
  assert.throws(
    () => check(lying((w) => (w.values = { offset: 0, length: 4 * 1e9, dtype: 'float32' }))),
    /expected 432/,
  );
  assert.throws(
    () => check(lying((w) => (w.count = 1e12))),
    /count 1000000000000 is not the product of its shape \(108\)/,
  );
  assert.throws(() => check(lying((w) => (w.values = { offset: 0, length: 432, dtype: 'float64' }))), /values are not/);
  assert.throws(() => parseSnapshotPreamble(Buffer.alloc(10), 10), /shorter than a snapshot's 24-byte preamble/);
});
