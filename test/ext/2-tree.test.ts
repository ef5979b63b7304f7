// The "Tensors" tree shows the dataset as the book first looks at it: every tensor with its shape
// and dtype, checked against the real MNIST files read with the shared loader.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { describeMnist } from '../../src/shared/mnist';
import { loadMnist } from '../../src/trainer/mnistLoader';
import { type TreeItemView, activeApi } from './api';

const ROOTS = ['Dataset', 'Model weights', 'Layer outputs', 'Last prediction'];

function text(item: TreeItemView): string {
  return `${item.label} ${item.description ?? ''} ${item.tooltip ?? ''}`;
}

/** "60000 × 28 × 28", "[60000, 28, 28]" and "(60000, 28, 28)" all name the shape. */
function shapePattern(shape: number[]): RegExp {
  return new RegExp(`(^|\\D)${shape.join('\\s*[,×x]\\s*')}(\\D|$)`);
}

describe('tensor tree', () => {
  it('has the four roots', async () => {
    const api = await activeApi();
    const labels = (await api.treeItems()).map((i) => i.label);
    assert.deepEqual(
      ROOTS.filter((r) => !labels.includes(r)),
      [],
      `roots shown: ${labels.join(', ')}`,
    );
  });

  it('lists the dataset tensors with the shapes and dtypes of the real MNIST files', async () => {
    const api = await activeApi();
    const dataset = (await api.treeItems()).find((i) => i.label === 'Dataset');
    assert.ok(dataset);
    const children = await api.treeItems(dataset.element);
    const expected = describeMnist(loadMnist());
    assert.equal(expected[0].shape.join(','), '60000,28,28', 'the loader reads the full training set');
    for (const tensor of expected) {
      const item = children.find((c) => c.label.includes(tensor.name));
      assert.ok(item, `${tensor.name} missing; children: ${children.map((c) => c.label).join(', ')}`);
      assert.match(text(item), shapePattern(tensor.shape), `${tensor.name} shape`);
      assert.match(text(item), new RegExp(`\\b${tensor.dtype}\\b`), `${tensor.name} dtype`);
    }
  });
});
