import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, asCompleted, gather, shield, wait, waitFor } from './combinators.ts';
import { CancelledError, StopAsyncIteration, TimeoutError } from './exceptions.ts';
import { Handle, getRunningLoop } from './events.ts';
import { Future, type DoneCallback } from './futures.ts';
import { ContextVar } from './contextvars.ts';
import type { ExceptionContext } from './base-events.ts';
import { Task, createTask, currentTask, eagerTaskFactory, sleep } from './tasks.ts';
import { asyncFor } from './asyncgen.ts';
import { runSync } from './runners.ts';
import { flavours } from '../test/support/flavours.ts';
import type { Awaitable, Coroutine } from './types.ts';
import { catching, fail } from '../test/support/coroutines.ts';

describe('gather', () => {
  flavours('gather: results in argument order, not completion order', function* () {
    const loop = getRunningLoop();
    const t = createTask(sleep(5, 'task'));
    const results = yield* gather([sleep(30, 'a'), t, sleep(10, 2)]);
    assert.deepEqual(results, ['a', 'task', 2]);
    assert.equal(loop.time(), 30);
    const variadic = yield* gather(sleep(1, 'x'), sleep(2, 'y'));
    assert.deepEqual(variadic, ['x', 'y']);
    assert.deepEqual(yield* gather([]), []);
    assert.deepEqual(yield* gather(), []);
  });

  flavours('gather: the first error fails the gather; the others keep running', function* () {
    const other = createTask(sleep(20, 'other'));
    const error = yield* catching(gather([fail(5, 'boom'), other]));
    assert.ok(error instanceof Error);
    assert.equal(error.message, 'boom');
    assert.ok(!other.done());
    assert.equal(yield* other, 'other');
  });

  flavours('gather_return_exceptions: errors and cancellations come back in place', function* () {
    const victim = createTask(sleep(100));
    getRunningLoop().callLater(1, () => victim.cancel('bye'));
    const results = yield* gather([sleep(2, 1), fail(3, 'x'), victim], { returnExceptions: true });
    assert.equal(results[0], 1);
    assert.ok(results[1] instanceof Error);
    assert.equal(results[1].message, 'x');
    assert.ok(results[2] instanceof CancelledError);
    assert.equal(results[2].message, ''); // CPython 3.13 too: [CancelledError('')] (the message went to the awaited future)
  });

  flavours('gather_cancel: cancelling the gather cancels the children; the error comes from the last child', function* () {
    const a = createTask(sleep(100));
    const b = createTask(sleep(100));
    const g = gather([a, b]);
    yield* sleep(1);
    assert.equal(g.cancel('stop'), true);
    const error = yield* catching(g);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, 'stop');
    assert.ok(a.cancelled() && b.cancelled());
    assert.equal(g.cancelled(), false); // CPython 3.13: gather cancelled CancelledError('boo') False True
    assert.ok(g.done());
    assert.equal(g.cancel(), false);
  });

  flavours('gather_cancel_child_first_message: a child cancelled first keeps its message; the gather fails with it', function* () {
    const a = createTask(sleep(100));
    const b = createTask(sleep(100));
    const g = gather([a, b]);
    yield* sleep(1);
    a.cancel('first'); // cancels a's sleep with 'first'
    g.cancel('second'); // b's sleep gets 'second'; a only gets _mustCancel: its sleep is already cancelled
    const error = yield* catching(g);
    assert.ok(error instanceof CancelledError);
    // CPython 3.13 (test/differential/cancel_message_rule.py): CancelledError 'first' cancelled=False
    assert.equal(error.message, 'first');
    assert.equal(g.cancelled(), false);
  });

  flavours('gather_cancel_twice: gather.cancel(a) then gather.cancel(b) raises the first message', function* () {
    const g = gather([createTask(sleep(100)), createTask(sleep(100))]);
    yield* sleep(0);
    assert.equal(g.cancel('a'), true);
    assert.equal(g.cancel('b'), true); // CPython too: the children are pending, their cancel() says True
    const error = yield* catching(g);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, 'a'); // CPython 3.13: CancelledError 'a' cancelled=False
  });

  flavours('gather_child_cancelled: a child cancelled alone fails the gather with its CancelledError', function* () {
    const a = createTask(sleep(100));
    const b = createTask(sleep(5, 'b'));
    const g = gather([a, b]);
    yield* sleep(1);
    a.cancel('only a');
    const error = yield* catching(g);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, 'only a');
    assert.equal(g.cancelled(), false);
    assert.equal(yield* b, 'b');
  });

  flavours('gather_cancel_parent: cancelling the awaiting task cancels the gather and its children', function* () {
    let children: Task<unknown>[] = [];
    const parent = createTask(
      (function* (): Coroutine<unknown> {
        children = [createTask(sleep(100)), createTask(sleep(100))];
        return yield* gather(children);
      })(),
    );
    yield* sleep(1);
    parent.cancel();
    const error = yield* catching(parent);
    assert.ok(error instanceof CancelledError);
    assert.ok(parent.cancelled());
    assert.ok(children.every((c) => c.cancelled()));
  });

  flavours('gather_duplicate_coroutine: a repeated coroutine runs once and fills both slots', function* () {
    let runs = 0;
    function* once(): Coroutine<string> {
      runs++;
      yield* sleep(1);
      return 'v';
    }
    const coro = once();
    const t = createTask(sleep(2, 't'));
    assert.deepEqual(yield* gather([coro, t, coro, t]), ['v', 't', 'v', 't']);
    assert.equal(runs, 1);
  });

  flavours('gather_duplicate_coroutine: past the scanned size (a Set finds repeats), each coroutine still runs once', function* () {
    const runs = new Map<number, number>();
    function* job(k: number): Coroutine<number> {
      runs.set(k, (runs.get(k) ?? 0) + 1);
      yield* sleep(1 + (k % 3));
      return k;
    }
    const coros = Array.from({ length: 40 }, (_, k) => job(k));
    // Repeats far apart, and one coroutine three times: 43 arguments, 40 coroutines.
    const args = [...coros, coros[3] as Coroutine<number>, coros[39] as Coroutine<number>, coros[3] as Coroutine<number>];
    const results = yield* gather(args);
    assert.deepEqual(results, [...Array.from({ length: 40 }, (_, k) => k), 3, 39, 3]);
    assert.equal(runs.size, 40);
    assert.ok([...runs.values()].every((count) => count === 1), `each coroutine runs once, got ${[...runs.values()]}`);
  });

  flavours('gather_duplicate_future: a repeated Future gets one done callback and counts once, as asyncio\'s arg_to_fut', function* () {
    // CPython 3.13: f = loop.create_future(); done = ...set_result('d'); g = gather(f, done, f, done)
    //   len(f._callbacks) == 1; loop.call_soon(f.set_result, 'f'); await g == ['f', 'd', 'f', 'd']
    const loop = getRunningLoop();
    const f = loop.createFuture<string>();
    const done = loop.createFuture<string>();
    done.setResult('d');
    const g = gather([f, done, f, done]);
    assert.ok(f._callbacks !== null && !Array.isArray(f._callbacks), 'one registration on the repeated future');
    assert.equal(g._nfuts, 2);
    loop.callSoon(() => f.setResult('f'));
    assert.deepEqual(yield* g, ['f', 'd', 'f', 'd']);
  });

  flavours('gather_duplicate: past 16 arguments, repeated coroutines, pending and done futures each count once', function* () {
    const loop = getRunningLoop();
    let runs = 0;
    function* job(k: number): Coroutine<number> {
      runs++;
      yield* sleep(1 + (k % 2));
      return k;
    }
    const coros = Array.from({ length: 30 }, (_, k) => job(k));
    const pending = loop.createFuture<number>();
    const done = loop.createFuture<number>();
    done.setResult(-2);
    const c5 = coros[5] as Coroutine<number>;
    // A repeat right after its first occurrence, far from it, and after a done Future switched to the map.
    const args: Awaitable<number>[] = [...coros.slice(0, 10), c5, pending, ...coros.slice(10), pending, done, c5, done, coros[29] as Coroutine<number>];
    loop.callLater(1, () => pending.setResult(-1));
    const g = gather(args);
    assert.equal(g._nfuts, 32);
    const results = yield* g;
    assert.deepEqual(results, [...Array.from({ length: 10 }, (_, k) => k), 5, -1, ...Array.from({ length: 20 }, (_, k) => k + 10), -1, -2, 5, -2, 29]);
    assert.equal(runs, 30);
  });

  flavours('gather_duplicate_coroutine: a task factory that wraps the coroutine still runs a repeat once', function* () {
    const loop = getRunningLoop();
    const previous = loop.getTaskFactory();
    function* wrapper<T>(coro: Coroutine<T>): Coroutine<T> {
      return yield* coro;
    }
    loop.setTaskFactory((l, coro, opts) => new Task(wrapper(coro), l, opts));
    let runs = 0;
    function* once(): Coroutine<string> {
      runs++;
      yield* sleep(1);
      return 'w';
    }
    const c = once();
    try {
      assert.deepEqual(yield* gather([c, sleep(1, 'x'), c]), ['w', 'x', 'w']);
    } finally {
      loop.setTaskFactory(previous);
    }
    assert.equal(runs, 1);
  });

  flavours('gather_claimed_coroutine: a coroutine another task already ran fails its gather slot with "cannot reuse"', function* () {
    function* quick(): Coroutine<string> {
      return 'q';
    }
    const c = quick();
    assert.equal(yield* createTask(c), 'q');
    const results = yield* gather([c, sleep(1, 'ok'), c], { returnExceptions: true });
    assert.equal(results.length, 3);
    assert.ok(results[0] instanceof Error && /^cannot reuse already awaited coroutine/.test(results[0].message), String(results[0]));
    assert.equal(results[2], results[0]);
    assert.equal(results[1], 'ok');
  });

  test('gather_claimed_coroutine: whichever task steps first keeps a coroutine gather also wrapped (CPython\'s order)', () => {
    // CPython 3.13 (test/differential/coroutine_reuse): t = create_task(c); gather(c) -> t returns
    // 'q', the gather slot is RuntimeError; gather(c), then an eager create_task(c) -> the same.
    runSync(function* () {
      const loop = getRunningLoop();
      function* quick(): Coroutine<string> {
        return 'q';
      }
      let c = quick();
      const before = createTask(c);
      let g = gather([c], { returnExceptions: true });
      assert.equal(yield* before, 'q');
      let [slot] = yield* g;
      assert.ok(slot instanceof Error && /^cannot reuse already awaited coroutine/.test(slot.message), String(slot));
      c = quick();
      g = gather([c], { returnExceptions: true });
      loop.setTaskFactory(eagerTaskFactory);
      const eager = createTask(c); // steps now, before gather's task: it takes the coroutine over
      loop.setTaskFactory(null);
      assert.equal(yield* eager, 'q');
      [slot] = yield* g;
      assert.ok(slot instanceof Error && /^cannot reuse already awaited coroutine/.test(slot.message), String(slot));
    });
  });

  test('gather_bad_argument after a child: the child, once failed, is not reported (bpo-46672), as asyncio', () => {
    // CPython 3.13: t = create_task(bad()); gather(t, 42) -> TypeError; t fails later; the exception
    // handler sees nothing (gather's callback on t marks its exception retrieved), after gc too.
    const seen: string[] = [];
    runSync(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => {
        seen.push(context.message);
      });
      const t = createTask(fail(1, 'x'));
      assert.throws(() => gather([t, 42 as never]), { name: 'TypeError' });
      yield* sleep(5);
      assert.ok(t.done());
    });
    assert.deepEqual(seen, []);
  });

  test('gather_duplicate_coroutine: a repeated failing coroutine is reported once per slot with returnExceptions', () => {
    runSync(function* () {
      const error = new Error('boom');
      function* failing(): Coroutine<never> {
        yield* sleep(1);
        throw error;
      }
      const bad = failing();
      const many = Array.from({ length: 20 }, () => sleep(1, 'ok'));
      const results = yield* gather([bad, ...many, bad], { returnExceptions: true });
      assert.equal(results.length, 22);
      assert.equal(results[0], error);
      assert.equal(results[21], error);
      assert.ok(results.slice(1, 21).every((r) => r === 'ok'));
    });
  });

  test('gather_bad_argument: a non-awaitable names its index', () => {
    runSync(function* () {
      assert.throws(() => gather([sleep(1), 42 as never]), {
        name: 'TypeError',
        message: 'An asyncio.Future, a coroutine or an awaitable is required: gather() got `42` (number) as `aws[1]`.',
      });
      assert.throws(() => gather(sleep(1), Promise.resolve(1) as never), {
        name: 'TypeError',
        message: 'An asyncio.Future, a coroutine or an awaitable is required: gather() got `[object Promise]` (object) as argument 1. A Promise is not a yieldio awaitable: wrap it with fromPromise(promise).',
      });
      function* work(): Coroutine<void> {}
      assert.throws(() => gather([work as never]), {
        name: 'TypeError',
        message: 'An asyncio.Future, a coroutine or an awaitable is required: gather() got `function work` (function) as `aws[0]`. Call the function to get a coroutine: work() instead of work.',
      });
      const t = createTask(sleep(1));
      assert.throws(() => gather(t, { returnExceptions: true } as never), {
        name: 'TypeError',
        message:
          'An asyncio.Future, a coroutine or an awaitable is required: gather() got `[object Object]` (object) as argument 1. To pass options, put the awaitables in an array: gather([a, b], { returnExceptions: true }).',
      });
      assert.throws(() => gather([t], { returnExceptions: 'yes' } as never), {
        name: 'TypeError',
        message: 'Expected `options.returnExceptions` to be a boolean, got `"yes"` (string)',
      });
      assert.throws(() => (gather as (...args: unknown[]) => unknown)([t], [t], 3), {
        name: 'TypeError',
        message: 'gather() takes an array of awaitables and an optional options object, got 3 arguments',
      });
      yield* t;
    });
  });

  flavours('gather_done_children: already-finished futures are collected at once', function* () {
    const loop = getRunningLoop();
    const f = loop.createFuture<number>();
    f.setResult(7);
    const bad = loop.createFuture<number>();
    bad.setException(new RangeError('done already'));
    assert.deepEqual(yield* gather([f, f]), [7, 7]);
    const error = yield* catching(gather([f, bad]));
    assert.ok(error instanceof RangeError);
  });
});

