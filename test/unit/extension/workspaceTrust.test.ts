// Workspace Trust: a folder someone else wrote must not choose which files Tensor Lens reads or which
// program it runs. VS Code ignores workspace values of `restrictedConfigurations` in an untrusted
// workspace, for reads through vscode.workspace.getConfiguration, which is the only way the host reads
// settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
/** A manifest string as English readers see it (`%key%` looked up in package.nls.json). */
const english = (s: string) => s.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? s);

test('the manifest declares limited support in untrusted workspaces, restricting every path setting and every application-wide one', () => {
  const trust = manifest.capabilities?.untrustedWorkspaces;
  assert.equal(trust?.supported, 'limited');
  assert.ok(typeof trust.description === 'string' && english(trust.description).length > 0);
  const properties: Record<string, { type: string; description: string; scope?: string }> =
    manifest.contributes.configuration.properties;
  // A path setting: a string whose description speaks of a folder, a file or a program to run.
  const pathSettings = Object.entries(properties)
    .filter(([, p]) => p.type === 'string' && /folder|file|path|Node\.js/i.test(english(p.description)))
    .map(([name]) => name);
  assert.deepEqual(pathSettings.sort(), ['tensorLens.dataDir', 'tensorLens.nodePath']);
  // A setting over data every workspace shares (the kept runs) must not come from a workspace either.
  const applicationWide = Object.entries(properties)
    .filter(([, p]) => p.scope === 'application')
    .map(([name]) => name);
  assert.deepEqual(applicationWide, ['tensorLens.keptRuns']);
  assert.deepEqual([...trust.restrictedConfigurations].sort(), [...pathSettings, ...applicationWide].sort());
  assert.equal(manifest.capabilities.virtualWorkspaces, false, 'the trainer needs files on a real disk');
});

test('the host reads settings only through vscode.workspace.getConfiguration (so trust applies)', () => {
  const dir = path.join(root, 'src', 'extension');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    assert.doesNotMatch(source, /settings\.json|\.vscode['/]/, `${file} reads settings files itself`);
    for (const use of source.matchAll(/getConfiguration\(([^)]*)\)/g))
      assert.equal(use[1], "'tensorLens'", `${file}: getConfiguration(${use[1]})`);
  }
});

test('data files may link out of the data folder only in a trusted workspace: the host passes vscode.workspace.isTrusted to both readers', () => {
  const dir = path.join(root, 'src', 'extension');
  const uses: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    // The trainer's config (readTrainConfig's third argument) and the dataset worker's folder.
    for (const call of source.matchAll(/readTrainConfig\(\([^)]*\) => [^,]+, \w+, ([^)]+)\)/g))
      uses.push(`${file} readTrainConfig: ${call[1]}`);
    for (const field of source.matchAll(/followDataLinks: ([^,\n}]+)/g))
      uses.push(`${file} followDataLinks: ${field[1]}`);
  }
  assert.deepEqual(uses.sort(), [
    'commands.ts readTrainConfig: vscode.workspace.isTrusted',
    'extension.ts followDataLinks: vscode.workspace.isTrusted',
    'settings.ts followDataLinks: workspaceTrusted',
  ]);
});

test('Set Up Keras runs an interpreter (which the Python extension may take from the workspace): refused in an untrusted workspace before anything runs', () => {
  const source = readFileSync(path.join(root, 'src', 'extension', 'setupKeras.ts'), 'utf8');
  const body = /export async function setupKeras\([^)]*\): Promise<void> \{\n([^]*?)\n\}/.exec(source)?.[1] ?? '';
  assert.match(body, /^ {2}if \(!vscode\.workspace\.isTrusted\) \{\n[^]*?\n {4}return;\n {2}\}/, 'its first statement');
  assert.match(nls['capabilities.untrustedWorkspaces.description'], /Set Up Keras in a Python Environment… is refused/);
});
