// The webview table as the host fills it from a language's bundle, without VS Code: what
// vscode.l10n.t({ message, comment }) returns with that bundle loaded. VS Code's
// ExtHostLocalizationService.getMessage looks up "<message>/<comment>" and falls back to the message.
import { localizeStrings, type WebviewStringKey, type WebviewStrings } from '../../src/shared/webviewStrings';

/** The bundle entry of a webview string: its English, "/", its key (the comment the host passes). */
export const bundleKey = (english: string, key: WebviewStringKey): string => `${english}/${key}`;

export function webviewStringsFrom(bundle: Record<string, string>): WebviewStrings {
  return localizeStrings((message, key) => bundle[bundleKey(message, key)] ?? message);
}
