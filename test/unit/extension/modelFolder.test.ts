import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { storageModelFolder } from '../../../src/extension/modelFolder';
import { tempDir } from '../../support/tempDir';

function folder(storage: string, name: string, files: string[]): void {
  fs.mkdirSync(path.join(storage, name), { recursive: true });
  for (const file of files) fs.writeFileSync(path.join(storage, name, file), 'x');
}

test('the storage model folder is saved-model, or the mnist-model an earlier version saved while there is no saved-model', () => {
  const fresh = tempDir('storage');
  assert.equal(storageModelFolder(fresh), path.join(fresh, 'saved-model'), 'a new install');

  const upgraded = tempDir('storage');
  folder(upgraded, 'mnist-model', ['model.json', 'weights.bin']);
  assert.equal(storageModelFolder(upgraded), path.join(upgraded, 'mnist-model'), 'the model from before the update');

  const both = tempDir('storage');
  folder(both, 'mnist-model', ['model.json', 'weights.bin']);
  folder(both, 'saved-model', []);
  assert.equal(storageModelFolder(both), path.join(both, 'saved-model'), 'once saved-model exists it is the one');

  const other = tempDir('storage');
  folder(other, 'mnist-model', ['model.json', 'weights.bin', 'notes.txt']);
  assert.equal(storageModelFolder(other), path.join(other, 'saved-model'), 'more than an earlier save: left alone');
});
