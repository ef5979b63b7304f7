// One lint block per runtime: vscode only in the host, tfjs only in the trainer, no node in webviews.
// The four parts (src/extension, src/trainer, src/webview, src/shared) may import only src/shared;
// shared imports no other part. Relative imports across parts are banned below, so the arrows in
// docs/architecture.md hold by construction.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noVscode = { name: 'vscode', message: 'Only src/extension may import vscode.' };
const noTfjs = { group: ['@tensorflow/*'], message: 'Only src/trainer may import tfjs.' };

/** A pattern banning relative imports (`../extension/x`, `../../trainer/x`) of the named parts. */
function noPartImports(parts, from, message = `${from} may import only src/shared (see docs/architecture.md).`) {
  return { regex: `^(\\.\\./)+(src/)?(${parts.join('|')})(/|$)`, message };
}

/** What every file of src/shared (src/shared/node included) may not import: tfjs and the other parts. */
function sharedPartRules(from) {
  return [
    noTfjs,
    noPartImports(
      ['extension', 'trainer', 'webview'],
      from,
      `${from} imports no other part (see docs/architecture.md).`,
    ),
  ];
}

/** A pattern banning imports of src/shared/node (Node I/O) from a pure or browser module. */
function sharedNodeImports(message) {
  return { regex: '^(\\./|(\\.\\./)+)((src/)?shared/)?node(/|$)', message };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.e2e/**', 'mnist-model/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='dataSync']",
          message:
            'dataSync blocks; read with data() off the hot path (or arraySync only outside loops, with a comment).',
        },
      ],
    },
  },
  { files: ['**/*.{js,mjs,cjs}', 'scripts/**', 'test/e2e/**'], languageOptions: { globals: { ...globals.node } } },
  {
    files: ['src/extension/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noTfjs, noPartImports(['trainer', 'webview'], 'src/extension')] },
      ],
    },
  },
  {
    files: ['src/trainer/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noVscode], patterns: [noPartImports(['extension', 'webview'], 'src/trainer')] },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            ...sharedPartRules('src/shared'),
            {
              group: ['node:*', 'fs', 'path', 'zlib', 'os', 'child_process', 'worker_threads'],
              message:
                'src/shared is pure: every runtime imports it, webviews included (Node I/O shared by the host and the CLI lives in src/shared/node).',
            },
            sharedNodeImports(
              'src/shared (outside src/shared/node) is pure: every runtime imports it, webviews included.',
            ),
          ],
        },
      ],
    },
  },
  {
    // Node I/O that both the host and the trainer/CLI use (the run-format reader): Node built-ins,
    // never vscode or tfjs, and nothing of the four parts but the rest of src/shared.
    files: ['src/shared/node/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [...sharedPartRules('src/shared/node')],
        },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            noTfjs,
            { group: ['node:*', 'fs', 'path', 'child_process'], message: 'Webviews run in a browser.' },
            noPartImports(['extension', 'trainer'], 'src/webview'),
            sharedNodeImports('Webviews run in a browser: src/shared/node is Node I/O.'),
          ],
        },
      ],
    },
  },
);
