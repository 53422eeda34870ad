// Futures and tasks as asyncio checks them (issue #16 §4). CPython 3.13 prints, for the same calls:
//   ensure_future(f1, loop=l2)      ValueError The future belongs to a different loop than the one specified as the loop argument
//   gather(f1, f2)  (two loops)     ValueError (the same message)
//   ensure_future('ok') (no loop)   TypeError An asyncio.Future, a coroutine or an awaitable is required
//   create_task(123) / ('ok')       TypeError a coroutine was expected, got 123 / got 'ok'
//   Future.set_result(task, 42)     handler: Exception in callback Task.__step() | _step(): already done: <Task finished ... result=42>
//   MyFut overriding add_done_callback, awaited by a task: called once; the task gets 'ok'
//   eager task finished in create_task: get_coro() is None
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoop } from './base-events.ts';
import { InvalidStateError } from './exceptions.ts';
import { Future, type DoneCallback } from './futures.ts';
import { gather } from './combinators.ts';
import { createTask, eagerTaskFactory, ensureFuture, sleep, type Task } from './tasks.ts';
import type { Coroutine } from './types.ts';
import { recordErrors } from '../test/support/loop.ts';

const DIFFERENT_LOOP = 'The future belongs to a different loop than the one specified as the loop argument';

describe('futures of two loops', () => {
  test('ensureFuture(fut, otherLoop) is a RangeError (asyncio ValueError) with asyncio message', () => {
    const l1 = new EventLoop({ clock: 'virtual' });
    const l2 = new EventLoop({ clock: 'virtual' });
    assert.throws(() => ensureFuture(l1.createFuture(), l2), { name: 'RangeError', message: DIFFERENT_LOOP });
  });

  test('gather() of futures from different loops is a RangeError, wherever the odd one is', () => {
    const l1 = new EventLoop({ clock: 'virtual' });
    const l2 = new EventLoop({ clock: 'virtual' });
    const f1 = l1.createFuture();
    assert.throws(() => gather(f1, l2.createFuture()), { name: 'RangeError', message: DIFFERENT_LOOP });
    assert.throws(() => gather([f1, l1.createFuture(), l2.createFuture()]), { name: 'RangeError', message: DIFFERENT_LOOP });
    // Same loop: accepted, as before.
    const g = gather(f1, l1.createFuture());
    assert.equal(g.getLoop(), l1);
    g.cancel();
  });
});

describe('ensureFuture checks its argument first', () => {
  test("ensureFuture('ok') outside a loop is the TypeError about the argument, not 'no running event loop'", () => {
    assert.throws(() => ensureFuture('ok' as never), {
      name: 'TypeError',
      message: 'An asyncio.Future, a coroutine or an awaitable is required, got `"ok"` (string).',
    });
    assert.throws(() => ensureFuture(123 as never), { name: 'TypeError', message: /^An asyncio\.Future, a coroutine or an awaitable is required, got `123`/ });
    assert.throws(() => ensureFuture(Promise.resolve(1) as never), { name: 'TypeError', message: /For a Promise, use fromPromise\(promise\)\.$/ });
  });
});

describe('createTask message', () => {
  test("createTask(123) / createTask('ok'): asyncio's sentence with the value, then the hint", () => {
    const loop = new EventLoop({ clock: 'virtual' });
    assert.throws(() => loop.createTask(123 as never), {
      name: 'TypeError',
      message: 'a coroutine was expected, got 123. Pass the generator object of a `function*`, e.g. createTask(main()).',
    });
    assert.throws(() => loop.createTask('ok' as never), { name: 'TypeError', message: /^a coroutine was expected, got 'ok'\. / });
    loop.close();
  });
});

describe('a Future subclass that overrides addDoneCallback', () => {
  test('a task awaiting it registers through the override (asyncio calls fut.add_done_callback) and gets the result', () => {
    let calls = 0;
    class MyFut<T> extends Future<T> {
      override addDoneCallback(callback: DoneCallback<this>, options?: { context?: null }): void {
        calls++;
        super.addDoneCallback(callback, options);
      }
    }
    const loop = new EventLoop({ clock: 'virtual' });
    const f = new MyFut<string>(loop);
    const t = loop.createTask((function* (): Coroutine<string> {
      return yield* f;
    })());
    loop.runUntilCompleteSync(sleep(0));
    assert.equal(calls, 1);
    f.setResult('ok');
    assert.equal(loop.runUntilCompleteSync(t), 'ok');
    loop.close();
  });

  test('cancelling the task cancels the subclass future and the task ends cancelled', () => {
    class MyFut<T> extends Future<T> {
      override addDoneCallback(callback: DoneCallback<this>): void {
        super.addDoneCallback(callback);
      }
    }
    const loop = new EventLoop({ clock: 'virtual' });
    const f = new MyFut<string>(loop);
    const t = loop.createTask((function* (): Coroutine<string> {
      return yield* f;
    })());
    loop.runUntilCompleteSync(sleep(0));
    t.cancel('stop');
    assert.throws(() => loop.runUntilCompleteSync(t), { name: 'CancelledError', message: 'stop' });
    assert.equal(f.cancelled(), true);
    loop.close();
  });
});

describe('a task finished behind its step', () => {
  test('Future.prototype.setResult.call(task) while its step is scheduled: the step reports InvalidStateError through the handler', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    const errors = recordErrors(loop);
    const t = loop.createTask((function* (): Coroutine<void> {
      yield* sleep(0);
    })());
    Future.prototype.setResult.call(t, 42 as never);
    loop.runUntilCompleteSync(sleep(10)); // nothing escapes to the caller
    assert.equal(t.done(), true);
    assert.equal(t.result(), 42);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, 'Exception in callback Task.__step()');
    assert.ok(errors[0]!.exception instanceof InvalidStateError);
    assert.match((errors[0]!.exception as Error).message, /^_step\(\): already done: <Task finished name='Task-\d+' coro=<coroutine> result=42>$/);
    assert.equal(errors[0]!.task, t);
  });
});

describe('getCoro() after an eager finish (3.13, gh-122332)', () => {
  test('a task that finished during its eager start returns null; one that suspended keeps its coroutine', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    loop.setTaskFactory(eagerTaskFactory);
    const [quick, slow, slowCoro] = loop.runUntilCompleteSync((function* (): Coroutine<[Task<number>, Task<void>, Coroutine<void>]> {
      const q = createTask((function* (): Coroutine<number> {
        return 1;
      })(), { name: 'quick' });
      const coro = sleep(1);
      const s = createTask(coro);
      yield* s;
      return [q, s, coro];
    })());
    assert.equal(quick.getCoro(), null);
    assert.equal(String(quick), "<Task finished name='quick' result=1>");
    assert.equal(slow.getCoro(), slowCoro);
    loop.close();
  });
});
