import { describeFault } from '../../../src/shared/faults';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import {
  DEFAULT_TRAIN_CONFIG,
  PROTOCOL_VERSION,
  type TrainerEvent,
  type TrainerRequest,
} from '../../../src/shared/protocol';
import { builtTrainer } from '../../support/trainer';
import { isAlive, waitFor } from '../../support/wait';

let trainerJs = '';

before(() => {
  trainerJs = builtTrainer();
});

function forkTrainer(): {
  child: ChildProcess;
  next: (type: TrainerEvent['type']) => Promise<TrainerEvent>;
  events: TrainerEvent[];
} {
  const child = fork(trainerJs, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const events: TrainerEvent[] = [];
  const waiting: { type: TrainerEvent['type']; resolve: (e: TrainerEvent) => void }[] = [];
  child.on('message', (message: TrainerEvent) => {
    events.push(message);
    for (const w of waiting.filter((w) => w.type === message.type)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(message);
    }
  });
  const next = (type: TrainerEvent['type']) => new Promise<TrainerEvent>((resolve) => waiting.push({ type, resolve }));
  return { child, next, events };
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('child process: hello, a run streams events with typed arrays intact, stop ends it as stopped, shutdown exits', async () => {
  const { child, next, events } = forkTrainer();
  const hello = await next('hello');
  assert.deepEqual(hello, { type: 'hello', protocol: PROTOCOL_VERSION, pid: child.pid });

  child.send({ type: 'launch' });
  const refused = await next('error');
  assert.match(describeFault((refused as Extract<TrainerEvent, { type: 'error' }>).fault), /unknown type "launch"/);

  const start: TrainerRequest = { type: 'start', config: { ...DEFAULT_TRAIN_CONFIG, epochs: 3, trainLimit: 20000 } };
  child.send(start);
  await next('batches');
  child.send({ type: 'getTensor', requestId: 1, name: 'dense_1/kernel' } satisfies TrainerRequest);
  const tensor = (await next('tensor')) as Extract<TrainerEvent, { type: 'tensor' }>;
  assert.ok(tensor.values instanceof Float32Array, 'Float32Array survives IPC');
  assert.equal(tensor.values.length, 5120);
  child.send({ type: 'stop' } satisfies TrainerRequest);
  const end = (await next('trainEnd')) as Extract<TrainerEvent, { type: 'trainEnd' }>;
  assert.equal(end.reason, 'stopped');
  assert.ok(end.epochsCompleted < 3);
  const kinds = new Set(events.map((e) => e.type));
  for (const kind of ['backend', 'dataset', 'modelSummary', 'trainStart', 'weights', 'batches'] as const)
    assert.ok(kinds.has(kind), kind);

  child.send({ type: 'shutdown' } satisfies TrainerRequest);
  assert.equal(await exited(child), 0);
});

test('child process: exits when its parent disconnects', async () => {
  const { child, next } = forkTrainer();
  await next('hello');
  child.disconnect();
  assert.equal(await exited(child), 0);
});

test('child process: a host killed with SIGKILL leaves no orphan trainer', async () => {
  // A stand-in host: forks the trainer, prints its pid, then waits to be killed.
  const hostScript = `const c = require('node:child_process').fork(${JSON.stringify(trainerJs)}, [], { serialization: 'advanced' });
    c.on('message', (m) => { if (m.type === 'hello') console.log(m.pid); });`;
  const host = spawn(process.execPath, ['-e', hostScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const trainerPid = await new Promise<number>((resolve) =>
    host.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  assert.ok(trainerPid > 0);
  host.kill('SIGKILL');
  await exited(host);
  await waitFor(`trainer ${trainerPid} to end after its host was killed`, () => !isAlive(trainerPid), 10_000);
});
