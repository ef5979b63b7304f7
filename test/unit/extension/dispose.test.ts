// The host's lifecycle base: what an object registers is disposed with it, once, newest first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disposable, type IDisposable, disposeAll, toDisposable } from '../../../src/extension/dispose';

class Owner extends Disposable {
  own<T extends IDisposable>(value: T): T {
    return this.register(value);
  }
  get closed(): boolean {
    return this.isDisposed;
  }
}

test('dispose: registered values are disposed once, newest first; a second dispose does nothing', () => {
  const order: string[] = [];
  const owner = new Owner();
  owner.own(toDisposable(() => order.push('first')));
  owner.own(toDisposable(() => order.push('second')));
  assert.equal(owner.closed, false);
  owner.dispose();
  owner.dispose();
  assert.deepEqual(order, ['second', 'first']);
  assert.equal(owner.closed, true);
});

test('dispose: a value registered after dispose is disposed at once, not leaked', () => {
  const owner = new Owner();
  owner.dispose();
  let disposed = 0;
  owner.own(toDisposable(() => disposed++));
  assert.equal(disposed, 1);
});

test('disposeAll empties the list, so nothing is disposed twice', () => {
  let count = 0;
  const list = [toDisposable(() => count++), toDisposable(() => count++)];
  disposeAll(list);
  disposeAll(list);
  assert.equal(count, 2);
  assert.deepEqual(list, []);
});
