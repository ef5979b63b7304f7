// The CLI's model summary: the same cells as the dashboard's table (src/shared/modelSummaryText.ts),
// padded into Keras's columns, captioned with the model's own name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { summaryText } from '../../../src/shared/modelSummaryText';
import { TextReport, jsonLine, jsonText, modelSummaryLines } from '../../../src/trainer/cliReport';
import { buildModel, summarizeModel } from '../../../src/trainer/model';

test('cli: the model summary reads as Keras prints it, from the model itself', async () => {
  await tf.setBackend('cpu');
  const model = buildModel(512, 42);
  const summary = summarizeModel(model);
  model.dispose();
  const lines = modelSummaryLines(summary);
  assert.equal(lines[0], 'Model: "sequential"');
  assert.match(lines[1], /^Layer \(type\) +Output Shape +Param #$/);
  assert.match(lines[2], /^dense \(Dense\) +\(None, 512\) +401,920$/);
  assert.match(lines[3], /^dense_1 \(Dense\) +\(None, 10\) +5,130$/);
  // The numbers end in one column.
  assert.equal(lines[2].length, lines[1].length);
  assert.equal(lines[3].length, lines[1].length);
  assert.deepEqual(lines.slice(4), summaryText(summary).totals);
  assert.equal(lines[4], 'Total params: 407,050 (1.55 MB)');
  assert.equal(modelSummaryLines({ ...summary, name: 'loaded_net' })[0], 'Model: "loaded_net"');
});

test('cli: lines naming a folder print its control characters escaped, as error lines do, in text and in JSON', () => {
  const folder = '/tmp/my\nerror: fake\u001b[31m \u009b2J\u2028model';
  const written: string[] = [];
  const report = new TextReport({ write: (text) => written.push(text), isTTY: false });
  report.event({ type: 'saved', requestId: null, modelDir: folder });
  report.event({
    type: 'loaded',
    requestId: 1,
    modelDir: folder,
    summary: { name: 'm', layers: [], weights: [], totalParams: 0, trainableParams: 0 },
  });
  const escaped = '/tmp/my\\nerror: fake\\u001b[31m \\u009b2J\\u2028model';
  assert.deepEqual(written, [`model saved to ${escaped}\n`, `model loaded from ${escaped}\n`]);

  const json = jsonLine({ type: 'saved', requestId: null, modelDir: folder });
  assert.equal(json, `{"event":"saved","modelDir":"${escaped}"}`);
  assert.equal(JSON.parse(json!).modelDir, folder, 'the JSON still holds the folder itself');
  const done = jsonText({ event: 'done', modelDir: folder });
  assert.equal(done, `{"event":"done","modelDir":"${escaped}"}`);
});
