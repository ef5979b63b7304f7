// The Python extension's environments API as Set Up Keras reads it: the shapes its documentation gives
// (getActiveEnvironmentPath → { id, path }; resolveEnvironment → { executable: { uri } }), and anything
// else another extension might hand over refused rather than trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { environmentsOf, executableOf } from '../../../src/extension/pythonExtension';

/** A Uri as VS Code makes one for a local file (the fields read here). */
const fileUri = (fsPath: string) => ({ scheme: 'file', path: fsPath, fsPath, toString: () => `file://${fsPath}` });

test('environmentsOf: the exports’ environments when both functions are there, else null', () => {
  const environments = {
    getActiveEnvironmentPath: () => ({ id: '/home/me/.venv/bin/python', path: '/home/me/.venv/bin/python' }),
    resolveEnvironment: async () => undefined,
    known: [],
  };
  assert.equal(environmentsOf({ ready: Promise.resolve(), environments }), environments);
  for (const exports of [
    undefined,
    null,
    'api',
    {},
    { environments: null },
    { environments: { getActiveEnvironmentPath: () => ({}) } },
    { environments: { getActiveEnvironmentPath: 'x', resolveEnvironment: async () => undefined } },
  ])
    assert.equal(environmentsOf(exports), null, JSON.stringify(exports));
});

test('executableOf: a resolved environment’s local interpreter', () => {
  assert.equal(
    executableOf({
      id: 'abc',
      path: '/home/me/.venv',
      executable: { uri: fileUri('/home/me/.venv/bin/python'), bitness: '64-bit', sysPrefix: '/home/me/.venv' },
      version: { major: 3, minor: 11, micro: 7 },
    }),
    '/home/me/.venv/bin/python',
  );
});

test('executableOf: none for an environment without Python, a remote one, or anything malformed', () => {
  for (const resolved of [
    undefined,
    null,
    {},
    { executable: { uri: undefined, sysPrefix: '/opt/conda/envs/empty' } },
    { executable: { uri: { scheme: 'vscode-remote', fsPath: '/usr/bin/python3' } } },
    { executable: { uri: { scheme: 'file', fsPath: '' } } },
    { executable: { uri: { scheme: 'file', fsPath: 42 } } },
    { executable: { uri: { scheme: 'file', fsPath: '/usr/bin/python3\0x' } } },
    { executable: '/usr/bin/python3' },
  ])
    assert.equal(executableOf(resolved), null, JSON.stringify(resolved));
});
