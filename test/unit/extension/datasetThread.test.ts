// A dataset worker that ends before it answers (a crash, an exit) is a fault the Tensors view words in
// the display language: real worker threads running scripts that throw or exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DatasetThread } from '../../../src/extension/datasetThread';
import { faultOf } from '../../../src/shared/faults';
import { tempDir } from '../../support/tempDir';

const folder = { dir: null, followDataLinks: false };

function script(body: string): string {
  const file = path.join(tempDir('dataset-thread'), 'worker.js');
  writeFileSync(file, body);
  return file;
}

async function loadFault(body: string) {
  let stops = 0;
  const thread = new DatasetThread(script(body), folder, () => stops++);
  try {
    const error = await thread.loaded.then(
      () => assert.fail('loaded'),
      (e: unknown) => e,
    );
    assert.equal(stops, 1);
    return faultOf(error);
  } finally {
    thread.dispose();
  }
}

test('a reader that exits before it answers: a fault with its exit code', async () => {
  assert.deepEqual(await loadFault('process.exit(3);'), { kind: 'mnistReaderExited', code: 3 });
});

test('a reader that throws before it answers: a fault with its error (the system words, as they come)', async () => {
  assert.deepEqual(await loadFault("throw new Error('no memory for the images');"), {
    kind: 'mnistReaderFailed',
    reason: 'no memory for the images',
  });
});
