// English and Korean stay complete: every manifest %key%, every vscode.l10n.t string in the host,
// every webview string (translated by the host under "<English>/<key>") and every fault's wording
// (the trainer's errors, translated by the host under their English template) has both languages,
// with the same placeholders, and the Korean uses the terms of the book's Korean edition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WEBVIEW_STRINGS_EN, type WebviewStringKey } from '../../../src/shared/webviewStrings';
import { FAULT_WORDING, type FaultKind } from '../../../src/shared/faults';
import { bundleKey, webviewStringsFrom } from '../../support/webviewBundle';

const root = join(__dirname, '..', '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, string>;

const manifestEn = readJson('package.nls.json');
const manifestKo = readJson('package.nls.ko.json');
const bundleKo = readJson('l10n/bundle.l10n.ko.json');
const webviewKeys = Object.keys(WEBVIEW_STRINGS_EN) as WebviewStringKey[];
/** The bundle's entries for the webview table, and the table the host makes from them. */
const webviewEntries = new Set(webviewKeys.map((k) => bundleKey(WEBVIEW_STRINGS_EN[k], k)));
const webviewKo = webviewStringsFrom(bundleKo);
const faultKinds = Object.keys(FAULT_WORDING) as FaultKind[];
/** The bundle's entries for the faults' wording: keyed by the English template. */
const faultEntries = new Set<string>(faultKinds.map((kind) => FAULT_WORDING[kind]));
/** The bundle's entries for the host's own l10n.t calls. */
const hostKo = Object.fromEntries(
  Object.entries(bundleKo).filter(([k]) => !webviewEntries.has(k) && !faultEntries.has(k)),
);

/** Keys in `a` missing from `b`. */
const missing = (a: object, b: object) => Object.keys(a).filter((k) => !(k in b));
const placeholders = (s: string) => [...s.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort();

/** The one call of l10n.t that takes no literal: the webview table's, each English string with its
 *  key as the comment (src/extension/webviewPanel.ts; its entries are checked by the webview tests). */
const WEBVIEW_TABLE_CALL = 'l10n.t({ message, comment: key })';
/** The other: the fault table's, each English template as the key (src/extension/faultText.ts). */
const FAULT_TABLE_CALL = 'l10n.t(english)';

/** Every string literal passed as the first argument of vscode.l10n.t in src/extension. */
function hostStrings(): Set<string> {
  const strings = new Set<string>();
  const dir = join(root, 'src', 'extension');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) strings.add(m[1].replace(/\\(.)/g, '$1'));
    assert.doesNotMatch(
      source.replaceAll(WEBVIEW_TABLE_CALL, '').replaceAll(FAULT_TABLE_CALL, ''),
      /l10n\.t\(\s*[^'\s]/,
      `${file}: l10n.t takes a string literal (so it can be checked)`,
    );
  }
  return strings;
}

test('manifest: every user-facing text in package.json is a %key%, not a literal in one language', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const literals: string[] = [];
  const userFacing = new Set(['title', 'description', 'markdownDescription', 'displayName', 'name', 'contents']);
  const visit = (value: unknown, where: string, key: string): void => {
    if (typeof value === 'string') {
      if (userFacing.has(key) && !/^%[^%]+%$/.test(value)) literals.push(`${where}: ${value.slice(0, 40)}`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${where}[${i}]`, key === 'enumDescriptions' ? 'description' : key));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, `${where}.${k}`, k);
    }
  };
  visit(manifest.contributes, 'contributes', 'contributes');
  assert.deepEqual(literals, []);
});

test('manifest: every %key% of package.json has English, and English and Korean have the same keys', () => {
  const manifest = readFileSync(join(root, 'package.json'), 'utf8');
  const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
  assert.deepEqual(
    [...used].filter((k) => !(k in manifestEn)),
    [],
    '%key% without an entry in package.nls.json',
  );
  assert.deepEqual(
    Object.keys(manifestEn).filter((k) => !used.has(k)),
    [],
    'package.nls.json entries no %key% uses',
  );
  assert.deepEqual(missing(manifestEn, manifestKo), [], 'in package.nls.json only');
  assert.deepEqual(missing(manifestKo, manifestEn), [], 'in package.nls.ko.json only');
});

test('host: every vscode.l10n.t string has a Korean entry, and the Korean bundle has no other', () => {
  const strings = hostStrings();
  assert.ok(strings.size > 30, `found ${strings.size} strings`);
  assert.deepEqual(
    [...strings].filter((s) => !(s in bundleKo)),
    [],
    'l10n.t strings missing from bundle.l10n.ko.json',
  );
  assert.deepEqual(
    Object.keys(hostKo).filter((s) => !strings.has(s)),
    [],
    'bundle.l10n.ko.json entries neither an l10n.t string, a webview string nor a fault uses',
  );
  const extension = join(root, 'src', 'extension');
  assert.ok(
    readdirSync(extension).some((f) => readFileSync(join(extension, f), 'utf8').includes(WEBVIEW_TABLE_CALL)),
    'the host fills the webview table with l10n.t',
  );
});

test("faults: every kind of the trainer's errors has a Korean wording, with the same {named} parameters", () => {
  assert.ok(faultKinds.length > 50, `found ${faultKinds.length} kinds`);
  assert.deepEqual(
    faultKinds.filter((kind) => !(FAULT_WORDING[kind] in bundleKo)),
    [],
    'fault kinds without a Korean entry (keyed by the English template) in bundle.l10n.ko.json',
  );
  for (const kind of faultKinds)
    assert.deepEqual(placeholders(bundleKo[FAULT_WORDING[kind]]), placeholders(FAULT_WORDING[kind]), kind);
  const extension = join(root, 'src', 'extension');
  assert.ok(
    readdirSync(extension).some((f) => readFileSync(join(extension, f), 'utf8').includes(FAULT_TABLE_CALL)),
    'the host words faults with l10n.t',
  );
});

test('webviews: every string of the English table has a Korean entry "<English>/<key>"', () => {
  assert.deepEqual(
    [...webviewEntries].filter((entry) => !(entry in bundleKo)),
    [],
    'webview strings missing from bundle.l10n.ko.json',
  );
});

test('placeholders {0}, {1}… are the same in both languages', () => {
  const pairs: [string, string, string][] = [
    ...Object.keys(manifestEn).map((k): [string, string, string] => [k, manifestEn[k], manifestKo[k] ?? '']),
    ...Object.keys(hostKo).map((k): [string, string, string] => [k, k, hostKo[k]]),
    ...webviewKeys.map((k): [string, string, string] => [k, WEBVIEW_STRINGS_EN[k], webviewKo[k]]),
    ...faultKinds.map((k): [string, string, string] => [k, FAULT_WORDING[k], bundleKo[FAULT_WORDING[k]] ?? '']),
  ];
  for (const [key, en, ko] of pairs) assert.deepEqual(placeholders(ko), placeholders(en), key);
  // Command links keep their targets.
  for (const key of Object.keys(manifestEn)) {
    const links = (s: string) => [...s.matchAll(/\(command:[^)]+\)/g)].map((m) => m[0]);
    assert.deepEqual(links(manifestKo[key]), links(manifestEn[key]), key);
  }
});

// The terms of the book's Korean edition: where the English says the word, the Korean says the term.
const GLOSSARY: [RegExp, string][] = [
  [/\btensors?\b/i, '텐서'],
  [/\brank\b/i, '랭크'],
  [/\bepochs?\b/i, '에포크'],
  [/\bloss\b/i, '손실'],
  [/\baccuracy\b/i, '정확도'],
  [/\bweights?\b/i, '가중치'],
  [/\bgradients?\b/i, '그래디언트'],
  [/\bbatch\b/i, '배치'],
];

test("Korean uses the book's terms (텐서, 랭크, 에포크, 손실, 정확도, 가중치, 그래디언트, 배치)", () => {
  const pairs: [string, string][] = [
    ...Object.keys(manifestEn).map((k): [string, string] => [manifestEn[k], manifestKo[k]]),
    ...Object.entries(hostKo),
    ...webviewKeys.map((k): [string, string] => [WEBVIEW_STRINGS_EN[k], webviewKo[k]]),
    ...faultKinds.map((k): [string, string] => [FAULT_WORDING[k], bundleKo[FAULT_WORDING[k]] ?? '']),
  ];
  const misses: string[] = [];
  for (const [en, ko] of pairs) {
    // Setting ids and code (tensorLens.epochs, `node`) are not prose; the edition says 경사 하강법
    // for "gradient descent".
    const prose = en.replace(
      /\(command:[^)]+\)|`[^`]*`|@tensorflow\/[\w-]+|tensorLens\.\w+|Tensor Lens|gradient descent/g,
      '',
    );
    for (const [word, term] of GLOSSARY) if (word.test(prose) && !ko.includes(term)) misses.push(`${term}: ${en}`);
  }
  assert.deepEqual(misses, []);
});

test("the host fills a panel's table from the display language's bundle; English where it has no entry", () => {
  assert.equal(webviewKo['dashboard.everyEpoch'], '에포크마다: 훈련과 검증');
  assert.equal(webviewKo['dashboard.weights'], '가중치');
  assert.equal(webviewKo['dashboard.train'], '학습');
  assert.deepEqual(webviewStringsFrom({}), WEBVIEW_STRINGS_EN);
});

/** Host strings that start with "MNIST" as a name, not as a voice: the panels' titles and the tree's dataset label. */
const MNIST_AS_NAME = new Set(['MNIST Training', 'MNIST Samples', 'MNIST Runs', 'MNIST could not be read']);

test('one product voice: no host message starts with "MNIST" except to name a command ("MNIST: Train Model") or a panel', () => {
  const commands = Object.entries(manifestEn)
    .filter(([key]) => /^tensorLens\.\w+\.title$/.test(key))
    .map(([, title]) => `${manifestEn.category}: ${title}`);
  assert.ok(commands.includes('MNIST: Train Model'), commands.join(', '));
  const offVoice = [...hostStrings()].filter(
    (s) => /^MNIST\b/.test(s) && !MNIST_AS_NAME.has(s) && !commands.some((command) => s.startsWith(command)),
  );
  assert.deepEqual(offVoice, [], 'messages, notifications and the status bar speak as "Tensor Lens: …"');
});

/** Every .ts file under `dir`, recursively. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourcesUnder(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

test('webviews: no English literal goes straight into a text, a title or a screen reader label', () => {
  const assigned = /(textContent|title|placeholder|alt|'aria-label')\s*[:=]\s*(['`])(.*)/;
  // A quoted text, or a template whose own text (interpolations left out) has a word in it.
  const literal = {
    test(line: string): boolean {
      const m = assigned.exec(line);
      if (!m) return false;
      const text = m[3].replace(/\$\{[^}]*\}/g, '').split(m[2])[0];
      return /[A-Za-z]{2,}/.test(text);
    },
  };
  const webview = join(root, 'src', 'webview');
  const found = sourcesUnder(webview).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => [`${file.slice(webview.length + 1)}:${i + 1}: ${line.trim()}`, line] as const)
      .filter(([, line]) => literal.test(line))
      .map(([where]) => where),
  );
  assert.deepEqual(found, [], 'put the words in src/shared/webviewStrings.ts and use t(key)');
});
