// Set Up Keras' reading of what an interpreter and pip say (the real runs are in
// test/integration/extension/kerasSetup.test.ts and test/python/setupKeras.test.ts): the probe's and the
// check's marked lines, checked field by field; pip's failures sorted by pip's own words; the Python
// version it asks for, kept equal to python/pyproject.toml's; the interpreters found on PATH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIN_PYTHON, parseCheck, parseProbe, pipFault, pythonsOnPath } from '../../../src/extension/kerasSetup';
import { tempDir } from '../../support/tempDir';

const root = path.resolve(__dirname, '../../..');

test('MIN_PYTHON is python/pyproject.toml’s requires-python', () => {
  const pyproject = fs.readFileSync(path.join(root, 'python', 'pyproject.toml'), 'utf8');
  assert.equal(/^requires-python = "(.*)"$/m.exec(pyproject)?.[1], `>=${MIN_PYTHON.major}.${MIN_PYTHON.minor}`);
});

test('parseProbe: the marked line, wherever it is among the others', () => {
  assert.deepEqual(
    parseProbe(['a warning first', 'tensorlens-probe {"version": [3, 11, 7], "pip": true, "keras": "3.15.1"}']),
    { version: [3, 11, 7], pip: true, keras: '3.15.1' },
  );
  assert.deepEqual(parseProbe(['tensorlens-probe {"version": [3, 12, 1], "pip": false, "keras": null}']), {
    version: [3, 12, 1],
    pip: false,
    keras: null,
  });
  // Python before 3.8 says only its version.
  assert.deepEqual(parseProbe(['tensorlens-probe {"version": [2, 7, 18]}']), {
    version: [2, 7, 18],
    pip: false,
    keras: null,
  });
});

test('parseProbe: anything else is no answer (a program that is not Python, or one that lies badly)', () => {
  for (const lines of [
    [],
    ['pyenv: python3.9: command not found'],
    ['tensorlens-probe not json'],
    ['tensorlens-probe [3, 11, 7]'],
    ['tensorlens-probe {"version": "3.11"}'],
    ['tensorlens-probe {"version": [3, 11]}'],
    ['tensorlens-probe {"version": [3, 11, -1], "pip": true, "keras": null}'],
    ['tensorlens-probe {"version": [3, 11, 7], "pip": "yes", "keras": null}'],
    ['tensorlens-probe {"version": [3, 11, 7], "pip": true}'],
    ['tensorlens-probe {"version": [3, 11, 7], "pip": true, "keras": "3; rm -rf /"}'],
    [`tensorlens-probe {"version": [3, 11, 7], "pip": true, "keras": "${'9'.repeat(100)}"}`],
    [' tensorlens-probe {"version": [3, 11, 7], "pip": true, "keras": null}'],
  ])
    assert.equal(parseProbe(lines), null, JSON.stringify(lines));
});

test('parseCheck: the versions with the backend, or with why Keras did not start (one bounded line)', () => {
  assert.deepEqual(parseCheck(['tensorlens-check {"tensorlens": "0.1.0", "keras": "3.15.1", "backend": "jax"}']), {
    tensorlens: '0.1.0',
    keras: '3.15.1',
    backend: 'jax',
    error: '',
  });
  const error = `ModuleNotFoundError: No module named 'tensorflow'\n${'x'.repeat(1000)}`;
  const parsed = parseCheck([`tensorlens-check ${JSON.stringify({ tensorlens: '0.1.0', keras: '3.15.1', error })}`]);
  assert.equal(parsed?.backend, null);
  assert.match(parsed?.error ?? '', /^ModuleNotFoundError: No module named 'tensorflow'\\nxxx/);
  assert.ok((parsed?.error.length ?? 0) <= 400);
  assert.equal(parseCheck(['tensorlens-check {"tensorlens": "0.1.0", "keras": "3.15.1"}']), null);
  assert.equal(parseCheck(['tensorlens-check {"keras": "3.15.1", "backend": "jax"}']), null);
});

const exited = { code: 1, signal: null };

test('pipFault: PyPI out of reach, as pip 23 says it (build dependencies first), is network with pip’s line', () => {
  const output = [
    'Processing /ext/python',
    "  Installing build dependencies: finished with status 'error'",
    '  error: subprocess-exited-with-error',
    '  × pip subprocess to install build dependencies did not run successfully.',
    '      ERROR: Could not find a version that satisfies the requirement hatchling>=1.27 (from versions: none)',
    '      ERROR: No matching distribution found for hatchling>=1.27',
    'error: subprocess-exited-with-error',
    'note: This error originates from a subprocess, and is likely not a problem with pip.',
  ];
  assert.deepEqual(pipFault('/v/bin/python', exited, output), {
    kind: 'network',
    python: '/v/bin/python',
    line: 'ERROR: No matching distribution found for hatchling>=1.27',
  });
  // With retries, urllib3's warning comes first; the same fault.
  const retried = [
    "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/numpy/",
    'ERROR: Could not find a version that satisfies the requirement numpy (from versions: none)',
    'ERROR: No matching distribution found for numpy',
  ];
  assert.deepEqual(pipFault('p', exited, retried), {
    kind: 'network',
    python: 'p',
    line: 'ERROR: No matching distribution found for numpy',
  });
});

test('pipFault: a system Python that refuses pip (PEP 668), pip missing, and any other failure with its last error line', () => {
  const managed = [
    'error: externally-managed-environment',
    '',
    '× This environment is externally managed',
    '╰─> To install Python packages system-wide, try apt install',
    '    python3-xyz, where xyz is the package you are trying to',
  ];
  assert.deepEqual(pipFault('/usr/bin/python3', exited, managed), {
    kind: 'externallyManaged',
    python: '/usr/bin/python3',
  });
  assert.deepEqual(pipFault('p', exited, ['/usr/bin/python3: No module named pip']), { kind: 'noPip', python: 'p' });
  assert.deepEqual(
    pipFault('p', exited, [
      'ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device',
      'note: This error originates from a subprocess',
    ]),
    {
      kind: 'pip',
      python: 'p',
      code: 1,
      line: 'ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device',
    },
  );
  assert.deepEqual(pipFault('p', { code: null, signal: 'SIGKILL' }, []), {
    kind: 'pip',
    python: 'p',
    code: null,
    line: 'pip was killed by SIGKILL',
  });
});

test('pythonsOnPath: python3 then python, executable files only, each file once, in PATH’s order', () => {
  const a = tempDir('path-a');
  const b = tempDir('path-b');
  const real = path.join(a, 'python3');
  fs.writeFileSync(real, '#!/bin/sh\n', { mode: 0o755 });
  fs.symlinkSync(real, path.join(a, 'python')); // the same file again
  fs.writeFileSync(path.join(b, 'python3'), '', { mode: 0o644 }); // not executable
  fs.mkdirSync(path.join(b, 'python')); // a folder
  const c = tempDir('path-c');
  fs.writeFileSync(path.join(c, 'python'), '#!/bin/sh\n', { mode: 0o755 });
  assert.deepEqual(pythonsOnPath({ PATH: [b, a, '', '/nonexistent', c].join(path.delimiter) }), [
    { path: real, target: fs.realpathSync(real) },
    { path: path.join(c, 'python'), target: fs.realpathSync(path.join(c, 'python')) },
  ]);
  assert.deepEqual(pythonsOnPath({}), []);
});
