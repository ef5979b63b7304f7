// The host's run controller against the real trainer child process (dist/trainer.js) on real MNIST:
// history replay for late panels, one run at a time, Stop keeping the stopped model in a live trainer,
// crash recovery, and Predict's model coming from the saved folder.
import { describeFault } from '../../../src/shared/faults';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_TRAIN_CONFIG,
  PROTOCOL_VERSION,
  type TrainConfig,
  type TrainerEvent,
} from '../../../src/shared/protocol';
import { applyEvent, initialRunState } from '../../../src/shared/runState';
import { NoModelError, RunController } from '../../../src/extension/runController';
import { TrainerError } from '../../../src/extension/trainerClient';
import { writeDigitVariants } from '../../support/digitImages';
import { progressMessage, runFraction, statusText } from '../../../src/extension/runText';
import { tempDir } from '../../support/tempDir';
import { builtTrainer } from '../../support/trainer';
import { isAlive, waitFor } from '../../support/wait';

let trainerScript = '';
const scratch = tempDir('run');

before(() => {
  trainerScript = builtTrainer();
});

function controller(modelDir: string | null = null): RunController {
  return new RunController({
    trainerScript,
    launch: () => ({ execPath: process.execPath, env: process.env }),
    modelDir,
  });
}

const QUICK: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, epochs: 1, trainLimit: 1024, hiddenUnits: 32 };
const LONG: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, epochs: 20, trainLimit: 20000, hiddenUnits: 64 };

test('a panel that subscribes late rebuilds exactly the host state from the snapshot plus later events', async () => {
  const run = controller();
  const early: TrainerEvent[] = [];
  run.onEvent((e) => early.push(e));
  try {
    assert.equal(run.trainerPid, undefined, 'no trainer before the first need');
    assert.equal(await run.train({ ...QUICK, epochs: 2 }), 'started');
    await waitFor('a few batch points', () => run.state.batches.length >= 3);
    // The late panel: structured-clone the snapshot (as postMessage does), then apply what follows.
    const late = structuredClone(run.state);
    run.onEvent((e) => applyEvent(late, e));
    const ended = await run.whenTrainingEnds();
    assert.equal(ended.status, 'completed', ended.error ? describeFault(ended.error) : '');
    await waitFor('the evaluation', () => run.state.evaluation !== null);

    const replayed = early.reduce(applyEvent, initialRunState());
    assert.deepEqual(late, run.state, 'snapshot + later events = host state');
    assert.deepEqual(replayed, run.state, 'every event from the start = host state');
    assert.equal(run.state.epochs.length, 2);
    assert.equal(run.state.batches.length, 2 * Math.ceil(1024 / 128));
    assert.deepEqual(
      run.state.batches.map((b) => b.step),
      run.state.batches.map((_, i) => i + 1),
      'no batch lost or repeated',
    );

    // The status bar and progress words of that run.
    const last = run.state.batches.at(-1)!;
    assert.equal(
      statusText(run.state),
      `Tensor Lens: epoch 2/2 · loss ${last.loss.toFixed(2)} · acc ${last.accuracy.toFixed(2)}`,
    );
    assert.equal(runFraction(run.state), 1);
    assert.match(progressMessage(run.state), /^epoch 2\/2 · batch 8\/8 · loss \d\.\d{3} · [\d,]+ samples\/s$/);
    assert.equal(runFraction(initialRunState()), 0);
  } finally {
    await run.dispose();
  }
});

