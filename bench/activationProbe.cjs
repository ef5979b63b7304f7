// Loads dist/extension.js and calls activate() in a fresh process, under a minimal stand-in for
// the `vscode` module (benchmark only: every API is a no-op proxy), and reports how long it took
// and whether any tfjs module was loaded (activation must not pull in TensorFlow.js).
// Usage: node bench/activationProbe.cjs <dist/extension.js> → one JSON line on stdout.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: this probe measures require() of the bundle, in a process without tsx */
const Module = require('node:module');
const path = require('node:path');

/** A value that answers every property access, call and `new` with another such value. */
function stub(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_, key) {
      if (key === 'then') return undefined; // not a thenable: `await stub` resolves to it
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => 0;
      if (key === 'dispose') return () => undefined;
      return stub(`${name}.${String(key)}`);
    },
    // configuration.get(key, default) returns the default, like an unset setting.
    apply: (_, __, args) => (name.endsWith('.get') && args.length >= 2 ? args[1] : stub(`${name}()`)),
    construct: () => stub(`new ${name}`),
  });
}

const vscodeStub = stub('vscode');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : originalResolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStub };

const bundle = path.resolve(process.argv[2]);
const root = path.resolve(path.dirname(bundle), '..');
const memento = { get: (_k, d) => d, update: async () => undefined, keys: () => [], setKeysForSync: () => undefined };
const context = {
  subscriptions: [],
  extensionPath: root,
  extensionUri: stub('extensionUri'),
  globalState: memento,
  workspaceState: memento,
  globalStorageUri: stub('globalStorageUri'),
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
  const tfModules = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
  process.stdout.write(
    JSON.stringify({ requireMs: loaded - start, activateMs: activated - loaded, totalMs: activated - start, tfModules: tfModules.length, subscriptions: context.subscriptions.length }) + '\n',
  );
})().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String(e && e.message ? e.message : e) }) + '\n');
});
