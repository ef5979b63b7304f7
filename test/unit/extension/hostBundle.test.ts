// The extension host never loads tfjs: it lives in the trainer process (docs/architecture.md).
// Lint bans the direct imports; this reads what esbuild actually put into (or left outside of)
// dist/extension.js, so an indirect path (a host module importing a shared one importing tfjs) fails too.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { built } from '../../support/trainer';

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

let meta: Metafile;

before(() => {
  meta = JSON.parse(readFileSync(`${built('extension')}.meta.json`, 'utf8')) as Metafile;
});

test('no input of dist/extension.js comes from @tensorflow', () => {
  const inputs = Object.keys(meta.inputs);
  assert.ok(inputs.includes('src/extension/extension.ts'), 'the metafile describes the host bundle');
  assert.deepEqual(
    inputs.filter((p) => p.includes('node_modules/@tensorflow/')),
    [],
  );
});

test('dist/extension.js requires nothing at run time but vscode and Node built-ins', () => {
  const builtins = new Set(builtinModules);
  const external = Object.values(meta.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external)
    .map((i) => i.path);
  assert.ok(external.includes('vscode'));
  assert.deepEqual([...new Set(external.filter((p) => p !== 'vscode' && !builtins.has(p.replace(/^node:/, ''))))], []);
});
