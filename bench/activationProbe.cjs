// Loads dist/extension.js and calls activate() in a fresh process, under a minimal stand-in for
// the `vscode` module (benchmark only: every API is a no-op proxy), and reports how long it took.
// (That no tfjs is in the host is checked on the bundle's metafile: bench/activation.ts and
// test/unit/extension/hostBundle.test.ts; require.cache cannot see an inlined module.)
// Usage: node bench/activationProbe.cjs <dist/extension.js> → one JSON line on stdout.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: this probe measures require() of the bundle, in a process without tsx */
const Module = require('node:module');
const path = require('node:path');

/** A value that answers every property read, call and `new` with another such value, and keeps what is assigned to it. */
function stub(name) {
  const assigned = new Map();
  return new Proxy(function () {}, {
    get(_, key) {
      if (assigned.has(key)) return assigned.get(key);
      if (key === 'then') return undefined; // not a thenable: `await stub` resolves to it
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => 0;
      if (key === 'dispose') return () => undefined;
      return stub(`${name}.${String(key)}`);
    },
    set(_, key, value) {
      assigned.set(key, value);
      return true;
    },
    // configuration.get(key, default) returns the default, like an unset setting.
    apply: (_, __, args) => (name.endsWith('.get') ? args[1] : stub(`${name}()`)),
    construct: () => stub(`new ${name}`),
  });
}

/**
 * The module's exports: a stub for every `vscode.X` the bundle names (esbuild's __toESM copies only
 * enumerable keys into the namespace object), and a stub for any other key.
 */
function vscodeModule(bundleText) {
  const names = new Set();
  for (const [, alias] of bundleText.matchAll(/(\w+) = __toESM\(require\("vscode"\)\)/g)) {
    for (const [, key] of bundleText.matchAll(new RegExp(`\\b${alias}\\.(\\w+)`, 'g'))) names.add(key);
  }
  const exports = Object.fromEntries([...names].map((key) => [key, stub(`vscode.${key}`)]));
  return new Proxy(exports, {
    get: (target, key) =>
      key in target ? target[key] : key === '__esModule' ? undefined : stub(`vscode.${String(key)}`),
  });
}

const bundle = path.resolve(process.argv[2]);
const vscodeStub = vscodeModule(require('node:fs').readFileSync(bundle, 'utf8'));
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : originalResolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStub };

const root = path.resolve(path.dirname(bundle), '..');
const memento = { get: (_k, d) => d, update: async () => undefined, keys: () => [], setKeysForSync: () => undefined };
const context = {
  subscriptions: [],
  extensionPath: root,
  extensionUri: stub('extensionUri'),
  globalState: memento,
  workspaceState: memento,
  globalStorageUri: {
    fsPath: path.join(require('node:os').tmpdir(), 'tensor-lens-bench-storage'),
    path: '/tensor-lens-bench-storage',
    scheme: 'file',
  },
  storageUri: undefined,
  logUri: stub('logUri'),
  extensionMode: 1,
  asAbsolutePath: (p) => path.join(root, p),
};

(async () => {
  const start = performance.now();
  const extension = require(bundle);
  const loaded = performance.now();
  await extension.activate(context);
  const activated = performance.now();
  process.stdout.write(
    JSON.stringify({
      requireMs: loaded - start,
      activateMs: activated - loaded,
      totalMs: activated - start,
      subscriptions: context.subscriptions.length,
    }) + '\n',
  );
})().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String(e && e.message ? e.message : e) }) + '\n');
});
