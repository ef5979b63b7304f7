// `npm run setup:native` when things are not as it expects: the real script runs as a child process
// in a scratch copy of the repo (its three scripts; node_modules linking to the real packages except a
// pristine tfjs-node without an addon) with its own XDG_CACHE_HOME, so neither the repo's node_modules
// nor the user's cache is touched. Cases that need TensorFlow's library copy it from the cache the
// normal setup made (`npm run test:native` runs it first); pip is kept off the network (PIP_NO_INDEX)
// so that no case downloads the wheel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/tempDir';
import { waitFor } from '../support/wait';
import { NATIVE_CACHE } from '../support/tfjsNode';

const root = path.resolve(__dirname, '../..');
const realModules = path.join(root, 'node_modules');
const realTfjsNode = path.join(realModules, '@tensorflow', 'tfjs-node');
const TF_VERSION = '2.21.0';
const WHEEL = `tensorflow_cpu-${TF_VERSION}-cp311-cp311-manylinux_2_27_x86_64.whl`;
const LIBRARY_DIR = `tensorflow-${TF_VERSION}`;
const ADDON_DIR = `tfjs-node-4.22.0-tf-${TF_VERSION}-napi-v8`;
const CC_LIBRARY = 'libtensorflow_cc.so.2';
const FRAMEWORK_LIBRARY = 'libtensorflow_framework.so.2';
/** The cache `npm run setup:native` filled (the same rule as the script: an absolute XDG_CACHE_HOME or ~/.cache). */
const realCache = NATIVE_CACHE;
/** What a case may take before it counts as a hang (a wheel-path case answers in about a second). */
const HANG_MS = 60_000;

interface SetupRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  hung: boolean;
}

/** Kept so that `after` can stop whatever a failing case left running. */
const started = new Set<number>();

