// The panel shell: the contract's exact CSP, a fresh nonce on the one script, nothing inline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panelKinds } from '../../../src/extension/panelKinds';
import { makeNonce, webviewHtml } from '../../../src/extension/webviewHtml';
import type { PanelKind } from '../../../src/shared/webviewProtocol';
import { WEBVIEW_STRINGS_EN, type WebviewStrings } from '../../../src/shared/webviewStrings';
import { FAULT_WORDING, type FaultWording } from '../../../src/shared/faults';

const resources = (
  kind: PanelKind,
  strings: WebviewStrings = WEBVIEW_STRINGS_EN,
  faults: FaultWording = FAULT_WORDING,
) => ({
  title: '숫자 <예측>',
  cspSource: 'https://x.vscode-cdn.net',
  commonCss: 'https://x.vscode-cdn.net/ext/media/webview/common.css',
  panelCss: `https://x.vscode-cdn.net/ext/media/webview/${kind}.css`,
  script: `https://x.vscode-cdn.net/ext/dist/webview/${kind}.js`,
  strings,
  faults,
  language: 'ko',
});

/** One of the page's JSON data blocks (scripts that are not run), parsed: the strings, or the faults' wording. */
function dataBlock(html: string, id = 'tensor-lens-strings'): unknown {
  const blocks = [...html.matchAll(new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`, 'g'))];
  assert.equal(blocks.length, 1);
  return JSON.parse(blocks[0][1]);
}

test('nonces are fresh, long and safe in an attribute', () => {
  const nonces = new Set(Array.from({ length: 100 }, makeNonce));
  assert.equal(nonces.size, 100);
  for (const n of nonces) assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
});

test('each kind: the contract CSP, its stylesheets and bundle, data-panel, and no inline code or styles', () => {
  for (const kind of panelKinds) {
    const nonce = makeNonce();
    const html = webviewHtml(kind, resources(kind), nonce);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.equal(
      csp,
      `default-src 'none'; img-src https://x.vscode-cdn.net data: blob:; style-src https://x.vscode-cdn.net; font-src https://x.vscode-cdn.net; script-src 'nonce-${nonce}';`,
    );
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    assert.match(html, new RegExp(`<body data-panel="${kind}"><script type="application/json"`));
    assert.match(html, /<html lang="ko">/);
    assert.match(html, /<title>숫자 &lt;예측>/);
    assert.deepEqual(dataBlock(html), WEBVIEW_STRINGS_EN);
    assert.deepEqual(dataBlock(html, 'tensor-lens-faults'), FAULT_WORDING);
    const scripts = [...html.matchAll(/<script( nonce[^>]*)>([^<]*)<\/script>/g)];
    assert.equal([...html.matchAll(/<script/g)].length, 3, 'the bundle and the two data blocks, nothing else');
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0][1], ` nonce="${nonce}" src="${resources(kind).script}"`);
    assert.equal(scripts[0][2], '', 'no inline script body');
    assert.doesNotMatch(html, /style="|<style/);
    assert.match(
      html,
      new RegExp(`href="${resources(kind).commonCss}"><link rel="stylesheet" href="${resources(kind).panelCss}"`),
    );
  }
});

test('a string cannot end a data block early or inject markup', () => {
  const attack = '</script><script>alert(1)</script><!--';
  const hostile = { ...WEBVIEW_STRINGS_EN, 'tensor.waiting': attack };
  const hostileFaults = { ...FAULT_WORDING, noModel: attack };
  const html = webviewHtml('tensor', resources('tensor', hostile, hostileFaults), makeNonce());
  assert.equal([...html.matchAll(/<script/g)].length, 3);
  assert.equal((dataBlock(html) as Record<string, string>)['tensor.waiting'], attack);
  assert.equal((dataBlock(html, 'tensor-lens-faults') as Record<string, string>).noModel, attack);
});
