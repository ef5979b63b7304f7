// What the prediction panel is sent for a phone photo: a real 12 MP JPEG (a real MNIST test digit on a
// photographed page, enlarged by sharp as a phone camera would store it), read by the default model
// through the engine's predict path, then turned into the panel's message by the host's code. The
// message must stay small whatever the photo's size: the panel shows the small original the
// preprocessing strip already carries, never the file itself.
import { describeFault } from '../../../src/shared/faults';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serialize } from 'node:v8';
import sharp from 'sharp';
import type { TrainerEvent } from '../../../src/shared/protocol';
import { STEP_SIDE } from '../../../src/shared/preprocess';
import { Engine } from '../../../src/trainer/engine';
import { predictionMessage } from '../../../src/extension/predictionMessage';
import { defaultModelDir } from '../../support/defaultModel';
import { renderPhoto } from '../../support/photoImages';
import { tempDir } from '../../support/tempDir';

/** What one prediction message may weigh: its pictures are a few small steps, not a photo. */
const MESSAGE_LIMIT = 200 * 1024;

test('prediction panel: a 12 MP phone photo travels as its small preprocessing pictures, not as the file', async () => {
  const dir = tempDir('prediction-message');
  const file = path.join(dir, 'phone-photo.jpg');
  const page = renderPhoto(7, 'gradient', 11);
  await sharp(Buffer.from(page.rgba), { raw: { width: page.width, height: page.height, channels: 4 } })
    .resize(4000, 3000)
    .jpeg({ quality: 92 })
    .toFile(file);
  const fileBytes = fs.statSync(file).size;
  assert.ok(fileBytes > 2 * MESSAGE_LIMIT, `the photo is ${fileBytes} bytes: too small to tell anything`);

  const events: TrainerEvent[] = [];
  const engine = new Engine((e) => events.push(e));
  await engine.handle({ type: 'load', requestId: 1, modelDir: await defaultModelDir() });
  await engine.handle({ type: 'predict', requestId: 2, file });
  const answer = events.find((e) => e.type === 'prediction' || e.type === 'error');
  assert.ok(answer?.type === 'prediction', answer?.type === 'error' ? describeFault(answer.fault) : 'no prediction');

  const message = predictionMessage(answer.prediction);
  assert.equal(message.type, 'prediction');
  // postMessage sends a structured clone: its serialized size is what crosses to the panel.
  const bytes = serialize(message).byteLength;
  assert.ok(bytes <= MESSAGE_LIMIT, `the panel's message is ${bytes} bytes for a ${fileBytes}-byte photo`);
  const original = answer.prediction.steps[0];
  assert.equal(original.name, 'original');
  assert.ok(Math.max(original.width, original.height) === STEP_SIDE, `${original.width}×${original.height}`);
  assert.equal(original.width / original.height, 4 / 3, 'the original keeps the photo’s shape');
});
