// The pinned TensorFlow wheel from PyPI, downloaded once into a cache outside the repo and checked
// against its sha256: setup:native takes its C library, setup:reference installs it for Keras.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const TF_VERSION = '2.21.0';
export const WHEEL = `tensorflow_cpu-${TF_VERSION}-cp311-cp311-manylinux_2_27_x86_64.whl`;
const WHEEL_SHA256 = '2b847d217b02ee7731ed91431daf3250daa0196c3c94614d23be27232e6e5b6c';

/** ~/.cache/tensor-lens (or $XDG_CACHE_HOME/tensor-lens). */
export const tensorLensCache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tensor-lens');
export const nativeCache = join(tensorLensCache, 'native');

/** A missing prerequisite or a failed step: printed as one line, without a stack. */
export class SetupError extends Error {}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw new SetupError(`${command} could not run: ${result.error.message}`);
  return result;
}

export function succeeds(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/** The wheel is built for Linux x86-64 (manylinux_2_27, glibc ≥ 2.27). */
export function checkPlatform() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(
      `this setup supports Linux x86-64 only (this is ${process.platform} ${process.arch}); ` +
        'where storage.googleapis.com is reachable, `npm install @tensorflow/tfjs-node` installs the native backend',
    );
  }
}

export function requirePip() {
  if (!succeeds('python3', ['--version'])) throw new SetupError('python3 is missing: install Python 3 with pip');
  if (!succeeds('python3', ['-m', 'pip', '--version'])) {
    throw new SetupError('pip is missing for python3: install it (e.g. apt-get install python3-pip)');
  }
}

function sha256(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** The cached wheel, downloaded first when missing. */
export async function ensureWheel() {
  const wheel = join(nativeCache, WHEEL);
  if (existsSync(wheel)) {
    if ((await sha256(wheel)) === WHEEL_SHA256) return { wheel, outcome: 'cached, sha256 ok' };
    throw new SetupError(`${wheel} does not have the pinned sha256 ${WHEEL_SHA256}: delete it and re-run`);
  }
  requirePip();
  const download = join(nativeCache, 'download');
  rmSync(download, { recursive: true, force: true });
  mkdirSync(download, { recursive: true });
  const pip = run(
    'python3',
    [
      ...['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check'],
      ...['--python-version', '3.11', '--platform', 'manylinux_2_27_x86_64', '--dest', download],
      `tensorflow-cpu==${TF_VERSION}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (pip.status !== 0) {
    const reason = pip.stderr.trim().split('\n').pop();
    throw new SetupError(`pip could not download tensorflow-cpu==${TF_VERSION} from PyPI: ${reason}`);
  }
  const actual = await sha256(join(download, WHEEL));
  if (actual !== WHEEL_SHA256) {
    rmSync(download, { recursive: true, force: true });
    throw new SetupError(`the downloaded ${WHEEL} has sha256 ${actual}, not the pinned ${WHEEL_SHA256}`);
  }
  renameSync(join(download, WHEEL), wheel);
  rmSync(download, { recursive: true, force: true });
  return { wheel, outcome: 'downloaded from PyPI, sha256 ok' };
}
