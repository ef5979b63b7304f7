// MNIST: Install Native TensorFlow…, end to end and for real: the installer the .vsix ships
// (dist/nativeSetup.js, run by the host's runner with the trainer's Node) installs tfjs-node into a
// scratch "global storage" with real npm (and, when the cache lacks them, a real wheel from PyPI and a
// real compile); then the real trainer, started as the host starts it, picks that engine with `auto`
// and trains. The setup's cache (XDG_CACHE_HOME, filled by `npm run setup:native` first in this tier)
// is shared, so the wheel is downloaded at most once. What is missing (a compiler, PyPI) is answered
// with one line and the fault the host words.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INSTALLED_MANIFEST } from '../../src/shared/nativeEngine';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent } from '../../src/shared/protocol';
import {
  runNativeSetup,
  type SetupMessage,
  type SetupOutcome,
  tfjsModulesOf,
  withInstalledEngine,
} from '../../src/extension/nativeInstaller';
import { chooseTrainerRuntime, probeNodeMajor } from '../../src/extension/nodeRuntime';
import { TrainerClient } from '../../src/extension/trainerClient';
import { RecordingLogger } from '../support/recordingLogger';
import { tempDir } from '../support/tempDir';
import { built, builtTrainer, REPO_ROOT } from '../support/trainer';
import { isAlive, waitFor } from '../support/wait';
import { NATIVE_CACHE } from '../support/tfjsNode';

const extensionModules = tfjsModulesOf(REPO_ROOT);
/** How the host picks the trainer's Node (code-server: the host's own). */
const launch = chooseTrainerRuntime({
  configuredNodePath: '',
  electron: undefined,
  hostExecPath: process.execPath,
  env: process.env,
  probeNodeMajor,
});
let setupScript = '';
let trainerScript = '';
/** One install shared by the cases that only read it. */
let installedFolder: Promise<{ folder: string; messages: SetupMessage[]; outcome: SetupOutcome }> | null = null;

before(() => {
  setupScript = built('nativeSetup');
  trainerScript = builtTrainer();
});

const clients: TrainerClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
});

function install(folder: string, options: { signal?: AbortSignal; onMessage?: (m: SetupMessage) => void } = {}) {
  const messages: SetupMessage[] = [];
  let log = '';
  const outcome = runNativeSetup({
    script: setupScript,
    launch,
    folder,
    tfjsModules: extensionModules,
    onMessage: (m) => {
      messages.push(m);
      options.onMessage?.(m);
    },
    onLog: (text) => (log += text),
    signal: options.signal,
  });
  return { messages, outcome, log: () => log };
}

function installOnce() {
  installedFolder ??= (async () => {
    const folder = path.join(tempDir('global-storage'), 'native');
    const run = install(folder);
    const outcome = await run.outcome;
    assert.equal(outcome.kind, 'installed', `${JSON.stringify(outcome)}\n${run.log()}`);
    return { folder, messages: run.messages, outcome };
  })();
  return installedFolder;
}

/** The real trainer, started as the host starts it, trains a few batches with `backend`; what it said. */
async function trainWith(launchWith: typeof launch, backend: 'auto' | 'tensorflow') {
  const events: TrainerEvent[] = [];
  // The trainer's stderr, as the host logs it (warnings, a line at a time, `trainer: ` before each).
  const log = new RecordingLogger();
  const stderr = () =>
    log
      .lines('warn')
      .map((line) => line.replace(/^trainer: /, ''))
      .join('\n');
  const client = await TrainerClient.start({
    scriptPath: trainerScript,
    launch: launchWith,
    onEvent: (e) => events.push(e),
    onExit: () => undefined,
    log,
  });
  clients.push(client);
  client.notify({
    type: 'start',
    config: { ...DEFAULT_TRAIN_CONFIG, backend, epochs: 1, trainLimit: 1024, hiddenUnits: 32, modelDir: null },
  });
  const end = await waitFor(
    () => `trainEnd (events: ${events.map((e) => e.type).join(', ')}; stderr: ${stderr()})`,
    () => events.find((e) => e.type === 'trainEnd' || e.type === 'error'),
    120_000,
  );
  const maps = fs.readFileSync(`/proc/${client.pid}/maps`, 'utf8');
  await client.dispose();
  return { events, end, stderr: stderr(), maps };
}

