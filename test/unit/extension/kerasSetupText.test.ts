// What Set Up Keras says, read in English and in Korean through the real bundle: every fault is one
// line that names the interpreter (or pip's line) and what to do, the outcomes say which interpreter got
// which versions and the line to add, and a hostile interpreter path cannot make a second line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KerasSetupFault, KerasSetupStep } from '../../../src/extension/kerasSetup';
import {
  IMPORT_LINE,
  kerasSetupFaultText,
  kerasSetupOutcomeText,
  kerasSetupStepText,
} from '../../../src/extension/kerasSetupText';
import { bundleKo, formatPositional as format } from '../../support/l10nBundles';

/** vscode.l10n.t as VS Code does it, for English (the message) or Korean (the bundle's entry). */
function l10n(language: 'en' | 'ko') {
  const missing: string[] = [];
  return {
    missing,
    t: ((message: string, ...args: unknown[]) => {
      if (language === 'en') return format(message, args);
      if (!(message in bundleKo)) missing.push(message);
      return format(bundleKo[message] ?? message, args);
    }) as (message: string, ...args: unknown[]) => string,
  };
}

const PY = '/home/me/.venv/bin/python';
/** One of every fault (the Record makes a new kind fail to compile here until it is added). */
const FAULTS: Record<KerasSetupFault['kind'], KerasSetupFault> = {
  noInterpreter: { kind: 'noInterpreter', python: PY, reason: 'ENOENT' },
  notPython: { kind: 'notPython', python: PY, said: 'pyenv: python3.9: command not found' },
  tooOld: { kind: 'tooOld', python: PY, version: '3.9.18' },
  noPip: { kind: 'noPip', python: PY },
  keras2: { kind: 'keras2', python: PY, keras: '2.15.0' },
  externallyManaged: { kind: 'externallyManaged', python: PY },
  network: { kind: 'network', python: PY, line: 'ERROR: No matching distribution found for hatchling>=1.27' },
  pip: { kind: 'pip', python: PY, code: 2, line: 'ERROR: Could not install packages due to an OSError' },
  notFound: { kind: 'notFound', python: PY, line: "ModuleNotFoundError: No module named 'tensorlens'" },
};

/** What each fault's line must carry besides the words: the interpreter, versions, codes, pip's line. */
const CARRIES: Record<KerasSetupFault['kind'], string[]> = {
  noInterpreter: [PY, 'ENOENT', 'Python: Select Interpreter'],
  notPython: [PY, 'pyenv: python3.9: command not found'],
  tooOld: [PY, '3.9.18', '3.10'],
  noPip: [PY, 'No module named pip', 'python -m ensurepip'],
  keras2: [PY, '2.15.0', 'pip install -U keras'],
  externallyManaged: [PY, 'externally-managed-environment', 'python3 -m venv .venv'],
  network: ['PyPI', 'hatchling', 'ERROR: No matching distribution found for hatchling>=1.27', 'PIP_INDEX_URL'],
  pip: [PY, '2', 'ERROR: Could not install packages due to an OSError'],
  notFound: [PY, "ModuleNotFoundError: No module named 'tensorlens'"],
};

test('every fault: one line in English and in Korean, carrying the interpreter, the details and what to do', () => {
  for (const language of ['en', 'ko'] as const) {
    const t = l10n(language);
    for (const [kind, fault] of Object.entries(FAULTS) as [KerasSetupFault['kind'], KerasSetupFault][]) {
      const line = kerasSetupFaultText(t, fault);
      assert.doesNotMatch(line, /\n/, `${language} ${kind}`);
      for (const part of CARRIES[kind]) assert.ok(line.includes(part), `${language} ${kind}: "${part}" in "${line}"`);
      if (language === 'ko') assert.match(line, /[가-힣]/, `${kind}: "${line}"`);
    }
    assert.deepEqual(t.missing, [], 'Korean entries');
  }
});

