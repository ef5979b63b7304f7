// The pinned TensorFlow wheel from PyPI, downloaded once into a cache outside the repo and checked
// against its sha256: setup:native takes its C library, setup:reference installs it for Keras.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, createReadStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir, constants as osConstants } from 'node:os';
import { isAbsolute, join } from 'node:path';

export const TF_VERSION = '2.21.0';
export const WHEEL = `tensorflow_cpu-${TF_VERSION}-cp311-cp311-manylinux_2_27_x86_64.whl`;
const WHEEL_SHA256 = '2b847d217b02ee7731ed91431daf3250daa0196c3c94614d23be27232e6e5b6c';
/** Checked before hashing: a wrong size fails at once instead of after reading 274 MB (or forever). */
const WHEEL_SIZE = 273829956;

/** The XDG spec: an XDG_CACHE_HOME that is not an absolute path is to be ignored. */
const xdgCacheHome = isAbsolute(process.env.XDG_CACHE_HOME ?? '') ? process.env.XDG_CACHE_HOME : null;
/** $XDG_CACHE_HOME/tensor-lens, else ~/.cache/tensor-lens. */
export const tensorLensCache = join(xdgCacheHome ?? join(homedir(), '.cache'), 'tensor-lens');
export const nativeCache = join(tensorLensCache, 'native');

/**
 * A missing prerequisite or a failed step: printed as one line, without a stack. `fault` names what
 * failed for a caller that words it itself (the extension's Install Native TensorFlow command).
 */
export class SetupError extends Error {
  constructor(message, fault = 'other') {
    super(message);
    this.fault = fault;
  }
}

/** "not a directory" from "ENOTDIR: not a directory, mkdir '/x'": the path is named by the caller. */
export function fsReason(error) {
  return String(error?.message ?? error)
    .replace(/^E[A-Z]+: /, '')
    .replace(/, \w+ '.*$/, '');
}

/** Creates `folder` inside the cache, or names in one line the variable that points where it cannot be. */
export function ensureCacheFolder(folder) {
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    const origin = xdgCacheHome ? `XDG_CACHE_HOME=${xdgCacheHome}` : `HOME=${homedir()}`;
    throw new SetupError(`${origin}: cannot create ${folder}: ${fsReason(error)}`, 'cache');
  }
}

/**
 * Children run in their own process group, so that stopping the setup stops all they started (make,
 * g++…): each group's leader pid, with a promise of its end ('close': the whole group has let go of its pipes).
 */
const runningGroups = new Map();
/** Set once a signal stops the setup: a child ended by it is not a failed step to report. */
let stopping = false;
/** How long the children get to end on SIGTERM before they are killed. */
const STOP_GRACE_MS = 10_000;

function signalGroups(signal) {
  for (const pid of runningGroups.keys()) {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group has ended already.
    }
  }
}

/** Ends every child's group and waits for them, so that nothing of the setup outlives it. */
async function stopChildren() {
  signalGroups('SIGTERM');
  let timer;
  const grace = new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)));
  const ended = await Promise.race([Promise.all(runningGroups.values()).then(() => true), grace]);
  clearTimeout(timer);
  if (!ended) signalGroups('SIGKILL');
}

/** On Ctrl-C, kill or hang-up, the setup takes its children with it (an orphaned build would keep a core busy). */
export function stopChildrenWhenStopped(label) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      console.error(`${label}: stopped by ${signal}`);
      await stopChildren();
      process.exit(128 + osConstants.signals[signal]);
    });
  }
  process.on('exit', () => signalGroups('SIGTERM'));
}

/** Runs a command to its end without blocking the event loop (so signals are handled meanwhile). */
export function run(command, args, { stdio = ['ignore', 'pipe', 'pipe'], ...options } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text) => (stdout += text));
    child.stderr?.setEncoding('utf8').on('data', (text) => (stderr += text));
    const closed = new Promise((resolveClosed) => child.on('close', resolveClosed));
    child.on('spawn', () => runningGroups.set(child.pid, closed));
    child.on('error', (error) => {
      runningGroups.delete(child.pid);
      const fault = { npm: 'npm', python3: 'python' }[command] ?? 'other';
      reject(new SetupError(`${command} could not run: ${error.message}`, fault));
    });
    child.on('close', (status, signal) => {
      runningGroups.delete(child.pid);
      // While stopping, the caller never goes on (it would report the killed child as a failure).
      if (!stopping) resolve({ status, signal, stdout, stderr });
    });
  });
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
      'platform',
    );
  }
}

export function requirePip() {
  if (!succeeds('python3', ['--version'])) {
    throw new SetupError('python3 is missing: install Python 3 with pip', 'python');
  }
  if (!succeeds('python3', ['-m', 'pip', '--version'])) {
    throw new SetupError('pip is missing for python3: install it (e.g. apt-get install python3-pip)', 'pip');
  }
}

export function sha256(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file, { highWaterMark: 1 << 22 })
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** What a non-file is, for the one-line error (a FIFO or a device would make the hash wait or read forever). */
function kindOf(stats) {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The cached wheel, downloaded first when missing. */
export async function ensureWheel() {
  const wheel = join(nativeCache, WHEEL);
  // stat follows a link: a link to the wheel elsewhere is fine, a link to /dev/zero is not.
  const stats = statSync(wheel, { throwIfNoEntry: false });
  if (stats) {
    if (!stats.isFile()) {
      throw new SetupError(`${wheel} is ${kindOf(stats)}, not the wheel: delete it and re-run`, 'wheel');
    }
    if (stats.size !== WHEEL_SIZE) {
      throw new SetupError(
        `${wheel} has ${stats.size} bytes, not the wheel's ${WHEEL_SIZE}: delete it and re-run`,
        'wheel',
      );
    }
    if ((await sha256(wheel)) === WHEEL_SHA256) return { wheel, outcome: 'cached, sha256 ok' };
    throw new SetupError(`${wheel} does not have the pinned sha256 ${WHEEL_SHA256}: delete it and re-run`, 'wheel');
  }
  requirePip();
  const download = join(nativeCache, 'download');
  rmSync(download, { recursive: true, force: true });
  mkdirSync(download, { recursive: true });
  const pip = await run(
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
    // pip honours its own configuration (PIP_INDEX_URL, PIP_FIND_LINKS, pip.conf): a local mirror works the same way.
    throw new SetupError(`pip could not download tensorflow-cpu==${TF_VERSION} from PyPI: ${reason}`, 'pypi');
  }
  const actual = await sha256(join(download, WHEEL));
  if (actual !== WHEEL_SHA256) {
    rmSync(download, { recursive: true, force: true });
    throw new SetupError(`the downloaded ${WHEEL} has sha256 ${actual}, not the pinned ${WHEEL_SHA256}`, 'wheel');
  }
  renameSync(join(download, WHEEL), wheel);
  rmSync(download, { recursive: true, force: true });
  return { wheel, outcome: 'downloaded from PyPI, sha256 ok' };
}
