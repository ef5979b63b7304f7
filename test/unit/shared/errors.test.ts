import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorLine, messageOf, oneLine } from '../../../src/shared/errors';

test('oneLine: control characters are written as escapes, so a message is always one line', () => {
  assert.equal(oneLine('/tmp/a\nerror: fake'), '/tmp/a\\nerror: fake');
  assert.equal(oneLine('x\r\ty'), 'x\\r\\ty');
  assert.equal(
    oneLine('red \u001b[31m bell \u0007 del \u007f nel \u0085 ls \u2028'),
    'red \\u001b[31m bell \\u0007 del \\u007f nel \\u0085 ls \\u2028',
  );
  assert.equal(oneLine('모델 폴더 — ok'), '모델 폴더 — ok', 'printable text, Korean included, is left alone');
});

test('messageOf / errorLine: the message of an Error, else the thing as text', () => {
  assert.equal(messageOf(new Error('boom')), 'boom');
  assert.equal(messageOf('plain'), 'plain');
  assert.equal(messageOf(42), '42');
  assert.equal(errorLine(new Error('two\nlines')), 'two\\nlines');
});
