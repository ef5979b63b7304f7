// Training through the real commands: settings reach the run's config, the trainer is a live child
// process, Stop ends the run and the process, a completed run fills the model-weights branch, and
// deactivation leaves no trainer behind.
import * as assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { activeApi, configure, extension, isAlive, waitFor } from './api';

const QUICK = { epochs: 1, trainLimit: 1536, batchSize: 128, validationSplit: 0 };

describe('training', () => {
  after(async () => {
    await configure({ epochs: undefined, trainLimit: undefined, batchSize: undefined, validationSplit: undefined });
  });

  it('honours the settings and starts a live trainer process; Stop ends run and process', async () => {
    const api = await activeApi();
    await configure({ ...QUICK, epochs: 3, trainLimit: 30000 });
    await vscode.commands.executeCommand('tensorLens.train');
    const pid = await waitFor('the trainer pid', () => api.trainerPid());
    assert.ok(isAlive(pid), `trainer pid ${pid} is not a live process`);
    const run = await waitFor('trainStart', () => api.runState().run);
    assert.equal(run.config.epochs, 3);
    assert.equal(run.config.trainLimit, 30000);
    assert.equal(run.trainSamples + run.valSamples, 30000);

    await waitFor('a first batch', () => api.runState().batches.length > 0, 120_000);
    await vscode.commands.executeCommand('tensorLens.stop');
    const ended = await api.whenTrainingEnds();
    assert.equal(ended.status, 'stopped');
    assert.ok(ended.end && ended.end.epochsCompleted < 3, 'stopped before the last epoch');
    await waitFor(`trainer pid ${pid} to exit`, () => !isAlive(pid), 10_000);
    assert.equal(api.trainerPid(), undefined);
  });

  it('completes a quick run and shows the trained weights in the tree', async () => {
    const api = await activeApi();
    await configure(QUICK);
    await vscode.commands.executeCommand('tensorLens.train');
    // The previous run ended 'stopped': 'completed' can only be this (short) run.
    await waitFor('training to start', () => ['training', 'completed'].includes(api.runState().status), 60_000);
    const ended = await api.whenTrainingEnds();
    assert.equal(ended.status, 'completed', ended.error ?? '');
    assert.equal(ended.run?.config.trainLimit, QUICK.trainLimit);
    assert.equal(ended.epochs.length, 1);
    assert.ok(ended.batches.length >= QUICK.trainLimit / QUICK.batchSize, `${ended.batches.length} batch points`);
    assert.ok(ended.batches.every((b) => Number.isFinite(b.loss)), 'finite losses');

    const weights = (await api.treeItems()).find((i) => i.label === 'Model weights');
    assert.ok(weights);
    const items = await api.treeItems(weights.element);
    const kernel = items.find((i) => i.label.includes('dense/kernel'));
    assert.ok(kernel, `weights shown: ${items.map((i) => i.label).join(', ')}`);
    assert.match(`${kernel.description ?? ''} ${kernel.tooltip ?? ''}`, /784\s*[,×x]\s*512/);
    assert.match(`${kernel.description ?? ''} ${kernel.tooltip ?? ''}`, /float32/);
  });

  // Last: it deactivates the extension module of this window.
  it('leaves no trainer process alive after deactivation', async () => {
    const api = await activeApi();
    await configure({ ...QUICK, epochs: 5, trainLimit: 30000 });
    await vscode.commands.executeCommand('tensorLens.train');
    const pid = await waitFor('the trainer pid', () => api.trainerPid());
    // The module the host loaded (same require cache): call its deactivate as VS Code does on shutdown.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the host's own module instance, not a new import
    const main = require(require.resolve(`${extension().extensionPath}/dist/extension.js`)) as { deactivate?: () => unknown };
    assert.equal(typeof main.deactivate, 'function', 'extension exports deactivate()');
    await main.deactivate?.();
    await waitFor(`trainer pid ${pid} to exit after deactivate`, () => !isAlive(pid), 10_000);
  });
});
