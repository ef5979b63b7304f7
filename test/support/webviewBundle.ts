// The webview table as the host fills it from a language's bundle, without VS Code: what
// vscode.l10n.t({ message, comment }) returns with that bundle loaded. VS Code's
// ExtHostLocalizationService.getMessage looks up "<message>/<comment>" and falls back to the message.
import { makeNonce, webviewHtml } from '../../src/extension/webviewHtml';
import type { FaultWording } from '../../src/shared/faults';
import { localizeStrings, type WebviewStringKey, type WebviewStrings } from '../../src/shared/webviewStrings';

/** The bundle entry of a webview string: its English, "/", its key (the comment the host passes). */
export const bundleKey = (english: string, key: WebviewStringKey): string => `${english}/${key}`;

export function webviewStringsFrom(bundle: Record<string, string>): WebviewStrings {
  return localizeStrings((message, key) => bundle[bundleKey(message, key)] ?? message);
}

/** The dashboard's page as the host builds it for a window in `language`, with that language's tables. */
export function dashboardPage(strings: WebviewStrings, faults: FaultWording, language: string): string {
  return webviewHtml(
    'dashboard',
    {
      title: 'MNIST 학습',
      cspSource: 'https://x',
      commonCss: 'https://x/common.css',
      panelCss: 'https://x/dashboard.css',
      script: 'https://x/dashboard.js',
      strings,
      faults,
      language,
    },
    makeNonce(),
  );
}
