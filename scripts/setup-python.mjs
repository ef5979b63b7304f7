// `npm run setup:python`: a Python virtual environment for the `tensorlens` package (python/):
// Keras 3 with both CPU backends it is tested on (TensorFlow and JAX), pytest and ruff, at pinned
// versions, plus the package itself in editable mode. The environment lives outside the repo, named by
// a hash of the pins, so changing a pin makes a new one and an unchanged one is reused.
// Prints the environment's Python path as its last stdout line (test:python reads nothing else).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PYTHON_VERSION = '3.11';
/** jax 0.11+ needs Python 3.12; 0.10.2 is the newest for 3.11, and Keras 3.15.1 runs on it. */
export const PINS = [
  'keras==3.15.1',
  'tensorflow-cpu==2.21.0',
  'jax[cpu]==0.10.2',
  'pytest==9.2.0',
  'ruff==0.17.6',
  'hatchling==1.33.0',
];

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(repo, 'python');
const pinsHash = createHash('sha256')
  .update(`${PYTHON_VERSION}\n${PINS.join('\n')}`)
  .digest('hex')
  .slice(0, 12);
export const venv = join(
  process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
  'tensor-lens',
  `python-venv-${pinsHash}`,
);
export const venvPython = join(venv, 'bin', 'python');

class SetupError extends Error {}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw new SetupError(`${command} could not run: ${result.error.message}`);
  return result;
}

function lastLine(text) {
  return text.trim().split('\n').pop() ?? '';
}

function python311() {
  for (const candidate of [`python${PYTHON_VERSION}`, 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
      encoding: 'utf8',
    });
    if (!probe.error && probe.status === 0 && probe.stdout.trim() === PYTHON_VERSION) return candidate;
  }
  throw new SetupError(`Python ${PYTHON_VERSION} is missing (jax ${PINS[2]} and tensorflow-cpu need it)`);
}

/** True when the venv imports every pinned package and `tensorlens` comes from this checkout. */
function ready() {
  if (!existsSync(venvPython)) return false;
  const probe = run(venvPython, ['-c', 'import keras, jax, pytest, tensorlens, sys; print(tensorlens.__file__)'], {
    env: { ...process.env, KERAS_BACKEND: 'jax' },
  });
  return probe.status === 0 && resolve(probe.stdout.trim()).startsWith(join(packageDir, 'src'));
}

function pipInstall(args, what) {
  const pip = run(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (pip.status !== 0) {
    const why = pip.stderr.split('\n').find((line) => /error/i.test(line) && !/^\s*hint/.test(line));
    throw new SetupError(`pip could not install ${what}: ${(why ?? lastLine(pip.stderr)).trim()}`);
  }
}

function main() {
  const started = performance.now();
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  if (ready()) {
    console.error(`setup:python: ${venv} is ready (${seconds()})`);
    console.log(venvPython);
    return;
  }
  if (existsSync(venvPython) && run(venvPython, ['-c', 'import keras, jax, pytest']).status === 0) {
    // Same pins, but the editable install points at another checkout (or is missing): repoint it.
    pipInstall(['--no-deps', '--no-build-isolation', '-e', packageDir], 'the tensorlens package');
  } else {
    const interpreter = python311();
    rmSync(venv, { recursive: true, force: true });
    if (run(interpreter, ['-m', 'venv', venv]).status !== 0) {
      throw new SetupError(`${interpreter} -m venv ${venv} failed (install python3-venv?)`);
    }
    try {
      pipInstall(PINS, PINS.join(' '));
    } catch (e) {
      // A half-installed environment would look ready next time.
      rmSync(venv, { recursive: true, force: true });
      throw e;
    }
    pipInstall(['--no-deps', '--no-build-isolation', '-e', packageDir], 'the tensorlens package');
  }
  if (!ready()) throw new SetupError(`tensorlens does not import from ${packageDir} in ${venv}`);
  console.error(`setup:python: ${venv} is ready (${seconds()})`);
  console.log(venvPython);
}

try {
  main();
} catch (e) {
  console.error(`setup:python: ${e instanceof SetupError ? e.message : e instanceof Error ? e.stack : String(e)}`);
  process.exitCode = 1;
}
