/**
 * Bridges to the host: fromPromise / toPromise / withAbortSignal with a real host under run().
 * Quick by construction: resolved Promises and setImmediate only; no timing assertions.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { run, runSync } from './runners.ts';
import { createTask, sleep } from './tasks.ts';
import { getRunningLoop } from './events.ts';
import { CancelledError, RuntimeError } from './exceptions.ts';
import { fromPromise, toPromise, withAbortSignal } from './host.ts';
import type { EventLoop } from './base-events.ts';
import type { Coroutine } from './types.ts';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('fromPromise', () => {
  test('awaits a resolved Promise inside a task (real clock)', async () => {
    assert.equal(await run(function* () {
      return yield* fromPromise(Promise.resolve(5));
    }), 5);
  });

  test('wakes an idle loop: the Promise settles from a later macrotask while nothing else is scheduled', async () => {
    const r = await run(function* () {
      const p = new Promise<string>((resolve) => setImmediate(() => setImmediate(() => resolve('late'))));
      return yield* fromPromise(p);
    });
    assert.equal(r, 'late');
  });

  test('any thenable is accepted, even one whose then() throws', async () => {
    const thenable = { then(ok: (v: number) => void) { ok(7); } };
    const broken = { then() { throw new Error('then threw'); } };
    const r = await run(function* () {
      const a = yield* fromPromise(thenable as PromiseLike<number>);
      try {
        yield* fromPromise(broken as PromiseLike<number>);
      } catch (e) {
        return [a, (e as Error).message];
      }
      return [a, 'no error'];
    });
    assert.deepEqual(r, [7, 'then threw']);
  });

  test('a rejection is thrown as the original error object, stack unchanged', async () => {
    const original = new TypeError('from the host');
    const stack = original.stack;
    const caught = await run(function* () {
      try {
        yield* fromPromise(Promise.reject(original));
      } catch (e) {
        return e;
      }
      return null;
    });
    assert.equal(caught, original);
    assert.equal((caught as Error).stack, stack);
  });

  test('non-Error rejection values (even undefined) reach the coroutine', async () => {
    const caught = await run(function* () {
      try {
        yield* fromPromise(Promise.reject(undefined));
      } catch (e) {
        return { e };
      }
      return null;
    });
    assert.deepEqual(caught, { e: undefined });
  });

  test('debug mode appends where fromPromise was called to the rejection stack', async () => {
    const original = new Error('traced');
    await assert.rejects(run(function* awaitsIt() {
      yield* fromPromise(Promise.reject(original));
    }, { debug: true }));
    assert.match(original.stack ?? '', /\n {4}--- awaited by fromPromise\(\) in <Task [^\n]*> at:\n/);
  });

  test('cancelling the future first: a later rejection is dropped without an unhandled rejection', async () => {
    const reported: unknown[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let rejectLater!: (e: Error) => void;
    try {
      await run(function* () {
        getRunningLoop().setExceptionHandler((_loop, context) => void reported.push(context));
        const future = fromPromise(new Promise<number>((_resolve, reject) => (rejectLater = reject)));
        const task = createTask((function* () {
          return yield* future;
        })());
        yield* sleep(0);
        task.cancel();
        try {
          yield* task;
        } catch (e) {
          assert.ok(e instanceof CancelledError);
        }
        assert.ok(future.cancelled());
        rejectLater(new Error('too late'));
        yield* fromPromise(tick());
        yield* fromPromise(tick());
      });
      await tick();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
    assert.deepEqual(reported, []);
  });

  test('a Promise that settles after its loop closed is ignored', async () => {
    let resolveLater!: (v: number) => void;
    await run(function* () {
      fromPromise(new Promise<number>((resolve) => (resolveLater = resolve)));
    });
    resolveLater(1);
    await tick(); // would throw "Event loop is closed" from a Promise reaction if not guarded
  });

  test('under runSync a Promise that never settles in time gives the error naming run()', () => {
    assert.throws(
      () =>
        runSync(function* () {
          yield* fromPromise(new Promise(() => {}));
        }),
      { name: 'RuntimeError', message: /runSync\(\) cannot finish: .* Use `await run\(main\)` instead/ },
    );
  });

  test('bad input: not a thenable, with hints', () => {
    assert.throws(() => fromPromise(42 as never), { name: 'TypeError', message: 'Expected `promise` to be a Promise or thenable, got `42` (number).' });
    runSync(function* () {
      const fut = getRunningLoop().createFuture();
      assert.throws(() => fromPromise(fut as never), {
        message: 'Expected `promise` to be a Promise or thenable, got `[object Future]` (object). It is already a yieldio awaitable: write `yield* value` without fromPromise().',
      });
      async function load(): Promise<void> {}
      assert.throws(() => fromPromise(load as never), {
        message: 'Expected `promise` to be a Promise or thenable, got `function load` (function). Call the async function first: fromPromise(fn()) instead of fromPromise(fn).',
      });
    });
  });

  test('outside a loop without `loop`: "no running event loop"', () => {
    assert.throws(() => fromPromise(Promise.resolve(1)), { name: 'RuntimeError', message: 'no running event loop' });
  });
});

describe('toPromise', () => {
  test('from inside a task: native async code awaits a coroutine on the running loop', async () => {
    function* double(x: number): Coroutine<number> {
      yield* sleep(1);
      return x * 2;
    }
    const r = await run(function* () {
      const p = toPromise(double(21));
      return yield* fromPromise(p);
    });
    assert.equal(r, 42);
  });

  test('from a host callback while run() is active: uses the one active loop', async () => {
    function* answer(): Coroutine<string> {
      yield* sleep(0);
      return `on ${getRunningLoop() === loopSeen ? 'the same loop' : 'another loop'}`;
    }
    let loopSeen: EventLoop | null = null;
    const r = await run(function* () {
      loopSeen = getRunningLoop();
      const viaHost = new Promise<string>((resolve, reject) => {
        setImmediate(() => {
          toPromise(answer()).then(resolve, reject); // no loop on the stack here
        });
      });
      return yield* fromPromise(viaHost);
    });
    assert.equal(r, 'on the same loop');
  });

  test('rejects with the coroutine error, and with CancelledError when cancelled', async () => {
    const boom = new Error('boom');
    await run(function* () {
      const failing = toPromise((function* (): Coroutine<void> {
        yield* sleep(0);
        throw boom;
      })());
      const task = createTask(sleep(1000));
      const cancelled = toPromise(task);
      // Handled at once: run() may yield to the host between the two waits below (a long stretch
      // on a loaded machine), and Node reports a rejection still unhandled at that point.
      const cancelledOutcome = cancelled.then(() => assert.fail('should reject'), (e: unknown) => e);
      task.cancel('stop');
      try {
        yield* fromPromise(failing);
        assert.fail('should reject');
      } catch (e) {
        assert.equal(e, boom);
      }
      const e = yield* fromPromise(cancelledOutcome);
      assert.ok(e instanceof CancelledError);
      assert.equal((e as Error).message, 'stop');
    });
  });

  test('an already-done future settles the Promise without a loop iteration', async () => {
    let loop!: EventLoop;
    let fut!: ReturnType<EventLoop['createFuture']>;
    await run(function* () {
      loop = getRunningLoop();
      fut = loop.createFuture<number>();
      fut.setResult(3);
    });
    // The loop is closed now, but toPromise of a done future still works through `loop`.
    assert.throws(() => toPromise(fut, loop), { name: 'RuntimeError', message: 'Event loop is closed' });
    await run(function* () {
      const done = getRunningLoop().createFuture<number>();
      done.setResult(9);
      const p = toPromise(done);
      assert.equal(yield* fromPromise(p), 9);
    });
  });

  test('no loop anywhere: RuntimeError naming the fix', () => {
    assert.throws(() => toPromise(sleep(0)), {
      name: 'RuntimeError',
      message:
        'no running event loop: toPromise() needs a loop. Call it from a task, or from a host callback while run() is active, or pass the loop: toPromise(aw, loop).',
    });
  });

  test('two runs active at once: a host callback must pass the loop', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = run(function* () {
      yield* fromPromise(gate);
    });
    const second = run(function* () {
      const err = yield* fromPromise(
        new Promise<unknown>((resolve) => setImmediate(() => {
          try {
            toPromise(sleep(0));
            resolve(null);
          } catch (e) {
            resolve(e);
          }
        })),
      );
      release();
      return err;
    });
    const [, err] = await Promise.all([first, second]);
    assert.ok(err instanceof RuntimeError);
    assert.equal(
      (err as Error).message,
      'toPromise() found 2 running event loops and cannot tell which one to use: pass the loop: toPromise(aw, loop).',
    );
  });

  test('bad input: a Promise is not an awaitable', async () => {
    await run(function* () {
      assert.throws(() => toPromise(Promise.resolve(1) as never), {
        name: 'TypeError',
        message: 'An asyncio.Future, a coroutine or an awaitable is required, got `[object Promise]` (object). For a Promise, use fromPromise(promise).',
      });
    });
  });
});

describe('withAbortSignal', () => {
  test('resolves with the Promise value; the signal stays unaborted', async () => {
    let seen: AbortSignal | null = null;
    const r = await run(function* () {
      return yield* withAbortSignal((signal) => {
        seen = signal;
        return Promise.resolve('ok');
      });
    });
    assert.equal(r, 'ok');
    assert.equal(seen!.aborted, false);
  });

  test('cancelling the task aborts the signal with the CancelledError as reason', async () => {
    let signal!: AbortSignal;
    let abortedWith: unknown = null;
    await run(function* () {
      const task = createTask(
        withAbortSignal((s) => {
          signal = s;
          return new Promise((_resolve, reject) => {
            s.addEventListener('abort', () => {
              abortedWith = s.reason;
              reject(s.reason);
            });
          });
        }),
      );
      yield* sleep(0);
      task.cancel('user left');
      try {
        yield* task;
      } catch (e) {
        assert.ok(e instanceof CancelledError);
      }
      assert.ok(task.cancelled());
    });
    assert.equal(signal.aborted, true);
    assert.ok(abortedWith instanceof CancelledError);
    assert.equal((abortedWith as Error).message, 'user left');
  });

  test('an already-aborted outer signal never starts the work', async () => {
    const reason = new Error('gave up');
    let called = false;
    await assert.rejects(run(function* () {
      yield* withAbortSignal(() => {
        called = true;
        return Promise.resolve(1);
      }, { signal: AbortSignal.abort(reason) });
    }), (e) => e === reason);
    assert.equal(called, false);
  });

  test('a task cancelled before it first runs never starts the work', async () => {
    let called = false;
    await run(function* () {
      const task = createTask(withAbortSignal(() => {
        called = true;
        return Promise.resolve(1);
      }));
      task.cancel();
      try {
        yield* task;
      } catch {
        // cancelled
      }
      assert.ok(task.cancelled());
    });
    assert.equal(called, false);
  });

  test('an outer signal aborting later aborts the work signal with its reason', async () => {
    const outer = new AbortController();
    const reason = new Error('outer abort');
    setImmediate(() => outer.abort(reason));
    const caught = await run(function* () {
      try {
        yield* withAbortSignal(
          (signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
          { signal: outer.signal },
        );
      } catch (e) {
        return e;
      }
      return null;
    });
    assert.equal(caught, reason);
  });

  test('bad input: fn not a function, fn not returning a Promise, signal not an AbortSignal', async () => {
    assert.throws(() => withAbortSignal(3 as never), { name: 'TypeError', message: 'Expected `fn` to be a function, got `3` (number)' });
    assert.throws(() => withAbortSignal(() => Promise.resolve(1), { signal: {} as never }), {
      name: 'TypeError',
      message: 'Expected `options.signal` to be an AbortSignal, got `[object Object]` (object)',
    });
    await assert.rejects(run(function* () {
      yield* withAbortSignal((() => 5) as never);
    }), {
      name: 'TypeError',
      message: 'withAbortSignal(): fn must return a Promise, got `5` (number). Write it as (signal) => fetch(url, { signal }).',
    });
  });
});