test('a second Train while one runs is refused as busy (never two runs); restart stops the first and starts one', async () => {
  const run = controller();
  const starts: TrainerEvent[] = [];
  const ends: TrainerEvent[] = [];
  run.onEvent((e) => (e.type === 'trainStart' ? starts : e.type === 'trainEnd' ? ends : []).push(e));
  try {
    assert.equal(await run.train(LONG), 'started');
    assert.equal(await run.train(QUICK), 'busy', 'busy even before trainStart arrived');
    await waitFor('the first batches', () => run.state.batches.length > 0);
    assert.equal(await run.train(QUICK), 'busy');
    const firstPid = run.trainerPid;
    assert.ok(firstPid);

    assert.equal(await run.restart(QUICK), 'started');
    assert.equal(ends.length, 1);
    assert.equal((ends[0] as Extract<TrainerEvent, { type: 'trainEnd' }>).reason, 'stopped');
    const final = await run.whenTrainingEnds();
    assert.equal(final.status, 'completed', final.error ? describeFault(final.error) : '');
    assert.equal(starts.length, 2);
    assert.equal(final.started?.config.trainLimit, QUICK.trainLimit, 'the state is the second run’s');
    assert.equal(run.trainerPid, firstPid, 'the trainer that stopped the first run trained the second');
  } finally {
    await run.dispose();
  }
});

test('stop keeps the trainer and the stopped model: getTensor, evaluate, predict and Save Model As use it; nothing auto-saves; dispose ends the process', async () => {
  const modelDir = path.join(scratch, 'stopped-run-model');
  const run = controller(modelDir);
  const [image] = writeDigitVariants(path.join(scratch, 'stop-digits'), [3], ['png']);
  let stoppedPid = 0;
  try {
    assert.equal((await run.whenTrainingEnds()).status, 'idle');
    assert.equal(run.hasModel, false);
    await run.train({ ...LONG, modelDir });
    await waitFor('the first batches', () => run.state.batches.length > 0);
    const pid = run.trainerPid;
    assert.ok(pid && isAlive(pid));
    stoppedPid = pid;
    const state = await run.stop();
    assert.equal(state.status, 'stopped');
    assert.ok(state.end && state.end.epochsCompleted < LONG.epochs);
    assert.equal((await run.whenTrainingEnds()).status, 'stopped');
    assert.equal(run.isTraining, false);
    assert.equal(run.trainerPid, pid, 'the trainer process lives on');
    assert.ok(isAlive(pid));
    assert.equal(run.hasModel, true, 'the stopped model counts as a model');
    assert.ok(!existsSync(path.join(modelDir, 'model.json')), 'a stopped run is not saved on its own');
    assert.equal(run.state.savedModelDir, null);

    // The stopped model is frozen as of its last batch: two reads a while apart agree.
    const kernel = await run.getTensor('dense/kernel');
    assert.deepEqual(kernel.shape, [784, LONG.hiddenUnits]);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual((await run.getTensor('dense/kernel')).values, kernel.values, 'no training after Stop');

    await run.evaluate();
    const evaluation = run.state.evaluation;
    assert.ok(evaluation, 'Evaluate answered from the stopped model');
    assert.equal(evaluation.predictedLabels.length, 10_000);
    const answer = await run.predict(image.file);
    assert.equal(answer.prediction.probabilities.length, 10);
    assert.equal(run.state.savedModelDir, null, 'no saved model was loaded for these');
    assert.equal(run.trainerPid, pid);

    // Save Model As… writes the stopped model: a fresh controller that loads it sees the same weights.
    const savedAs = path.join(scratch, 'stopped-saved-as');
    assert.equal(await run.save(savedAs), savedAs);
    assert.ok(existsSync(path.join(savedAs, 'model.json')));
    // A folder of the user's is refused with a fault the Save As command answers with a subfolder offer.
    const project = path.join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'notes.txt'), 'mine');
    await assert.rejects(
      run.save(project),
      (e: unknown) =>
        e instanceof TrainerError && e.fault.kind === 'modelFolderForeign' && /project: holds files/.test(e.message),
    );
    assert.deepEqual(readdirSync(project), ['notes.txt']);
    assert.equal(await run.save(path.join(project, 'mnist-model')), path.join(project, 'mnist-model'));
    const other = controller(null);
    try {
      await other.load(savedAs);
      assert.deepEqual(
        (await other.getTensor('dense/kernel')).values,
        kernel.values,
        'the saved model is the stopped one',
      );
      await other.evaluate();
      assert.equal(other.state.evaluation?.testAccuracy, evaluation.testAccuracy);
    } finally {
      await other.dispose();
    }
  } finally {
    await run.dispose();
  }
  assert.equal(run.trainerPid, undefined, 'dispose ends the trainer that kept the stopped model');
  await waitFor('the process to exit', () => !isAlive(stoppedPid), 10_000);
});

