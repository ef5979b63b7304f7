// The host's reading of the native installer's progress lines, and how it starts the trainer so that
// the installed engine is within reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delimiter } from 'node:path';
import { NATIVE_DIR_ENV } from '../../../src/shared/nativeEngine';
import { parseSetupLine, withInstalledEngine } from '../../../src/extension/nativeInstaller';

test('parseSetupLine: the installer’s messages, in protocol 1', () => {
  assert.deepEqual(parseSetupLine('{"protocol":1,"type":"step","step":"tfjsNode","phase":"start"}'), {
    type: 'step',
    step: 'tfjsNode',
    phase: 'start',
  });
  assert.deepEqual(
    parseSetupLine(
      '{"protocol":1,"type":"step","step":"check","phase":"done","outcome":"backend tensorflow","seconds":1.8}',
    ),
    { type: 'step', step: 'check', phase: 'done', outcome: 'backend tensorflow', seconds: 1.8 },
  );
  assert.deepEqual(parseSetupLine('{"protocol":1,"type":"installed","folder":"/s/native","seconds":35.6}'), {
    type: 'installed',
    folder: '/s/native',
    seconds: 35.6,
  });
  assert.deepEqual(parseSetupLine('{"protocol":1,"type":"failed","fault":"npm","message":"npm is missing"}'), {
    type: 'failed',
    fault: 'npm',
    message: 'npm is missing',
  });
});

test('parseSetupLine: a fault it does not know is `other`, its line kept', () => {
  assert.deepEqual(parseSetupLine('{"protocol":1,"type":"failed","fault":"gremlins","message":"odd"}'), {
    type: 'failed',
    fault: 'other',
    message: 'odd',
  });
});

test('parseSetupLine: anything else is not a message (logged by the caller, never obeyed)', () => {
  for (const line of [
    '',
    'npm warn deprecated rimraf@2.7.1',
    '{"protocol":2,"type":"installed","folder":"/s","seconds":1}',
    '{"type":"installed","folder":"/s","seconds":1}',
    '{"protocol":1,"type":"step","step":"rm -rf","phase":"start"}',
    '{"protocol":1,"type":"step","step":"check","phase":"done","seconds":1}',
    '{"protocol":1,"type":"step","step":"check","phase":"done","outcome":"x","seconds":-1}',
    '{"protocol":1,"type":"installed","folder":7,"seconds":1}',
    '{"protocol":1,"type":"failed","fault":"npm"}',
    `{"protocol":1,"type":"failed","fault":"npm","message":"${'x'.repeat(5000)}"}`,
    '{"protocol":1,"type":"exec","command":"sh"}',
    '[1]',
    'null',
  ]) {
    assert.equal(parseSetupLine(line), null, line);
  }
});

test('withInstalledEngine: names the folder, and puts the extension’s node_modules first on NODE_PATH (keeping the rest)', () => {
  const launch = { execPath: '/usr/bin/node', env: { PATH: '/usr/bin', NODE_PATH: `/a${delimiter}/b` } };
  const started = withInstalledEngine(launch, '/storage/native', '/ext/node_modules');
  assert.deepEqual(started, {
    execPath: '/usr/bin/node',
    env: {
      PATH: '/usr/bin',
      NODE_PATH: ['/ext/node_modules', '/a', '/b'].join(delimiter),
      [NATIVE_DIR_ENV]: '/storage/native',
    },
  });
  assert.equal(launch.env.NODE_PATH, `/a${delimiter}/b`, 'the launch it was given is unchanged');
  assert.equal(withInstalledEngine({ execPath: 'n', env: {} }, '/s', '/m').env.NODE_PATH, '/m');
});
