import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LinkedSet, type Linked } from './task-list.ts';

class Node implements Linked<Node> {
  _prevLinked: Node | null | undefined = undefined;
  _nextLinked: Node | null | undefined = undefined;
  constructor(readonly id: number) {}
}

describe('LinkedSet', () => {
  test('add, delete, has, size and insertion-order iteration; adding twice is a no-op', () => {
    const set = new LinkedSet<Node>();
    const [a, b, c] = [new Node(1), new Node(2), new Node(3)];
    set.add(a);
    set.add(b);
    set.add(c);
    set.add(b);
    assert.equal(set.size, 3);
    assert.equal(set.delete(b), true);
    assert.equal(set.delete(b), false);
    assert.equal(set.has(b), false);
    assert.deepEqual([...set].map((n) => n.id), [1, 3]);
    set.clear();
    assert.equal(set.size, 0);
    assert.equal(set.has(a), false);
    assert.deepEqual([...set], []);
  });

  test('property: matches a Set under random adds and deletes, and deleting while iterating is safe', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { maxLength: 200 }), (ops) => {
        const nodes = Array.from({ length: 21 }, (_, i) => new Node(i));
        const set = new LinkedSet<Node>();
        const model = new Set<number>();
        for (const [add, i] of ops) {
          const node = nodes[i] as Node;
          if (add) {
            set.add(node);
            model.add(i);
          } else {
            assert.equal(set.delete(node), model.delete(i));
          }
          assert.equal(set.size, model.size);
        }
        assert.deepEqual([...set].map((n) => n.id), [...model]);
        for (const node of set) set.delete(node);
        assert.equal(set.size, 0);
      }),
      { numRuns: 200 },
    );
  });
});