test('a trainer SIGKILLed mid-run: within a second the state says failed and why, the next Train starts a new process', async () => {
  const run = controller();
  const errors: string[] = [];
  run.onEvent((e) => {
    if (e.type === 'error') errors.push(describeFault(e.fault));
  });
  try {
    await run.train(LONG);
    await waitFor('the first batches', () => run.state.batches.length > 0);
    const pid = run.trainerPid!;
    const ended = run.whenTrainingEnds();
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    const state = await ended;
    const noticedMs = Date.now() - killedAt;
    assert.ok(noticedMs < 1000, `the run state said failed ${noticedMs} ms after the kill`);
    assert.equal(state.status, 'failed');
    const error = state.error ? describeFault(state.error) : '';
    assert.match(error, /trainer process was killed by SIGKILL/);
    assert.deepEqual(errors, [error]);
    assert.equal(run.trainerPid, undefined);

    assert.equal(await run.train(QUICK), 'started');
    assert.notEqual(run.trainerPid, pid);
    assert.equal((await run.whenTrainingEnds()).status, 'completed');
  } finally {
    await run.dispose();
  }
});

test('a refused start (bad data folder) ends the wait with the trainer’s message naming the folder', async () => {
  const run = controller();
  try {
    const missing = path.join(scratch, 'no-such-mnist');
    await run.train({ ...QUICK, dataDir: missing });
    const state = await run.whenTrainingEnds();
    assert.notEqual(state.status, 'training');
    const error = state.error ? describeFault(state.error) : 'no error';
    assert.ok(error.includes(missing), error);
  } finally {
    await run.dispose();
  }
});