test('install: npm, the library and the addon land in global storage, with its own tfjs removed and the manifest written last', async () => {
  const { folder, messages, outcome } = await installOnce();
  const done = messages.filter((m) => m.type === 'step' && m.phase === 'done').map((m) => m.type === 'step' && m.step);
  assert.deepEqual(done.slice(0, 1), ['tfjsNode']);
  assert.ok(done.includes('addon') && done.includes('check'), done.join(', '));
  assert.equal(done.at(-1), 'manifest', 'the manifest comes last');
  assert.deepEqual(outcome, { kind: 'installed', folder, seconds: (outcome as { seconds: number }).seconds });
  const check = messages.find((m) => m.type === 'step' && m.phase === 'done' && m.step === 'check');
  assert.match(
    check?.type === 'step' && check.phase === 'done' ? check.outcome : '',
    /^backend tensorflow, TensorFlow 2\.\d+\.\d+$/,
  );
  // Only tfjs-node in its @tensorflow scope: a tfjs of its own would be a second instance.
  assert.deepEqual(fs.readdirSync(path.join(folder, 'node_modules', '@tensorflow')), ['tfjs-node']);
  assert.ok(
    fs.existsSync(path.join(folder, 'node_modules', '@tensorflow', 'tfjs-node', 'lib', 'napi-v8', 'tfjs_binding.node')),
  );
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, INSTALLED_MANIFEST), 'utf8'));
  assert.equal(
    manifest.tfjs,
    JSON.parse(fs.readFileSync(path.join(extensionModules, '@tensorflow', 'tfjs', 'package.json'), 'utf8')).version,
  );
});

test('the trainer started as the host starts it selects backend tensorflow from global storage with auto, and trains', async () => {
  const { folder } = await installOnce();
  const { events, end, maps } = await trainWith(withInstalledEngine(launch, folder, extensionModules), 'auto');
  assert.equal(end.type, 'trainEnd', JSON.stringify(end));
  const backend = events.find((e) => e.type === 'backend');
  assert.deepEqual(backend, {
    type: 'backend',
    backend: 'tensorflow',
    detail: backend?.type === 'backend' ? backend.detail : '',
  });
  assert.match(
    backend?.type === 'backend' ? backend.detail : '',
    new RegExp(
      `^tensorflow \\(native TensorFlow 2\\.\\d+\\.\\d+, installed in ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`,
    ),
  );
  // The library the process runs is global storage's copy, not one elsewhere.
  assert.ok(
    maps.includes(
      path.join(folder, 'node_modules', '@tensorflow', 'tfjs-node', 'deps', 'lib', 'libtensorflow_cc.so.2'),
    ),
  );
  const points = events.flatMap((e) => (e.type === 'batches' ? e.points : []));
  assert.equal(points.length, 8, '1024 samples in batches of 128');
  assert.ok(points.every((p) => Number.isFinite(p.loss)));
});

test('an install that does not match this tfjs is ignored with one line, and the run goes on another backend', async () => {
  const { folder } = await installOnce();
  const copy = path.join(tempDir('global-storage-old'), 'native');
  fs.mkdirSync(copy);
  fs.cpSync(path.join(folder, INSTALLED_MANIFEST), path.join(copy, INSTALLED_MANIFEST));
  const manifest = JSON.parse(fs.readFileSync(path.join(copy, INSTALLED_MANIFEST), 'utf8'));
  fs.writeFileSync(path.join(copy, INSTALLED_MANIFEST), JSON.stringify({ ...manifest, tfjs: '4.21.0' }));
  const { events, end, stderr } = await trainWith(withInstalledEngine(launch, copy, extensionModules), 'auto');
  assert.equal(end.type, 'trainEnd', JSON.stringify(end));
  const backend = events.find((e) => e.type === 'backend');
  assert.ok(backend?.type === 'backend' && !backend.detail.includes(copy), JSON.stringify(backend));
  assert.equal(
    stderr
      .split('\n')
      .filter((line) => line.includes(copy))
      .join('\n'),
    `native TensorFlow in ${copy} was installed for tfjs 4.21.0, this Tensor Lens runs tfjs ${manifest.tfjs}: run MNIST: Install Native TensorFlow… again`,
  );
});

test('a second install of the same version only checks it (seconds)', async () => {
  const { folder } = await installOnce();
  const again = install(folder);
  const outcome = await again.outcome;
  assert.equal(outcome.kind, 'installed', again.log());
  assert.deepEqual(
    again.messages.filter((m) => m.type === 'step').map((m) => m.type === 'step' && `${m.step} ${m.phase}`),
    ['check start', 'check done'],
  );
});

