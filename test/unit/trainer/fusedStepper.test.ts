// The fused trainer's pure parts: how many threads a setting means, how a batch and the
// parameters are split between threads, that the committed kernel is the assembled .wat, and
// that starting workers from the sources (tsx) stays out of the shipped code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { resolveThreads, shardRows, updateSlice } from '../../../src/trainer/fused/fusedStepper';
import { UPDATE_KERNEL_BASE64 } from '../../../src/trainer/fused/kernels/updateKernel';

/** Plain JavaScript, imported by path at run time (it has no types). */
const KERNEL_SCRIPT: string = '../../../scripts/build-kernels.mjs';

test('workers: auto on wasm leaves one core beside the editor, takes all in the CLI (1 to 4); native: 1; a number as is', () => {
  const editor = (cores: number) => resolveThreads('auto', { backend: 'wasm', spareCore: true, cores });
  const cli = (cores: number) => resolveThreads('auto', { backend: 'wasm', spareCore: false, cores });
  assert.deepEqual([1, 2, 4, 32].map(editor), [1, 1, 3, 4]);
  assert.deepEqual([1, 2, 4, 32].map(cli), [1, 2, 4, 4]);
  assert.equal(resolveThreads('auto', { backend: 'tensorflow', spareCore: false, cores: 16 }), 1);
  assert.equal(resolveThreads(2, { backend: 'wasm', spareCore: true, cores: 2 }), 2);
  assert.equal(resolveThreads(3, { backend: 'tensorflow', spareCore: true, cores: 2 }), 3);
});

test('shards cover a batch once, in order, and parameter slices cover the parameters in multiples of 4', () => {
  for (const [n, slots] of [
    [128, 2],
    [96, 3],
    [1, 2],
  ]) {
    const rows = Array.from({ length: slots }, (_, k) => shardRows(n, k, slots));
    assert.equal(rows[0][0], 0);
    rows.forEach(([, to], k) => assert.equal(k + 1 < slots ? rows[k + 1][0] : n, to));
  }
  const size = 407_052;
  const slices = [0, 1, 2].map((k) => updateSlice(size, k, 3));
  assert.deepEqual(
    slices.map(([from, to]) => [from % 4, to % 4]),
    [
      [0, 0],
      [0, 0],
      [0, 0],
    ],
  );
  assert.equal(slices[0][0], 0);
  assert.equal(slices[1][0], slices[0][1]);
  assert.equal(slices[2][0], slices[1][1]);
  assert.equal(slices[2][1], size);
});

test('the committed update kernel is update.wat assembled (node scripts/build-kernels.mjs)', async () => {
  const { assembleUpdateKernel } = (await import(KERNEL_SCRIPT)) as {
    assembleUpdateKernel: () => Promise<string>;
  };
  const previous = process.cwd();
  process.chdir(`${__dirname}/../../..`);
  try {
    assert.equal(await assembleUpdateKernel(), UPDATE_KERNEL_BASE64);
  } finally {
    process.chdir(previous);
  }
});

test('no shipped source loads tsx: workers from the sources are started by test/support/sourceWorker.ts', () => {
  const src = path.join(__dirname, '../../../src');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 50, `${files.length} source files found`);
  const loading = files.filter((f) =>
    /['"`]tsx(\/[a-z]+)?['"`]|require\(\\?'tsx/.test(readFileSync(path.join(src, f), 'utf8')),
  );
  assert.deepEqual(loading, []);
});
