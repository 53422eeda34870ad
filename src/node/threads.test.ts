import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { run } from '../runners.ts';
import { createTask, sleep } from '../tasks.ts';
import { gather } from '../combinators.ts';
import { CancelledError } from '../exceptions.ts';
import { catching } from '../../test/support/coroutines.ts';
import { registerErrorClass, shutdownDefaultExecutor, toThread } from './threads.ts';
import type { Coroutine } from '../types.ts';

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

  // concurrent.futures' process pool re-raises a worker's exception in the caller with a
  // _RemoteTraceback as __cause__; here the cause is the worker's error itself.
  test('an error is raised at the await site (the caller\'s frames), with the worker\'s error as cause; both keep class, message, code', async () => {
    function* awaitSite(): Coroutine<unknown> {
      return yield* toThread(work, 'fail', 'bad input');
    }
    const error = await run(function* () {
      return yield* catching(awaitSite());
    });
    assert.ok(error instanceof RangeError);
    assert.equal(error.message, 'bad input');
    assert.equal((error as { code?: string }).code, 'E_WORK');
    const [header, firstFrame] = (error.stack ?? '').split('\n');
    assert.equal(header, 'RangeError: bad input');
    assert.doesNotMatch(error.stack ?? '', /thread-work\.mjs/);
    assert.match(error.stack ?? '', /at awaitSite \(.*threads\.test\.ts:\d+:\d+\)/);
    assert.match(firstFrame ?? '', /at callInThread\.next|at awaitSite/); // nothing of the pool's machinery above it
    const cause = error.cause as Error;
    assert.ok(cause instanceof RangeError);
    assert.equal(cause.message, 'bad input');
    assert.equal((cause as { code?: string }).code, 'E_WORK');
    assert.match(cause.stack ?? '', /at fail \(file:.*thread-work\.mjs:\d+:\d+\)/);
    // A real worker file, not a data: URL (whose whole source was a frame of every stack).
    assert.match(cause.stack ?? '', /src\/node\/thread-worker\.mjs:\d+:\d+/);
    assert.doesNotMatch(cause.stack ?? '', /data:text/);
    // What a user sees printed: both stacks.
    const printed = inspect(error);
    assert.match(printed, /^RangeError: bad input\n {4}at /);
    assert.match(printed, /\[cause\]: RangeError: bad input\n {6}at fail /);
  });

  test('errors that are not the function\'s (bad calls, a thrown non-Error) are raised as they are', async () => {
    const out = await run(function* () {
      const thrown = yield* catching(toThread(work, 'throwString'));
      const missing = yield* catching(toThread(work, 'notAFunction'));
      return { thrown, missing };
    });
    assert.equal(out.thrown, 'just a string');
    assert.ok(out.missing instanceof TypeError);
    assert.match((out.missing as Error).message, /has no exported function "notAFunction"/);
  });

  test('a TypeScript module under tsx: a .ts URL says what to do; the .mjs shim with tsImport works (examples/threads)', async () => {
    const ts = new URL('../../examples/threads/primes.ts', import.meta.url);
    const out = await run(function* () {
      const direct = yield* catching(toThread(ts, 'primesBelow', 10));
      const viaShim = yield* toThread(new URL('../../examples/threads/primes-shim.mjs', import.meta.url), 'primesBelow', 30);
      return { direct, viaShim };
    });
    assert.deepEqual(out.viaShim, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    // Node 20's workers never get tsx's hooks; later Nodes may pass them on, and the import works.
    if (Array.isArray(out.direct)) assert.deepEqual(out.direct, [2, 3, 5, 7]);
    else {
      assert.ok(out.direct instanceof TypeError, String(out.direct));
      assert.equal(
        (out.direct as Error).message,
        `toThread(): ${ts.href} cannot be loaded in a worker thread: Unknown file extension ".ts" for ${fileURLToPath(ts)}. Worker threads do not get ` +
          "the main thread's module hooks (tsx): call it through a .mjs shim that loads it with tsImport from 'tsx/esm/api' " +
          "(`export const { fn } = await tsImport('./module.ts', import.meta.url);`).",
      );
      // Raised here; its cause is the worker's TypeError, whose cause is Node's loader error.
      assert.equal((((out.direct as Error).cause as Error).cause as { code?: string }).code, 'ERR_UNKNOWN_FILE_EXTENSION');
    }
    if (process.versions.node.startsWith('20.')) assert.ok(out.direct instanceof TypeError, 'Node 20 workers have no tsx hooks');
  });

  test('examples/threads/main.ts run as a script under tsx: the shim recipe, and the error raised at the await site', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'examples/threads/main.ts'], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(
      result.stdout,
      'primes below 1000: 168\nprimes below 10000: 1229\nprimes below 100000: 9592\nRangeError: limit must be an integer >= 2, got 1 (cause from primes.ts: true)\n',
    );
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
    const remote = error.cause as QuotaError;
    assert.ok(remote instanceof QuotaError);
    assert.equal(remote.limit, 7);
    assert.match(remote.stack ?? '', /thread-work\.mjs/);
    assert.ok(remote.cause instanceof TypeError); // the worker's error keeps its own cause
    assert.equal((remote.cause as Error).message, 'underlying');
    assert.throws(() => registerErrorClass(Object as never), { name: 'TypeError' });
  });
});