// gather's children share one done callback registered without a Handle each (a DoneListener):
// what a user sees must be what a Handle per child showed.
describe('gather: the children\'s shared done callback', () => {
  function* one(): Coroutine<number> {
    return 1;
  }

  test('a pending child lists it among its callbacks; the ready entry reads as its Handle', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      const t = createTask(one(), { name: 'kid' });
      let next = '';
      // The child's first callback: the next ready entry is then gather's, as a stuck-run report would name it.
      t.addDoneCallback(function before() {
        next = String(loop._ready.peekFirst());
      });
      const g = gather([t]);
      assert.match(String(t), /cb=\[before\(\), onChildDone\(\)\]>$/);
      t.addDoneCallback(function after() {});
      assert.match(String(t), /cb=\[before\(\), <1 more>, after\(\)\]>$/);
      assert.deepEqual(yield* g, [1]);
      assert.match(next, /^<Handle onChildDone\(<Task finished name='kid' coro=<\w+> result=1>\)>$/);
      assert.equal(t.removeDoneCallback(g._onChildDone as DoneCallback<Task<number>>), 0); // done: nothing left to remove
    });
  });

  test('removeDoneCallback removes it from a pending child, as a Handle registration', () => {
    runSync(function* () {
      const t = createTask(one());
      const g = gather([t]);
      assert.equal(t.removeDoneCallback(g._onChildDone as DoneCallback<Task<number>>), 1);
      assert.doesNotMatch(String(t), /cb=/);
      yield* t;
      assert.equal(g.done(), false); // the gather never heard of it
    });
  });

  test('debug mode: each child gets a real Handle, named in slow-callback reports', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      const reports: ExceptionContext[] = [];
      loop.setExceptionHandler((_loop, context) => void reports.push(context));
      loop.setDebug(true);
      loop.slowCallbackDuration = 0; // every callback is "slow": each one is reported
      yield* gather([createTask(one(), { name: 'kid' })]);
      loop.setDebug(false);
      const report = reports.find((r) => r.message.startsWith('Executing onChildDone('));
      assert.ok(report !== undefined, JSON.stringify(reports.map((r) => r.message)));
      assert.match(report.message, /^Executing onChildDone\(<Task finished name='kid' coro=<\w+> result=1>\) took \d+\.\d{3} ms$/);
      assert.ok(report.handle instanceof Handle);
    });
  });

  test('with an instrument installed, taskScheduled sees the tasks only, not the children\'s done callbacks', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      const scheduled: unknown[] = [];
      const instrument = { taskScheduled: (task: Task<unknown>) => void scheduled.push(task) };
      loop.addInstrument(instrument);
      const result = yield* gather([createTask(one(), { name: 'kid' })]);
      loop.removeInstrument(instrument);
      assert.deepEqual(result, [1]);
      assert.ok(scheduled.length > 0 && scheduled.every((entry) => entry instanceof Task), scheduled.map(String).join(', '));
      assert.ok(scheduled.some((task) => (task as Task<unknown>).getName() === 'kid'));
    });
  });

  test('an error inside it is reported as "Exception in callback" with the Handle it stands in for', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      const reports: ExceptionContext[] = [];
      loop.setExceptionHandler((_loop, context) => void reports.push(context));
      const t = createTask(one(), { name: 'kid' });
      const g = gather([t, createTask(one())]);
      g._childDone = () => {
        throw new Error('broken');
      };
      yield* sleep(0);
      yield* sleep(0);
      assert.equal(reports.length, 2); // each child's callback reported on its own
      assert.match(reports[0]?.message ?? '', /^Exception in callback onChildDone\(<Task finished name='kid' coro=<\w+> result=1>\)$/);
      assert.equal((reports[0]?.exception as Error).message, 'broken');
      assert.ok(reports[0]?.handle instanceof Handle);
      assert.equal(String(reports[0]?.handle), `<Handle ${reports[0]?.message.slice('Exception in callback '.length)}>`);
    });
  });

  test('it runs in the context current at gather(), a fresh copy per child (asyncio: one copy_context per add_done_callback)', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    runSync(function* () {
      v.set('at gather');
      const g = gather([createTask(one()), createTask(one())]);
      v.set('later');
      const seen: string[] = [];
      const childDone = g._childDone.bind(g);
      g._childDone = (child) => {
        seen.push(v.get());
        v.set('set by a callback');
        childDone(child);
      };
      yield* g;
      assert.deepEqual(seen, ['at gather', 'at gather']);
      assert.equal(v.get(), 'later');
    });
  });

  test('a child whose class overrides addDoneCallback is registered through the override', () => {
    runSync(function* () {
      let calls = 0;
      class MyFut<T> extends Future<T> {
        override addDoneCallback(callback: DoneCallback<this>, options?: { context?: null }): void {
          calls++;
          super.addDoneCallback(callback, options);
        }
      }
      const loop = getRunningLoop();
      const f = new MyFut<number>(loop);
      loop.callSoon(() => f.setResult(2));
      assert.deepEqual(yield* gather([f, one()]), [2, 1]);
      assert.equal(calls, 1);
    });
  });
});

