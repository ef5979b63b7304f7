// Set Up Keras in a Python Environment…, when something is wrong, against real programs: a path with
// nothing there, programs that are not Python (one that floods), an old Python, a fresh venv without
// pip, one with Keras 2, PyPI out of reach, a folder pip cannot install, and Cancel while pip waits on
// the network (pip and its build subprocess end). None of these reaches PyPI; the real install is in
// test/python/setupKeras.test.ts (test:python, which needs PyPI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { type KerasSetupOutcome, type KerasSetupStep, setUpKeras } from '../../../src/extension/kerasSetup';
import { tempDir } from '../../support/tempDir';
import { REPO_ROOT } from '../../support/trainer';
import { isAlive, waitFor } from '../../support/wait';

const PACKAGE_DIR = path.join(REPO_ROOT, 'python');

async function setUp(
  python: string,
  env: NodeJS.ProcessEnv = {},
  options: { packageDir?: string; signal?: AbortSignal } = {},
) {
  const steps: KerasSetupStep[] = [];
  const log: string[] = [];
  const outcome: KerasSetupOutcome = await setUpKeras({
    python,
    packageDir: options.packageDir ?? PACKAGE_DIR,
    env: { ...process.env, ...env },
    onStep: (step) => steps.push(step),
    onLog: (line) => log.push(line),
    signal: options.signal,
  });
  return { outcome, steps, log };
}

/** A fresh venv made by the machine's python3 (with pip unless told). */
function venv(name: string, withPip = true): string {
  const dir = path.join(tempDir(name), 'venv');
  execFileSync('python3', ['-m', 'venv', ...(withPip ? [] : ['--without-pip']), dir]);
  return path.join(dir, 'bin', 'python');
}

let shared: string | null = null;
/** One venv with pip for the cases that only read it (making one takes seconds). */
function venvWithPip(): string {
  shared ??= venv('keras-setup-pip');
  return shared;
}

test('a path with nothing there: noInterpreter (ENOENT), before any pip', async () => {
  const { outcome, steps } = await setUp('/nonexistent/bin/python3');
  assert.deepEqual(outcome, {
    kind: 'failed',
    fault: { kind: 'noInterpreter', python: '/nonexistent/bin/python3', reason: 'ENOENT' },
  });
  assert.deepEqual(steps, ['probe']);
});

test('a program that is not Python (Node): notPython, with its last line', async () => {
  const { outcome } = await setUp(process.execPath);
  assert.equal(outcome.kind, 'failed');
  const fault = outcome.kind === 'failed' ? outcome.fault : null;
  assert.equal(fault?.kind, 'notPython', JSON.stringify(outcome));
  assert.ok(fault?.kind === 'notPython' && fault.said.length > 0 && fault.said.length <= 400, JSON.stringify(fault));
});

test('a program that floods its output (yes): notPython, ended, not waited on for ever', async () => {
  const yes = execFileSync('sh', ['-c', 'command -v yes'], { encoding: 'utf8' }).trim();
  const { outcome } = await setUp(yes);
  assert.equal(outcome.kind === 'failed' && outcome.fault.kind, 'notPython', JSON.stringify(outcome).slice(0, 300));
});

/** A real Python older than 3.10 on this machine (pyenv's), if any. */
function oldPython(): string | null {
  const root = process.env.PYENV_ROOT ?? path.join(process.env.HOME ?? '', '.pyenv');
  const candidates = ['python3.9', 'python3.8', 'python2.7'].flatMap((name) => {
    try {
      return fs
        .readdirSync(path.join(root, 'versions'))
        .map((v) => path.join(root, 'versions', v, 'bin', name))
        .filter((f) => fs.existsSync(f));
    } catch {
      return [];
    }
  });
  return candidates.find((p) => spawnSync(p, ['-c', 'import sys'], { encoding: 'utf8' }).status === 0) ?? null;
}

const old = oldPython();
test(
  'a Python older than 3.10 (3.9, 2.7): tooOld with its version, before any pip',
  { skip: old ? false : 'no Python older than 3.10 here (pyenv versions)' },
  async () => {
    const { outcome, steps } = await setUp(old as string);
    const version = execFileSync(old as string, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], {
      encoding: 'utf8',
    }).trim();
    assert.deepEqual(outcome, { kind: 'failed', fault: { kind: 'tooOld', python: old, version } });
    assert.deepEqual(steps, ['probe']);
  },
);

