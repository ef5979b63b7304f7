// The Korean bundle as the tests read it, and vscode.l10n.t as VS Code does it (`{0}`-style
// arguments), for English (the message itself) or Korean (the bundle's entry): one place for the
// unit tests that check what a host module says in each language.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const bundleKo = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'l10n', 'bundle.l10n.ko.json'), 'utf8'),
) as Record<string, string>;

/** `template` with `{0}`, `{1}`… filled from `args`. */
export const formatPositional = (template: string, args: readonly unknown[]): string =>
  template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));

export const englishL10n = { t: (message: string, ...args: unknown[]) => formatPositional(message, args) };
/** A message with no Korean entry stays English (the l10n test finds those). */
export const koreanL10n = {
  t: (message: string, ...args: unknown[]) => formatPositional(bundleKo[message] ?? message, args),
};