function runSetup(
  repo: string,
  env: NodeJS.ProcessEnv,
  { cwd = repo, onStart }: { cwd?: string; onStart?: (pid: number) => void } = {},
): Promise<SetupRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repo, 'scripts', 'setup-native.mjs')], {
      cwd,
      env: { ...process.env, PIP_NO_INDEX: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.add(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, 10 * HANG_MS);
    onStart?.(child.pid!);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      started.delete(child.pid!);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

/** Like runSetup, but a case that should answer at once counts as hung after HANG_MS. */
async function runQuick(repo: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<SetupRun> {
  let pid = 0;
  const timer = setTimeout(() => pid && process.kill(pid, 'SIGKILL'), HANG_MS);
  const result = await runSetup(repo, env, { cwd, onStart: (p) => (pid = p) });
  clearTimeout(timer);
  return { ...result, hung: result.signal === 'SIGKILL' };
}

function assertOneLineError(result: SetupRun, expected: RegExp) {
  assert.equal(result.hung, false, 'setup:native hung');
  assert.equal(result.code, 1, `exit code ${result.code}; stderr: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${result.stderr}`);
  assert.match(lines[0], expected);
}

/** A scratch repo: the setup's scripts, the real packages linked, a copy of tfjs-node without its addon or deps. */
function scratchRepo(): string {
  const repo = tempDir('setup-repo');
  fs.mkdirSync(path.join(repo, 'scripts'));
  for (const script of ['setup-native.mjs', 'nativeEngine.mjs', 'tensorflowWheel.mjs']) {
    fs.copyFileSync(path.join(root, 'scripts', script), path.join(repo, 'scripts', script));
  }
  const modules = path.join(repo, 'node_modules');
  fs.mkdirSync(path.join(modules, '@tensorflow'), { recursive: true });
  for (const entry of fs.readdirSync(realModules)) {
    if (entry !== '@tensorflow') fs.symlinkSync(path.join(realModules, entry), path.join(modules, entry));
  }
  for (const entry of fs.readdirSync(path.join(realModules, '@tensorflow'))) {
    if (entry === 'tfjs-node') continue;
    fs.symlinkSync(path.join(realModules, '@tensorflow', entry), path.join(modules, '@tensorflow', entry));
  }
  fs.cpSync(realTfjsNode, path.join(modules, '@tensorflow', 'tfjs-node'), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !/^(deps|build|lib\/napi-v\d+)$/.test(path.relative(realTfjsNode, source)),
  });
  return repo;
}

/**
 * The library as this version of the script extracts it (with its manifest), from the real cache's wheel:
 * the real cache may predate the manifest, or have been changed through an old setup's hard links.
 */
let baseNative: Promise<string> | null = null;
function baseCache(): Promise<string> {
  baseNative ??= (async () => {
    const { xdg, native } = scratchCache({ wheel: true, addon: true });
    const result = await runSetup(scratchRepo(), { XDG_CACHE_HOME: xdg });
    assert.equal(result.code, 0, `extracting the base cache failed: ${result.stderr}`);
    return native;
  })();
  return baseNative;
}

/** A scratch XDG_CACHE_HOME holding the parts asked for: the library from the base cache, the wheel and addon from the real one. */
function scratchCache(parts: { library?: string; wheel?: boolean; addon?: boolean }): {
  xdg: string;
  native: string;
} {
  const xdg = tempDir('setup-cache');
  const native = path.join(xdg, 'tensor-lens', 'native');
  fs.mkdirSync(native, { recursive: true });
  const copy = (from: string, name: string) =>
    fs.cpSync(path.join(from, name), path.join(native, name), { recursive: true, mode: fs.constants.COPYFILE_FICLONE });
  if (parts.library) copy(parts.library, LIBRARY_DIR);
  // The script only reads the wheel: a hard link saves copying 274 MB.
  if (parts.wheel) fs.linkSync(path.join(realCache, WHEEL), path.join(native, WHEEL));
  if (parts.addon) copy(realCache, ADDON_DIR);
  return { xdg, native };
}

function sha256(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 22);
  try {
    for (let n; (n = fs.readSync(fd, buffer)) > 0;) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

const libraryHashes = new Map<string, string>();
/** The sha256 of one of the wheel's libraries (as the base cache has it). */
async function wheelLibrary(name: string): Promise<string> {
  if (!libraryHashes.has(name)) libraryHashes.set(name, sha256(path.join(await baseCache(), LIBRARY_DIR, 'lib', name)));
  return libraryHashes.get(name)!;
}

interface ProcessId {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: tells a process from a later one that reuses its pid. */
  startTime: string;
  command: string;
}

function processStat(pid: number): { parent: number; state: string; id: ProcessId } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return {
      state: fields[0],
      parent: Number(fields[1]),
      id: { pid, startTime: fields[19], command: stat.slice(stat.indexOf('(') + 1, close) },
    };
  } catch {
    return null;
  }
}

function descendants(ancestor: number): ProcessId[] {
  const stats = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => processStat(Number(name)))
    .filter((stat) => stat !== null);
  const found: ProcessId[] = [];
  const parents = new Set([ancestor]);
  for (let grew = true; grew;) {
    grew = false;
    for (const stat of stats) {
      if (parents.has(stat.parent) && !parents.has(stat.id.pid)) {
        parents.add(stat.id.pid);
        found.push(stat.id);
        grew = true;
      }
    }
  }
  return found;
}

/** A zombie has ended: only its exit status waits to be collected. */
function stillRunning(id: ProcessId): boolean {
  const stat = processStat(id.pid);
  return stat?.id.startTime === id.startTime && stat.state !== 'Z';
}

const leftovers: ProcessId[] = [];

before(() => {
  assert.ok(
    fs.existsSync(path.join(realTfjsNode, 'package.json')) &&
      fs.existsSync(path.join(realCache, WHEEL)) &&
      fs.existsSync(path.join(realCache, ADDON_DIR)),
    `tfjs-node, or the wheel or addon in ${realCache}, is missing: run npm run setup:native first`,
  );
});

after(() => {
  for (const pid of started) process.kill(pid, 'SIGKILL');
  for (const id of leftovers) if (stillRunning(id)) process.kill(id.pid, 'SIGKILL');
});

