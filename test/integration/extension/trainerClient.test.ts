// The trainer client's handshake and request pairing, with real child processes: the real trainer,
// and small scripts that behave like broken or foreign trainers.
import type { Fault } from '../../../src/shared/faults';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROTOCOL_VERSION, type TrainerEvent } from '../../../src/shared/protocol';
import { TrainerClient, TrainerError } from '../../../src/extension/trainerClient';
import { RecordingLogger } from '../../support/recordingLogger';
import { tempDir } from '../../support/tempDir';
import { builtTrainer } from '../../support/trainer';
import { waitFor } from '../../support/wait';

const scratch = tempDir('client');
const launch = { execPath: process.execPath, env: process.env };
let trainerScript = '';

before(() => {
  trainerScript = builtTrainer();
});

function script(name: string, body: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, body);
  return file;
}

function start(
  scriptPath: string,
  events: TrainerEvent[] = [],
  exits: { unexpected: boolean; fault: Fault }[] = [],
  helloTimeoutMs?: number,
  log?: RecordingLogger,
) {
  return TrainerClient.start({
    scriptPath,
    launch,
    onEvent: (e) => events.push(e),
    onExit: (x) => exits.push(x),
    helloTimeoutMs,
    log,
  });
}

test('real trainer: hello, an answered request, an error answer, then dispose ends the process', async () => {
  const events: TrainerEvent[] = [];
  const exits: { unexpected: boolean; fault: Fault }[] = [];
  const client = await start(trainerScript, events, exits);
  assert.ok(client.pid && client.alive);
  // No model yet: the trainer's error comes back as this request's rejection, with its words.
  await assert.rejects(
    client.request<'getTensor'>({ type: 'getTensor', name: 'dense/kernel' }, 10_000),
    (e: Error) => e instanceof TrainerError && /no model yet/.test(e.message),
  );
  assert.equal(events.at(-1)?.type, 'error', 'answers are events too (the run state applies them)');
  await client.dispose();
  assert.equal(client.alive, false);
  assert.equal(client.pid, undefined);
  assert.deepEqual(
    exits.map((x) => x.unexpected),
    [false],
    'a requested exit is not a crash',
  );
});

test('a trainer of another protocol version is refused with a rebuild hint', async () => {
  const foreign = script(
    'foreign.js',
    `process.send({ type: 'hello', protocol: ${PROTOCOL_VERSION + 1}, pid: process.pid }); setInterval(() => {}, 1000);`,
  );
  await assert.rejects(start(foreign), (e: unknown) => {
    assert.ok(e instanceof TrainerError);
    assert.deepEqual(e.fault, { kind: 'trainerProtocol', theirs: PROTOCOL_VERSION + 1, ours: PROTOCOL_VERSION });
    assert.match(
      e.message,
      new RegExp(`speaks protocol ${PROTOCOL_VERSION + 1}, this extension speaks ${PROTOCOL_VERSION}: rebuild`),
    );
    return true;
  });
});

test('a trainer that dies before hello: the error carries its stderr, on one line', async () => {
  const broken = script(
    'broken.js',
    `process.stderr.write('Cannot find module @tensorflow/tfjs\\n'); process.exit(3);`,
  );
  await assert.rejects(start(broken), /exited with code 3:\\nCannot find module @tensorflow\/tfjs$/);
});

test("the trainer's output reaches the log a whole line at a time: stderr as warnings, stdout as info", async () => {
  const chatty = script(
    'chatty.js',
    `process.send({ type: 'hello', protocol: ${PROTOCOL_VERSION}, pid: process.pid });
     process.stderr.write('a line cut ');
     setTimeout(() => { process.stderr.write('in two\\nsecond line\\n'); process.stdout.write('printed\\n'); }, 100);
     setInterval(() => {}, 1000);`,
  );
  const log = new RecordingLogger();
  const client = await start(chatty, [], [], undefined, log);
  try {
    await waitFor('three lines logged', () => log.entries.length >= 3, 10_000);
  } finally {
    await client.dispose();
  }
  assert.deepEqual(log.lines('warn'), ['trainer: a line cut in two', 'trainer: second line']);
  assert.deepEqual(log.lines('info'), ['trainer: printed']);
});

test('a trainer that never says hello times out', async () => {
  const silent = script('silent.js', `setInterval(() => {}, 1000);`);
  await assert.rejects(start(silent, [], [], 500), /did not start within 500 ms/);
});

test('a request nobody answers times out; a crash rejects pending requests and is reported as unexpected', async () => {
  const mute = script(
    'mute.js',
    `process.send({ type: 'hello', protocol: ${PROTOCOL_VERSION}, pid: process.pid }); process.on('message', (m) => { if (m.type === 'evaluate' && m.requestId === 2) process.exit(9); });`,
  );
  const exits: { unexpected: boolean; fault: Fault }[] = [];
  const client = await start(mute, [], exits);
  // Each failure is a fault the host words in the display language; its English is the old line.
  const faultOf = (kind: Fault['kind'], text: RegExp) => (e: unknown) =>
    e instanceof TrainerError && e.fault.kind === kind && text.test(e.message);
  await assert.rejects(
    client.request<'evaluate'>({ type: 'evaluate' }, 300),
    faultOf('trainerNoAnswer', /^the trainer did not answer evaluate within 300 ms$/),
  );
  await assert.rejects(
    client.request<'evaluate'>({ type: 'evaluate' }, 10_000),
    faultOf('trainerExited', /^the trainer process exited with code 9$/),
  );
  assert.deepEqual(exits, [{ unexpected: true, fault: { kind: 'trainerExited', code: 9, stderr: '' } }]);
  assert.throws(() => client.notify({ type: 'stop' }), faultOf('trainerNotRunning', /not running/));
});
