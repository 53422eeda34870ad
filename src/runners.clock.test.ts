// The two clocks under each runner. Only lower bounds on real time are asserted: a real-clock
// sleep may never return early; how late it is depends on the machine and is not tested.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { run, runSync } from './runners.ts';
import { getRunningLoop } from './events.ts';
import { createTask, sleep } from './tasks.ts';
import type { Coroutine } from './types.ts';

function* timed(ms: number): Coroutine<[number, number]> {
  const loop = getRunningLoop();
  const before = loop.time();
  const wallBefore = performance.now();
  yield* sleep(ms);
  return [loop.time() - before, performance.now() - wallBefore];
}

describe('clocks', () => {
  test("runSync with clock: 'real' blocks the thread until the timer is due (the article's MiniEventLoop)", () => {
    const [loopElapsed, wallElapsed] = runSync(timed(30), { clock: 'real' });
    assert.ok(loopElapsed >= 30, `loop.time() moved ${loopElapsed} ms`);
    assert.ok(wallElapsed >= 30, `the thread waited ${wallElapsed} ms`);
  });

  test('runSync on the virtual clock jumps: an hour of sleeping takes no real time and loop.time() reads exactly the sum', () => {
    const [loopElapsed] = runSync(function* () {
      const a = createTask(timed(3_600_000));
      const b = createTask(timed(1_000));
      yield* b;
      return yield* a;
    });
    assert.equal(loopElapsed, 3_600_000);
  });

  test("run with clock: 'virtual' jumps too, and still lets Promise reactions in first", async () => {
    const order: string[] = [];
    const elapsed = await run(
      function* () {
        void Promise.resolve().then(() => order.push('promise'));
        const [t] = yield* timed(60_000);
        order.push('slept');
        return t;
      },
      { clock: 'virtual' },
    );
    assert.equal(elapsed, 60_000);
    assert.deepEqual(order, ['promise', 'slept']);
  });

  test('run on the real clock sleeps on the host timer: never early', async () => {
    const [loopElapsed, wallElapsed] = await run(timed(25));
    // An early host timer only makes the loop sleep again: the deadline is checked on loop.time().
    assert.ok(loopElapsed >= 25, `loop.time() moved ${loopElapsed} ms`);
    assert.ok(wallElapsed >= 25, `waited ${wallElapsed} ms`);
  });
});