describe('setup:native answers a bad wheel path or cache folder with one line, never a hang', () => {
  let repo: string;
  before(() => {
    repo = scratchRepo();
  });

  test('a directory where the wheel should be', async () => {
    const { xdg, native } = scratchCache({});
    fs.mkdirSync(path.join(native, WHEEL));
    assertOneLineError(await runQuick(repo, { XDG_CACHE_HOME: xdg }), new RegExp(`${native}/${WHEEL}.*a directory`));
  });

  test('a FIFO where the wheel should be (hashing it would wait forever)', async () => {
    const { xdg, native } = scratchCache({});
    execFileSync('mkfifo', [path.join(native, WHEEL)]);
    assertOneLineError(await runQuick(repo, { XDG_CACHE_HOME: xdg }), new RegExp(`${native}/${WHEEL}.*a FIFO`));
  });

  test('a link to a device where the wheel should be (/dev/zero never ends)', async () => {
    const { xdg, native } = scratchCache({});
    fs.symlinkSync('/dev/zero', path.join(native, WHEEL));
    assertOneLineError(
      await runQuick(repo, { XDG_CACHE_HOME: xdg }),
      new RegExp(`${native}/${WHEEL}.*a character device`),
    );
  });

  test('XDG_CACHE_HOME is a file', async () => {
    const file = path.join(tempDir('setup-xdg'), 'cache');
    fs.writeFileSync(file, 'not a folder\n');
    assertOneLineError(
      await runQuick(repo, { XDG_CACHE_HOME: file }),
      new RegExp(`^setup:native: XDG_CACHE_HOME=${file}: .*not a directory`),
    );
  });

  test('XDG_CACHE_HOME is not writable', async () => {
    // /sys refuses new folders even to root (a chmod'ed folder would not stop root).
    assertOneLineError(
      await runQuick(repo, { XDG_CACHE_HOME: '/sys/kernel' }),
      /^setup:native: XDG_CACHE_HOME=\/sys\/kernel: cannot create \/sys\/kernel\/tensor-lens\/native: /,
    );
  });

  test('a relative XDG_CACHE_HOME is ignored (the XDG spec), so nothing lands in the working folder', async () => {
    const home = tempDir('setup-home');
    const cwd = tempDir('setup-cwd');
    // A directory planted at the wheel's place under ~/.cache stops the run there, before any download.
    const homeNative = path.join(home, '.cache', 'tensor-lens', 'native');
    fs.mkdirSync(path.join(homeNative, WHEEL), { recursive: true });
    const result = await runQuick(repo, { XDG_CACHE_HOME: 'relative-cache', HOME: home }, cwd);
    assert.deepEqual(fs.readdirSync(cwd), [], 'the run wrote into its working folder');
    assertOneLineError(result, new RegExp(`${homeNative}/${WHEEL}.*a directory`));
  });
});