describe('wait', () => {
  flavours('wait_first_completed: returns as soon as one is done', function* () {
    const a = createTask(sleep(10, 'a'));
    const b = createTask(sleep(20, 'b'));
    const [done, pending] = yield* wait([a, b], { returnWhen: FIRST_COMPLETED });
    assert.deepEqual([...done], [a]);
    assert.deepEqual([...pending], [b]);
    assert.equal(getRunningLoop().time(), 10);
    yield* b;
  });

  flavours('wait_first_exception: returns at the first failure', function* () {
    const a = createTask(sleep(30, 'a'));
    const b = createTask(fail(10, 'x'));
    const [done, pending] = yield* wait([a, b], { returnWhen: FIRST_EXCEPTION });
    assert.deepEqual([...done], [b]);
    assert.deepEqual([...pending], [a]);
    assert.equal(b.exception() instanceof Error, true);
    const [done2] = yield* wait([a], { returnWhen: FIRST_EXCEPTION });
    assert.deepEqual([...done2], [a]); // no failure: waits for all
  });

  flavours('wait_all_completed and timeout: nothing raised, nothing cancelled', function* () {
    const a = createTask(sleep(10, 'a'));
    const b = createTask(sleep(50, 'b'));
    const [done, pending] = yield* wait([a, b], { timeout: 20 });
    assert.deepEqual([...done], [a]);
    assert.deepEqual([...pending], [b]);
    assert.equal(getRunningLoop().time(), 20);
    assert.ok(!b.cancelled());
    const [all, none] = yield* wait([a, b], { returnWhen: ALL_COMPLETED });
    assert.equal(all.size, 2);
    assert.equal(none.size, 0);
  });

  test('wait_bad_arguments', () => {
    runSync(function* () {
      const t = createTask(sleep(1));
      assert.throws(() => wait([]), { name: 'RangeError', message: 'Set of Tasks/Futures is empty.' });
      assert.throws(() => wait(t as never), { name: 'TypeError', message: 'expect a list of futures, not `[object Task]` (object). Put it in an array: wait([task]).' });
      assert.throws(() => wait([sleep(1)] as never), { name: 'TypeError', message: 'Passing coroutines is forbidden, use tasks explicitly.' });
      assert.throws(() => wait([t, 5] as never), { name: 'TypeError', message: 'Expected every element of `aws` to be a Future or a Task, got `5` (number) at index 1' });
      assert.throws(() => wait([t], { returnWhen: 'SOMETIMES' as never }), { name: 'RangeError', message: 'Invalid returnWhen value: SOMETIMES' });
      assert.throws(() => wait([t], { timeout: NaN }), { name: 'RangeError', message: 'Expected `timeout` to be a number of milliseconds, got `NaN` (number)' });
      yield* t;
    });
  });
});

