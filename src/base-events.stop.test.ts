// The loop stops where the future finished: no time jump, the pass in progress completes.
// Issue #16 §1. CPython 3.13 twin (test/differential/clock_after_run.py) prints:
//   after first 0 / five at 200 / sleeper at 400 (call_later made after run_until_complete lands
//   before the pending longer sleeper), and run_forever with call_soon(stop) first still runs the
//   19 callbacks of that pass before returning.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoop } from './base-events.ts';
import { sleep } from './tasks.ts';
import { TestLoop } from './testing/index.ts';
import type { Coroutine } from './types.ts';

function* schedulesSleeper(loop: EventLoop, seen: string[]): Coroutine<string> {
  loop.callLater(10_000, () => seen.push(`sleeper@${loop.time()}`));
  return 'done';
}

for (const [label, make] of [
  ["EventLoop({ clock: 'virtual' })", () => new EventLoop({ clock: 'virtual' })],
  ['TestLoop', () => new TestLoop()],
] as const) {
  describe(`${label}: the clock stays where the future finished`, () => {
    test('runUntilCompleteSync of a coroutine that finishes at t=0 leaves time() at 0 with a 10 s timer pending', () => {
      const loop = make();
      const seen: string[] = [];
      assert.equal(loop.runUntilCompleteSync(schedulesSleeper(loop, seen)), 'done');
      assert.equal(loop.time(), 0);
      assert.deepEqual(seen, []);
    });

    test('a callLater made after runUntilCompleteSync lands before the pending longer sleeper', () => {
      const loop = make();
      const seen: string[] = [];
      loop.runUntilCompleteSync(schedulesSleeper(loop, seen));
      const five = loop.callLater(5, () => seen.push(`five@${loop.time()}`));
      assert.equal(five.when(), 5);
      loop.runUntilCompleteSync(sleep(20_000));
      assert.deepEqual(seen, ['five@5', 'sleeper@10000']);
      assert.equal(loop.time(), 20_000);
    });

    test('after a sleep, time() is the sleep deadline, not the next pending timer', () => {
      const loop = make();
      loop.callLater(1_000, () => {});
      loop.runUntilCompleteSync(sleep(300));
      assert.equal(loop.time(), 300);
    });

    test('runUntilComplete (async driver) leaves the clock where the future finished too', async () => {
      const loop = make();
      const seen: string[] = [];
      await loop.runUntilComplete(schedulesSleeper(loop, seen));
      assert.equal(loop.time(), 0);
      loop.callLater(5, () => seen.push(`five@${loop.time()}`));
      await loop.runUntilComplete(sleep(20_000));
      assert.deepEqual(seen, ['five@5', 'sleeper@10000']);
    });
  });
}

describe('stop() finishes the pass in progress (asyncio _run_once runs all ntodo)', () => {
  test('runForever: call_soon(stop) then 19 callbacks: all 19 run before runForever returns', async () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const seen: number[] = [];
    loop.callSoon(() => loop.stop());
    for (let i = 0; i < 19; i++) loop.callSoon((n: number) => seen.push(n), i);
    await loop.runForever();
    assert.deepEqual(seen, Array.from({ length: 19 }, (_, i) => i));
  });

  test('the same on the synchronous driver', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const seen: number[] = [];
    const fut = loop.createFuture<void>();
    loop.callSoon(() => fut.setResult());
    for (let i = 0; i < 3; i++) loop.callSoon((n: number) => seen.push(n), i);
    loop.runUntilCompleteSync(fut);
    // fut's done callback (stop) runs in the second pass; the first pass finished before it.
    assert.deepEqual(seen, [0, 1, 2]);
  });
});

// The drivers run a pass in slices (so V8 optimizes the ready-queue loop per call, not by OSR):
// a pass of 1,000 callbacks, far above a slice, is still one pass with asyncio's semantics.
describe('a pass longer than a slice is still one pass', () => {
  function schedulePass(loop: EventLoop, order: string[]): void {
    for (let i = 0; i < 1000; i++) {
      loop.callSoon(() => {
        order.push(`a${i}`);
        // Scheduled during the pass: runs in the next one, after all 1,000 of this pass.
        if (i % 250 === 0) loop.callSoon(() => order.push(`b${i}`));
      });
    }
  }
  const expected = [...Array.from({ length: 1000 }, (_, i) => `a${i}`), 'b0', 'b250', 'b500', 'b750'];

  test('runOnce() runs all 1,000 and none of what they schedule', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const order: string[] = [];
    schedulePass(loop, order);
    assert.equal(loop.runOnce(), 1000);
    assert.equal(order.length, 1000);
    assert.equal(loop.runOnce(), 4);
    assert.deepEqual(order, expected);
  });

  test('runUntilCompleteSync: stop() at the end of a 1,001-callback pass: the whole pass runs, nothing after it', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const order: string[] = [];
    const fut = loop.createFuture<void>();
    fut.setResult();
    schedulePass(loop, order);
    loop.runUntilCompleteSync(fut); // its done callback (stop) is queued behind the 1,000, in the same pass
    // CPython 3.13's run_until_complete of a done future behind 1,000 call_soon: 1000 ['a995', ..., 'a999'].
    assert.deepEqual(order, expected.slice(0, 1000));
  });

  test('runForever (async driver): call_soon(stop) first, then 1,000 callbacks: all run, in order', async () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const order: string[] = [];
    loop.callSoon(() => loop.stop());
    schedulePass(loop, order);
    await loop.runForever();
    assert.deepEqual(order, expected.slice(0, 1000));
  });
});
