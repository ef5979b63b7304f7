// A panel reads its words from the page the host built: with the host's Korean table in the page,
// the dashboard's layout and the prediction's steps strip are Korean; a page without the block (or a broken one) reads English.
import { FAULT_WORDING } from '../../../src/shared/faults';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dashboardLayout } from '../../../src/webview/dashboard/layout';
import { renderSteps } from '../../../src/webview/prediction/steps';
import { backendText, progressInfo } from '../../../src/webview/dashboard/progress';
import { applyEvent, initialRunState } from '../../../src/shared/runState';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/protocol';
import { installDom } from './dom';
import { dashboardPage, webviewStringsFrom } from '../../support/webviewBundle';
import { bundleKo } from '../../support/l10nBundles';

test('the dashboard and the prediction steps show the Korean table the host put in its page', () => {
  const window = installDom();
  const html = dashboardPage(webviewStringsFrom(bundleKo), FAULT_WORDING, 'ko');
  window.document.write(html);
  const layout = dashboardLayout(0.6).root;
  const text = (id: string) => layout.querySelector(`#${id}`)?.textContent?.trim();
  assert.equal(text('epochs-title'), '에포크마다: 훈련과 검증');
  assert.equal(text('batches-title'), '배치마다');
  assert.equal(text('histograms-title'), '가중치');
  assert.equal(text('evaluation-title'), '테스트 세트');
  assert.equal(layout.querySelector('#train-button')?.getAttribute('aria-label'), '모델 학습');
  // The charts' names for screen readers too.
  const aria = (id: string) => layout.querySelector(`#${id}`)?.getAttribute('aria-label');
  assert.equal(aria('loss-chart'), '배치마다의 손실');
  assert.equal(aria('accuracy-chart'), '배치마다의 정확도');
  assert.equal(aria('epoch-loss-chart'), '에포크마다의 손실, 훈련과 검증');

  const strip = window.document.createElement('div') as unknown as HTMLElement;
  const names = ['original', 'paper', 'normalised', 'ink', 'lines', 'digit', 'input'] as const;
  renderSteps(
    strip,
    names.map((name) => ({ name, width: 1, height: 1, channels: 1, pixels: Uint8Array.from([0]) })),
  );
  assert.deepEqual(
    [...strip.querySelectorAll('figcaption')].map((c) => c.textContent),
    ['원본 그림', '찾은 종이', '조명 고르게', '잉크 찾기', '접힌 선 지우기', '남긴 숫자', '28×28 입력'],
  );

  // The progress line under the dashboard's bar, while training and after.
  let state = applyEvent(initialRunState(), { type: 'backend', backend: 'wasm', detail: 'wasm (SIMD)' });
  state = applyEvent(state, {
    type: 'trainStart',
    config: { ...DEFAULT_TRAIN_CONFIG, epochs: 5 },
    threads: 2,
    trainSamples: 60000,
    valSamples: 0,
    batchesPerEpoch: 469,
  });
  state = applyEvent(state, {
    type: 'batches',
    points: [{ epoch: 1, batch: 9, step: 10, loss: 0.5, accuracy: 0.8 }],
    samplesPerSecond: 10000,
  });
  assert.match(progressInfo(state).text, /^에포크 1\/5, 배치 10\/2,345, 약 .+ 남음$/);
  assert.equal(backendText(state), 'wasm, 스레드 2개');
  state = applyEvent(state, {
    type: 'trainEnd',
    reason: 'stopped',
    epochsCompleted: 1,
    seconds: 4,
    samplesPerSecond: 10000,
  });
  assert.match(progressInfo(state).text, /^중지됨 — .+, 에포크 1개$/);
});
