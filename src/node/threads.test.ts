import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../runners.ts';
import { createTask, sleep } from '../tasks.ts';
import { gather } from '../combinators.ts';
import { CancelledError } from '../exceptions.ts';
import { catching } from '../../test/support/coroutines.ts';
import { registerErrorClass, shutdownDefaultExecutor, toThread } from './threads.ts';

const work = new URL('../../test/fixtures/thread-work.mjs', import.meta.url);

describe('toThread (a worker_threads pool per loop)', () => {
  test('to_thread: a sync and an async export; arguments are structured-cloned, not shared', async () => {
    const out = await run(function* () {
      const sum = yield* toThread<(a: number, b: number) => number>(work, 'add', 2, 3);
      const obj = { value: 21 };
      const doubled = yield* toThread(work.href, 'mutateAndDouble', obj);
      return { sum, doubled, original: obj.value };
    });
    assert.deepEqual(out, { sum: 5, doubled: 42, original: 21 });
  });

  test('calls run in parallel on several workers, and the results come back in argument order', async () => {
    const out = await run(function* () {
      const ids = yield* gather([1, 2, 3].map(() => toThread(work, 'whichThread')));
      const sums = yield* gather([1, 2, 3].map((n) => toThread<(a: number, b: number) => number>(work, 'add', n, n)));
      return { ids, sums };
    });
    assert.deepEqual(out.sums, [2, 4, 6]);
    assert.ok(out.ids.every((id) => typeof id === 'number' && id > 0)); // never the main thread (0)
  });

  test('errors keep their class, message, code and the worker\'s stack', async () => {
    const error = await run(function* () {
      return yield* catching(toThread(work, 'fail', 'bad input'));
    });
    assert.ok(error instanceof RangeError);
    assert.equal(error.message, 'bad input');
    assert.equal((error as { code?: string }).code, 'E_WORK');
    assert.match(error.stack ?? '', /thread-work\.mjs/);
  });

  test('bad calls: every message', async () => {
    await run(function* () {
      const e1 = yield* catching(toThread(work, 'notAFunction'));
      assert.equal((e1 as Error).message, `toThread(): ${work.href} has no exported function "notAFunction" (got number)`);
      const e2 = yield* catching(toThread(work, 'add', () => 1));
      assert.match((e2 as Error).message, /^toThread\(\): the arguments of add\(\) must be structured-cloneable: .*could not be cloned/);
      const e3 = yield* catching(toThread(work, 'makeFunction'));
      assert.match((e3 as Error).message, /^toThread\(\): the result of makeFunction\(\) cannot be structured-cloned: .*could not be cloned/);
      const e4 = yield* catching((function* () { yield* toThread('./work.mjs', 'add'); })());
      assert.equal(
        (e4 as Error).message,
        "Expected `moduleUrl` to be an absolute URL or file path, got `\"./work.mjs\"` (string). A relative specifier cannot be resolved in the worker: pass new URL('./module.js', import.meta.url).",
      );
      const e5 = yield* catching((function* () { yield* toThread(work, ''); })());
      assert.equal((e5 as Error).message, 'Expected `exportName` to be a non-empty string, got `""` (string)');
    });
  });

  test('cancelling the caller drops the result but not the work; shutdownDefaultExecutor waits for it, then refuses new calls', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const out = await run(function* () {
      const caller = createTask(toThread(work, 'blockThenFlag', 50, flag));
      yield* sleep(0);
      caller.cancel();
      const cancelled = yield* catching(caller);
      yield* shutdownDefaultExecutor();
      const flagAfterShutdown = Atomics.load(flag, 0);
      const refused = yield* catching(toThread(work, 'add', 1, 1));
      return { cancelled, flagAfterShutdown, refused };
    });
    assert.ok(out.cancelled instanceof CancelledError);
    assert.equal(out.flagAfterShutdown, 1);
    assert.equal((out.refused as Error).message, 'Executor shutdown has been called');
  });

  test('a custom error class: own properties and the cause carried; instanceof holds once the class is registered', async () => {
    class QuotaError extends Error {
      override name = 'QuotaError';
      limit = 0;
    }
    const unregistered = await run(function* () {
      return yield* catching(toThread(work, 'overQuota', 5));
    });
    assert.ok(!(unregistered instanceof QuotaError));
    assert.equal((unregistered as Error).name, 'QuotaError');
    assert.equal((unregistered as { limit?: number }).limit, 5);
    registerErrorClass(QuotaError);
    const error = await run(function* () {
      return yield* catching(toThread(work, 'overQuota', 7));
    });
    assert.ok(error instanceof QuotaError && error instanceof Error);
    assert.equal(error.message, 'over quota');
    assert.equal(error.limit, 7);
    assert.deepEqual((error as unknown as { details: unknown }).details, { tries: 3 });
    assert.equal('notClonable' in error, false); // a function cannot cross threads: dropped
    assert.ok(error.cause instanceof TypeError);
    assert.equal((error.cause as Error).message, 'underlying');
    assert.match(error.stack ?? '', /thread-work\.mjs/);
    assert.throws(() => registerErrorClass(Object as never), { name: 'TypeError' });
  });
});
