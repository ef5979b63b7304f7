// `npm run setup:reference`: a Python virtual environment with the book's engine (TensorFlow 2.21 and
// Keras 3 from PyPI) for bench/keras_reference.py, the yardstick rows of `npm run bench`. It installs
// the wheel setup:native caches (downloading it if needed) plus its dependencies from PyPI.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkPlatform,
  ensureCacheFolder,
  ensureWheel,
  nativeCache,
  run,
  SetupError,
  stopChildrenWhenStopped,
  succeeds,
  tensorLensCache,
  TF_VERSION,
} from './tensorflowWheel.mjs';

const referenceVenv = join(tensorLensCache, 'reference-venv');
const python = join(referenceVenv, 'bin', 'python');
const VERSIONS = 'import tensorflow as tf, keras; print(tf.__version__, keras.__version__)';

function quietTf() {
  return { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', TF_ENABLE_ONEDNN_OPTS: '0' };
}

/** The installed TensorFlow and Keras versions, or null when the environment is missing or broken. */
async function installedVersions() {
  if (!existsSync(python)) return null;
  const probe = await run(python, ['-c', VERSIONS], { env: quietTf() });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

/** The wheel is for CPython 3.11. */
async function python311() {
  for (const candidate of ['python3.11', 'python3']) {
    const version = await run(candidate, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']).catch(() => null);
    if (version?.status === 0 && version.stdout.trim() === '3.11') return candidate;
  }
  throw new SetupError(`Python 3.11 is missing (tensorflow-cpu ${TF_VERSION}'s wheel here is for CPython 3.11)`);
}

async function main() {
  const started = performance.now();
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  stopChildrenWhenStopped('setup:reference');
  checkPlatform();
  const ready = await installedVersions();
  if (ready?.startsWith(`${TF_VERSION} `)) {
    console.log(`setup:reference: ${referenceVenv} has TensorFlow and Keras ${ready} (${seconds()})`);
    return;
  }
  const interpreter = await python311();
  ensureCacheFolder(nativeCache);
  const { wheel, outcome } = await ensureWheel();
  console.log(`setup:reference: wheel: ${outcome} (${seconds()})`);
  if (!succeeds(interpreter, ['-m', 'venv', '--help'])) {
    throw new SetupError(`${interpreter} has no venv module: install it (e.g. apt-get install python3-venv)`);
  }
  rmSync(referenceVenv, { recursive: true, force: true });
  if ((await run(interpreter, ['-m', 'venv', referenceVenv])).status !== 0) {
    throw new SetupError(`${interpreter} -m venv ${referenceVenv} failed`);
  }
  const pip = await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', wheel], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (pip.status !== 0) {
    // A half-installed environment would look ready next time.
    rmSync(referenceVenv, { recursive: true, force: true });
    throw new SetupError(`pip could not install ${wheel}: ${pip.stderr.trim().split('\n').pop()}`);
  }
  const versions = await installedVersions();
  if (!versions) throw new SetupError(`TensorFlow does not import in ${referenceVenv}`);
  console.log(`setup:reference: ${referenceVenv} has TensorFlow and Keras ${versions} (${seconds()})`);
}

main().catch((e) => {
  console.error(`setup:reference: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  process.exitCode = 1;
});