test('Predict without any model says so; after a run saves its model, a fresh controller predicts from the saved folder', async () => {
  const modelDir = path.join(scratch, 'mnist-model');
  const [image] = writeDigitVariants(path.join(scratch, 'digits'), [0], ['png']);
  const first = controller(modelDir);
  try {
    assert.equal(first.hasModel, false);
    await assert.rejects(first.predict(image.file), NoModelError);
    await first.train({ ...QUICK, trainLimit: 4096, hiddenUnits: 128, modelDir });
    await first.whenTrainingEnds();
    await waitFor('the model to be saved', () => first.state.savedModelDir === modelDir);
  } finally {
    await first.dispose();
  }
  // As after a window reload: a new host, no live trainer, the model on disk.
  const second = controller(modelDir);
  try {
    assert.equal(second.hasModel, true);
    const answer = await second.predict(image.file);
    assert.equal(answer.prediction.file, image.file);
    assert.equal(answer.prediction.probabilities.length, 10);
    assert.ok(Math.abs(answer.prediction.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'softmax sums to 1');
    assert.equal(second.state.lastPrediction?.prediction.digit, answer.prediction.digit);
    assert.equal(second.state.savedModelDir, modelDir);
    const kernel = await second.getTensor('dense/kernel');
    assert.deepEqual(kernel.shape, [784, 128]);
    assert.ok(kernel.values instanceof Float32Array);
  } finally {
    await second.dispose();
  }
});

test('Train right as a run completes waits for its evaluation and save instead of being refused', async () => {
  const modelDir = path.join(scratch, 'finishing-model');
  const run = controller(modelDir);
  const errors: string[] = [];
  const order: string[] = [];
  let second: Promise<string> | null = null;
  run.onEvent((e) => {
    order.push(e.type);
    if (e.type === 'error') errors.push(describeFault(e.fault));
    if (e.type === 'trainEnd' && second === null) second = run.train({ ...QUICK, modelDir });
  });
  try {
    await run.train({ ...QUICK, modelDir });
    await waitFor('the second train call', () => second !== null);
    assert.equal(await second, 'started');
    const ended = await run.whenTrainingEnds();
    assert.equal(ended.status, 'completed');
    assert.deepEqual(errors, []);
    const firstEnd = order.indexOf('trainEnd');
    assert.deepEqual(
      order.slice(firstEnd, firstEnd + 4),
      ['trainEnd', 'evaluation', 'saved', 'modelSummary'],
      'the second run starts after the first saved',
    );
    assert.equal(order.filter((t) => t === 'trainStart').length, 2);
  } finally {
    await run.dispose();
  }
});

test('a trainer that ignores Stop is ended after the grace period, and its run counts as failed', async () => {
  // A real process that starts a run and then hears nothing (as if stuck inside a batch).
  const stuck = path.join(scratch, 'stuck-trainer.js');
  writeFileSync(
    stuck,
    `
    process.send({ type: 'hello', protocol: ${PROTOCOL_VERSION}, pid: process.pid });
    process.on('message', (m) => {
      if (m.type === 'start') process.send({ type: 'trainStart', config: m.config, threads: 1, trainSamples: 1, valSamples: 0, batchesPerEpoch: 1 });
    });
    setInterval(() => {}, 1000);`,
  );
  const run = new RunController({
    trainerScript: stuck,
    launch: () => ({ execPath: process.execPath, env: process.env }),
    modelDir: null,
    stopGraceMs: 200,
  });
  try {
    await run.train(QUICK);
    await waitFor('trainStart', () => run.state.status === 'training');
    const pid = run.trainerPid!;
    const state = await run.stop();
    assert.equal(state.status, 'failed');
    assert.match(
      state.error ? describeFault(state.error) : '',
      /trainer process was killed by SIGKILL before its run ended/,
    );
    assert.ok(!isAlive(pid));
    assert.equal(run.isTraining, false);
  } finally {
    await run.dispose();
  }
});

test('Step with no run starts a paused run through the real trainer; Train is refused as busy, Step again trains the next batch, the gradient is a tensor the host can get, Stop ends it', async () => {
  const run = controller();
  try {
    assert.equal(run.canStep, true);
    const first = await run.step(LONG);
    assert.equal(first.step, 1);
    assert.equal(run.isTraining, true);
    assert.equal(run.isPaused, true);
    assert.equal(run.canStep, true);
    assert.match(statusText(run.state), /^Tensor Lens: epoch 1\/20 · loss \d\.\d\d · acc \d\.\d\d · paused$/);
    assert.match(progressMessage(run.state), /^paused · epoch 1\/20 · batch 1\/157 · /);
    assert.equal(await run.train(LONG), 'busy', 'a paused run is still a run');
    const second = await run.step(LONG);
    assert.equal(second.step, 2);
    assert.ok(second.lossAfter < second.lossBefore, `${second.lossBefore} → ${second.lossAfter}`);
    const gradient = await run.getTensor('gradient/dense/kernel');
    assert.deepEqual(gradient.shape, [784, 64]);
    assert.equal(run.state.lastStep?.step, 2);

    run.resume();
    await waitFor('the run going again', () => !run.isPaused);
    assert.equal(run.canStep, false, 'no Step while the run goes');
    await assert.rejects(run.step(LONG), /pause the run/);
    run.pause();
    await waitFor('the run paused', () => run.isPaused);
    const ended = await run.stop();
    assert.equal(ended.status, 'stopped');
    assert.equal(run.isTraining, false);
    assert.equal(run.isPaused, false);
  } finally {
    await run.dispose();
  }
});

test('Step with settings the trainer refuses leaves no run going', async () => {
  const run = controller();
  try {
    await assert.rejects(run.step({ ...QUICK, dataDir: path.join(scratch, 'no-such-folder') }), /no-such-folder/);
    assert.equal(run.isTraining, false);
    assert.equal(run.canStep, true);
    assert.equal((await run.whenTrainingEnds()).status, 'idle');
  } finally {
    await run.dispose();
  }
});
