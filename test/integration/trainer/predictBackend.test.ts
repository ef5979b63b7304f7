// A trainer that only reads a model (load, predict, evaluate) keeps native TensorFlow out of its
// process: its library alone is ≈ 250 MB resident, more than a 12 MP photo's whole prediction may
// take (≤ 300 MB, bench/photo.ts). The first run that trains loads it when `auto` picks it. Seen
// from outside, as the host would see it: the trainer's `backend` events and the shared libraries
// mapped into the child process (/proc/<pid>/maps).
import { describeFault } from '../../../src/shared/faults';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent, type TrainerRequest } from '../../../src/shared/protocol';
import { defaultModelDir } from '../../support/defaultModel';
import { writePhotos } from '../../support/photoImages';
import { tempDir } from '../../support/tempDir';
import { tfjsNodeInstalled } from '../../support/tfjsNode';
import { builtTrainer } from '../../support/trainer';

let trainerJs = '';

before(() => {
  trainerJs = builtTrainer();
});

/** The native TensorFlow libraries (libtensorflow*.so, tfjs-node's addon) mapped into process `pid`. */
function nativeLibraries(pid: number): string[] {
  const maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8');
  const files = maps.split('\n').map((line) => line.split(/\s+/)[5] ?? '');
  return [...new Set(files.filter((file) => /libtensorflow|tfjs_binding\.node/.test(file)))];
}

test(
  'backend: load, predict and evaluate run on wasm without native TensorFlow in the process; a run on auto loads it',
  {
    skip:
      (!tfjsNodeInstalled() && 'tfjs-node is not installed here (npm run setup:native)') ||
      (process.platform !== 'linux' && 'reads /proc/<pid>/maps'),
  },
  async () => {
    const modelDir = await defaultModelDir();
    const [photo] = writePhotos(tempDir('predict-backend'), [0], ['small-on-page']);
    const child = fork(trainerJs, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const events: TrainerEvent[] = [];
    const waiting: { type: TrainerEvent['type']; resolve: (e: TrainerEvent) => void }[] = [];
    child.on('message', (event: TrainerEvent) => {
      events.push(event);
      for (const w of waiting.filter((w) => w.type === event.type || event.type === 'error')) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(event);
      }
    });
    const next = <T extends TrainerEvent['type']>(type: T) =>
      new Promise<TrainerEvent>((resolve) => waiting.push({ type, resolve })).then((event) => {
        if (event.type === 'error') assert.fail(`trainer error: ${describeFault(event.fault)}`);
        return event as Extract<TrainerEvent, { type: T }>;
      });
    const send = (request: TrainerRequest) => child.send(request);
    const backends = () => events.flatMap((e) => (e.type === 'backend' ? [e.backend] : []));
    try {
      await next('hello');
      send({ type: 'load', requestId: 1, modelDir });
      await next('loaded');
      send({ type: 'predict', requestId: 2, file: photo.file });
      const { prediction } = await next('prediction');
      assert.equal(prediction.digit, photo.label);
      send({ type: 'evaluate', requestId: 3 });
      const { evaluation } = await next('evaluation');
      assert.ok(evaluation.testAccuracy > 0.95, `test accuracy ${evaluation.testAccuracy}`);
      assert.deepEqual(backends(), ['wasm']);
      assert.deepEqual(nativeLibraries(child.pid ?? -1), []);

      // Training is what needs it: auto picks native TensorFlow, which the process then maps.
      send({ type: 'start', config: { ...DEFAULT_TRAIN_CONFIG, epochs: 1, trainLimit: 1280, stream: 'none' } });
      assert.equal((await next('trainEnd')).reason, 'completed');
      assert.deepEqual(backends(), ['wasm', 'tensorflow']);
      assert.ok(nativeLibraries(child.pid ?? -1).length > 0, 'the run mapped TensorFlow’s library');
      // Then a prediction runs on the backend the run left active (its library is loaded already).
      send({ type: 'predict', requestId: 4, file: photo.file });
      await next('prediction');
      assert.deepEqual(backends(), ['wasm', 'tensorflow']);
    } finally {
      const exit = new Promise((resolve) => child.once('exit', resolve));
      send({ type: 'shutdown' });
      await exit;
    }
  },
);
