// The panel's words in the display language: the host puts the table in the page's initial state
// (a JSON data block, see src/extension/webviewHtml.ts); English when it is absent (unit tests).
import {
  STRINGS_ELEMENT_ID,
  completeStrings,
  formatString,
  type WebviewStringKey,
  type WebviewStrings,
} from '../../shared/webviewStrings';

let strings: WebviewStrings | null = null;

/** Read on first use: the data block precedes the bundle's script, so it is there by then. */
function readStrings(): WebviewStrings {
  const text = typeof document === 'undefined' ? null : document.getElementById(STRINGS_ELEMENT_ID)?.textContent;
  try {
    return completeStrings(text ? JSON.parse(text) : null);
  } catch {
    return completeStrings(null);
  }
}

/** The string of `key`, with {0}, {1}… filled from `args`. */
export function t(key: WebviewStringKey, ...args: (string | number)[]): string {
  strings ??= readStrings();
  return formatString(strings[key], ...args);
}
