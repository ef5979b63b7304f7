// Set Up Keras in a Python Environment…, the real install: the host's installer puts the extension's
// python/ into a fresh venv of the machine's python3 with real pip (hatchling, Keras and NumPy from PyPI,
// so this runs in test:python, the tier that needs PyPI). Keras 3 alone cannot start (its default backend,
// TensorFlow, is not a dependency): the outcome says so with Keras' own error. With a backend there
// (JAX, as a Keras-on-JAX user has it), the same command says which interpreter got which versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type KerasSetupStep, setUpKeras } from '../../src/extension/kerasSetup';
import { tempDir } from '../support/tempDir';
import { REPO_ROOT } from '../support/trainer';

const PACKAGE_DIR = path.join(REPO_ROOT, 'python');
const VERSION = /^version = "(.*)"$/m.exec(fs.readFileSync(path.join(PACKAGE_DIR, 'pyproject.toml'), 'utf8'))?.[1];

const python = path.join(tempDir('setup-keras-venv'), 'venv', 'bin', 'python');

async function setUp(env: NodeJS.ProcessEnv) {
  const steps: KerasSetupStep[] = [];
  const log: string[] = [];
  const outcome = await setUpKeras({
    python,
    packageDir: PACKAGE_DIR,
    env,
    onStep: (step) => steps.push(step),
    onLog: (line) => log.push(line),
  });
  return { outcome, steps, log };
}

test('a fresh venv: pip installs tensorlens with Keras 3 and NumPy; Keras without a backend is said in one line', async () => {
  execFileSync('python3', ['-m', 'venv', path.dirname(path.dirname(python))]);
  // Keras' default backend, as a user who never chose one has it.
  const defaultBackend = { ...process.env };
  delete defaultBackend.KERAS_BACKEND;
  const { outcome, steps, log } = await setUp(defaultBackend);
  assert.deepEqual(steps, ['probe', 'pip', 'check']);
  assert.equal(outcome.kind, 'noBackend', `${JSON.stringify(outcome)}\n${log.slice(-20).join('\n')}`);
  assert.ok(outcome.kind === 'noBackend');
  assert.equal(outcome.python, python);
  assert.equal(outcome.tensorlens, VERSION);
  assert.match(outcome.keras, /^3\.\d+\.\d+$/);
  assert.match(outcome.line, /^ModuleNotFoundError: No module named 'tensorflow'$/);
  assert.ok(
    log.some((line) => /^Successfully installed .*\btensorlens-/.test(line)),
    'pip’s own lines reached the log',
  );
  // What pip installed is the package from python/, not one from an index.
  const installed = execFileSync(
    python,
    ['-c', 'import importlib.util; print(importlib.util.find_spec("tensorlens").origin)'],
    {
      encoding: 'utf8',
    },
  );
  assert.ok(installed.includes(path.dirname(path.dirname(python))), installed);
});

test('with a backend (JAX): installed again, with the versions and the backend', async () => {
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', 'jax']);
  const { outcome, steps } = await setUp({ ...process.env, KERAS_BACKEND: 'jax' });
  assert.deepEqual(steps, ['probe', 'pip', 'check']);
  assert.equal(outcome.kind, 'installed', JSON.stringify(outcome));
  assert.ok(outcome.kind === 'installed');
  assert.deepEqual(
    { python: outcome.python, tensorlens: outcome.tensorlens, backend: outcome.backend },
    { python, tensorlens: VERSION, backend: 'jax' },
  );
  assert.match(outcome.keras, /^3\.\d+\.\d+$/);
});