describe('waitFor', () => {
  flavours('wait_for: returns the result in time', function* () {
    assert.equal(yield* waitFor(sleep(10, 'ok'), 100), 'ok');
    assert.equal(yield* waitFor(sleep(10, 'none'), null), 'none');
    assert.equal(getRunningLoop().time(), 20);
  });

  flavours('wait_for_timeout: the inner task is cancelled and awaited before TimeoutError', function* () {
    const log: string[] = [];
    function* slowCleanup(): Coroutine<void> {
      try {
        yield* sleep(1000);
      } finally {
        yield* sleep(5);
        log.push(`cleaned at ${getRunningLoop().time()}`);
      }
    }
    const inner = createTask(slowCleanup());
    const error = yield* catching(waitFor(inner, 10));
    assert.ok(error instanceof TimeoutError);
    assert.ok(error.cause instanceof CancelledError);
    assert.deepEqual(log, ['cleaned at 15']);
    assert.ok(inner.cancelled());
    assert.equal(getRunningLoop().time(), 15);
  });

  flavours('wait_for_zero_timeout: a done future returns; a pending one is cancelled and awaited', function* () {
    const loop = getRunningLoop();
    const ready = loop.createFuture<number>();
    ready.setResult(1);
    assert.equal(yield* waitFor(ready, 0), 1);
    const pending = createTask(sleep(100));
    const error = yield* catching(waitFor(pending, -5));
    assert.ok(error instanceof TimeoutError);
    assert.ok(pending.cancelled());
  });

  flavours('wait_for_cancellation_suppressed: an inner task that swallows the cancel returns its value', function* () {
    function* stubborn(): Coroutine<string> {
      try {
        yield* sleep(1000);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        return 'kept going';
      }
      return 'finished';
    }
    assert.equal(yield* waitFor(createTask(stubborn()), 10), 'kept going');
    assert.equal(yield* waitFor(stubborn(), 10), 'kept going');
    const started = createTask(stubborn());
    yield* sleep(0); // started: a task cancelled before its first step never reaches its try block
    assert.equal(yield* waitFor(started, 0), 'kept going');
    assert.equal(currentTask()?.cancelling(), 0);
  });

  flavours('wait_for_same_instant: the deadline and the inner result in the same instant', function* () {
    // The timer scheduled first wins: the deadline (scheduled before the inner sleep) fires first.
    const error = yield* catching(waitFor(sleep(10, 'v'), 10));
    assert.ok(error instanceof TimeoutError);
  });

  flavours('wait_for_cancel_outer: cancelling the caller cancels the inner work, CancelledError not TimeoutError', function* () {
    const inner = createTask(sleep(1000));
    const caller = createTask(waitFor(inner, 100));
    yield* sleep(5);
    caller.cancel('outer');
    const error = yield* catching(caller);
    assert.ok(error instanceof CancelledError);
    assert.ok(inner.cancelled());
  });

  test('wait_for_bad_arguments', () => {
    runSync(function* () {
      assert.throws(() => waitFor(sleep(1), NaN), { name: 'RangeError', message: 'Expected `timeout` to be a number of milliseconds, got `NaN` (number)' });
      assert.throws(() => waitFor(5 as never, 1), {
        name: 'TypeError',
        message: 'An asyncio.Future, a coroutine or an awaitable is required: waitFor() got `5` (number) as `aw`.',
      });
    });
  });
});

