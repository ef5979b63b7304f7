// One lint block per runtime: vscode only in the host, tfjs only in the trainer, no node in webviews.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noVscode = { name: 'vscode', message: 'Only src/extension may import vscode.' };
const noTfjs = { group: ['@tensorflow/*'], message: 'Only src/trainer may import tfjs.' };

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
    rules: { 'no-restricted-imports': ['error', { patterns: [noTfjs] }] },
  },
  {
    files: ['src/trainer/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noTfjs] }] },
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
          ],
        },
      ],
    },
  },
);
