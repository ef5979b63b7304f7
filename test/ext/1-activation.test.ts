// Activation: every command the manifest contributes is registered and the contract's commands are
// all there. (That the host never loads tfjs is checked on the bundle itself, from esbuild's
// metafile: test/unit/extension/hostBundle.test.ts. require.cache cannot see an inlined tfjs.)
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { activeApi, extension } from './api';

const CONTRACT_COMMANDS = [
  'tensorLens.train',
  'tensorLens.stop',
  'tensorLens.showDashboard',
  'tensorLens.evaluate',
  'tensorLens.inspectDataset',
  'tensorLens.predictImage',
  'tensorLens.openTensor',
  'tensorLens.loadModel',
  'tensorLens.saveModelAs',
];

describe('activation', () => {
  it('returns the test API', async () => {
    const api = await activeApi();
    for (const fn of ['runState', 'trainerPid', 'getTensor', 'treeItems', 'whenTrainingEnds'] as const) {
      assert.equal(typeof api[fn], 'function', `exports.${fn}`);
    }
    assert.equal(api.runState().status, 'idle');
    assert.equal(api.trainerPid(), undefined);
  });

  it('registers every contributed command, and the manifest contributes the contract commands', async () => {
    await activeApi();
    const contributed = (extension().packageJSON.contributes?.commands ?? []) as { command: string }[];
    const ids = contributed.map((c) => c.command);
    assert.deepEqual(
      CONTRACT_COMMANDS.filter((c) => !ids.includes(c)),
      [],
      'contract commands missing from package.json',
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      ids.filter((c) => !registered.has(c)),
      [],
      'contributed but not registered',
    );
  });
});
