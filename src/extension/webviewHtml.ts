// The HTML shell of every panel: a strict CSP (nonce'd script, styles only from the extension),
// the panel's stylesheet and bundle, and `data-panel` for the UI tests. Pure: the URIs come in as
// strings, so it is tested without VS Code.
import { randomBytes } from 'node:crypto';
import type { PanelKind } from '../shared/webviewProtocol';
import { FAULTS_ELEMENT_ID, type FaultWording } from '../shared/faults';
import { STRINGS_ELEMENT_ID, type WebviewStrings } from '../shared/webviewStrings';

export interface ShellResources {
  /** The page's title (the panel's tab title, in the display language). */
  title: string;
  /** webview.cspSource */
  cspSource: string;
  commonCss: string;
  panelCss: string;
  script: string;
  /** The panel's words in the display language, and that language (the page's `lang`). */
  strings: WebviewStrings;
  /** How the trainer's faults read in that language. */
  faults: FaultWording;
  language: string;
}

/** 128 random bits, base64: a fresh one for each page load. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function webviewHtml(kind: PanelKind, r: ShellResources, nonce: string): string {
  const csp = `default-src 'none'; img-src ${r.cspSource} data: blob:; style-src ${r.cspSource}; font-src ${r.cspSource}; script-src 'nonce-${nonce}';`;
  // A JSON data block is not run (no CSP source needed); `<` escaped so no text can close it.
  const data = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html lang="${escapeAttribute(r.language)}"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(r.commonCss)}"><link rel="stylesheet" href="${escapeAttribute(r.panelCss)}">
<title>${escapeAttribute(r.title)}</title></head>
<body data-panel="${kind}"><script type="application/json" id="${STRINGS_ELEMENT_ID}">${data(r.strings)}</script><script type="application/json" id="${FAULTS_ELEMENT_ID}">${data(r.faults)}</script><main id="app"></main><script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(r.script)}"></script></body></html>`;
}
