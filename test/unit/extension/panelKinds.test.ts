// The table of panel kinds: one entry per panel the build makes, view types the manifest activates
// on (else VS Code could not bring a panel back after a reload), and tab titles in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PANEL_KINDS, type PanelFiller, panelKinds } from '../../../src/extension/panelKinds';
import type { TensorLensPanel } from '../../../src/extension/webviewPanel';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { activationEvents: string[] };
const bundleKo = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;

test('every panel the build makes (a folder of src/webview with its stylesheet) has one entry, and no other', () => {
  const panels = readdirSync(join(root, 'src', 'webview'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'common')
    .map((d) => d.name);
  assert.deepEqual([...panelKinds].sort(), panels.sort());
  for (const kind of panelKinds) assert.ok(existsSync(join(root, 'media', 'webview', `${kind}.css`)), kind);
});

test('view types are distinct, and the manifest activates on exactly these (a panel restored after a reload)', () => {
  const viewTypes = panelKinds.map((kind) => PANEL_KINDS[kind].viewType);
  assert.equal(new Set(viewTypes).size, viewTypes.length);
  for (const viewType of viewTypes) assert.match(viewType, /^tensorLens\.\w+$/);
  const activatedOn = manifest.activationEvents
    .filter((e) => e.startsWith('onWebviewPanel:'))
    .map((e) => e.slice('onWebviewPanel:'.length));
  assert.deepEqual(activatedOn.sort(), [...viewTypes].sort());
});

test('every title has a Korean entry, and no two kinds share a title', () => {
  const english = new Set<string>();
  for (const kind of panelKinds) {
    const asked: string[] = [];
    const korean = PANEL_KINDS[kind].title({
      t: (message: string | { message: string }) => {
        const text = typeof message === 'string' ? message : message.message;
        asked.push(text);
        return bundleKo[text] ?? `(no Korean for "${text}")`;
      },
    });
    assert.equal(asked.length, 1, `${kind}: one l10n.t call`);
    english.add(asked[0]);
    assert.ok(asked[0] in bundleKo, `${kind}: "${asked[0]}" has no entry in bundle.l10n.ko.json`);
    assert.match(korean, /[가-힣]/, `${kind}: "${korean}"`);
  }
  assert.equal(english.size, panelKinds.length);
});

test('a Runs panel brought back after a reload is filled with the kept runs and the Keras runs it showed', async () => {
  const asked: unknown[] = [];
  const fill = new Proxy({} as PanelFiller, {
    get:
      (_, kind) =>
      async (_panel: unknown, ...args: unknown[]) =>
        void asked.push([kind, ...args]),
  });
  const panel = {} as TensorLensPanel;
  await PANEL_KINDS.runs.restore(fill, panel, {
    ids: ['run-1764900000000-0a1b2c3d'],
    keras: ['20261206T050431Z-dense-tf-2df595'],
  });
  await PANEL_KINDS.runs.restore(fill, panel, null);
  assert.deepEqual(asked, [
    ['runs', ['run-1764900000000-0a1b2c3d'], ['20261206T050431Z-dense-tf-2df595']],
    ['runs', [], []],
  ]);
});
