/**
 * The AsyncLocalStorage bridge: per-task stores across generator steps, asyncio's copy semantics,
 * Promises started by a task, and the host's store when a task sets nothing.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { run, runSync } from '../runners.ts';
import { createTask, eagerTaskFactory, sleep } from '../tasks.ts';
import { getRunningLoop } from '../events.ts';
import { fromPromise } from '../host.ts';
import { AsyncLocalStorageVar, bindAsyncLocalStorage } from './index.ts';
import type { Coroutine } from '../types.ts';

const als = new AsyncLocalStorage<string>();
const requestId = new AsyncLocalStorageVar(als, 'requestId');

describe('AsyncLocalStorageVar', () => {
  test('two interleaved tasks each see their own store across steps', () => {
    const seen: string[] = [];
    function* handler(id: string, delay: number): Coroutine<void> {
      requestId.set(id);
      for (let i = 0; i < 3; i++) {
        yield* sleep(delay);
        seen.push(`${id}:${als.getStore()}`);
      }
    }
    runSync(function* () {
      const a = createTask(handler('a', 3));
      const b = createTask(handler('b', 2));
      yield* a;
      yield* b;
      seen.push(`main:${als.getStore()}`);
    });
    assert.deepEqual(seen.filter((s) => s.startsWith('a')), ['a:a', 'a:a', 'a:a']);
    assert.deepEqual(seen.filter((s) => s.startsWith('b')), ['b:b', 'b:b', 'b:b']);
    assert.equal(seen.at(-1), 'main:undefined');
    assert.equal(als.getStore(), undefined, 'nothing leaks to the host after run');
  });

  test('copy semantics: a child sees its creator\'s value; its own set stays inside it', () => {
    const seen: string[] = [];
    runSync(function* () {
      requestId.set('parent');
      const child = createTask((function* () {
        seen.push(`child starts with ${als.getStore()}`);
        requestId.set('child');
        yield* sleep(1);
        seen.push(`child has ${als.getStore()} / ${requestId.get()}`);
      })());
      yield* child;
      seen.push(`parent still ${als.getStore()} / ${requestId.get()}`);
    });
    assert.deepEqual(seen, ['child starts with parent', 'child has child / child', 'parent still parent / parent']);
  });

  test('Promises and host callbacks started inside a task capture the task\'s store', async () => {
    const seen = await run(function* () {
      const inner = function* (id: string): Coroutine<string> {
        requestId.set(id);
        // An async function started in this step: its continuation runs later, in a host microtask.
        return yield* fromPromise((async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return `${id} sees ${als.getStore()}`;
        })());
      };
      const a = createTask(inner('x'));
      const b = createTask(inner('y'));
      return [yield* a, yield* b];
    });
    assert.deepEqual(seen, ['x sees x', 'y sees y']);
  });

  test('a task that sets nothing sees the host store around run(); get() falls back to it', async () => {
    const seen = await als.run('from-host', () =>
      run(function* () {
        yield* sleep(0);
        const child = createTask((function* () {
          yield* sleep(0);
          return `${als.getStore()} / ${requestId.get()}`;
        })());
        return [als.getStore(), yield* child];
      }),
    );
    assert.deepEqual(seen, ['from-host', 'from-host / from-host']);
  });

  test('run(value, body) sets for the body and restores afterwards, even on error', () => {
    const seen: (string | undefined)[] = [];
    runSync(function* () {
      requestId.set('outer');
      try {
        yield* requestId.run('inner', function* () {
          yield* sleep(1);
          seen.push(als.getStore());
          throw new Error('x');
        });
      } catch {
        // expected
      }
      seen.push(als.getStore());
      yield* sleep(1);
      seen.push(als.getStore());
    });
    assert.deepEqual(seen, ['inner', 'outer', 'outer']);
  });

  test('reset back to no value restores the store the step began with', () => {
    const seen: (string | undefined)[] = [];
    als.run('host', () =>
      runSync(function* () {
        const token = requestId.set('temp');
        seen.push(als.getStore());
        requestId.reset(token);
        seen.push(als.getStore());
        yield* sleep(1);
        seen.push(als.getStore());
      }),
    );
    assert.deepEqual(seen, ['temp', 'host', 'host']);
  });

  test('eager tasks: a child started inside the parent step restores the parent store afterwards', () => {
    const seen: (string | undefined)[] = [];
    runSync(function* () {
      getRunningLoop().setTaskFactory(eagerTaskFactory);
      requestId.set('parent');
      const child = createTask((function* () {
        requestId.set('child');
        seen.push(als.getStore());
        yield* sleep(1);
        seen.push(als.getStore());
      })());
      seen.push(als.getStore()); // right after the eager child's first step
      yield* child;
    });
    assert.deepEqual(seen, ['child', 'parent', 'child']);
  });

  test('bad input: not an AsyncLocalStorage; the same storage bridged twice', () => {
    assert.throws(() => new AsyncLocalStorageVar({} as never), {
      name: 'TypeError',
      message: 'Expected `als` to be an AsyncLocalStorage, got `[object Object]` (object)',
    });
    assert.throws(() => bindAsyncLocalStorage(als), {
      name: 'TypeError',
      message: 'This AsyncLocalStorage is already bridged: use the AsyncLocalStorageVar created for it (one bridge per AsyncLocalStorage).',
    });
  });

  test('get() with nothing anywhere: the default, else RangeError', () => {
    const other = bindAsyncLocalStorage(new AsyncLocalStorage<number>(), 'count');
    assert.equal(other.get(5), 5);
    assert.throws(() => other.get(), { name: 'RangeError', message: /ContextVar 'count' has no value/ });
    assert.equal(String(other), "<AsyncLocalStorageVar name='count'>");
  });
});
