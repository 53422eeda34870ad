import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Task, createTask, currentTask, allTasks, ensureFuture, eagerTaskFactory, sleep, isCoroutine } from './tasks.ts';
import { Future } from './futures.ts';
import { EventLoop, type ExceptionContext } from './base-events.ts';
import { getRunningLoop } from './events.ts';
import { CancelledError, RuntimeError } from './exceptions.ts';
import { Runner, run, runSync } from './runners.ts';
import { shield } from './combinators.ts';
import type { Awaitable, Coroutine } from './types.ts';
import { flavours } from '../test/support/flavours.ts';

// Every scenario below runs four times: lazy and eager task factory × runSync and run (virtual clock).

function* value<T>(v: T): Coroutine<T> {
  return v;
}

function* gather2<A, B>(a: Awaitable<A>, b: Awaitable<B>): Coroutine<[A, B]> {
  return [yield* a, yield* b];
}

function* errorOf(aw: Awaitable<unknown>): Coroutine<unknown> {
  try {
    yield* aw;
  } catch (e) {
    return e;
  }
  throw new Error('expected the awaitable to raise');
}

describe('Task basics', () => {
  flavours('task_basics: a task runs its coroutine and gives its result; names default to Task-N', function* () {
    function* add(a: number, b: number): Coroutine<number> {
      yield* sleep(10);
      return a + b;
    }
    const coro = add(1, 2);
    const t = createTask(coro);
    assert.ok(t instanceof Task);
    assert.ok(t instanceof Future);
    assert.equal(t.getCoro(), coro);
    assert.match(t.getName(), /^Task-\d+$/);
    t.setName('adder');
    assert.equal(t.getName(), 'adder');
    assert.equal(createTask(value(0), { name: 'given' }).getName(), 'given');
    assert.equal(t.done(), false);
    assert.equal(yield* t, 3);
    assert.equal(t.done(), true);
    assert.equal(t.result(), 3);
    assert.equal(t.exception(), null);
    assert.equal(t.cancelled(), false);
  });

  flavours('nested awaits: results travel up a chain of yield*, tasks and futures', function* () {
    const loop = getRunningLoop();
    function* leaf(): Coroutine<number> {
      const fut = loop.createFuture<number>();
      loop.callLater(5, () => fut.setResult(1));
      return (yield* fut) + (yield* sleep(5, 10));
    }
    function* middle(): Coroutine<number> {
      return (yield* leaf()) + (yield* createTask(leaf()));
    }
    function* top(): Coroutine<number> {
      return (yield* createTask(middle())) * 2;
    }
    assert.equal(yield* top(), 44);
    assert.equal(loop.time(), 20);
  });

  flavours('exception_chaining: an exception propagates unchanged through awaits of tasks and coroutines', function* () {
    const boom = new TypeError('boom');
    function* fail(): Coroutine<never> {
      yield* sleep(1);
      throw boom;
    }
    function* middle(): Coroutine<number> {
      yield* createTask(fail());
      return 1;
    }
    const t = createTask(middle());
    assert.equal(yield* errorOf(t), boom);
    assert.equal(t.exception(), boom);
    assert.throws(() => t.result(), (e) => e === boom);
  });

  flavours('a thrown non-Error value (JavaScript allows it) travels through tasks unchanged', function* () {
    function* throwsString(): Coroutine<void> {
      yield* sleep(1);
      throw 'plain string';
    }
    const t = createTask(throwsString());
    assert.equal(yield* errorOf(t), 'plain string');
    assert.equal(t.exception(), 'plain string');
    assert.equal(t.cancelled(), false);
  });

  flavours('current_task: the task whose step runs; null in a plain callback; allTasks holds unfinished tasks', function* () {
    const loop = getRunningLoop();
    const main = currentTask();
    assert.ok(main instanceof Task);
    let inChild: unknown = null;
    function* child(): Coroutine<void> {
      inChild = currentTask();
      yield* sleep(1);
    }
    const t = createTask(child());
    let inCallback: unknown = 'unset';
    loop.callSoon(() => {
      inCallback = currentTask();
    });
    assert.ok(allTasks().has(t));
    assert.ok(allTasks().has(main));
    yield* t;
    assert.equal(inChild, t);
    assert.equal(inCallback, null);
    assert.equal(allTasks().has(t), false);
    assert.equal(currentTask(), main);
  });

  test('current_task outside a loop: "no running event loop"', () => {
    assert.throws(() => currentTask(), { name: 'RuntimeError', message: 'no running event loop' });
    assert.throws(() => allTasks(), { name: 'RuntimeError', message: 'no running event loop' });
    assert.throws(() => createTask(value(1)), { name: 'RuntimeError', message: 'no running event loop' });
  });

  flavours('task_repr: toString shows state, name and what the task waits for', function* () {
    const loop = getRunningLoop();
    const fut = loop.createFuture<number>();
    function* waiter(): Coroutine<number> {
      return yield* fut;
    }
    const t = createTask(waiter(), { name: 'w' });
    yield* sleep(0);
    assert.equal(String(t), "<Task pending name='w' coro=<coroutine> wait_for=<Future pending cb=[Task.task_wakeup()]>>");
    fut.setResult(5);
    yield* t;
    assert.equal(String(t), "<Task finished name='w' coro=<coroutine> result=5>");
  });

  flavours('sleep: returns its value; sleep(0) lets other ready work run first', function* () {
    const seen: string[] = [];
    getRunningLoop().callSoon(() => seen.push('callback'));
    assert.equal(yield* sleep(0, 'zero'), 'zero');
    assert.deepEqual(seen, ['callback']);
    assert.equal(yield* sleep(250, 'later'), 'later');
    assert.equal(getRunningLoop().time(), 250);
    assert.equal(yield* sleep(-5, 'negative'), 'negative');
    assert.equal(yield* sleep(), undefined);
  });

  test('sleep: a NaN delay is a RangeError; a string is a TypeError', () => {
    assert.throws(() => sleep(NaN), { name: 'RangeError', message: 'Expected `delay` to be a number of milliseconds, got `NaN` (number)' });
    assert.throws(() => sleep('5' as never), { name: 'TypeError', message: 'Expected `delay` to be a number of milliseconds, got `"5"` (string)' });
  });
});