test('the English lines, word for word for the common faults', () => {
  const t = l10n('en');
  assert.equal(
    kerasSetupFaultText(t, FAULTS.noPip),
    `pip is missing in ${PY} (No module named pip). Install it (python -m ensurepip, or apt-get install python3-pip), then try again.`,
  );
  assert.equal(
    kerasSetupFaultText(t, FAULTS.tooOld),
    `${PY} is Python 3.9.18; the tensorlens package needs Python 3.10 or newer. Pick a newer interpreter, then try again.`,
  );
  assert.equal(
    kerasSetupFaultText(t, FAULTS.pip),
    `pip failed in ${PY} (exit code 2): ERROR: Could not install packages due to an OSError. The log has pip’s full output.`,
  );
  assert.equal(
    kerasSetupFaultText(t, { kind: 'notPython', python: PY, said: '' }),
    `${PY} did not answer as a Python interpreter does.`,
  );
});

test('the Korean lines, word for word for two faults', () => {
  const t = l10n('ko');
  assert.equal(
    kerasSetupFaultText(t, FAULTS.noPip),
    `${PY}에 pip이 없습니다(No module named pip). pip을 설치한 뒤(python -m ensurepip 또는 apt-get install python3-pip) 다시 시도하세요.`,
  );
  assert.equal(
    kerasSetupFaultText(t, FAULTS.tooOld),
    `${PY}은(는) 파이썬 3.9.18입니다. tensorlens 패키지에는 파이썬 3.10 이상이 필요합니다. 더 새로운 인터프리터를 고른 뒤 다시 시도하세요.`,
  );
});

test('the outcomes: which interpreter got which versions and the line to add; a failure wrapped once; both languages', () => {
  for (const language of ['en', 'ko'] as const) {
    const t = l10n(language);
    const installed = kerasSetupOutcomeText(t, {
      kind: 'installed',
      python: PY,
      tensorlens: '0.1.0',
      keras: '3.15.1',
      backend: 'jax',
    });
    assert.equal(installed.level, 'info');
    for (const part of [PY, '0.1.0', '3.15.1', 'jax', IMPORT_LINE, 'callbacks=[TensorLens()]'])
      assert.ok(installed.text.includes(part), `${language}: "${part}" in "${installed.text}"`);
    const noBackend = kerasSetupOutcomeText(t, {
      kind: 'noBackend',
      python: PY,
      tensorlens: '0.1.0',
      keras: '3.15.1',
      line: "ModuleNotFoundError: No module named 'tensorflow'",
    });
    assert.equal(noBackend.level, 'warning');
    for (const part of [PY, '3.15.1', "No module named 'tensorflow'", 'pip install tensorflow'])
      assert.ok(noBackend.text.includes(part), `${language}: "${part}" in "${noBackend.text}"`);
    const failed = kerasSetupOutcomeText(t, { kind: 'failed', fault: FAULTS.keras2 });
    assert.equal(failed.level, 'error');
    assert.equal(failed.text, t.t('Tensor Lens: Keras was not set up: {0}', kerasSetupFaultText(t, FAULTS.keras2)));
    for (const step of ['probe', 'pip', 'check'] satisfies KerasSetupStep[])
      assert.ok(kerasSetupStepText(t, step).length > 0);
    assert.deepEqual(t.missing, [], 'Korean entries');
  }
  assert.equal(
    kerasSetupOutcomeText(l10n('en'), {
      kind: 'installed',
      python: PY,
      tensorlens: '0.1.0',
      keras: '3.15.1',
      backend: 'jax',
    }).text,
    `Tensor Lens: ${PY} has tensorlens 0.1.0 with Keras 3.15.1 (jax backend). Add from tensorlens import TensorLens to your program and callbacks=[TensorLens()] to model.fit.`,
  );
});

test('an interpreter path with a newline (from a workspace) stays one line', () => {
  const python = '/tmp/evil\nERROR: fake second line/python';
  const { text } = kerasSetupOutcomeText(l10n('en'), { kind: 'failed', fault: { kind: 'noPip', python } });
  assert.doesNotMatch(text, /\n/);
  assert.ok(text.includes('/tmp/evil\\nERROR: fake second line/python'), text);
});
