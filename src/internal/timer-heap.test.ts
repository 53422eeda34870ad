import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TimerHeap } from './timer-heap.ts';
import type { TimerEntry } from '../events.ts';

// A fake entry; `_seq` is the test's own label (the push order), checked against the heap's tie-breaking.
type Fake = TimerEntry & { _seq: number };
function timer(when: number, seq: number): Fake {
  return { _when: when, _seq: seq, _cancelled: false } as unknown as Fake;
}

function drain(heap: TimerHeap): [number, number][] {
  const out: [number, number][] = [];
  for (let t = heap.pop() as Fake | undefined; t !== undefined; t = heap.pop() as Fake | undefined) out.push([t._when, t._seq]);
  return out;
}

describe('TimerHeap', () => {
  test('pops by deadline, equal deadlines in sequence order', () => {
    const heap = new TimerHeap();
    [timer(30, 0), timer(10, 1), timer(10, 2), timer(20, 3), timer(10, 4)].forEach((t) => heap.push(t));
    assert.equal(heap.length, 5);
    assert.equal((heap.peek() as Fake)._seq, 1);
    assert.deepEqual(
      heap.inOrder((t) => (t as Fake)._seq !== 2).map((t) => (t as Fake)._seq),
      [1, 4, 3, 0],
    );
    assert.deepEqual(drain(heap), [
      [10, 1],
      [10, 2],
      [10, 4],
      [20, 3],
      [30, 0],
    ]);
    assert.equal(heap.pop(), undefined);
  });

  test('property: any pushes, interleaved pops and a filter drain in (when, seq) order, nothing lost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ when: fc.integer({ min: 0, max: 50 }), pop: fc.boolean(), drop: fc.boolean() }), { maxLength: 300 }),
        (ops) => {
          const heap = new TimerHeap();
          const model: [number, number][] = [];
          const dropped = new Set<number>();
          ops.forEach((op, seq) => {
            heap.push(timer(op.when, seq));
            model.push([op.when, seq]);
            if (op.drop) dropped.add(seq);
            if (op.pop) {
              model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
              const expected = model.shift();
              const got = heap.pop() as Fake | undefined;
              assert.deepEqual([got?._when, got?._seq], expected);
            }
          });
          heap.filterInPlace((t) => !dropped.has((t as Fake)._seq));
          const rest = model.filter(([, seq]) => !dropped.has(seq)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          assert.deepEqual(drain(heap), rest);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('grows past its initial capacity', () => {
    const heap = new TimerHeap();
    for (let i = 1000; i > 0; i--) heap.push(timer(i, 1000 - i));
    const out = drain(heap);
    assert.equal(out.length, 1000);
    assert.deepEqual(out[0], [1, 999]);
    assert.deepEqual(out[999], [1000, 0]);
  });
});
