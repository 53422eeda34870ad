import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PendingTasks } from './pending-tasks.ts';

class Item {
  isDone = false;
  constructor(readonly id: number) {}
  done(): boolean {
    return this.isDone;
  }
}

describe('PendingTasks', () => {
  test('size counts members not finished; iteration yields the ones not done, in creation order', () => {
    const set = new PendingTasks<Item>();
    const items = [0, 1, 2, 3].map((i) => new Item(i));
    items.forEach((i) => set.add(i));
    (items[1] as Item).isDone = true;
    set.finished(items[1] as Item);
    assert.equal(set.size, 3);
    assert.deepEqual([...set].map((i) => i.id), [0, 2, 3]);
  });

  test('property: after any finish order, members match a reference set and order is kept (compaction included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.array(fc.nat(), { maxLength: 300 }), (n, picks) => {
        const set = new PendingTasks<Item>();
        const items = Array.from({ length: n }, (_, i) => new Item(i));
        items.forEach((i) => set.add(i));
        const alive = new Set(items.map((i) => i.id));
        for (const p of picks) {
          if (alive.size === 0) break;
          const id = [...alive][p % alive.size] as number;
          alive.delete(id);
          const item = items[id] as Item;
          item.isDone = true;
          set.finished(item);
        }
        assert.equal(set.size, alive.size);
        assert.deepEqual([...set].map((i) => i.id), [...alive].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });
});
