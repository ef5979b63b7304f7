// The inspector restored after a reload on a tensor that is gone (a step's gradient lived only in the
// trainer the reload ended) says so, instead of waiting for it for ever.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { readHostMessage } from '../../../src/webview/common/hostMessages';
import { TensorView } from '../../../src/webview/tensor/tensorView';
import { installDom } from './dom';

let window: ReturnType<typeof installDom>;

before(() => {
  window = installDom();
  Object.assign(globalThis, {
    acquireVsCodeApi: () => ({ postMessage() {}, getState: () => undefined, setState() {} }),
    getComputedStyle: (element: Element) => window.getComputedStyle(element as never),
    MutationObserver: window.MutationObserver,
  });
});

test('tensorUnavailable is read only with its name and reason', () => {
  const message = { type: 'tensorUnavailable', name: 'gradient/dense/kernel', reason: 'unknown tensor' };
  assert.equal(readHostMessage(message), message);
  assert.equal(readHostMessage({ type: 'tensorUnavailable', name: 'gradient/dense/kernel' }), null);
  assert.equal(readHostMessage({ type: 'tensorUnavailable', name: 7, reason: 'x' }), null);
});

test('the inspector names the tensor it cannot show again, and why, instead of waiting', () => {
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  new TensorView(root);
  const title = () => document.getElementById('tensor-title')?.textContent;
  assert.equal(title(), 'Waiting for a tensor…');
  const reason = 'unknown tensor "gradient/dense/kernel": the model has dense/kernel, dense/bias';
  window.dispatchEvent(
    new window.MessageEvent('message', { data: { type: 'tensorUnavailable', name: 'gradient/dense/kernel', reason } }),
  );
  assert.equal(title(), 'gradient/dense/kernel cannot be shown again');
  assert.equal(document.getElementById('tensor-stats')?.textContent, reason);
});
