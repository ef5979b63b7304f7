// Which Node runs the trainer, probed with real executables (this test's own Node, a shell script
// that is not Node) rather than assumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RuntimeError, chooseTrainerRuntime, findOnPath, probeNodeMajor } from '../../../src/extension/nodeRuntime';
import { tempDir } from '../../support/tempDir';

const scratch = tempDir('node');
const major = Number(process.versions.node.split('.')[0]);

function fakeBin(name: string, script: string): string {
  const dir = mkdtempSync(path.join(scratch, 'bin-'));
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

const facts = (over: Partial<Parameters<typeof chooseTrainerRuntime>[0]>) => ({
  configuredNodePath: '',
  electron: undefined,
  hostExecPath: '/host/runtime',
  env: { PATH: '', ELECTRON_RUN_AS_NODE: '1', KEEP: 'yes' },
  probeNodeMajor,
  ...over,
});

test('probeNodeMajor: this Node reports its major version; something else is not Node', () => {
  assert.equal(probeNodeMajor(process.execPath), major);
  assert.equal(probeNodeMajor(fakeBin('node', 'echo hello')), null);
  assert.equal(probeNodeMajor(path.join(scratch, 'missing')), null);
});

test('code-server / plain Node host: the host runtime itself, without ELECTRON_RUN_AS_NODE', () => {
  const launch = chooseTrainerRuntime(facts({}));
  assert.equal(launch.execPath, '/host/runtime');
  assert.equal(launch.env.ELECTRON_RUN_AS_NODE, undefined);
  assert.equal(launch.env.KEEP, 'yes');
});

test('desktop (Electron): a working node on PATH wins, in PATH order, skipping ones that are not Node', () => {
  const notNode = fakeBin('node', 'echo not node');
  const dir = mkdtempSync(path.join(scratch, 'real-'));
  symlinkSync(process.execPath, path.join(dir, 'node'));
  const PATH = [path.dirname(notNode), dir].join(path.delimiter);
  assert.deepEqual(findOnPath('node', PATH), [notNode, path.join(dir, 'node')]);
  const launch = chooseTrainerRuntime(facts({ electron: '30.0.0', env: { PATH } }));
  assert.equal(launch.execPath, path.join(dir, 'node'));
  assert.equal(launch.env.ELECTRON_RUN_AS_NODE, undefined);
});

test('desktop without a Node on PATH: Electron runs as Node', () => {
  const empty = path.join(scratch, 'empty');
  mkdirSync(empty, { recursive: true });
  const launch = chooseTrainerRuntime(facts({ electron: '30.0.0', env: { PATH: empty } }));
  assert.equal(launch.execPath, '/host/runtime');
  assert.equal(launch.env.ELECTRON_RUN_AS_NODE, '1');
});

test('tensorLens.nodePath wins when it runs a recent Node; otherwise a message naming the setting', () => {
  assert.equal(
    chooseTrainerRuntime(facts({ configuredNodePath: process.execPath, electron: '30.0.0' })).execPath,
    process.execPath,
  );
  assert.throws(
    () => chooseTrainerRuntime(facts({ configuredNodePath: '/no/such/node' })),
    (e: Error) =>
      e instanceof RuntimeError &&
      /tensorLens\.nodePath: "\/no\/such\/node" is not a Node executable/.test(e.message) &&
      // A fault, so the notification is worded in the display language (faultWords.errorText).
      e.fault.kind === 'nodePathNotNode',
  );
  const old = fakeBin('node', 'echo 16.20.0');
  assert.throws(
    () => chooseTrainerRuntime(facts({ configuredNodePath: old })),
    (e: Error) =>
      e instanceof RuntimeError &&
      /is Node 16; the trainer needs Node 20 or newer/.test(e.message) &&
      e.fault.kind === 'nodePathTooOld',
  );
});