describe('Task cancellation', () => {
  // CPython 3.13 twin (a task awaiting a future f, then cancel() twice or f done, then cancel()):
  //   future cancelled first: ('first',) True / future done, then cancel: ('late',)
  //   future failed, then cancel: ('late',) / reports []  (the failure was retrieved by __wakeup)
  flavours('cancel_wakeup_message: the awaited future keeps the first message; a done future gives way to cancel(msg)', function* () {
    const loop = getRunningLoop();
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) => {
      reports.push(context.message);
    });
    function* waiter<T>(f: Future<T>): Coroutine<T> {
      return yield* f;
    }
    let fut = loop.createFuture<number>();
    let t = createTask(waiter(fut));
    yield* sleep(0);
    t.cancel('first');
    t.cancel('second');
    let e = yield* errorOf(t);
    assert.ok(e instanceof CancelledError);
    assert.equal(e.message, 'first');
    assert.equal(fut.cancelled(), true);
    for (const outcome of ['result', 'exception'] as const) {
      fut = loop.createFuture<number>();
      t = createTask(waiter(fut));
      yield* sleep(0);
      if (outcome === 'result') fut.setResult(1);
      else fut.setException(new RangeError('x'));
      t.cancel('late');
      e = yield* errorOf(t);
      assert.ok(e instanceof CancelledError, outcome);
      assert.equal(e.message, 'late');
    }
    assert.deepEqual(reports, []);
  });

  test('cancel_wakeup_message: the failure of a future the cancelled task awaited counts as retrieved (no report at close)', () => {
    const reports: string[] = [];
    runSync(function* () {
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop, context) => {
        reports.push(context.message);
      });
      const fut = loop.createFuture<number>();
      const t = createTask(
        (function* (): Coroutine<number> {
          return yield* fut;
        })(),
      );
      yield* sleep(0);
      fut.setException(new RangeError('x'));
      t.cancel('late');
      assert.equal(((yield* errorOf(t)) as Error).message, 'late');
    });
    // CPython 3.13: reports [] (cancel() tried fut.cancel(), which clears the report; __wakeup retrieved it)
    assert.deepEqual(reports, []);
  });

  flavours('cancel_inner_future: cancelling a task cancels the future it awaits', function* () {
    const fut = getRunningLoop().createFuture<number>();
    function* waiter(): Coroutine<number> {
      return yield* fut;
    }
    const t = createTask(waiter());
    yield* sleep(0);
    assert.equal(t.cancel(), true);
    assert.equal(fut.cancelled(), true);
    assert.ok((yield* errorOf(t)) instanceof CancelledError);
    assert.equal(t.cancelled(), true);
    assert.equal(t.cancel(), false); // done: nothing to cancel
  });

  flavours('cancel_both_task_and_inner_future: the task ends cancelled', function* () {
    const fut = getRunningLoop().createFuture<number>();
    function* waiter(): Coroutine<number> {
      return yield* fut;
    }
    const t = createTask(waiter());
    yield* sleep(0);
    fut.cancel();
    t.cancel();
    assert.ok((yield* errorOf(t)) instanceof CancelledError);
    assert.equal(t.cancelled(), true);
  });

  flavours('task_cancel_sleeping_task: a sleep is interrupted at the time of the cancel', function* () {
    const loop = getRunningLoop();
    function* sleeper(): Coroutine<void> {
      yield* sleep(5000);
    }
    const t = createTask(sleeper());
    loop.callLater(10, () => t.cancel());
    assert.ok((yield* errorOf(t)) instanceof CancelledError);
    assert.equal(loop.time(), 10);
    assert.equal(loop._nextDeadline(), null); // the sleep's timer was cancelled, not left behind
  });

  flavours('cancel_with_message_then_future_result: the first retrieval gets the message, later ones a fresh error', function* () {
    function* sleeper(): Coroutine<void> {
      yield* sleep(1000);
    }
    const t = createTask(sleeper());
    yield* sleep(0);
    t.cancel('my message');
    const first = yield* errorOf(t);
    assert.ok(first instanceof CancelledError);
    assert.equal(first.message, 'my message');
    let second: unknown = null;
    try {
      t.result();
    } catch (e) {
      second = e;
    }
    assert.ok(second instanceof CancelledError);
    assert.notEqual(second, first);
    assert.equal((second as Error).message, '');
    assert.throws(() => t.exception(), (e) => e instanceof CancelledError && e.message === '');
  });

  flavours('cancel_with_message_before_starting_task: the message reaches the coroutine', function* (flavour) {
    let started = false;
    let seen: unknown = null;
    function* body(): Coroutine<void> {
      started = true;
      try {
        yield* sleep(1000);
      } catch (e) {
        seen = e;
        throw e;
      }
    }
    const t = createTask(body());
    t.cancel('early');
    const error = yield* errorOf(t);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, 'early');
    // Lazy: the first step throws into a coroutine that never started. Eager: it already waits in sleep.
    assert.equal(started, flavour.eager);
    assert.equal(seen, flavour.eager ? error : null);
  });

  flavours('cancel_task_catching: a task that swallows CancelledError and returns is not cancelled', function* () {
    function* stubborn(): Coroutine<string> {
      try {
        yield* sleep(1000);
      } catch (e) {
        assert.ok(e instanceof CancelledError);
      }
      return 'swallowed';
    }
    const t = createTask(stubborn());
    yield* sleep(0);
    t.cancel();
    assert.equal(yield* t, 'swallowed');
    assert.equal(t.cancelled(), false);
    assert.equal(t.cancelling(), 1); // the request is still counted (uncancel() was not called)
  });

  flavours('cancel_task_ignoring: after swallowing one cancel the task goes on awaiting new futures', function* () {
    const loop = getRunningLoop();
    const fut1 = loop.createFuture<void>();
    const fut2 = loop.createFuture<void>();
    const fut3 = loop.createFuture<number>();
    function* body(): Coroutine<number> {
      yield* fut1;
      try {
        yield* fut2;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
      return yield* fut3;
    }
    const t = createTask(body());
    yield* sleep(0);
    assert.equal(t._futWaiter, fut1);
    fut1.setResult();
    yield* sleep(0);
    assert.equal(t._futWaiter, fut2);
    t.cancel();
    assert.equal(fut2.cancelled(), true);
    yield* sleep(0);
    assert.equal(t._futWaiter, fut3);
    fut3.setResult(42);
    assert.equal(yield* t, 42);
    assert.equal(fut3.cancelled(), false);
    assert.equal(t.cancelled(), false);
  });

  flavours('cancel_current_task: a task that cancels itself is interrupted at its next suspension', function* () {
    const seen: string[] = [];
    function* selfCancel(): Coroutine<void> {
      const me = currentTask() as Task<unknown>;
      assert.equal(me.cancel(), true);
      seen.push('still running after cancel()'); // cancellation lands at the next suspension
      yield* sleep(0);
      seen.push('NOT REACHED');
    }
    const t = createTask(selfCancel());
    assert.ok((yield* errorOf(t)) instanceof CancelledError);
    assert.deepEqual(seen, ['still running after cancel()']);
    assert.equal(t.cancelled(), true);
  });

  flavours('cancel_at_end: cancel() during the last step makes the task end cancelled', function* () {
    function* body(): Coroutine<number> {
      (currentTask() as Task<unknown>).cancel('at the end');
      return 12;
    }
    const t = createTask(body());
    const error = yield* errorOf(t);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, 'at the end');
    assert.equal(t.cancelled(), true);
  });

  flavours('cancel during a finally that awaits: the finally completes, then the task is cancelled', function* () {
    const seen: string[] = [];
    function* body(): Coroutine<void> {
      try {
        yield* sleep(100);
      } finally {
        seen.push('cleanup start');
        yield* sleep(10);
        seen.push('cleanup end');
      }
    }
    const t = createTask(body());
    yield* sleep(1);
    t.cancel();
    assert.ok((yield* errorOf(t)) instanceof CancelledError);
    assert.deepEqual(seen, ['cleanup start', 'cleanup end']);
    assert.equal(getRunningLoop().time(), 11);
  });

  flavours('cancel twice: the second cancel interrupts the awaiting finally (asyncio semantics, style.md §7.2)', function* () {
    const seen: string[] = [];
    function* body(): Coroutine<void> {
      try {
        yield* sleep(100);
      } finally {
        seen.push('cleanup1');
        yield* sleep(10);
        seen.push('cleanup2');
      }
    }
    const t = createTask(body());
    yield* sleep(1);
    t.cancel();
    yield* sleep(1);
    t.cancel();
    assert.ok((yield* errorOf(t)) instanceof CancelledError);
    assert.deepEqual(seen, ['cleanup1']);
    assert.equal(t.cancelling(), 2);
  });

  flavours('yield* in the finally of a delegated helper, then cancel: the caller does not resume (style.md §7.1)', function* () {
    const seen: string[] = [];
    function* helper(): Coroutine<void> {
      try {
        yield* sleep(100);
      } finally {
        seen.push('helper cleanup');
        yield* sleep(10);
        seen.push('helper cleanup done');
      }
    }
    function* caller(): Coroutine<void> {
      yield* helper();
      seen.push('CALLER RESUMED');
    }
    const t = createTask(caller());
    yield* sleep(1);
    t.cancel();
    assert.ok((yield* errorOf(t)) instanceof CancelledError);
    assert.deepEqual(seen, ['helper cleanup', 'helper cleanup done']);
    assert.equal(t.cancelled(), true);
  });

  flavours('uncancel_resets_must_cancel: uncancel() down to zero withdraws a pending cancel (3.13)', function* () {
    const fut = getRunningLoop().createFuture<void>();
    function* body(): Coroutine<number> {
      yield* fut;
      return 42;
    }
    const t = createTask(body());
    yield* sleep(0); // the task waits for fut
    fut.setResult(); // the task is runnable: cancel() cannot go through a waiter
    assert.equal(t.cancel(), true);
    assert.equal(t.cancelling(), 1);
    assert.equal(t._mustCancel, true);
    assert.equal(t.uncancel(), 0);
    assert.equal(t.cancelling(), 0);
    assert.equal(t._mustCancel, false);
    assert.equal(yield* t, 42);
  });

  flavours('uncancel counts: cancelling() counts requests, uncancel() never goes below zero', function* () {
    function* body(): Coroutine<void> {
      for (;;) {
        try {
          yield* sleep(1000);
          return;
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
        }
      }
    }
    const t = createTask(body());
    yield* sleep(0);
    t.cancel();
    t.cancel();
    assert.equal(t.cancelling(), 2);
    assert.equal(t.uncancel(), 1);
    yield* sleep(0);
    assert.equal(t.uncancel(), 0);
    assert.equal(t.uncancel(), 0);
    assert.equal(t.cancelling(), 0);
    yield* t;
    assert.equal(t.cancelled(), false);
  });

  flavours('cancel of a task awaiting a task that ignores cancellation: both finish normally', function* () {
    function* stubborn(): Coroutine<string> {
      try {
        yield* sleep(100);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
      yield* sleep(100);
      return 'inner result';
    }
    function* outer(inner: Task<string>): Coroutine<string> {
      return yield* inner;
    }
    const inner = createTask(stubborn());
    const o = createTask(outer(inner));
    yield* sleep(1);
    assert.equal(o.cancel(), true);
    assert.equal(inner.cancelling(), 1);
    assert.equal(yield* o, 'inner result');
    assert.equal(o.cancelled(), false);
    assert.equal(o.cancelling(), 1);
    assert.equal(getRunningLoop().time(), 101);
  });

  flavours('cancel_traceback_for_future_exception: a cancelled task raises CancelledError from result() and exception()', function* () {
    function* sleeper(): Coroutine<void> {
      yield* sleep(10);
    }
    const t = createTask(sleeper());
    yield* sleep(0);
    t.cancel();
    yield* sleep(0);
    yield* sleep(0);
    assert.equal(t.cancelled(), true);
    assert.throws(() => t.result(), CancelledError);
    assert.throws(() => t.exception(), CancelledError);
  });
});