/** The processes whose parent chain leads to `ancestor` (from /proc). */
function descendants(ancestor: number): { pid: number; command: string }[] {
  const parents = new Map<number, { parent: number; command: string }>();
  for (const name of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      parents.set(Number(name), {
        parent: Number(stat.slice(close + 2).split(' ')[1]),
        command: stat.slice(stat.indexOf('(') + 1, close),
      });
    } catch {
      // It ended meanwhile.
    }
  }
  const found: { pid: number; command: string }[] = [];
  const inTree = new Set([ancestor]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, { parent, command }] of parents) {
      if (inTree.has(parent) && !inTree.has(pid)) {
        inTree.add(pid);
        found.push({ pid, command });
        grew = true;
      }
    }
  }
  return found;
}

test('Cancel while npm runs ends the installer and npm, and leaves nothing that looks installed, nor its lock', async () => {
  const folder = path.join(tempDir('global-storage-cancel'), 'native');
  const abort = new AbortController();
  const seen = new Map<number, string>();
  let installerPid = 0;
  const run = install(folder, { signal: abort.signal });
  // The installer is the newest child of this process that runs dist/nativeSetup.js.
  const npm = await waitFor(
    'npm under the installer',
    () => {
      installerPid ||=
        descendants(process.pid).find((p) => fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes(setupScript))
          ?.pid ?? 0;
      if (!installerPid) return null;
      for (const p of descendants(installerPid)) seen.set(p.pid, p.command);
      return [...seen.values()].some((command) => command.startsWith('npm')) ? installerPid : null;
    },
    60_000,
  );
  assert.ok(npm);
  abort.abort();
  assert.deepEqual(await run.outcome, { kind: 'cancelled' });
  await waitFor(
    () => `the installer's processes to end (${[...seen].join(', ')})`,
    () =>
      [installerPid, ...seen.keys()].every(
        (pid) => !isAlive(pid) || fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '),
      ),
    30_000,
  );
  assert.equal(fs.existsSync(path.join(folder, INSTALLED_MANIFEST)), false);
  assert.equal(fs.existsSync(path.join(folder, '.install-lock')), false, 'its lock goes with it');
});

/** The setup's cache (as the setup finds it): the extracted library is linked from it, never written through. */
const realCache = NATIVE_CACHE;

/** A PATH holding only these programs (links to the real ones). */
function pathWith(programs: Record<string, string>): string {
  const bin = tempDir('bin');
  for (const [name, target] of Object.entries(programs)) fs.symlinkSync(target, path.join(bin, name));
  return bin;
}

const realPython = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

/** Installs with a scratch cache and environment; the one line and fault it ends with. */
async function failingInstall(env: NodeJS.ProcessEnv) {
  const folder = path.join(tempDir('global-storage-fail'), 'native');
  let log = '';
  const outcome = await runNativeSetup({
    script: setupScript,
    launch: { ...launch, env: { ...launch.env, ...env } },
    folder,
    tfjsModules: extensionModules,
    onMessage: () => undefined,
    onLog: (text) => (log += text),
  });
  assert.equal(fs.existsSync(path.join(folder, INSTALLED_MANIFEST)), false, 'nothing looks installed');
  return { outcome, log };
}

test('no C++ compiler: fault compiler, one line saying to install g++', async () => {
  // The library is in the cache (so no download), the addon is not (so it must be compiled).
  const xdg = tempDir('cache-no-addon');
  const library = path.join(xdg, 'tensor-lens', 'native', 'tensorflow-2.21.0');
  fs.cpSync(path.join(realCache, 'tensorflow-2.21.0'), library, { recursive: true });
  const { outcome, log } = await failingInstall({
    XDG_CACHE_HOME: xdg,
    PATH: pathWith({ node: process.execPath, npm: fs.realpathSync('/usr/bin/npm'), python3: realPython }),
  });
  assert.deepEqual(
    outcome,
    {
      kind: 'failed',
      fault: 'compiler',
      message: 'no C++ compiler (c++): install g++ (e.g. apt-get install g++)',
    },
    log,
  );
});

test('PyPI out of reach: fault pypi, one line with pip’s own last words', async () => {
  const { outcome, log } = await failingInstall({
    XDG_CACHE_HOME: tempDir('cache-empty'),
    PIP_INDEX_URL: 'http://127.0.0.1:9/simple',
    PIP_FIND_LINKS: '',
    PIP_RETRIES: '0',
  });
  assert.equal(outcome.kind, 'failed', log);
  assert.equal(outcome.kind === 'failed' && outcome.fault, 'pypi', JSON.stringify(outcome));
  assert.match(
    outcome.kind === 'failed' ? outcome.message : '',
    /^pip could not download tensorflow-cpu==2\.21\.0 from PyPI: ERROR: .*tensorflow-cpu==2\.21\.0$/,
  );
});
