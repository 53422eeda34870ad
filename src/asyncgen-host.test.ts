// Tests of asyncgen-host.ts: native `for await` bridges.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  AsyncGen,
  BREAK,
  asyncFor,
  asyncGenerator,
} from './asyncgen.ts';
import { fromAsyncIterable, toAsyncIterable } from './asyncgen-host.ts';
import type { AsyncGenBody, AsyncIteratorLike } from './asyncgen.ts';
import { CancelledError, GeneratorExit, RuntimeError, StopAsyncIteration } from './exceptions.ts';
import { getRunningLoop } from './events.ts';
import { createTask, sleep } from './tasks.ts';
import { run, runSync } from './runners.ts';
import { fromPromise } from './host.ts';
import type { ExceptionContext } from './base-events.ts';
import type { Coroutine } from './types.ts';
import { catching } from '../test/support/coroutines.ts';

// --------------------------------------------------------------- the seed's examples (§15)

describe('native async iteration bridges', () => {
  test('for await over an AsyncGen from native code inside run(); break closes the generator', async () => {
    const log: string[] = [];
    const counter = asyncGenerator(function* counter(n: number) {
      try {
        for (let i = 1; i <= n; i++) {
          yield* sleep(1);
          yield i;
        }
      } finally {
        yield* sleep(1);
        log.push('generator closed');
      }
    });
    async function nativeConsumer(agen: AsyncIterable<number>): Promise<number[]> {
      const got: number[] = [];
      for await (const i of agen) {
        got.push(i);
        if (i === 3) break;
      }
      log.push('native loop done');
      return got;
    }
    const got = await run(function* () {
      return yield* fromPromise(nativeConsumer(counter(10)));
    });
    assert.deepEqual(got, [1, 2, 3]);
    assert.deepEqual(log, ['generator closed', 'native loop done']);
  });

  test('toAsyncIterable: a native for await sees the return value as the end; outside a loop it needs one', async () => {
    const sub = asyncGenerator(function* sub() {
      yield 'a';
      return 'r';
    });
    assert.throws(() => toAsyncIterable(sub()), {
      name: 'RuntimeError',
      message:
        'no running event loop: native `for await` over a yieldio async iterator runs each step on the loop. Start it inside run(), or pass the loop: toAsyncIterable(agen, loop).',
    });
    const results = await run(function* () {
      const it = toAsyncIterable(sub());
      return yield* fromPromise((async () => [await it.next(), await it.next()])());
    });
    assert.deepEqual(results, [
      { value: 'a', done: false },
      { value: 'r', done: true },
    ]);
  });

  test('fromAsyncIterable: asyncFor over a native async function*; BREAK runs the native finally (return())', async () => {
    const log: string[] = [];
    async function* native(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) {
          await Promise.resolve();
          yield i;
        }
      } finally {
        log.push('native finally');
      }
    }
    await run(function* () {
      yield* asyncFor(fromAsyncIterable(native()), (i) => {
        log.push(`item ${i}`);
        return i === 2 ? BREAK : undefined;
      });
      log.push('after loop');
    });
    assert.deepEqual(log, ['item 0', 'item 1', 'item 2', 'native finally', 'after loop']);
  });

  test('fromAsyncIterable: the native return value is StopAsyncIteration.value; cancelling a pending anext() calls return()', async () => {
    const log: string[] = [];
    async function* finite(): AsyncGenerator<number, string> {
      yield 1;
      return 'end';
    }
    let release: () => void = () => {};
    async function* slow(): AsyncGenerator<number> {
      try {
        yield 1;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        yield 2;
      } finally {
        log.push('slow finally');
      }
    }
    await run(function* () {
      const it = fromAsyncIterable(finite());
      assert.equal(yield* it.anext(), 1);
      const stop = yield* catching(it.anext());
      assert.ok(stop instanceof StopAsyncIteration);
      assert.equal(stop.value, 'end');

      const s = fromAsyncIterable(slow());
      assert.equal(yield* s.anext(), 1);
      const task = createTask(s.anext());
      yield* sleep(0);
      task.cancel();
      assert.ok((yield* catching(task as unknown as Coroutine<unknown>)) instanceof CancelledError);
      release(); // the native generator finishes its pending step, then runs return()
      for (let i = 0; i < 10 && log.length === 0; i++) yield* fromPromise(Promise.resolve());
    });
    assert.deepEqual(log, ['slow finally']);
    assert.throws(() => fromAsyncIterable(42 as never), {
      name: 'TypeError',
      message: 'Expected `iterable` to be a native async iterable (with [Symbol.asyncIterator]), got `42` (number)',
    });
  });
});