describe('setup:native trusts its cache only as far as it checks out', () => {
  test('a wheel deleted from a complete cache is not needed (nor downloaded) to fill node_modules', async () => {
    const repo = scratchRepo();
    const { xdg, native } = scratchCache({ library: await baseCache(), addon: true });
    const result = await runSetup(repo, { XDG_CACHE_HOME: xdg });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /smoke check: backend tensorflow, TensorFlow 2\.21\.0/);
    assert.equal(fs.existsSync(path.join(native, WHEEL)), false, 'the wheel was downloaded again');
  });

  test("node_modules gets copies: overwriting its library leaves the cache's intact, and a re-run repairs it", async () => {
    const repo = scratchRepo();
    const { xdg, native } = scratchCache({ library: await baseCache(), wheel: true, addon: true });
    const first = await runSetup(repo, { XDG_CACHE_HOME: xdg });
    assert.equal(first.code, 0, first.stderr);
    const copied = path.join(repo, 'node_modules', '@tensorflow', 'tfjs-node', 'deps', 'lib', FRAMEWORK_LIBRARY);
    fs.writeFileSync(copied, 'another library\n'); // in place: the same inode, as `cp` over it does
    assert.equal(
      sha256(path.join(native, LIBRARY_DIR, 'lib', FRAMEWORK_LIBRARY)),
      await wheelLibrary(FRAMEWORK_LIBRARY),
    );
    const again = await runSetup(repo, { XDG_CACHE_HOME: xdg });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(sha256(copied), await wheelLibrary(FRAMEWORK_LIBRARY));
  });

  test('deps/lib hard-linked to the cache by an earlier setup becomes copies, and the addon still loads', async () => {
    const repo = scratchRepo();
    const { xdg, native } = scratchCache({ library: await baseCache(), addon: true });
    // What an earlier setup left: every name in deps/lib a hard link to the cache's file, the addon built.
    const tfjsNode = path.join(repo, 'node_modules', '@tensorflow', 'tfjs-node');
    const cached = (name: string) => path.join(native, LIBRARY_DIR, 'lib', name);
    const linked: [string, string][] = [
      [CC_LIBRARY, CC_LIBRARY],
      ['libtensorflow.so', CC_LIBRARY],
      [FRAMEWORK_LIBRARY, FRAMEWORK_LIBRARY],
      ['libtensorflow_framework.so', FRAMEWORK_LIBRARY],
    ];
    fs.mkdirSync(path.join(tfjsNode, 'deps', 'lib'), { recursive: true });
    for (const [name, target] of linked) fs.linkSync(cached(target), path.join(tfjsNode, 'deps', 'lib', name));
    fs.cpSync(path.join(native, LIBRARY_DIR, 'include'), path.join(tfjsNode, 'deps', 'include'), { recursive: true });
    fs.mkdirSync(path.join(tfjsNode, 'lib', 'napi-v8'), { recursive: true });
    fs.copyFileSync(
      path.join(native, ADDON_DIR, 'tfjs_binding.node'),
      path.join(tfjsNode, 'lib', 'napi-v8', 'tfjs_binding.node'),
    );
    const result = await runSetup(repo, { XDG_CACHE_HOME: xdg });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /loads already; 4 hard links to the cache replaced by copies/);
    for (const [name, target] of linked) {
      assert.notEqual(
        fs.statSync(path.join(tfjsNode, 'deps', 'lib', name)).ino,
        fs.statSync(cached(target)).ino,
        `deps/lib/${name} is still the cache's file`,
      );
    }
    assert.equal(fs.statSync(cached(CC_LIBRARY)).nlink, 1);
  });

  for (const [fault, spoil] of [
    ['missing', (file: string) => fs.rmSync(file)],
    ['truncated', (file: string) => fs.truncateSync(file, fs.statSync(file).size >> 1)],
  ] as const) {
    test(`a library ${fault} from a "complete" cache is extracted again from the wheel`, async () => {
      const repo = scratchRepo();
      const { xdg, native } = scratchCache({ library: await baseCache(), wheel: true, addon: true });
      const spoilt = path.join(native, LIBRARY_DIR, 'lib', CC_LIBRARY);
      spoil(spoilt);
      const result = await runSetup(repo, { XDG_CACHE_HOME: xdg });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /smoke check: backend tensorflow/);
      assert.equal(sha256(spoilt), await wheelLibrary(CC_LIBRARY));
    });
  }
});

describe("setup:native's build", () => {
  test('killed during the build, it leaves no node-pre-gyp, make or compiler running', async () => {
    const repo = scratchRepo();
    const { xdg } = scratchCache({ library: await baseCache(), wheel: true });
    let setupPid = 0;
    let ended: SetupRun | null = null;
    const finished = runSetup(repo, { XDG_CACHE_HOME: xdg }, { onStart: (pid) => (setupPid = pid) });
    void finished.then((result) => (ended = result));
    const building = await waitFor(
      'a compiler under setup:native',
      () => {
        if (ended) assert.fail(`setup:native ended before its build: ${ended.stdout}${ended.stderr}`);
        const found = descendants(setupPid);
        return found.some((p) => p.command === 'cc1plus') && found;
      },
      5 * HANG_MS,
    );
    leftovers.push(...building);
    process.kill(setupPid, 'SIGTERM');
    const result = await finished;
    // Checked the moment the setup has ended: an orphan would still be running (until its next write to a closed pipe).
    assert.deepEqual(building.filter(stillRunning), [], 'still running after setup:native ended');
    assert.equal(result.code, 143, `exit code ${result.code} (signal ${result.signal}): ${result.stderr}`);
    assert.equal(result.stderr, 'setup:native: stopped by SIGTERM\n');
  });

  test('a built addon is cached only after the smoke check passes', async () => {
    const repo = scratchRepo();
    // Without @tensorflow/tfjs, tfjs-node's index cannot load: the addon builds and loads, the smoke check fails.
    fs.unlinkSync(path.join(repo, 'node_modules', '@tensorflow', 'tfjs'));
    const { xdg, native } = scratchCache({ library: await baseCache(), wheel: true });
    const result = await runSetup(repo, { XDG_CACHE_HOME: xdg });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^setup:native: @tensorflow\/tfjs-node does not load: /);
    assert.equal(fs.existsSync(path.join(native, ADDON_DIR)), false, 'an addon that failed its smoke check was cached');
  });
});
