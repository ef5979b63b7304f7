// Training through the real commands: settings reach the run's config, the trainer is a live child
// process, Stop ends the run but keeps the process and its model (Evaluate and the tree's weights use
// it), a completed run fills the model-weights branch, and deactivation leaves no trainer behind.
import { describeFault } from '../../src/shared/faults';
import * as assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { summarizeTensor } from '../../src/shared/stats';
import { formatNumber } from '../../src/shared/format';
import { isAlive, waitFor } from '../support/wait';
import { activeApi, configure, extension } from './api';

const QUICK = { epochs: 1, trainLimit: 1536, batchSize: 128, validationSplit: 0 };

describe('training', () => {
  /** The trainer that kept the stopped run's model: it must not outlive deactivation either. */
  let stoppedPid: number | undefined;

  after(async () => {
    await configure({ epochs: undefined, trainLimit: undefined, batchSize: undefined, validationSplit: undefined });
  });

  it('honours the settings and starts a live trainer process; Stop ends the run and keeps the process with the stopped model', async () => {
    const api = await activeApi();
    await configure({ ...QUICK, epochs: 3, trainLimit: 30000 });
    await vscode.commands.executeCommand('tensorLens.train');
    const pid = await waitFor('the trainer pid', () => api.trainerPid());
    assert.ok(isAlive(pid), `trainer pid ${pid} is not a live process`);
    const run = await waitFor('trainStart', () => api.runState().started);
    assert.equal(run.config.epochs, 3);
    assert.equal(run.config.trainLimit, 30000);
    assert.equal(run.trainSamples + run.valSamples, 30000);

    await waitFor('a first batch', () => api.runState().batches.length > 0, 120_000);
    await vscode.commands.executeCommand('tensorLens.stop');
    const ended = await api.whenTrainingEnds();
    assert.equal(ended.status, 'stopped');
    assert.ok(ended.end && ended.end.epochsCompleted < 3, 'stopped before the last epoch');
    assert.equal(api.trainerPid(), pid, 'the trainer process lives on after Stop');
    assert.ok(isAlive(pid), `trainer pid ${pid} is not a live process after Stop`);
    stoppedPid = pid;

    // Open Tensor's getTensor answers from the stopped model, and the tree's weights are that model's
    // (the last epoch's streamed summary is older: the run trained batches since).
    const kernel = await api.getTensor('dense/kernel');
    assert.deepEqual(kernel.shape, [784, 512]);
    assert.deepEqual((await api.getTensor('dense/kernel')).values, kernel.values, 'the model no longer trains');
    const stats = summarizeTensor(kernel.name, kernel.shape, 'float32', kernel.values).stats;
    const row = `| mean ± std | ${formatNumber(stats.mean)} ± ${formatNumber(stats.std)} |`;
    const weights = (await api.treeItems()).find((i) => i.label === 'Model weights');
    assert.ok(weights);
    let shown = '';
    await waitFor(
      () => `the tree's dense/kernel to show the stopped model (${row}); it shows:\n${shown}`,
      async () => {
        shown = (await api.treeItems(weights.element)).find((i) => i.label.includes('dense/kernel'))?.tooltip ?? '';
        return shown.includes(row);
      },
      30_000,
      100,
    );

    // Evaluate on Test Set answers from the stopped model: same process, no saved model loaded.
    assert.equal(api.runState().evaluation, null);
    await vscode.commands.executeCommand('tensorLens.evaluate');
    const evaluation = await waitFor('the evaluation of the stopped model', () => api.runState().evaluation, 120_000);
    assert.equal(evaluation.predictedLabels.length, 10_000);
    assert.ok(Number.isFinite(evaluation.testAccuracy));
    assert.equal(api.runState().status, 'stopped');
    assert.equal(api.runState().savedModelDir, null, 'no saved model was loaded (the stopped run saved nothing)');
    assert.equal(api.trainerPid(), pid);
  });

  it('completes a quick run and shows the trained weights in the tree', async () => {
    const api = await activeApi();
    await configure(QUICK);
    await vscode.commands.executeCommand('tensorLens.train');
    // The previous run ended 'stopped': 'completed' can only be this (short) run.
    await waitFor('training to start', () => ['training', 'completed'].includes(api.runState().status), 60_000);
    const ended = await api.whenTrainingEnds();
    assert.equal(ended.status, 'completed', ended.error ? describeFault(ended.error) : '');
    assert.equal(ended.started?.config.trainLimit, QUICK.trainLimit);
    assert.equal(ended.epochs.length, 1);
    assert.ok(ended.batches.length >= QUICK.trainLimit / QUICK.batchSize, `${ended.batches.length} batch points`);
    assert.ok(
      ended.batches.every((b) => Number.isFinite(b.loss)),
      'finite losses',
    );

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
    assert.equal(pid, stoppedPid, 'one trainer process served every run of this window');
    // The module the host loaded (same require cache): call its deactivate as VS Code does on shutdown.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the host's own module instance, not a new import
    const main = require(require.resolve(`${extension().extensionPath}/dist/extension.js`)) as {
      deactivate?: () => unknown;
    };
    assert.equal(typeof main.deactivate, 'function', 'extension exports deactivate()');
    await main.deactivate?.();
    await waitFor(`trainer pid ${pid} to exit after deactivate`, () => !isAlive(pid), 10_000);
  });
});
