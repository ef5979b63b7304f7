// A panel's saved state, as VS Code hands it back after a reload: what the webview saved is read back
// as it was; anything else (it comes from the webview) is refused with one line, never thrown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOWN_LIMITS, parsePanelState } from '../../../src/shared/panelState';

const RUN_A = 'run-1764900000000-0a1b2c3d';
const RUN_B = 'run-1764900100000-ffffffff';
/** A Keras run's id: its folder's name under .tensorlens/runs/ (docs/run-format.md §1). */
const KERAS_RUN = '20261206T050431Z-dense-tf-2df595';

test('what each webview saves is read back as it was, beside the view state the host ignores', () => {
  const saved = (shows: unknown) => ({ cursor: [3, 4], scrollY: 120, shows });
  const kerasKernel = { source: 'keras', runId: '20261206T050445Z-conv-jax-2f9aa9', name: 'sequential/conv2d/kernel' };
  assert.deepEqual(parsePanelState('tensor', saved({ tensor: kerasKernel, sliceIndex: 0 })), {
    ok: true,
    shows: { tensor: kerasKernel, sliceIndex: 0 },
  });
  assert.deepEqual(
    parsePanelState('tensor', saved({ tensor: { source: 'tensorLens', name: 'train/images' }, sliceIndex: 59_999 })),
    { ok: true, shows: { tensor: { source: 'tensorLens', name: 'train/images' }, sliceIndex: 59_999 } },
  );
  // What an inspector saved before it could show Keras weights: one of Tensor Lens' own.
  assert.deepEqual(parsePanelState('tensor', saved({ name: 'dense/kernel', sliceIndex: null })), {
    ok: true,
    shows: { tensor: { source: 'tensorLens', name: 'dense/kernel' }, sliceIndex: null },
  });
  assert.deepEqual(parsePanelState('prediction', saved({ file: '/home/me/digits/seven.png' })), {
    ok: true,
    shows: { file: '/home/me/digits/seven.png' },
  });
  assert.deepEqual(parsePanelState('prediction', saved({ file: 'C:\\Users\\me\\seven.jpg' })), {
    ok: true,
    shows: { file: 'C:\\Users\\me\\seven.jpg' },
  });
  assert.deepEqual(parsePanelState('runs', saved({ ids: [RUN_A, RUN_B], keras: [KERAS_RUN] })), {
    ok: true,
    shows: { ids: [RUN_A, RUN_B], keras: [KERAS_RUN] },
  });
  // Saved before Keras runs were: none.
  assert.deepEqual(parsePanelState('runs', saved({ ids: [RUN_A] })), { ok: true, shows: { ids: [RUN_A], keras: [] } });
  assert.deepEqual(parsePanelState('mistake', saved({ index: 8 })), { ok: true, shows: { index: 8 } });
  // Through JSON, as VS Code stores it.
  const stored: unknown = JSON.parse(JSON.stringify(saved({ index: 9999 })));
  assert.deepEqual(parsePanelState('mistake', stored), { ok: true, shows: { index: 9999 } });
});

test('nothing saved (a panel that never got content, or a page older than `shows`) opens empty, without a fault', () => {
  for (const kind of ['dashboard', 'tensor', 'dataset', 'prediction', 'runs', 'draw', 'mistake'] as const) {
    assert.deepEqual(parsePanelState(kind, undefined), { ok: true, shows: null }, kind);
    assert.deepEqual(parsePanelState(kind, null), { ok: true, shows: null }, kind);
    assert.deepEqual(parsePanelState(kind, { scrollTop: 40 }), { ok: true, shows: null }, kind);
  }
  // The kinds the host fills from its own state read nothing of `shows`.
  assert.deepEqual(parsePanelState('dashboard', { shows: { name: 'x' } }), { ok: true, shows: null });
});

test('a state the webview could not have saved is refused with one line that says what is wrong', () => {
  const refused: [Parameters<typeof parsePanelState>[0], unknown, RegExp][] = [
    ['tensor', 'dense/kernel', /state is not an object/],
    ['tensor', [1, 2], /state is not an object/],
    ['tensor', { shows: 'dense/kernel' }, /shows is not an object/],
    ['tensor', { shows: null }, /shows is not an object/],
    ['tensor', { shows: { name: 7, sliceIndex: null } }, /name must be a text/],
    ['tensor', { shows: { name: '', sliceIndex: null } }, /name must be a text/],
    ['tensor', { shows: { name: 'x'.repeat(SHOWN_LIMITS.textLength + 1), sliceIndex: null } }, /name must be/],
    ['tensor', { shows: { name: 'train/images' } }, /sliceIndex must be an integer/],
    ['tensor', { shows: { name: 'train/images', sliceIndex: 1.5 } }, /sliceIndex must be an integer/],
    ['tensor', { shows: { name: 'train/images', sliceIndex: -1 } }, /sliceIndex must be an integer/],
    ['tensor', { shows: { tensor: { source: 'keras', name: 'k' }, sliceIndex: null } }, /tensor must name/],
    ['tensor', { shows: { tensor: { source: 'keras', runId: '..', name: 'k' }, sliceIndex: 0 } }, /tensor must name/],
    ['tensor', { shows: { tensor: 'dense/kernel', sliceIndex: null } }, /tensor must name/],
    ['prediction', { shows: { file: 'seven.png' } }, /file must be an absolute path/],
    ['prediction', { shows: { file: { path: '/x.png' } } }, /file must be a text/],
    ['runs', { shows: { ids: RUN_A } }, /ids must be a list/],
    ['runs', { shows: { ids: [RUN_A, '../../../etc/passwd'] } }, /ids must be run ids/],
    ['runs', { shows: { ids: Array(SHOWN_LIMITS.runs + 1).fill(RUN_A) } }, /at most 1000/],
    ['runs', { shows: { ids: [], keras: KERAS_RUN } }, /keras must be a list/],
    ['runs', { shows: { ids: [], keras: Array(SHOWN_LIMITS.runs + 1).fill(KERAS_RUN) } }, /keras must be a list/],
    ['runs', { shows: { ids: [], keras: ['..'] } }, /keras must be Keras run ids/],
    ['runs', { shows: { ids: [], keras: ['a/../../b'] } }, /keras must be Keras run ids/],
    ['runs', { shows: { ids: [], keras: [7] } }, /keras must be Keras run ids/],
    ['mistake', { shows: { index: '8' } }, /index must be an integer/],
    ['mistake', { shows: { index: Number.NaN } }, /index must be an integer/],
    ['mistake', { shows: { index: SHOWN_LIMITS.index } }, /index must be an integer from 0 to 999999/],
  ];
  for (const [kind, state, fault] of refused) {
    const parsed = parsePanelState(kind, state);
    assert.equal(parsed.ok, false, `${kind} ${JSON.stringify(state)?.slice(0, 80)}`);
    if (!parsed.ok) {
      assert.match(parsed.fault, fault);
      assert.doesNotMatch(parsed.fault, /\n/);
    }
  }
});
