import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TestLoop } from './index.ts';
import { sleep, createTask, getRunningLoop, CancelledError, RuntimeError, type Coroutine } from '../index.ts';

describe('TestLoop', () => {
  test('advance: a task sleeping 30 s finishes exactly when 30 virtual seconds have passed', () => {
    const loop = new TestLoop();
    const task = loop.createTask((function* (): Coroutine<string> {
      yield* sleep(30_000);
      return 'done';
    })());
    loop.advance(29_999);
    assert.equal(task.done(), false);
    assert.equal(loop.time(), 29_999);
    loop.advance(1);
    assert.equal(task.result(), 'done');
    assert.equal(loop.time(), 30_000);
  });

  test('advance: each timer runs at its own deadline, in deadline order, ties in scheduling order', () => {
    const loop = new TestLoop();
    const seen: string[] = [];
    loop.callLater(30, () => seen.push(`c@${loop.time()}`));
    loop.callLater(10, () => seen.push(`a@${loop.time()}`));
    loop.callLater(10, () => seen.push(`b@${loop.time()}`));
    loop.callLater(50, () => seen.push(`late@${loop.time()}`));
    const ran = loop.advance(40);
    assert.deepEqual(seen, ['a@10', 'b@10', 'c@30']);
    assert.equal(ran, 3);
    assert.equal(loop.time(), 40);
  });

  test('advance: timers scheduled by callbacks inside the window run in the same advance', () => {
    const loop = new TestLoop();
    const seen: number[] = [];
    const tick = (): void => {
      seen.push(loop.time());
      if (seen.length < 5) loop.callLater(10, tick);
    };
    loop.callLater(10, tick);
    loop.advance(35);
    assert.deepEqual(seen, [10, 20, 30]);
    loop.advance(100);
    assert.deepEqual(seen, [10, 20, 30, 40, 50]);
  });

  test('advance(0) runs what is ready and due now, without moving time', () => {
    const loop = new TestLoop();
    const seen: string[] = [];
    loop.callSoon(() => seen.push('soon'));
    loop.callLater(0, () => seen.push('later0'));
    loop.callLater(1, () => seen.push('later1'));
    assert.equal(loop.advance(0), 2);
    assert.deepEqual(seen, ['soon', 'later0']);
    assert.equal(loop.time(), 0);
  });

  test('runUntilIdle: tasks progress as far as they can without time moving', () => {
    const loop = new TestLoop();
    const steps: string[] = [];
    const task = loop.createTask((function* (): Coroutine<void> {
      steps.push('start');
      yield* sleep(0);
      steps.push('after sleep(0)');
      yield* sleep(5);
      steps.push('after sleep(5)');
    })());
    loop.runUntilIdle();
    assert.deepEqual(steps, ['start', 'after sleep(0)']);
    assert.equal(task.done(), false);
    assert.equal(loop.time(), 0);
    loop.advance(5);
    assert.deepEqual(steps, ['start', 'after sleep(0)', 'after sleep(5)']);
    assert.equal(task.done(), true);
  });

  test('pendingTimers: lists live timers in firing order; cancelled ones are left out', () => {
    const loop = new TestLoop();
    const a = loop.callLater(20, () => {});
    const b = loop.callLater(10, () => {});
    const c = loop.callLater(15, () => {});
    c.cancel();
    assert.deepEqual(loop.pendingTimers(), [b, a]);
    assert.deepEqual(loop.pendingTimers().map((t) => t.when()), [10, 20]);
    loop.advance(10);
    assert.deepEqual(loop.pendingTimers(), [a]);
  });

  test('pendingTimers: a sleeping task shows up as a timer at its wake-up time', () => {
    const loop = new TestLoop();
    loop.advance(100);
    loop.createTask((function* (): Coroutine<void> { yield* sleep(5_000); })());
    loop.runUntilIdle();
    assert.deepEqual(loop.pendingTimers().map((t) => t.when()), [5_100]);
  });

  test('getRunningLoop and createTask work inside callbacks, and only there', () => {
    const loop = new TestLoop();
    let inside: unknown = null;
    let child: unknown = null;
    loop.callSoon(() => {
      inside = getRunningLoop();
      child = createTask((function* (): Coroutine<number> { return 7; })());
    });
    loop.runUntilIdle();
    assert.equal(inside, loop);
    assert.equal((child as { result(): number }).result(), 7);
    assert.throws(() => getRunningLoop(), { name: 'RuntimeError', message: 'no running event loop' });
    assert.equal(loop.isRunning(), false);
  });

  test('cancelling a task between two advances throws CancelledError into it at its sleep', () => {
    const loop = new TestLoop();
    const log: string[] = [];
    const task = loop.createTask((function* (): Coroutine<void> {
      try {
        yield* sleep(1_000);
      } catch (error) {
        log.push(`caught ${(error as Error).name}`);
        throw error;
      } finally {
        log.push('finally');
      }
    })());
    loop.advance(500);
    task.cancel();
    loop.runUntilIdle();
    assert.deepEqual(log, ['caught CancelledError', 'finally']);
    assert.equal(task.cancelled(), true);
    assert.throws(() => task.result(), CancelledError);
  });

  test('runUntilCompleteSync jumps the clock from timer to timer', () => {
    const loop = new TestLoop();
    const result = loop.runUntilCompleteSync((function* (): Coroutine<number> {
      yield* sleep(1_000);
      yield* sleep(2_000);
      return getRunningLoop().time();
    })());
    assert.equal(result, 3_000);
  });

  test('advance rejects a negative, NaN or infinite delay, naming the parameter', () => {
    const loop = new TestLoop();
    assert.throws(() => loop.advance(-1), { name: 'RangeError', message: 'Expected `ms` to be a finite number of milliseconds >= 0, got `-1` (number)' });
    assert.throws(() => loop.advance(Number.NaN), { name: 'RangeError', message: 'Expected `ms` to be a finite number of milliseconds >= 0, got `NaN` (number)' });
    assert.throws(() => loop.advance(Infinity), { name: 'RangeError', message: 'Expected `ms` to be a finite number of milliseconds >= 0, got `Infinity` (number)' });
    assert.throws(() => loop.advance('5' as unknown as number), { name: 'TypeError', message: 'Expected `ms` to be a finite number of milliseconds >= 0, got `"5"` (string)' });
  });

  test('advance from inside one of the loop\'s own callbacks is refused', () => {
    const loop = new TestLoop();
    let error: unknown = null;
    loop.callSoon(() => {
      try {
        loop.advance(1);
      } catch (e) {
        error = e;
      }
    });
    loop.runUntilIdle();
    assert.ok(error instanceof RuntimeError);
    assert.equal((error as Error).message, 'This event loop is already running');
  });

  test('a closed TestLoop refuses to advance', () => {
    const loop = new TestLoop();
    loop.close();
    assert.throws(() => loop.advance(1), { name: 'RuntimeError', message: 'Event loop is closed' });
    assert.throws(() => loop.runUntilIdle(), { name: 'RuntimeError', message: 'Event loop is closed' });
  });
});
