import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Deque } from './deque.ts';

describe('Deque', () => {
  test('push/shift is FIFO and length follows', () => {
    const d = new Deque<number>();
    assert.equal(d.length, 0);
    assert.equal(d.shift(), undefined);
    for (let i = 0; i < 5; i++) d.push(i);
    assert.equal(d.length, 5);
    assert.deepEqual([d.shift(), d.shift()], [0, 1]);
    assert.equal(d.length, 3);
    assert.deepEqual(d.toArray(), [2, 3, 4]);
  });

  test('unshift and pop work at the other ends', () => {
    const d = new Deque<string>();
    d.push('b');
    d.unshift('a');
    d.push('c');
    assert.equal(d.peekFirst(), 'a');
    assert.equal(d.peekLast(), 'c');
    assert.equal(d.pop(), 'c');
    assert.equal(d.pop(), 'b');
    assert.equal(d.pop(), 'a');
    assert.equal(d.pop(), undefined);
    assert.equal(d.peekFirst(), undefined);
    assert.equal(d.peekLast(), undefined);
  });

  test('grows past its initial capacity while wrapped around, keeping order', () => {
    const d = new Deque<number>(4);
    // Wrap the head around the ring before growing.
    for (let i = 0; i < 10; i++) d.push(i);
    for (let i = 0; i < 8; i++) d.shift();
    for (let i = 10; i < 100; i++) d.push(i);
    const expected = Array.from({ length: 92 }, (_, i) => i + 8);
    assert.deepEqual(d.toArray(), expected);
    assert.equal(d.at(0), 8);
    assert.equal(d.at(91), 99);
    assert.equal(d.at(92), undefined);
    assert.equal(d.at(-1), undefined);
  });

  test('remove takes out the first identical element only, and says whether it did', () => {
    const d = new Deque<number>();
    for (const x of [1, 2, 3, 2, 4]) d.push(x);
    assert.equal(d.remove(2), true);
    assert.deepEqual(d.toArray(), [1, 3, 2, 4]);
    assert.equal(d.remove(7), false);
    assert.equal(d.length, 4);
  });

  test('clear empties it and it can be reused', () => {
    const d = new Deque<number>();
    for (let i = 0; i < 40; i++) d.push(i);
    d.clear();
    assert.equal(d.length, 0);
    assert.deepEqual([...d], []);
    d.push(7);
    assert.deepEqual([...d], [7]);
  });

  test('property: behaves like an array under random push/unshift/shift/pop/remove', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), v: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('unshift' as const), v: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('shift' as const), v: fc.constant(0) }),
      fc.record({ kind: fc.constant('pop' as const), v: fc.constant(0) }),
      fc.record({ kind: fc.constant('remove' as const), v: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const d = new Deque<number>();
        const model: number[] = [];
        for (const { kind, v } of ops) {
          switch (kind) {
            case 'push': d.push(v); model.push(v); break;
            case 'unshift': d.unshift(v); model.unshift(v); break;
            case 'shift': assert.equal(d.shift(), model.shift()); break;
            case 'pop': assert.equal(d.pop(), model.pop()); break;
            case 'remove': {
              const i = model.indexOf(v);
              if (i >= 0) model.splice(i, 1);
              assert.equal(d.remove(v), i >= 0);
              break;
            }
          }
          assert.equal(d.length, model.length);
        }
        assert.deepEqual(d.toArray(), model);
      }),
      { numRuns: 200 },
    );
  });
});
