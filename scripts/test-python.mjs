// `npm run test:python`: ruff, then pytest once per Keras backend (one process each: Keras picks its
// backend at import), in the environment `npm run setup:python` makes; then the node tests that need a
// Python and PyPI (test/python: Set Up Keras installing python/ into a fresh venv with real pip). Exits
// non-zero when any step fails, including pytest's exit 5 (no tests collected): a suite that ran nothing
// did not pass.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { venvPython } from './venvPython.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BACKENDS = ['tensorflow', 'jax'];
/** Python outside python/ that follows the package's ruff rules (their ruff.toml extends python/pyproject.toml). */
const OUTSIDE = ['../examples', '../bench', '../test/support/make_keras_runs.py'];

function step(label, command, args, env = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd: join(repo, 'python'),
    stdio: 'inherit',
    // TensorFlow's banner on stderr would bury the test output.
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', TF_ENABLE_ONEDNN_OPTS: '0', ...env },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const ok = !result.error && result.status === 0;
  const why = result.error ? result.error.message : `exit ${result.status}`;
  console.log(`test:python: ${label}: ${ok ? 'passed' : `FAILED (${why})`} in ${seconds} s`);
  return ok;
}

let python;
try {
  python = venvPython();
} catch {
  console.error('test:python: setup:python failed');
  process.exit(1);
}
const bin = dirname(python);
const results = [
  step('ruff check', join(bin, 'ruff'), ['check', '.', ...OUTSIDE]),
  step('ruff format --check', join(bin, 'ruff'), ['format', '--check', '.', ...OUTSIDE]),
  ...BACKENDS.map((backend) =>
    step(`pytest (KERAS_BACKEND=${backend})`, python, ['-m', 'pytest', '-q'], { KERAS_BACKEND: backend }),
  ),
  step('node tests that install with pip (test/python)', process.execPath, [
    ...['--import', 'tsx', '--test', '--test-reporter=spec'],
    ...readdirSync(join(repo, 'test', 'python'))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => join(repo, 'test', 'python', name)),
  ]),
];
process.exitCode = results.every(Boolean) ? 0 : 1;