describe('asCompleted', () => {
  flavours('as_completed: a plain for loop over coroutines, in completion order', function* () {
    const got: string[] = [];
    for (const next of asCompleted([sleep(30, 'slow'), sleep(10, 'fast'), sleep(20, 'mid')])) {
      got.push(yield* next);
    }
    assert.deepEqual(got, ['fast', 'mid', 'slow']);
  });

  flavours('as_completed async: asyncFor yields the original tasks (3.13)', function* () {
    const a = createTask(sleep(20, 'a'));
    const b = createTask(sleep(10, 'b'));
    const seen: unknown[] = [];
    yield* asyncFor(asCompleted([a, b]), function* (task) {
      seen.push(task);
      seen.push(yield* task);
    });
    assert.deepEqual(seen, [b, 'b', a, 'a']);
  });

  flavours('as_completed_timeout: the awaits after the deadline raise TimeoutError', function* () {
    const errors: unknown[] = [];
    const results: unknown[] = [];
    const it = asCompleted([sleep(5, 'ok'), sleep(100, 'late'), sleep(200, 'later')], { timeout: 10 });
    for (const next of it) {
      try {
        results.push(yield* next);
      } catch (e) {
        errors.push(e);
      }
    }
    assert.deepEqual(results, ['ok']);
    assert.equal(errors.length, 2);
    assert.ok(errors.every((e) => e instanceof TimeoutError));
  });

  flavours('as_completed anext/aclose: StopAsyncIteration at the end; aclose stops early', function* () {
    const t = createTask(sleep(1, 1));
    const it = asCompleted([t]);
    assert.equal(yield* it.anext(), t);
    const end = yield* catching(it.anext());
    assert.ok(end instanceof StopAsyncIteration);
    const u = createTask(sleep(50, 2));
    const it2 = asCompleted([u, createTask(sleep(60, 3))]);
    yield* it2.aclose();
    assert.ok(it2.next().done);
    yield* u;
  });

  flavours('as_completed_concurrent_consumers: two awaits pending at once each get one result', function* () {
    const it = asCompleted([sleep(10, 'x'), sleep(20, 'y')]);
    const first = it.next().value as Coroutine<string>;
    const second = it.next().value as Coroutine<string>;
    const results = yield* gather([first, second]);
    assert.deepEqual(results, ['x', 'y']);
  });

  test('as_completed_bad_arguments', () => {
    runSync(function* () {
      const t = createTask(sleep(1));
      assert.throws(() => asCompleted(t as never), { name: 'TypeError' });
      assert.throws(() => asCompleted([t, 5] as never), {
        name: 'TypeError',
        message: 'An asyncio.Future, a coroutine or an awaitable is required: asCompleted() got `5` (number) at index 1.',
      });
      assert.throws(() => asCompleted(7 as never), { name: 'TypeError', message: 'expects an iterable of awaitables, not `7` (number)' });
      yield* t;
    });
  });
});

