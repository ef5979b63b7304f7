// A table of words keyed by name, with English as the source: the panels' strings and the faults'
// templates are both such a table, translated by the host and read back by a panel from its page.

/** Every entry of `english` through `translate` (the host's vscode.l10n.t). */
export function translatedTable<K extends string>(
  english: Readonly<Record<K, string>>,
  translate: (text: string, key: K) => string,
): Record<K, string> {
  const table = { ...english } as Record<K, string>;
  for (const key of Object.keys(table) as K[]) table[key] = translate(english[key], key);
  return table;
}

/** `english` with every entry of `given` that is a string of a known key (a page's block is untrusted). */
export function completedTable<K extends string>(
  english: Readonly<Record<K, string>>,
  given: unknown,
): Record<K, string> {
  const table = { ...english } as Record<K, string>;
  if (typeof given !== 'object' || given === null) return table;
  for (const key of Object.keys(table) as K[]) {
    const value = (given as Record<string, unknown>)[key];
    if (typeof value === 'string') table[key] = value;
  }
  return table;
}