describe('Task bad yields and misuse', () => {
  flavours('bad yield: `yield 42` throws "Task got bad yield: 42" into the coroutine', function* () {
    function* bad(): Coroutine<string> {
      try {
        yield 42 as never;
      } catch (e) {
        assert.ok(e instanceof RuntimeError);
        return e.message;
      }
      return 'no error';
    }
    assert.equal(yield* createTask(bad()), 'Task got bad yield: 42');
  });

  // A lazy task is already awaited by main when it runs (asyncio's repr then shows cb=[Task.task_wakeup()]).
  const awaitedCb = (flavour: { eager: boolean }): string => (flavour.eager ? '' : ' cb=[Task.task_wakeup()]');

  flavours('bad yield: `yield fut` instead of `yield* fut` is refused with the yield* hint', function* (flavour) {
    const fut = getRunningLoop().createFuture<number>();
    function* bad(): Coroutine<string> {
      try {
        yield fut as never;
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    }
    const t = createTask(bad(), { name: 'bad' });
    assert.equal(
      yield* t,
      `yield was used instead of yield* in task <Task pending name='bad' coro=<coroutine>${awaitedCb(flavour)}> with <Future pending>. Write \`yield* future\` to await it.`,
    );
  });

  flavours('bad yield: yielding a Promise points to fromPromise', function* () {
    function* bad(): Coroutine<string> {
      try {
        yield Promise.resolve(1) as never;
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    }
    assert.equal(
      yield* createTask(bad()),
      'Task got bad yield: [object Promise]. A Promise is not a yieldio awaitable: write `yield* fromPromise(promise)`.',
    );
  });

  flavours('bad yield: yielding a coroutine (yield instead of yield*) says so', function* (flavour) {
    function* inner(): Coroutine<void> {}
    function* bad(): Coroutine<string> {
      try {
        yield inner() as never;
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    }
    // Regression: the generator used to show as `[object ]` (its constructor has no name).
    assert.equal(
      yield* createTask(bad(), { name: 'g' }),
      `yield was used instead of yield* for generator in task <Task pending name='g' coro=<coroutine>${awaitedCb(flavour)}> with [object Generator]. Write \`yield* coro\` to await a coroutine.`,
    );
  });

  flavours('bare yield: `yield` (undefined) is one trip through the ready queue', function* (flavour) {
    const seen: string[] = [];
    function* bare(): Coroutine<void> {
      seen.push('before');
      yield undefined as never;
      seen.push('after');
    }
    const t = createTask(bare());
    getRunningLoop().callSoon(() => seen.push('callback'));
    yield* t;
    // Eager: the task's next step was queued (at its bare yield) before the callback was.
    assert.deepEqual(seen, flavour.eager ? ['before', 'after', 'callback'] : ['before', 'callback', 'after']);
  });

  flavours('task_awaits_on_itself: "Task cannot await on itself"', function* (flavour) {
    function* selfish(): Coroutine<string> {
      try {
        yield* currentTask() as Task<unknown>;
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    }
    const t = createTask(selfish(), { name: 'me' });
    assert.equal(yield* t, `Task cannot await on itself: <Task pending name='me' coro=<coroutine>${awaitedCb(flavour)}>`);
  });

  test('a future of another loop is refused', () => {
    const other = new EventLoop({ clock: 'virtual' });
    const foreign = other.createFuture<number>();
    const message = runSync(function* () {
      function* bad(): Coroutine<string> {
        try {
          yield* foreign;
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      }
      return yield* createTask(bad(), { name: 'x' });
    });
    assert.equal(message, "Task <Task pending name='x' coro=<coroutine> cb=[Task.task_wakeup()]> got Future <Future pending> attached to a different loop");
  });

  flavours('set_result on a Task is a RuntimeError (so is set_exception)', function* () {
    const t = createTask(value(1));
    assert.throws(() => (t as unknown as Future<number>).setResult(2), {
      name: 'RuntimeError',
      message: 'Task does not support setResult operation',
    });
    assert.throws(() => (t as unknown as Future<number>).setException(new Error('x')), {
      name: 'RuntimeError',
      message: 'Task does not support setException operation',
    });
    assert.equal(yield* t, 1);
  });

  test('create_task of a generator function, a native async function, a Promise: TypeError with the hint', () => {
    runSync(function* () {
      function* genFn(): Coroutine<void> {}
      assert.throws(() => createTask(genFn as never), {
        name: 'TypeError',
        message: 'a coroutine was expected, got <function genFn>. Call the function to get a coroutine: createTask(genFn()) instead of createTask(genFn).',
      });
      async function fetchIt(): Promise<void> {}
      assert.throws(() => createTask(fetchIt as never), {
        name: 'TypeError',
        message:
          'a coroutine was expected, got <function fetchIt>. fetchIt is a native async function; yieldio coroutines are `function*` generators: write `function* fetchIt() { ... }` and `yield*` instead of `await`, or wrap a Promise with fromPromise().',
      });
      assert.throws(() => createTask(Promise.resolve(1) as never), {
        name: 'TypeError',
        message: 'a coroutine was expected, got [object Promise]. A Promise is not a coroutine: await it inside a coroutine with `yield* fromPromise(promise)`.',
      });
      assert.throws(() => createTask(42 as never), {
        name: 'TypeError',
        message: 'a coroutine was expected, got 42. Pass the generator object of a `function*`, e.g. createTask(main()).',
      });
      // Also through the loop method and the eager factory.
      assert.throws(() => getRunningLoop().createTask(genFn as never), TypeError);
      getRunningLoop().setTaskFactory(eagerTaskFactory);
      assert.throws(() => createTask(genFn as never), TypeError);
      assert.throws(() => getRunningLoop().createTask(genFn as never), TypeError);
    });
  });

  // CPython 3.13 twin (create_task twice on one coroutine object, then await both):
  //   quick t1 returned 'q' / quick t2 RuntimeError cannot reuse already awaited coroutine
  //   slow t2 RuntimeError cannot reuse already awaited coroutine / slow t1 returned 's'
  //   finished then cancelled RuntimeError cannot reuse already awaited coroutine
  //   cancelled first t1 CancelledError / cancelled first t2 RuntimeError cannot reuse already awaited coroutine
  const REUSED = /^cannot reuse already awaited coroutine: the coroutine of task 'Task-\d+' was already given to another task\. Call the coroutine function again for each task, or await the first task \(`yield\* task`\)\.$/;

  flavours('coroutine reuse: a second task given the same coroutine raises "cannot reuse already awaited coroutine"', function* () {
    let runs = 0;
    function* quick(): Coroutine<string> {
      runs++;
      return 'q';
    }
    function* slow(): Coroutine<string> {
      runs++;
      yield* sleep(10);
      return 's';
    }
    for (const make of [quick, slow]) {
      runs = 0;
      const coro = make();
      const t1 = createTask(coro);
      const t2 = createTask(coro);
      const e = yield* errorOf(t2);
      assert.ok(e instanceof RuntimeError);
      assert.match(e.message, REUSED);
      assert.equal(yield* t1, make === quick ? 'q' : 's'); // the first result is never lost
      assert.equal(runs, 1);
      const t3 = createTask(coro); // finished: still refused
      assert.match(((yield* errorOf(t3)) as Error).message, REUSED);
    }
  });

  // The claim is a private field stamped on the coroutine: nothing its owner can see or trap.
  flavours('coroutine reuse: the claim adds nothing visible and runs no Proxy trap, and a frozen coroutine object is claimed too', function* () {
    function* body(): Coroutine<string> {
      yield* sleep(0);
      return 'done';
    }
    const coro = body();
    const keysBefore = Reflect.ownKeys(coro);
    assert.equal(yield* createTask(coro), 'done');
    assert.deepEqual(Reflect.ownKeys(coro), keysBefore);
    assert.equal(Object.isExtensible(coro), true);

    // A hand-written coroutine object, frozen: claimed all the same, and a second task refused.
    const frozen = Object.freeze({
      next: () => ({ done: true as const, value: 'f' }),
      throw: (e: unknown) => {
        throw e;
      },
      return: (v: unknown) => ({ done: true as const, value: v }),
      [Symbol.iterator]() {
        return this;
      },
    }) as unknown as Coroutine<string>;
    assert.equal(yield* createTask(frozen), 'f');
    assert.match(((yield* errorOf(createTask(frozen))) as Error).message, REUSED);

    // A Proxy over a generator: the claim goes on the proxy itself and calls none of its traps.
    const traps: string[] = [];
    const target = body();
    const handler: ProxyHandler<object> = {};
    for (const trap of ['get', 'set', 'has', 'defineProperty', 'getOwnPropertyDescriptor', 'ownKeys', 'isExtensible', 'preventExtensions'] as const) {
      (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
        if (trap !== 'get') traps.push(trap);
        return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
      };
    }
    const proxied = new Proxy(target, handler) as Coroutine<string>;
    const viaProxy = createTask(proxied);
    assert.match(((yield* errorOf(createTask(proxied))) as Error).message, REUSED);
    traps.length = 0;
    void viaProxy.cancel();
    yield* errorOf(viaProxy);
    assert.deepEqual(traps, []);
  });

  // Lazy tasks only: under the eager factory no task can be cancelled before its first step.
  test('coroutine reuse: refused even when the second task was cancelled before its first step', () => runSync(function* () {
    const coro = value('v');
    assert.equal(yield* createTask(coro), 'v');
    const t2 = createTask(coro);
    t2.cancel();
    const e = yield* errorOf(t2);
    assert.ok(e instanceof RuntimeError, 'CPython: RuntimeError, not CancelledError');
    assert.equal(t2.cancelled(), false);
    // A task cancelled before its first step still claims the coroutine (CPython closes it).
    const coro2 = value('w');
    const first = createTask(coro2);
    first.cancel();
    const second = createTask(coro2);
    assert.ok((yield* errorOf(first)) instanceof CancelledError);
    assert.match(((yield* errorOf(second)) as Error).message, REUSED);
  }));

  flavours('coroutine reuse: sleep(0) is one shared stateless iterator, so tasks may share it', function* () {
    const s0 = sleep(0);
    assert.deepEqual(yield* gather2(createTask(s0), createTask(s0)), [undefined, undefined]);
  });

  // A JavaScript-only mistake (Python's __await__ always returns a full iterator): an awaitable
  // whose iterator has only next(). The engine cannot throw into it; the task still reports what
  // it threw in, and the foreign iterator is closed (return()) as yield* does (style.md §7.11).
  function throwless<T>(inner: Awaitable<T>, log: string[]): Awaitable<T> {
    return {
      [Symbol.iterator]() {
        const it = inner[Symbol.iterator]();
        return {
          next: (v: unknown) => it.next(v),
          return: (v: T) => {
            log.push('closed');
            return it.return(v);
          },
        } as never;
      },
    };
  }
  const badYielder: Awaitable<string> = {
    [Symbol.iterator]() {
      let n = 0;
      return { next: () => (n++ === 0 ? { value: 42, done: false } : { value: 'end', done: true }) } as never;
    },
  };

  flavours('throw-less awaitable: a cancellation still ends the task cancelled with CancelledError(msg)', function* () {
    for (const how of ['yield*', 'ensureFuture'] as const) {
      const log: string[] = [];
      const aw = throwless(sleep(100, 'x'), log);
      const t =
        how === 'ensureFuture'
          ? ensureFuture(aw)
          : createTask(
              (function* (): Coroutine<string> {
                try {
                  return yield* aw;
                } finally {
                  log.push('finally');
                }
              })(),
            );
      yield* sleep(0);
      t.cancel('stop');
      const e = yield* errorOf(t);
      assert.ok(e instanceof CancelledError, `${how}: got ${String(e)}`);
      assert.equal(e.message, 'stop');
      assert.equal(t.cancelled(), true);
      assert.deepEqual(log, how === 'yield*' ? ['closed', 'finally'] : ['closed']);
    }
  });

  flavours('throw-less awaitable: a bad yield still fails the task with "Task got bad yield: 42"', function* () {
    const direct = createTask(
      (function* (): Coroutine<string> {
        return yield* badYielder;
      })(),
    );
    for (const t of [direct, ensureFuture(badYielder)]) {
      const e = yield* errorOf(t);
      assert.ok(e instanceof RuntimeError, String(e));
      assert.equal(e.message, 'Task got bad yield: 42');
    }
  });

  flavours('throw-less awaitable through ensureFuture: the values and the result pass through', function* () {
    const log: string[] = [];
    assert.equal(yield* ensureFuture(throwless(sleep(5, 'slept'), log)), 'slept');
    assert.equal(yield* ensureFuture(throwless(sleep(0), log)), undefined);
    assert.deepEqual(log, []);
  });

  test('isCoroutine: generator objects only', () => {
    assert.equal(isCoroutine(value(1)), true);
    assert.equal(isCoroutine(value), false);
    assert.equal(isCoroutine(Promise.resolve()), false);
    assert.equal(isCoroutine({ next() {} }), false);
    assert.equal(isCoroutine(null), false);
  });
});

describe('ensureFuture', () => {
  flavours('ensure_future: a Future as is, a coroutine as a Task, another awaitable through a Task', function* () {
    const loop = getRunningLoop();
    const fut = loop.createFuture<number>();
    assert.equal(ensureFuture(fut), fut);
    const t = ensureFuture(value(5));
    assert.ok(t instanceof Task);
    assert.equal(yield* t, 5);
    const custom: Awaitable<string> = {
      *[Symbol.iterator]() {
        yield* sleep(3);
        return 'custom';
      },
    };
    const wrapped = ensureFuture(custom);
    assert.ok(wrapped instanceof Task);
    assert.equal(yield* wrapped, 'custom');
  });

  test('ensure_future refuses a Promise (pointing to fromPromise), a number, and a future of another loop', () => {
    runSync(function* () {
      assert.throws(() => ensureFuture(Promise.resolve(1) as never), {
        name: 'TypeError',
        message: 'An asyncio.Future, a coroutine or an awaitable is required, got `[object Promise]` (object). For a Promise, use fromPromise(promise).',
      });
      assert.throws(() => ensureFuture(3 as never), {
        name: 'TypeError',
        message: 'An asyncio.Future, a coroutine or an awaitable is required, got `3` (number).',
      });
      const other = new EventLoop({ clock: 'virtual' });
      assert.throws(() => ensureFuture(other.createFuture(), getRunningLoop()), {
        name: 'RangeError', // asyncio: ValueError
        message: 'The future belongs to a different loop than the one specified as the loop argument',
      });
    });
  });
});

describe('eager task factory', () => {
  flavours(
    'eager_task_factory: a task runs synchronously in createTask until its first suspension',
    function* () {
      const seen: string[] = [];
      function* body(): Coroutine<string> {
        seen.push('start');
        yield* sleep(0);
        seen.push('resumed');
        return 'done';
      }
      const t = createTask(body());
      seen.push('after createTask');
      assert.equal(t.done(), false);
      assert.equal(yield* t, 'done');
      assert.deepEqual(seen, ['start', 'after createTask', 'resumed']);
    },
    (f) => f.eager,
  );

  flavours(
    'eager_task_factory: a coroutine that never suspends is done when createTask returns',
    function* () {
      const main = currentTask();
      let inside: unknown = null;
      function* quick(): Coroutine<number> {
        inside = currentTask();
        return 7;
      }
      const t = createTask(quick());
      assert.equal(t.done(), true);
      assert.equal(t.result(), 7);
      assert.equal(inside, t);
      assert.equal(currentTask(), main); // restored after the eager step
      assert.equal(allTasks().has(t), false);
      function* failing(): Coroutine<number> {
        throw new RangeError('eager failure');
      }
      const f = createTask(failing());
      assert.equal(f.done(), true);
      assert.equal((f.exception() as Error).message, 'eager failure');
    },
    (f) => f.eager,
  );

  flavours(
    'lazy tasks: createTask only schedules the first step',
    function* () {
      let started = false;
      function* body(): Coroutine<void> {
        started = true;
      }
      const t = createTask(body());
      assert.equal(started, false);
      assert.equal(t.done(), false);
      yield* t;
      assert.equal(started, true);
    },
    (f) => !f.eager,
  );

  flavours(
    'eager task: done callbacks added after an eager finish still run through the loop',
    function* () {
      const t = createTask(value(3));
      const calls: unknown[] = [];
      t.addDoneCallback((f) => calls.push(f.result()));
      assert.deepEqual(calls, []); // never inline
      yield* sleep(0);
      assert.deepEqual(calls, [3]);
    },
    (f) => f.eager,
  );

  test('eager_task_factory outside a running loop starts the task lazily', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    loop.setTaskFactory(eagerTaskFactory);
    let started = false;
    function* body(): Coroutine<number> {
      started = true;
      return 1;
    }
    const t = loop.createTask(body());
    assert.equal(started, false);
    assert.equal(loop.runUntilCompleteSync(t), 1);
    assert.equal(started, true);
  });
});

describe('unretrieved exceptions', () => {
  test('a task exception nobody retrieved is reported when the loop closes; one that was looked at is not', () => {
    const seen: ExceptionContext[] = [];
    let lost: Task<void> | null = null;
    runSync(function* () {
      getRunningLoop().setExceptionHandler((_l, ctx) => seen.push(ctx));
      function* failing(message: string): Coroutine<void> {
        yield* sleep(1);
        throw new Error(message);
      }
      lost = createTask(failing('lost'), { name: 'lost' });
      const looked = createTask(failing('looked at'));
      const awaited = createTask(failing('awaited'));
      yield* sleep(5);
      assert.equal((looked.exception() as Error).message, 'looked at');
      yield* errorOf(awaited);
      assert.deepEqual(seen, []); // nothing yet: the GC or close() reports it
    });
    assert.equal(seen.length, 1);
    const [ctx] = seen as [ExceptionContext];
    assert.equal(ctx.message, 'Task exception was never retrieved');
    assert.equal((ctx.exception as Error).message, 'lost');
    assert.equal(ctx.future, lost);
    assert.match(String(ctx.future), /^<Task finished name='lost' coro=<.*> exception=Error\('lost'\)>$/);
  });

  test('cancel() on a future that holds an exception drops its report (test_tb_logger_not_called_after_cancel)', () => {
    // CPython 3.13: fut.set_exception(Exception()); fut.cancel() -> False; no "never retrieved" log.
    const loop = new EventLoop();
    const seen: string[] = [];
    loop.setExceptionHandler((_l, ctx) => seen.push(ctx.message));
    const fut = loop.createFuture();
    fut.setException(new Error('x'));
    assert.equal(fut.cancel(), false);
    const kept = loop.createFuture();
    kept.setException(new Error('y'));
    loop.close();
    assert.deepEqual(seen, ['Future exception was never retrieved']);
  });

  test('cancel() on a failed task drops its report too', () => {
    const seen: string[] = [];
    runSync(function* () {
      getRunningLoop().setExceptionHandler((_l, ctx) => seen.push(ctx.message));
      const t = createTask((function* (): Coroutine<void> {
        throw new Error('x');
      })());
      yield* sleep(1);
      assert.equal(t.cancel(), false);
    });
    assert.deepEqual(seen, []);
  });

  test('shield(): the outer cancelled, the inner failing later is reported (CPython 3.13 does too)', () => {
    // CPython: outer.cancel(); inner raises later -> "Task exception was never retrieved" for inner
    // (shield's outer done callback removes the inner one). See test/differential/unretrieved.py.
    const seen: ExceptionContext[] = [];
    runSync(function* () {
      getRunningLoop().setExceptionHandler((_l, ctx) => seen.push(ctx));
      const inner = createTask((function* (): Coroutine<void> {
        yield* sleep(5);
        throw new Error('shielded');
      })(), { name: 'inner' });
      const outer = shield(inner);
      outer.cancel();
      yield* sleep(10);
      assert.equal(inner.done(), true);
    });
    assert.deepEqual(seen.map((c) => [c.message, (c.exception as Error).message, (c.future as Task<void>).getName()]), [
      ['Task exception was never retrieved', 'shielded', 'inner'],
    ]);
  });

  test('run() reports before it resolves; Runner.close() reports what its runs left', async () => {
    const seen: string[] = [];
    function* forget(): Coroutine<string> {
      getRunningLoop().setExceptionHandler((_l, ctx) => seen.push(`${ctx.message}: ${(ctx.exception as Error).message}`));
      createTask((function* (): Coroutine<void> {
        throw new Error('forgotten');
      })());
      yield* sleep(1);
      return 'done';
    }
    assert.equal(await run(forget), 'done');
    assert.deepEqual(seen, ['Task exception was never retrieved: forgotten']);
    seen.length = 0;
    const runner = new Runner();
    assert.equal(await runner.run(forget), 'done');
    assert.equal(await runner.run(forget), 'done');
    assert.deepEqual(seen, [], 'the loop is still open: nothing yet');
    await runner.close();
    assert.deepEqual(seen, ['Task exception was never retrieved: forgotten', 'Task exception was never retrieved: forgotten']);
  });

  test('each unretrieved exception is reported once, even if the loop is closed twice', () => {
    const loop = new EventLoop();
    let count = 0;
    loop.setExceptionHandler(() => count++);
    loop.createFuture().setException(new Error('x'));
    loop.close();
    loop.close();
    assert.equal(count, 1);
  });
});

// Issue #12: a step resumes a plain generator through Generator.prototype.next directly (the fast
// path); anything else that is a coroutine, or a generator whose next() was replaced, must still be
// driven through its own next().
describe('step fast path and the coroutines it does not take', () => {
  flavours('a hand-written coroutine object (no generator) is driven through its own next()', function* () {
    const calls: unknown[] = [];
    const coro = {
      next(value?: unknown) {
        calls.push(value);
        return calls.length === 1 ? { value: undefined, done: false } : { value: 'hand-made', done: true };
      },
      throw(error: unknown): never {
        throw error;
      },
      return(value: unknown) {
        return { value, done: true };
      },
      [Symbol.iterator]() {
        return this;
      },
    } as unknown as Coroutine<string>;
    assert.equal(yield* createTask(coro), 'hand-made');
    assert.deepEqual(calls, [undefined, undefined]);
  });

  flavours('a generator whose next() was replaced before createTask runs through the replacement', function* () {
    function* body(): Coroutine<string> {
      yield* sleep(0);
      return 'done';
    }
    const gen = body();
    const realNext = gen.next;
    let seen = 0;
    (gen as { next: unknown }).next = function (this: Coroutine<string>, value?: unknown) {
      seen++;
      return realNext.call(this, value as never);
    };
    assert.equal(yield* createTask(gen), 'done');
    assert.equal(seen, 2, 'both steps went through the replaced next()');
  });

  flavours('an error thrown in on the fast path reaches the coroutine; the next send is a plain value again', function* () {
    const fut = getRunningLoop().createFuture<number>();
    function* body(): Coroutine<string> {
      try {
        yield* sleep(5);
      } catch (e) {
        assert.ok(e instanceof CancelledError);
      }
      getRunningLoop().callSoon(() => fut.setResult(7));
      const got = yield* fut;
      yield* sleep(0);
      return `got ${got}`;
    }
    const t = createTask(body());
    yield* sleep(0);
    t.cancel();
    assert.equal(yield* t, 'got 7');
    assert.equal(t.cancelling(), 1);
    assert.equal(t.uncancel(), 0);
  });
});