describe('shield', () => {
  flavours('shield: cancelling the caller leaves the inner task running', function* () {
    const inner = createTask(sleep(20, 'saved'));
    const caller = createTask(
      (function* (): Coroutine<string> {
        return yield* shield(inner);
      })(),
    );
    yield* sleep(5);
    caller.cancel();
    const error = yield* catching(caller);
    assert.ok(error instanceof CancelledError);
    assert.ok(!inner.done());
    assert.equal(yield* inner, 'saved');
  });

  flavours('shield_finished: shield of an already-finished task returns that task', function* () {
    const t = createTask(sleep(0, 'done'));
    yield* t;
    assert.equal(shield(t), t);
    assert.equal(yield* shield(t), 'done');
  });

  flavours('shield_inner_fails_or_is_cancelled: the outer future follows', function* () {
    const bad = createTask(fail(1, 'inner'));
    const error = yield* catching(shield(bad));
    assert.ok(error instanceof Error);
    assert.equal(error.message, 'inner');
    const victim = createTask(sleep(100));
    const outer = shield(victim);
    yield* sleep(1);
    victim.cancel();
    const cancelled = yield* catching(outer);
    assert.ok(cancelled instanceof CancelledError);
    assert.ok(outer.cancelled());
  });

  flavours('shield_coroutine: a coroutine is wrapped in a task', function* () {
    const outer = shield(sleep(3, 'c'));
    assert.ok(outer instanceof Future);
    assert.equal(yield* outer, 'c');
  });

  test('shield_bad_argument', () => {
    runSync(function* () {
      assert.throws(() => shield(null as never), {
        name: 'TypeError',
        message: 'An asyncio.Future, a coroutine or an awaitable is required: shield() got `null` (null) as `aw`.',
      });
    });
  });
});
