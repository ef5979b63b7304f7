// The webview strings of the display language: l10n/webview.<language>.json over the English table
// (src/shared/webviewStrings.ts). Read once per language; no vscode here, so it is unit-tested.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeStrings, type WebviewStrings } from '../shared/webviewStrings';

const loaded = new Map<string, WebviewStrings>();

/** `ko-kr` tries webview.ko-kr.json, then webview.ko.json; English when neither is there. */
export function webviewStringsFor(extensionPath: string, language: string): WebviewStrings {
  const key = `${extensionPath}|${language}`;
  let strings = loaded.get(key);
  if (!strings) {
    strings = completeStrings(readTable(extensionPath, language.toLowerCase()));
    loaded.set(key, strings);
  }
  return strings;
}

function readTable(extensionPath: string, language: string): unknown {
  const candidates = [language, language.split('-')[0]].filter((l, i, all) => l !== 'en' && all.indexOf(l) === i);
  for (const candidate of candidates) {
    if (!/^[a-z]{2,3}(-[a-z0-9]+)*$/.test(candidate)) continue;
    try {
      return JSON.parse(readFileSync(join(extensionPath, 'l10n', `webview.${candidate}.json`), 'utf8'));
    } catch {
      // no table for this language (or an unreadable one): try the next, else English
    }
  }
  return null;
}
