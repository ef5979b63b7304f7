// The native installer the .vsix ships (dist/nativeSetup.js), run by the host's runner as a real
// process, when something it needs is missing: it answers with one line and the fault the host words.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { INSTALLED_MANIFEST } from '../../../src/shared/nativeEngine';
import { runNativeSetup, type SetupOutcome, tfjsModulesOf } from '../../../src/extension/nativeInstaller';
import { tempDir } from '../../support/tempDir';
import { built, REPO_ROOT } from '../../support/trainer';

let script = '';
before(() => {
  script = built('nativeSetup');
});

async function setup(
  env: NodeJS.ProcessEnv,
  folder = path.join(tempDir('native-storage'), 'native'),
): Promise<{ outcome: SetupOutcome; folder: string; log: string }> {
  let log = '';
  const outcome = await runNativeSetup({
    script,
    // An empty cache of its own: nothing of the real one is read or written.
    launch: { execPath: process.execPath, env: { ...process.env, XDG_CACHE_HOME: tempDir('native-cache'), ...env } },
    folder,
    tfjsModules: tfjsModulesOf(REPO_ROOT),
    onMessage: () => undefined,
    onLog: (text) => (log += text),
  });
  return { outcome, folder, log };
}

test('no npm on PATH: fault npm, one line that says what to do, nothing that looks installed', async () => {
  const { outcome, folder } = await setup({ PATH: tempDir('empty-path') });
  assert.deepEqual(outcome, {
    kind: 'failed',
    fault: 'npm',
    message: 'npm is missing (not on PATH): install Node.js with npm, or put npm on PATH',
  });
  assert.equal(fs.existsSync(path.join(folder, INSTALLED_MANIFEST)), false);
});

test('the npm registry unreachable: fault npmRegistry, one line naming npm’s network error', async () => {
  const { outcome } = await setup({ npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' });
  assert.equal(outcome.kind, 'failed');
  assert.equal(outcome.kind === 'failed' && outcome.fault, 'npmRegistry', JSON.stringify(outcome));
  assert.match(
    outcome.kind === 'failed' ? outcome.message : '',
    /^npm could not install @tensorflow\/tfjs-node@4\.22\.0: .*ECONNREFUSED/,
  );
  assert.doesNotMatch(outcome.kind === 'failed' ? outcome.message : '', /\n/);
});

test('a cache folder that cannot be made: fault cache, one line naming the variable and the folder', async () => {
  const file = path.join(tempDir('native-xdg'), 'a-file');
  fs.writeFileSync(file, '');
  const { outcome } = await setup({ XDG_CACHE_HOME: file });
  assert.deepEqual(outcome, {
    kind: 'failed',
    fault: 'cache',
    message: `XDG_CACHE_HOME=${file}: cannot create ${file}/tensor-lens/native: not a directory`,
  });
});

test('another install into the same folder running (another window): fault busy, and its lock is left alone', async () => {
  const folder = path.join(tempDir('native-storage'), 'native');
  fs.mkdirSync(folder, { recursive: true });
  // This test's own process stands for the other window's installer.
  fs.writeFileSync(path.join(folder, '.install-lock'), `${process.pid}\n`);
  const { outcome } = await setup({}, folder);
  assert.deepEqual(outcome, {
    kind: 'failed',
    fault: 'busy',
    message: `another install into ${folder} is running (process ${process.pid}): wait for it to end`,
  });
  assert.equal(fs.readFileSync(path.join(folder, '.install-lock'), 'utf8'), `${process.pid}\n`);
});

test('a lock left by an installer that is gone (kill -9) is taken over, and removed when the install ends', async () => {
  const folder = path.join(tempDir('native-storage'), 'native');
  fs.mkdirSync(folder, { recursive: true });
  const gone = spawnSync(process.execPath, ['-e', '']).pid;
  fs.writeFileSync(path.join(folder, '.install-lock'), `${gone}\n`);
  // It goes on to its next check: npm, missing from this PATH.
  const { outcome } = await setup({ PATH: tempDir('empty-path') }, folder);
  assert.equal(outcome.kind === 'failed' && outcome.fault, 'npm', JSON.stringify(outcome));
  assert.equal(fs.existsSync(path.join(folder, '.install-lock')), false);
});
