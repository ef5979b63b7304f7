// The host's runner of programs in a process group of their own (the native installer, pip): real
// processes. Cancel ends the program and what it started; a program that cannot start is said so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { runInProcessGroup } from '../../../src/extension/processGroup';
import { isAlive, waitFor } from '../../support/wait';

/** A parent that starts a child which ignores nothing and sleeps, says both pids, then sleeps itself. */
const PARENT = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
process.stdout.write('pids ' + process.pid + ' ' + child.pid + '\\n');
setTimeout(() => {}, 600000);
`;

const ended = (pid: number) => !isAlive(pid) || fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

test('Cancel ends the program and the process it started (its whole group)', async () => {
  const abort = new AbortController();
  let pids: number[] = [];
  const end = runInProcessGroup({
    command: process.execPath,
    args: ['-e', PARENT],
    env: process.env,
    onStdoutLine: (line) => {
      if (line.startsWith('pids ')) pids = line.slice(5).split(' ').map(Number);
    },
    onStderr: () => undefined,
    signal: abort.signal,
  });
  await waitFor('the pids line', () => pids.length === 2);
  assert.ok(pids.every(isAlive));
  abort.abort();
  assert.deepEqual(await end, { kind: 'cancelled' });
  await waitFor(
    () => `both processes to end (${pids.join(', ')})`,
    () => pids.every(ended),
    10_000,
  );
});

test('stdout a line at a time (the last one without its newline too), stderr as it comes, and the exit code', async () => {
  const lines: string[] = [];
  let stderr = '';
  const end = await runInProcessGroup({
    command: process.execPath,
    args: ['-e', "process.stdout.write('one\\ntwo\\nthree'); process.stderr.write('warned'); process.exitCode = 3"],
    env: process.env,
    onStdoutLine: (line) => lines.push(line),
    onStderr: (text) => (stderr += text),
  });
  assert.deepEqual(end, { kind: 'exited', code: 3, signal: null });
  assert.deepEqual(lines, ['one', 'two', 'three']);
  assert.equal(stderr, 'warned');
});

test('a program that is not there: notStarted with ENOENT', async () => {
  const end = await runInProcessGroup({
    command: '/nonexistent/python3',
    args: [],
    env: process.env,
    onStdoutLine: () => undefined,
    onStderr: () => undefined,
  });
  assert.equal(end.kind, 'notStarted');
  assert.equal(end.kind === 'notStarted' && end.code, 'ENOENT');
});
