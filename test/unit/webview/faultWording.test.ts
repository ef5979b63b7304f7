// A panel words the trainer's faults with the table the host put in its page: Korean in a Korean
// window (the same bundle entries the host's notifications use), English without the block.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAULT_WORDING, describeFault, localizeFaults } from '../../../src/shared/faults';
import { faultText } from '../../../src/webview/common/strings';
import { installDom } from './dom';
import { dashboardPage, webviewStringsFrom } from '../../support/webviewBundle';

import { bundleKo } from '../../support/l10nBundles';

test("a panel words the trainer's faults in the page's language, with the fault's parameters", () => {
  const window = installDom();
  window.document.write(
    dashboardPage(
      webviewStringsFrom(bundleKo),
      localizeFaults((english) => bundleKo[english] ?? english),
      'ko',
    ),
  );
  const busy = { kind: 'busyStartingRun' } as const;
  assert.equal(faultText(busy), '학습 중: 실행이 끝나거나 멈출 때까지 다른 실행을 시작할 수 없습니다');
  assert.notEqual(faultText(busy), describeFault(busy));
  assert.equal(
    faultText({ kind: 'imageNotFound', file: '/photos/seven.png' }),
    '/photos/seven.png: 파일을 찾을 수 없습니다',
  );
  // A parameter is text from a file: it stays one line in any language.
  assert.equal(faultText({ kind: 'modelFolderMissing', file: 'a\nb' }), 'a\\nb: 그런 모델 폴더가 없습니다');
  // An unexpected error is its own message, as it came.
  assert.equal(faultText({ kind: 'other', message: 'tfjs: out of memory' }), 'tfjs: out of memory');
  assert.equal(FAULT_WORDING.busyStartingRun, describeFault(busy));
});
