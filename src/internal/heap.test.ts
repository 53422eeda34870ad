import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BinaryHeap } from './heap.ts';

describe('BinaryHeap', () => {
  test('pops in ascending order; peek shows the minimum; empty pops undefined', () => {
    const h = new BinaryHeap<number>((a, b) => a < b);
    assert.equal(h.pop(), undefined);
    assert.equal(h.peek(), undefined);
    for (const x of [5, 3, 8, 1, 9, 2]) h.push(x);
    assert.equal(h.length, 6);
    assert.equal(h.peek(), 1);
    const out: number[] = [];
    while (h.length > 0) out.push(h.pop() as number);
    assert.deepEqual(out, [1, 2, 3, 5, 8, 9]);
  });

  test('filterInPlace keeps only what passes and restores heap order', () => {
    const h = new BinaryHeap<number>((a, b) => a < b);
    for (let i = 50; i > 0; i--) h.push(i);
    h.filterInPlace((x) => x % 3 === 0);
    const out: number[] = [];
    while (h.length > 0) out.push(h.pop() as number);
    assert.deepEqual(out, Array.from({ length: 16 }, (_, i) => (i + 1) * 3));
  });

  test('property: with a (key, seq) order, equal keys pop in insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 100 }), fc.array(fc.boolean(), { maxLength: 100 }), (keys, drops) => {
        type Item = { key: number; seq: number };
        const h = new BinaryHeap<Item>((a, b) => a.key < b.key || (a.key === b.key && a.seq < b.seq));
        const items = keys.map((key, seq) => ({ key, seq }));
        for (const item of items) h.push(item);
        const keep = (item: Item): boolean => drops[item.seq] !== true;
        h.filterInPlace(keep);
        const out: Item[] = [];
        while (h.length > 0) out.push(h.pop() as Item);
        const expected = items.filter(keep).sort((a, b) => a.key - b.key || a.seq - b.seq);
        assert.deepEqual(out, expected);
      }),
      { numRuns: 200 },
    );
  });
});
