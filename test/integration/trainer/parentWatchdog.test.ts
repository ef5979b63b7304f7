// The trainer child never outlives the process that forked it (a crashed or reloaded VS Code window):
// within 2 s of the parent's death it is gone, even with its main thread blocked for good.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../support/tempDir';
import { waitFor } from '../../support/wait';

const root = path.resolve(__dirname, '../../..');

before(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--only', 'trainer'], { cwd: root });
});

/** Running, not a zombie: an orphan that exited waits for init to reap it (here up to 2 s). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Starts test/support/orphanParent.ts and resolves with its child's pid once that child is working. */
function startParent(
  kind: 'busy' | 'trainer',
  blockedMarker: string,
): Promise<{ parentPid: number; childPid: number }> {
  const parent = spawn(process.execPath, ['--import', 'tsx', 'test/support/orphanParent.ts', kind, blockedMarker], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    parent.stdout.once('data', (chunk: Buffer) =>
      resolve({ parentPid: parent.pid!, childPid: Number(chunk.toString().trim().split('\n')[0]) }),
    );
    parent.once('exit', (code) => reject(new Error(`the parent exited early with code ${code}`)));
  });
}

/** Kills the parent and measures how long its child survives it (capped at 5 s, then killed). */
async function childLifetimeAfterParentDies(kind: 'busy' | 'trainer'): Promise<number> {
  const blockedMarker = path.join(tempDir('watchdog'), 'blocked');
  const { parentPid, childPid } = await startParent(kind, blockedMarker);
  // The trainer's pid comes with its first batch (mid-run); the busy child marks when its block begins.
  if (kind === 'busy') await waitFor('the busy child to block its event loop', () => existsSync(blockedMarker), 10_000);
  assert.ok(isAlive(childPid), 'the child runs before its parent dies');
  process.kill(parentPid, 'SIGKILL');
  const killedAt = Date.now();
  while (isAlive(childPid) && Date.now() - killedAt < 5000) await new Promise((r) => setTimeout(r, 50));
  const lifetime = Date.now() - killedAt;
  if (isAlive(childPid)) process.kill(childPid, 'SIGKILL');
  return lifetime;
}

test('a child whose main thread is blocked for good still exits within 2 s of its parent’s death', async () => {
  const lifetime = await childLifetimeAfterParentDies('busy');
  assert.ok(lifetime < 2000, `the orphan outlived its parent by ${lifetime} ms`);
});

test('the real trainer, mid-run, exits within 2 s when the host that forked it is killed', async () => {
  const lifetime = await childLifetimeAfterParentDies('trainer');
  assert.ok(lifetime < 2000, `the trainer outlived its host by ${lifetime} ms`);
});