test('a venv without pip: noPip, before any pip', async () => {
  const python = venv('keras-setup-nopip', false);
  const { outcome, steps } = await setUp(python);
  assert.deepEqual(outcome, { kind: 'failed', fault: { kind: 'noPip', python } });
  assert.deepEqual(steps, ['probe']);
});

test('PyPI out of reach: network, with pip’s line naming hatchling (what the build needs first)', async () => {
  const python = venvWithPip();
  const { outcome, steps, log } = await setUp(python, {
    PIP_INDEX_URL: 'http://127.0.0.1:9/simple',
    PIP_FIND_LINKS: '',
    PIP_RETRIES: '0',
  });
  assert.deepEqual(steps, ['probe', 'pip']);
  assert.equal(outcome.kind === 'failed' && outcome.fault.kind, 'network', JSON.stringify(outcome));
  assert.match(
    outcome.kind === 'failed' && outcome.fault.kind === 'network' ? outcome.fault.line : '',
    /^ERROR: No matching distribution found for hatchling/,
  );
  assert.ok(
    log.some((line) => line.includes('hatchling')),
    'pip’s output reached the log',
  );
});

test('a folder pip cannot install: pip, with the exit code and pip’s error line', async () => {
  const python = venvWithPip();
  const empty = tempDir('not-a-package');
  const { outcome } = await setUp(python, {}, { packageDir: empty });
  assert.equal(outcome.kind, 'failed');
  const fault = outcome.kind === 'failed' ? outcome.fault : null;
  assert.equal(fault?.kind, 'pip', JSON.stringify(outcome));
  assert.equal(fault?.kind === 'pip' && fault.code, 1);
  assert.match(fault?.kind === 'pip' ? fault.line : '', /^ERROR: .*is not installable/);
});

test('Cancel while pip waits on the index: cancelled, and pip and its build subprocess end', async () => {
  const python = venvWithPip();
  // An index that accepts connections and never answers: pip waits on it.
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const abort = new AbortController();
  const running = setUp(
    python,
    { PIP_INDEX_URL: `http://127.0.0.1:${port}/simple`, PIP_FIND_LINKS: '', PIP_DEFAULT_TIMEOUT: '300' },
    { signal: abort.signal },
  );
  try {
    await waitFor('pip to ask the index', () => sockets.length > 0, 60_000);
    const pips = processesRunning(python);
    assert.ok(pips.length >= 2, `pip and the pip that installs the build's needs: ${pips.join(', ')}`);
    abort.abort();
    const { outcome } = await running;
    assert.deepEqual(outcome, { kind: 'cancelled' });
    await waitFor(
      () => `pip's processes to end (${pips.join(', ')})`,
      () => pips.every(ended),
      15_000,
    );
  } finally {
    sockets.forEach((s) => s.destroy());
    server.close();
  }
});

test('Keras 2 installed: keras2 with its version, and pip is not run (it would replace it)', async () => {
  const python = venv('keras-setup-keras2');
  const site = execFileSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], {
    encoding: 'utf8',
  }).trim();
  // Keras 2's record as pip writes it (its metadata is all the probe reads).
  const info = path.join(site, 'keras-2.15.0.dist-info');
  fs.mkdirSync(info);
  fs.writeFileSync(path.join(info, 'METADATA'), 'Metadata-Version: 2.1\nName: keras\nVersion: 2.15.0\n');
  const { outcome, steps } = await setUp(python);
  assert.deepEqual(outcome, { kind: 'failed', fault: { kind: 'keras2', python, keras: '2.15.0' } });
  assert.deepEqual(steps, ['probe']);
});

/** Pids of the processes whose command line runs `python`. */
function processesRunning(python: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        return fs.readFileSync(`/proc/${n}/cmdline`, 'utf8').split('\0')[0] === python;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const ended = (pid: number) => {
  try {
    return !isAlive(pid) || fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return true;
  }
};
