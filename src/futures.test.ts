import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Future, isFuture } from './futures.ts';
import { CancelledError, InvalidStateError } from './exceptions.ts';
import { getRunningLoop } from './events.ts';
import { createTask, sleep } from './tasks.ts';
import { runSync } from './runners.ts';
import type { Coroutine } from './types.ts';
import { virtualLoop, runAll } from '../test/support/loop.ts';
import { flavours } from '../test/support/flavours.ts';

describe('Future', () => {
  test('initial_state: pending, not cancelled; result() and exception() say it is not ready', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    assert.equal(f.done(), false);
    assert.equal(f.cancelled(), false);
    assert.equal(f.getLoop(), loop);
    assert.throws(() => f.result(), { name: 'InvalidStateError', message: 'Result is not ready.' });
    assert.throws(() => f.exception(), { name: 'InvalidStateError', message: 'Exception is not set.' });
    assert.equal(String(f), '<Future pending>');
  });

  test('constructor without a loop needs a running one: "no running event loop"', () => {
    assert.throws(() => new Future(), { name: 'RuntimeError', message: 'no running event loop' });
    const loop = virtualLoop();
    assert.equal(new Future(loop).getLoop(), loop);
    runSync(function* () {
      assert.equal(new Future().getLoop(), getRunningLoop());
    });
  });

  test('result: set_result makes it done; setting it again is an InvalidStateError', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    f.setResult(42);
    assert.equal(f.done(), true);
    assert.equal(f.result(), 42);
    assert.equal(f.exception(), null);
    assert.equal(String(f), '<Future finished result=42>');
    assert.throws(() => f.setResult(1), { name: 'InvalidStateError', message: 'FINISHED: <Future finished result=42>' });
    assert.throws(() => f.setException(new Error('x')), { name: 'InvalidStateError', message: 'FINISHED: <Future finished result=42>' });
    assert.equal(f.cancel(), false);
    assert.equal(f.cancelled(), false);
  });

  test('exception: set_exception makes result() throw it and exception() return it', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    const error = new RangeError('bad');
    f.setException(error);
    assert.equal(f.done(), true);
    assert.equal(f.exception(), error);
    assert.throws(() => f.result(), (e) => e === error);
    assert.equal(String(f), "<Future finished exception=RangeError('bad')>");
  });

  test('set_exception(null or undefined) is a TypeError', () => {
    const loop = virtualLoop();
    const f = loop.createFuture();
    assert.throws(() => f.setException(null), { name: 'TypeError', message: "invalid exception object: `null` (null); pass an Error, e.g. new Error('...')" });
    assert.throws(() => f.setException(undefined), { name: 'TypeError', message: "invalid exception object: `undefined` (undefined); pass an Error, e.g. new Error('...')" });
    assert.equal(f.done(), false);
  });

  test('cancel: a cancelled future raises CancelledError (with the message) from result() and exception()', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    assert.equal(f.cancel('why'), true);
    assert.equal(f.cancel('again'), false);
    assert.equal(f.cancelled(), true);
    assert.equal(f.done(), true);
    assert.equal(String(f), '<Future cancelled>');
    assert.throws(() => f.result(), (e) => e instanceof CancelledError && e.message === 'why');
    assert.throws(() => f.exception(), (e) => e instanceof CancelledError && e.message === 'why');
    assert.throws(() => f.setResult(1), { name: 'InvalidStateError', message: 'CANCELLED: <Future cancelled>' });
    const g = loop.createFuture();
    g.cancel();
    assert.throws(() => g.result(), (e) => e instanceof CancelledError && e.message === '');
  });

  test('future_done_callbacks: never inline, called with the future, in registration order', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<string>();
    const calls: string[] = [];
    f.addDoneCallback((fut) => calls.push(`a:${fut.result()}`));
    f.addDoneCallback((fut) => calls.push(`b:${fut.result()}`));
    f.addDoneCallback((fut) => calls.push(`c:${fut === f}`));
    f.setResult('x');
    assert.equal(calls.length, 0);
    runAll(loop);
    assert.deepEqual(calls, ['a:x', 'b:x', 'c:true']);
    // Added after done: still through the loop.
    f.addDoneCallback(() => calls.push('late'));
    assert.equal(calls.length, 3);
    runAll(loop);
    assert.deepEqual(calls, ['a:x', 'b:x', 'c:true', 'late']);
  });

  test('callbacks_remove_first_and_second_callback: removeDoneCallback removes every registration and counts them', () => {
    const loop = virtualLoop();
    const f = loop.createFuture<number>();
    const calls: string[] = [];
    const a = (): void => void calls.push('a');
    const b = (): void => void calls.push('b');
    f.addDoneCallback(a);
    f.addDoneCallback(b);
    f.addDoneCallback(a);
    f.addDoneCallback(b);
    f.addDoneCallback(a);
    assert.equal(f.removeDoneCallback(a), 3);
    assert.equal(f.removeDoneCallback(a), 0);
    f.setResult(1);
    runAll(loop);
    assert.deepEqual(calls, ['b', 'b']);
    const g = loop.createFuture();
    g.addDoneCallback(b);
    assert.equal(g.removeDoneCallback(b), 1);
    assert.equal(g.removeDoneCallback(a), 0);
  });

  test('add_done_callback with a non-function is a TypeError', () => {
    const loop = virtualLoop();
    assert.throws(() => loop.createFuture().addDoneCallback(3 as never), {
      name: 'TypeError',
      message: 'Expected `callback` to be a function, got `3` (number)',
    });
  });

  test('isfuture: Futures and Tasks only', () => {
    const loop = virtualLoop();
    assert.equal(isFuture(loop.createFuture()), true);
    assert.equal(isFuture({ then() {} }), false);
    assert.equal(isFuture(null), false);
  });

  flavours('yield* of a done future returns at once, with no trip through the loop', function* () {
    const loop = getRunningLoop();
    const f = loop.createFuture<number>();
    f.setResult(9);
    const seen: string[] = [];
    loop.callSoon(() => seen.push('callback'));
    assert.equal(yield* f, 9);
    assert.deepEqual(seen, []);
    yield* sleep(0);
    assert.deepEqual(seen, ['callback']);
  });

  flavours('a future awaited by several tasks wakes them all, in the order they started waiting', function* () {
    const loop = getRunningLoop();
    const f = loop.createFuture<number>();
    const seen: string[] = [];
    function* waiter(name: string): Coroutine<void> {
      seen.push(`${name}:${yield* f}`);
    }
    const tasks = ['a', 'b', 'c'].map((n) => createTask(waiter(n)));
    yield* sleep(0);
    f.setResult(1);
    for (const t of tasks) yield* t;
    assert.deepEqual(seen, ['a:1', 'b:1', 'c:1']);
  });

  flavours('a future set with an exception raises it in every awaiting task', function* () {
    const loop = getRunningLoop();
    const f = loop.createFuture<number>();
    const error = new Error('shared');
    loop.callLater(5, () => f.setException(error));
    try {
      yield* f;
      assert.fail('expected a throw');
    } catch (e) {
      assert.equal(e, error);
    }
  });

  test('InvalidStateError is exported with its name', () => {
    const e = new InvalidStateError('x');
    assert.equal(e.name, 'InvalidStateError');
    assert.ok(e instanceof Error);
  });
});
