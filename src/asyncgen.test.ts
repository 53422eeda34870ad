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

describe('seed §15: async generators', () => {
  test('async_counter: yield after an await produces 1..5; asyncFor consumes them in order', () => {
    const printed: string[] = [];
    const asyncCounter = asyncGenerator(function* asyncCounter(n: number) {
      for (let i = 1; i <= n; i++) {
        yield* sleep(10);
        yield i;
      }
    });
    const elapsed = runSync(function* () {
      const t0 = getRunningLoop().time();
      yield* asyncFor(asyncCounter(5), function* (val) {
        printed.push(String(val));
      });
      return getRunningLoop().time() - t0;
    });
    assert.deepEqual(printed, ['1', '2', '3', '4', '5']);
    assert.equal(elapsed, 50);
  });

  test('AsyncCounter class vs generator: the hand-written iterator and the generator print the same', () => {
    class AsyncCounter implements AsyncIteratorLike<number> {
      n: number;
      i: number;
      constructor(n: number) {
        this.n = n;
        this.i = 0;
      }
      aiter(): this {
        return this;
      }
      *anext(): Coroutine<number> {
        if (this.i >= this.n) throw new StopAsyncIteration();
        yield* sleep(10);
        this.i += 1;
        return this.i;
      }
    }
    const asyncCounter = asyncGenerator(function* asyncCounter(n: number) {
      for (let i = 1; i <= n; i++) {
        yield* sleep(10);
        yield i;
      }
    });
    const fromClass: number[] = [];
    const fromGen: number[] = [];
    runSync(function* () {
      yield* asyncFor(new AsyncCounter(5), function* (v) {
        fromClass.push(v);
      });
      yield* asyncFor(asyncCounter(5), function* (v) {
        fromGen.push(v);
      });
    });
    assert.deepEqual(fromClass, [1, 2, 3, 4, 5]);
    assert.deepEqual(fromGen, fromClass);
  });

  test('quality_check: pull one check at a time; BREAK at the first match closes the generator at once', () => {
    const printed: string[] = [];
    const ingredients = [
      { name: 'malt', quality: 85 },
      { name: 'hops', quality: 92 },
      { name: 'water', quality: 78 },
      { name: 'yeast', quality: 95 },
      { name: 'sugar', quality: 88 },
    ];
    function* checkIngredient(_batch: string, offset: number): Coroutine<{ name: string; quality: number } | null> {
      yield* sleep(10);
      return ingredients[offset] ?? null;
    }
    const qualityCheck = asyncGenerator(function* qualityCheck(batch: string) {
      let offset = 0;
      try {
        for (;;) {
          const check = yield* checkIngredient(batch, offset);
          if (check === null) return;
          yield check;
          offset += 1;
        }
      } finally {
        printed.push(`closed at ${offset}`);
      }
    });
    runSync(function* () {
      yield* asyncFor(qualityCheck('Pilsner'), function* (check) {
        if (check.quality > 90) {
          printed.push(check.name);
          return BREAK;
        }
      });
      printed.push(`t=${getRunningLoop().time()}`);
    });
    // Python's `async for ... break` leaves the close to shutdown ("closed at 1" after t=20);
    // asyncFor closes on BREAK (api.md, "asyncFor closes").
    assert.deepEqual(printed, ['hops', 'closed at 1', 't=20']);
  });

  test('a body that is not a native generator is stepped through its own next(), by anext() and by asyncFor', () => {
    // Native bodies go through the cached Generator.prototype.next; this one must not.
    const counting = asyncGenerator(function counting(n: number) {
      let i = 0;
      const it = {
        next: () => (i < n ? { value: i++, done: false } : { value: undefined, done: true }),
        throw: (error: unknown) => {
          throw error;
        },
        return: (value: unknown) => ({ value, done: true }),
        [Symbol.iterator]: () => it,
      };
      return it as unknown as AsyncGenBody<number>;
    });
    const seen = runSync(
      (function* () {
        const g = counting(3);
        const first = yield* g.anext();
        const rest: number[] = [];
        yield* asyncFor(g, (x) => {
          rest.push(x);
        });
        const stop = yield* catching(counting(0).anext());
        return { first, rest, stop: stop instanceof StopAsyncIteration };
      })(),
    );
    assert.deepEqual(seen, { first: 0, rest: [1, 2], stop: true });
  });

  test('the protocol: an AsyncGen has aiter, anext, asend, athrow, aclose; aiter() is itself', () => {
    const example = asyncGenerator(function* example() {
      yield* sleep(0);
      yield 42;
    });
    const ag = example();
    assert.ok(ag instanceof AsyncGen);
    assert.equal(String(ag), '<async_generator example>');
    for (const name of ['aiter', 'anext', 'asend', 'athrow', 'aclose'] as const) assert.equal(typeof ag[name], 'function');
    assert.equal(ag.aiter(), ag);
    assert.equal(example.name, 'example');
  });

  test('brew §15.1: quality_check then fermentation, with the exact output and virtual time', () => {
    const printed: string[] = [];
    const qualityCheck = asyncGenerator(function* qualityCheck() {
      for (const ingredient of ['malt', 'hops', 'water']) {
        yield* sleep(100);
        yield `✓ ${ingredient}`;
      }
    });
    const fermentation = asyncGenerator(function* fermentation(days: number) {
      for (let d = days; d > 0; d--) {
        yield* sleep(1000);
        yield d;
      }
    });
    function* brew(): Coroutine<number> {
      yield* asyncFor(qualityCheck(), function* (status) {
        printed.push(status);
      });
      yield* asyncFor(fermentation(3), function* (d) {
        printed.push(String(d));
      });
      printed.push('🍺 Beer ready!');
      return getRunningLoop().time();
    }
    const end = runSync(brew);
    assert.deepEqual(printed, ['✓ malt', '✓ hops', '✓ water', '3', '2', '1', '🍺 Beer ready!']);
    assert.equal(end, 3300);
  });
});

// ------------------------------------------------------------------------- PEP 828

describe('PEP 828: return value and yield* delegation', () => {
  const sub = asyncGenerator(function* sub() {
    yield 1;
    yield 2;
    return 'done';
  });

  test('return value ends the iteration and travels in StopAsyncIteration.value, once', () => {
    runSync(function* () {
      const g = sub();
      assert.equal(yield* g.anext(), 1);
      assert.equal(yield* g.anext(), 2);
      const stop = yield* catching(g.anext());
      assert.ok(stop instanceof StopAsyncIteration);
      assert.equal(stop.value, 'done');
      const again = yield* catching(g.anext());
      assert.ok(again instanceof StopAsyncIteration);
      assert.equal(again.value, undefined);
    });
  });

  test('delegating: yield* sub() passes the values through and evaluates to the return value', () => {
    const printed: unknown[] = [];
    const delegating = asyncGenerator(function* delegating() {
      const result = yield* sub();
      printed.push(result);
      yield 3;
    });
    runSync(function* () {
      yield* asyncFor(delegating(), function* (v) {
        printed.push(v);
      });
    });
    assert.deepEqual(printed, [1, 2, 'done', 3]);
  });

  test('accumulator: asend through yield* reaches the inner generator; a manual async-for pass-through does not', () => {
    const accumulator = asyncGenerator(function* accumulator(): AsyncGenBody<number, number, number> {
      let total = 0;
      for (;;) {
        const value = yield total;
        if (value === undefined) return total;
        total += value;
      }
    });
    const delegating = asyncGenerator(function* delegating(): AsyncGenBody<number | string, void, number> {
      const final = yield* accumulator();
      yield `final ${final}`;
    });
    const sent: unknown[] = [];
    const broken = asyncGenerator(function* brokenDelegation(): AsyncGenBody<number, void, number> {
      yield* asyncFor(accumulator(), function* (item) {
        const got: unknown = yield item;
        sent.push(got); // the value sent to the outer generator stops here
      });
    });
    runSync(function* () {
      const d = delegating();
      assert.equal(yield* d.anext(), 0);
      assert.equal(yield* d.asend(10), 10);
      assert.equal(yield* d.asend(5), 15);
      assert.equal(yield* d.anext(), 'final 15');
      const b = broken();
      assert.equal(yield* b.anext(), 0);
      // The 10 stops in the outer body; the loop's next anext() sends undefined, which ends the
      // accumulator, so the outer generator ends too.
      assert.ok((yield* catching(b.asend(10))) instanceof StopAsyncIteration);
    });
    assert.deepEqual(sent, [10]);
  });

  test('athrow and aclose pass through yield* to the inner generator, whose finally runs first', () => {
    const log: string[] = [];
    const inner = asyncGenerator(function* inner() {
      try {
        try {
          yield 'a';
        } catch (error) {
          log.push(`inner caught ${(error as Error).message}`);
          yield 'recovered';
        }
        yield 'b';
      } finally {
        yield* sleep(1);
        log.push('inner finally');
      }
    });
    const outer = asyncGenerator(function* outer() {
      try {
        yield* inner();
      } finally {
        log.push('outer finally');
      }
    });
    runSync(function* () {
      const g = outer();
      assert.equal(yield* g.anext(), 'a');
      assert.equal(yield* g.athrow(new Error('boom')), 'recovered');
      assert.equal(yield* g.anext(), 'b');
      yield* g.aclose();
    });
    assert.deepEqual(log, ['inner caught boom', 'inner finally', 'outer finally']);
  });

  test('a delegated generator is running: using it directly meanwhile is an error; an exhausted one delegates to undefined', () => {
    runSync(function* () {
      const inner = sub();
      const outer = asyncGenerator(function* outer() {
        const r = yield* inner;
        yield `r=${String(r)}`;
        const again = yield* inner; // exhausted: evaluates to undefined at once
        yield `again=${String(again)}`;
      })();
      assert.equal(yield* outer.anext(), 1);
      const err = yield* catching(inner.anext());
      assert.ok(err instanceof RuntimeError);
      assert.equal(err.message, 'anext(): asynchronous generator is already running: <async_generator sub>');
      assert.equal(yield* outer.anext(), 2);
      assert.equal(yield* outer.anext(), 'r=done');
      assert.equal(yield* outer.anext(), 'again=undefined');
    });
  });
});

// -------------------------------------------------- PEP 525 semantics (test_asyncgen.py)

describe('PEP 525 semantics (test_asyncgen.py scenarios)', () => {
  const twoValues = asyncGenerator(function* twoValues() {
    try {
      yield 1;
      yield* sleep(10);
      yield 2;
    } finally {
      yield* sleep(1);
    }
  });

  test('async_gen_asyncio_already_running: anext/asend/athrow/aclose on a running generator are RuntimeErrors', () => {
    runSync(function* () {
      const g = twoValues();
      assert.equal(yield* g.anext(), 1);
      const pending = createTask(g.anext());
      yield* sleep(0); // the task is now awaiting inside the body
      const messages: string[] = [];
      for (const op of [() => g.anext(), () => g.asend(undefined), () => g.athrow(new Error('x')), () => g.aclose()]) {
        const err = yield* catching(op());
        assert.ok(err instanceof RuntimeError);
        messages.push(err.message);
      }
      assert.deepEqual(messages, [
        'anext(): asynchronous generator is already running: <async_generator twoValues>',
        'anext(): asynchronous generator is already running: <async_generator twoValues>',
        'athrow(): asynchronous generator is already running: <async_generator twoValues>',
        'aclose(): asynchronous generator is already running: <async_generator twoValues>',
      ]);
      assert.equal(yield* pending, 2);
      yield* g.aclose();
    });
  });

  test('asend non-undefined to a just-started generator is a TypeError, and the generator stays usable', () => {
    runSync(function* () {
      const g = twoValues();
      const err = yield* catching(g.asend(5 as never));
      assert.ok(err instanceof TypeError);
      assert.equal(
        err.message,
        "can't send non-None value to a just-started async generator: <async_generator twoValues>. Start it with anext() (or asend(undefined)) first.",
      );
      assert.equal(yield* g.asend(undefined), 1);
      yield* g.aclose();
    });
  });

  test('async_gen_asyncio_asend_01: asend values come back from yield; the finally awaits run at the end', () => {
    let done = 0;
    const gen = asyncGenerator(function* gen(): AsyncGenBody<number, void, number> {
      try {
        yield* sleep(10);
        const v = (yield 1) as number;
        yield* sleep(10);
        yield v * 2;
        yield* sleep(10);
      } finally {
        yield* sleep(10);
        yield* sleep(10);
        done = 1;
      }
    });
    runSync(function* () {
      const g = gen();
      assert.equal(yield* g.asend(undefined), 1);
      assert.equal(yield* g.asend(100), 200);
      assert.ok((yield* catching(g.asend(undefined))) instanceof StopAsyncIteration);
    });
    assert.equal(done, 1);
  });

  test('async_gen_asyncio_asend_02: an error raised while the body awaits propagates after the finally ran', () => {
    let done = 0;
    function* sleepNCrash(delay: number): Coroutine<never> {
      yield* sleep(delay);
      throw new RangeError('division by zero');
    }
    const gen = asyncGenerator(function* gen() {
      try {
        yield* sleep(10);
        yield 1;
        yield* sleepNCrash(10);
        done += 1000;
        yield 2;
      } finally {
        yield* sleep(10);
        done = 1;
      }
    });
    assert.throws(
      () =>
        runSync(function* () {
          const g = gen();
          assert.equal(yield* g.anext(), 1);
          yield* g.anext();
        }),
      { name: 'RangeError', message: 'division by zero' },
    );
    assert.equal(done, 1);
  });

  test('async_gen_asyncio_athrow_02: throw into a generator awaiting a cancelled future: CancelledError after the finally', () => {
    let done = 0;
    class FooError extends Error {}
    function* sleepNCrash(delay: number): Coroutine<void> {
      const loop = getRunningLoop();
      const fut = createTask(sleep(delay));
      loop.callLater(delay / 2, () => fut.cancel());
      return yield* fut;
    }
    const gen = asyncGenerator(function* gen() {
      try {
        yield* sleep(10);
        try {
          yield 1;
        } catch (error) {
          if (!(error instanceof FooError)) throw error;
          yield* sleepNCrash(10);
        }
        yield 2;
      } finally {
        yield* sleep(10);
        yield* sleep(10);
        done = 1;
      }
    });
    assert.throws(
      () =>
        runSync(function* () {
          const g = gen();
          assert.equal(yield* g.anext(), 1);
          try {
            yield* g.athrow(new FooError());
          } catch (error) {
            assert.equal(done, 1);
            throw error;
          }
        }),
      CancelledError,
    );
    assert.equal(done, 1);
  });

  test('async_gen_asyncio_athrow_01 and _03: athrow caught in the body gives the next value, or StopAsyncIteration if it ends', () => {
    class FooError extends Error {}
    const recovering = asyncGenerator(function* recovering() {
      let v: number;
      try {
        yield 1;
        v = 1;
      } catch (error) {
        if (!(error instanceof FooError)) throw error;
        v = 1000;
        yield* sleep(10);
      }
      yield v * 2;
    });
    const swallowing = asyncGenerator(function* swallowing() {
      try {
        yield undefined;
      } catch {
        // swallowed: the body then ends
      }
    });
    runSync(function* () {
      const g = recovering();
      assert.equal(yield* g.anext(), 1);
      assert.equal(yield* g.athrow(new FooError()), 2000);
      assert.ok((yield* catching(g.anext())) instanceof StopAsyncIteration);
      const s = swallowing();
      assert.equal(yield* s.anext(), undefined);
      assert.ok((yield* catching(s.athrow(new RangeError('x')))) instanceof StopAsyncIteration);
    });
  });

  test('athrow into a just-started generator raises at once and closes it; athrow/aclose on a finished one do nothing', () => {
    let entered = false;
    const gen = asyncGenerator(function* gen() {
      entered = true;
      yield 1;
    });
    runSync(function* () {
      const g = gen();
      const err = yield* catching(g.athrow(new RangeError('v')));
      assert.equal((err as Error).message, 'v');
      assert.equal(entered, false);
      assert.ok((yield* catching(g.anext())) instanceof StopAsyncIteration);
      assert.ok((yield* catching(g.asend(1 as never))) instanceof StopAsyncIteration);
      assert.equal(yield* g.athrow(new RangeError('ignored')), undefined); // CPython 3.13: None
      assert.equal(yield* g.aclose(), undefined);
    });
  });

  test('a generator never started needs no close: aclose() does not run the body, anext() then ends', () => {
    const log: string[] = [];
    const gen = asyncGenerator(function* gen() {
      try {
        log.push('entered');
        yield 1;
      } finally {
        log.push('finally');
      }
    });
    runSync(function* () {
      const g = gen();
      yield* g.aclose();
      assert.ok((yield* catching(g.anext())) instanceof StopAsyncIteration);
      assert.equal(getRunningLoop()._asyncgens.size, 0);
    });
    assert.deepEqual(log, []);
  });

  test('async_gen_asyncio_aclose_12: aclose runs a finally that awaits a failing task', () => {
    let done = 0;
    function* target(): Coroutine<void> {
      yield* sleep(10);
      throw new RangeError('division by zero');
    }
    const foo = asyncGenerator(function* foo() {
      const task = createTask(target());
      try {
        yield 1;
      } finally {
        try {
          yield* task;
        } catch (error) {
          if (error instanceof RangeError) done = 1;
        }
      }
    });
    runSync(function* () {
      const g = foo();
      assert.equal(yield* g.aiter().anext(), 1);
      yield* g.aclose();
    });
    assert.equal(done, 1);
  });

  test('async_gen_asyncio_aclose_10/11: a value yielded while closing is "async generator ignored GeneratorExit"', () => {
    let done = 0;
    const gen = asyncGenerator(function* gen() {
      try {
        yield 1;
      } catch {
        // swallows GeneratorExit, then yields again: not allowed
      }
      yield 2;
      done += 1;
    });
    const inFinally = asyncGenerator(function* inFinally() {
      try {
        yield 1;
      } finally {
        yield 'in finally';
      }
    });
    runSync(function* () {
      const g = gen();
      yield* g.anext();
      const err = yield* catching(g.aclose());
      assert.ok(err instanceof RuntimeError);
      assert.equal(
        err.message,
        'async generator ignored GeneratorExit: <async_generator gen> yielded a value while closing. Do not `yield` values in finally or after catching GeneratorExit (awaiting with `yield*` is fine).',
      );
      done += 10;
      const f = inFinally();
      yield* f.anext();
      assert.match(((yield* catching(f.aclose())) as Error).message, /^async generator ignored GeneratorExit: <async_generator inFinally>/);
    });
    assert.equal(done, 10);
  });

  test('aclose throws GeneratorExit at the yield; a body that catches it and returns is closed quietly', () => {
    const seen: unknown[] = [];
    const gen = asyncGenerator(function* gen() {
      try {
        yield 1;
      } catch (error) {
        seen.push(error);
        return;
      }
    });
    runSync(function* () {
      const g = gen();
      yield* g.anext();
      yield* g.aclose();
      assert.ok((yield* catching(g.anext())) instanceof StopAsyncIteration);
    });
    assert.equal(seen.length, 1);
    assert.ok(seen[0] instanceof GeneratorExit);
    assert.equal((seen[0] as Error).name, 'GeneratorExit');
  });

  test('aclose of a generator whose finally awaits a future that gets cancelled: aclose raises CancelledError, the generator is finished', () => {
    const log: string[] = [];
    const gen = asyncGenerator(function* gen() {
      try {
        yield 1;
      } finally {
        const fut = getRunningLoop().createFuture<void>();
        getRunningLoop().callLater(5, () => fut.cancel('cleanup cancelled'));
        log.push('waiting');
        yield* fut;
        log.push('unreachable');
      }
    });
    runSync(function* () {
      const g = gen();
      yield* g.anext();
      const err = yield* catching(g.aclose());
      assert.ok(err instanceof CancelledError);
      assert.equal(err.message, 'cleanup cancelled');
      assert.ok((yield* catching(g.anext())) instanceof StopAsyncIteration);
    });
    assert.deepEqual(log, ['waiting']);
  });

  test('throw into a generator awaiting: cancelling the task that runs anext() raises CancelledError at the await; finally may await', () => {
    const log: string[] = [];
    const gen = asyncGenerator(function* gen() {
      try {
        yield* sleep(1000);
        yield 1;
      } catch (error) {
        log.push(`caught ${(error as Error).name}`);
        throw error;
      } finally {
        yield* sleep(5);
        log.push('finally done');
      }
    });
    runSync(function* () {
      const g = gen();
      const task = createTask(g.anext());
      yield* sleep(10);
      task.cancel('stop');
      const err = yield* catching(task as unknown as Coroutine<unknown>);
      assert.ok(err instanceof CancelledError);
      assert.equal(task.cancelled(), true);
      assert.ok((yield* catching(g.anext())) instanceof StopAsyncIteration);
    });
    assert.deepEqual(log, ['caught CancelledError', 'finally done']);
  });

  test('async_gen_await_same_anext_coro_twice: an anext()/aclose() awaitable cannot be awaited twice', () => {
    runSync(function* () {
      const g = twoValues();
      const nxt = g.anext();
      yield* nxt;
      const err = yield* catching(nxt);
      assert.equal((err as Error).message, 'cannot reuse already awaited anext()/asend()');
      const close = g.aclose();
      yield* close;
      assert.equal(((yield* catching(close)) as Error).message, 'cannot reuse already awaited aclose()/athrow()');
    });
  });

  test('a StopAsyncIteration escaping the body becomes RuntimeError (PEP 479 for async generators)', () => {
    const inner = asyncGenerator(function* inner() {
      yield 1;
    });
    const leaky = asyncGenerator(function* leaky() {
      const it = inner();
      for (;;) yield yield* it.anext(); // the second anext() raises StopAsyncIteration inside
    });
    runSync(function* () {
      const g = leaky();
      assert.equal(yield* g.anext(), 1);
      const err = yield* catching(g.anext());
      assert.ok(err instanceof RuntimeError);
      assert.equal(err.message, 'async generator raised StopAsyncIteration: <async_generator leaky>');
      assert.ok((err as Error).cause instanceof StopAsyncIteration);
    });
  });

  test('yield future (no star) produces the Future as a value; yield* future awaits it', () => {
    runSync(function* () {
      const fut = getRunningLoop().createFuture<string>();
      getRunningLoop().callLater(10, () => fut.setResult('awaited'));
      const gen = asyncGenerator(function* gen() {
        // eslint-disable-next-line yieldio/no-yield-without-star -- a value on purpose
        yield fut; // a value: the Future object itself
        yield yield* fut;
      });
      const g = gen();
      assert.equal(yield* g.anext(), fut);
      assert.equal(yield* g.anext(), 'awaited');
    });
  });

  test('a value yielded from a plain coroutine is "Task got bad yield" at run time', () => {
    function* plain(): Coroutine<void> {
      // @ts-expect-error a Coroutine may not yield values: that needs asyncGenerator()
      yield 42;
    }
    assert.throws(() => runSync(plain), { name: 'RuntimeError', message: 'Task got bad yield: 42' });
  });

  test('asyncGenerator() rejects native async functions and bodies that are not generators, naming them', () => {
    assert.throws(() => asyncGenerator(42 as never), {
      name: 'TypeError',
      message: 'Expected `fn` to be a generator function (function*), got `42` (number)',
    });
    assert.throws(() => asyncGenerator((async function* nativeGen() {}) as never), {
      name: 'TypeError',
      message:
        'Expected `fn` to be a generator function (function*), got the native AsyncGeneratorFunction nativeGen: write `function*` with `yield*` instead of `await`, or wrap a native async iterable with fromAsyncIterable().',
    });
    const notGen = asyncGenerator((() => 5) as never);
    assert.throws(() => (notGen as () => unknown)(), {
      name: 'TypeError',
      message: 'asyncGenerator(): (anonymous)() returned `5` (number), not a generator: the body must be a `function*`.',
    });
  });
});

// --------------------------------------------------------------------------- asyncFor

describe('asyncFor', () => {
  function tracked(log: string[]) {
    return asyncGenerator(function* numbers() {
      try {
        for (let i = 1; ; i++) {
          yield* sleep(1);
          yield i;
        }
      } finally {
        yield* sleep(1);
        log.push('closed');
      }
    });
  }

  test('an error in the body closes the iterator (waiting for its finally), then propagates', () => {
    const log: string[] = [];
    assert.throws(
      () =>
        runSync(function* () {
          yield* asyncFor(tracked(log)(), function* (i) {
            if (i === 2) throw new RangeError('bad item');
          });
        }),
      { name: 'RangeError', message: 'bad item' },
    );
    assert.deepEqual(log, ['closed']);
  });

  test('cancellation of the consuming task closes the iterator', () => {
    const log: string[] = [];
    runSync(function* () {
      const task = createTask(
        asyncFor(tracked(log)(), function* () {
          yield* sleep(100);
        }) as Coroutine<void>,
      );
      yield* sleep(150);
      task.cancel();
      assert.ok((yield* catching(task as unknown as Coroutine<unknown>)) instanceof CancelledError);
      assert.deepEqual(log, ['closed']);
    });
  });

  test('a plain function body: no generator per item; BREAK still closes', () => {
    const log: string[] = [];
    const seen: number[] = [];
    runSync(function* () {
      yield* asyncFor(tracked(log)(), (i) => {
        seen.push(i);
        return i === 3 ? BREAK : undefined;
      });
    });
    assert.deepEqual(seen, [1, 2, 3]);
    assert.deepEqual(log, ['closed']);
  });

  test('accepts an object with aiter(); an exhausted iterator is not closed again', () => {
    let closes = 0;
    const iterable = {
      aiter(): AsyncIteratorLike<string> {
        let i = 0;
        return {
          *anext(): Coroutine<string> {
            yield* sleep(1);
            if (i >= 2) throw new StopAsyncIteration();
            return `item ${i++}`;
          },
          *aclose(): Coroutine<void> {
            closes++;
          },
        };
      },
    };
    const seen: string[] = [];
    runSync(function* () {
      yield* asyncFor(iterable, function* (s) {
        seen.push(s);
      });
    });
    assert.deepEqual(seen, ['item 0', 'item 1']);
    assert.equal(closes, 0);
  });

  test('inside an async-generator body, an asyncFor body may yield values: a source -> map -> filter pipeline', () => {
    const source = asyncGenerator(function* source(n: number) {
      for (let i = 0; i < n; i++) yield i;
    });
    const map = asyncGenerator(function* map(src: AsyncGen<number>) {
      yield* asyncFor(src, function* (x) {
        yield x * 3;
      });
    });
    const filter = asyncGenerator(function* filter(src: AsyncGen<number>) {
      yield* asyncFor(src, function* (x) {
        if (x % 2 === 0) yield x;
      });
    });
    const seen: number[] = [];
    runSync(function* () {
      yield* asyncFor(filter(map(source(10))), (x) => {
        seen.push(x);
      });
    });
    assert.deepEqual(seen, [0, 6, 12, 18, 24]);
  });

  test('bad input: not an async iterable, a native one, an uncalled generator function, a bad body', () => {
    const counter = asyncGenerator(function* counter() {
      yield 1;
    });
    assert.throws(() => asyncFor(42 as never, function* () {}), {
      name: 'TypeError',
      message: "'async for' requires an object with an anext() or aiter() method, got `42` (number).",
    });
    assert.throws(() => asyncFor((async function* native() {})() as never, function* () {}), {
      name: 'TypeError',
      message:
        "'async for' requires an object with an anext() or aiter() method, got `[object AsyncGenerator]` (object). A native async iterable needs the adapter: asyncFor(fromAsyncIterable(it), body).",
    });
    assert.throws(() => asyncFor(counter as never, function* () {}), {
      name: 'TypeError',
      message:
        "'async for' requires an object with an anext() or aiter() method, got `function counter` (function). Call the async-generator function first: asyncFor(counter(), body).",
    });
    assert.throws(() => asyncFor(counter(), 'x' as never), { name: 'TypeError', message: 'Expected `body` to be a function, got `"x"` (string)' });
    assert.throws(
      () =>
        runSync(function* () {
          yield* asyncFor(counter(), (async function handler() {}) as never);
        }),
      {
        name: 'TypeError',
        message:
          'asyncFor() body handler returned `[object Promise]` (object): expected a generator (a function* body), BREAK or undefined. A native async function cannot be the body: write `function*` and await with `yield*` (fromPromise for Promises).',
      },
    );
  });
});

// ------------------------------------------------------------------ shutdown and GC

describe('shutdown: loop.shutdownAsyncgens() and the finalizer', () => {
  test('async_gen_asyncio_shutdown_01: generators left open by cancelled tasks are finalized by shutdownAsyncgens', () => {
    let finalized = 0;
    const waiter = asyncGenerator(function* waiter(timeout: number) {
      try {
        yield* sleep(timeout);
        yield 1;
      } finally {
        yield* sleep(0);
        finalized += 1;
      }
    });
    runSync(function* () {
      const wait = function* (): Coroutine<void> {
        yield* asyncFor(waiter(1000), function* () {});
      };
      const t1 = createTask(wait());
      const t2 = createTask(wait());
      yield* sleep(100);
      t1.cancel();
      t2.cancel();
      yield* catching(t1 as unknown as Coroutine<unknown>);
      yield* catching(t2 as unknown as Coroutine<unknown>);
      // The cancellation went through the bodies, so they are already finished and deregistered.
      assert.equal(finalized, 2);
      assert.equal(getRunningLoop()._asyncgens.size, 0);
      yield* getRunningLoop().shutdownAsyncgens();
    });
    assert.equal(finalized, 2);
  });

  test('run() closes every generator still suspended at a yield, concurrently, before the loop closes', () => {
    const log: string[] = [];
    const gen = asyncGenerator(function* gen(name: string, delay: number) {
      try {
        yield name;
      } finally {
        yield* sleep(delay);
        log.push(`${name} closed at ${getRunningLoop().time()}`);
      }
    });
    let kept: AsyncGen<string>[] = [];
    runSync(function* () {
      kept = [gen('a', 30), gen('b', 10), gen('c', 20), gen('never started', 0)];
      for (const g of kept.slice(0, 3)) yield* g.anext();
      assert.equal(getRunningLoop()._asyncgens.size, 3);
      log.push(`main done at ${getRunningLoop().time()}`);
    });
    assert.deepEqual(log, ['main done at 0', 'b closed at 10', 'c closed at 20', 'a closed at 30']);
    assert.equal(kept.length, 4);
  });

  test('async_gen_asyncio_shutdown_02: a generator closed by asyncFor leaves nothing for shutdown (no messages)', () => {
    const messages: ExceptionContext[] = [];
    const asyncIterate = asyncGenerator(function* asyncIterate() {
      yield 1;
      yield 2;
    });
    runSync(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => messages.push(context));
      yield* asyncFor(asyncIterate(), () => BREAK);
      assert.equal(getRunningLoop()._asyncgens.size, 0);
    });
    assert.deepEqual(messages, []);
  });

  test('async_gen_asyncio_shutdown_exception_01: an error while closing at shutdown goes to the exception handler', () => {
    const messages: ExceptionContext[] = [];
    const asyncIterate = asyncGenerator(function* asyncIterate() {
      try {
        yield 1;
        yield 2;
      } finally {
        throw new RangeError('division by zero');
      }
    });
    const it = asyncIterate();
    runSync(function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => messages.push(context));
      yield* it.anext();
    });
    assert.equal(messages.length, 1);
    const [message] = messages as [ExceptionContext];
    assert.equal(message.message, 'an error occurred during closing of asynchronous generator');
    assert.equal(message['asyncgen'], it);
    assert.ok(message.exception instanceof RangeError);
  });

  test('a generator garbage-collected while suspended is closed through its loop (finalizer hook)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const log: string[] = [];
    const gen = asyncGenerator(function* gen() {
      try {
        yield 1;
        yield 2;
      } finally {
        yield* sleep(0);
        log.push('finalized');
      }
    });
    function* startAndDrop(): Coroutine<void> {
      yield* gen().anext(); // the generator is unreachable once this returns
    }
    await run(
      function* () {
        yield* startAndDrop();
        for (let round = 0; round < 50 && log.length === 0; round++) {
          yield* fromPromise(new Promise((resolve) => setImmediate(resolve)));
          gc();
        }
        log.push('main done');
      },
      { clock: 'virtual' },
    );
    assert.deepEqual(log, ['finalized', 'main done']);
  });
});

// ---------------------------------------------------------------- native async iteration

// ------------------------------------------- ops driven by hand (CPython test_asyncgen ports)

describe('AsyncGenAsyncioTest: anext/asend/aclose ops driven by hand', () => {
  // In CPython an op's StopIteration(value) is its result; here the op's `{ value, done: true }`.
  test('anext_04: throw(e) into a fresh anext() op raises e at the current yield; the body may catch it', () => {
    const foo = asyncGenerator(function* foo() {
      yield 1;
      yield* sleep(10);
      try {
        yield 2;
        yield 3;
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        yield 1000;
      }
      yield* sleep(10);
      yield 4;
    });
    runSync(function* () {
      const it = foo();
      assert.equal(yield* it.anext(), 1);
      assert.equal(yield* it.anext(), 2);
      // CPython: it.__anext__().throw(ZeroDivisionError) -> StopIteration(1000)
      assert.deepEqual(pick(it.anext().throw(new RangeError('division by zero'))), { value: 1000, done: true });
      assert.equal(yield* it.anext(), 4);
      assert.ok((yield* catching(it.anext())) instanceof StopAsyncIteration);
    });
  });

  test('anext_05: the first next(v) of a fresh anext() op sends v in', () => {
    const foo = asyncGenerator(function* foo(): AsyncGenBody<number, void, number> {
      let v = yield 1;
      v = yield v as number;
      yield (v as number) * 100;
    });
    runSync(function* () {
      const it = foo();
      // CPython: it.__anext__().send(None) -> StopIteration(1); .send(10) -> 10; .send(12) -> 1200
      assert.deepEqual(pick(it.anext().next()), { value: 1, done: true });
      assert.deepEqual(pick((it.anext() as Generator<unknown, unknown, unknown>).next(10)), { value: 10, done: true });
      assert.deepEqual(pick((it.anext() as Generator<unknown, unknown, unknown>).next(12)), { value: 1200, done: true });
      assert.ok((yield* catching(it.anext())) instanceof StopAsyncIteration);
    });
  });

  test('anext_05: a value sent into a just-started generator through anext() is the asend TypeError', () => {
    // CPython 3.13: foo().__anext__().send(10) -> TypeError: can't send non-None value to a just-started async generator
    const foo = asyncGenerator(function* foo() {
      yield 1;
    });
    const it = foo();
    assert.throws(() => (it.anext() as Generator<unknown, unknown, unknown>).next(10), {
      name: 'TypeError',
      message: /^can't send non-None value to a just-started async generator/,
    });
  });

  test('anext_tuple: a tuple-like (array) value yielded after a caught throw() is the op result', () => {
    const foo = asyncGenerator(function* foo() {
      try {
        yield [1];
      } catch {
        yield [2];
      }
    });
    runSync(function* () {
      const it = foo();
      assert.deepEqual(yield* it.anext(), [1]);
      assert.deepEqual(pick(it.anext().throw(new RangeError('x'))), { value: [2], done: true });
      assert.ok((yield* catching(it.anext())) instanceof StopAsyncIteration);
    });
  });

  test('anext_stopiteration: a yielded StopAsyncIteration value is just a value', () => {
    const foo = asyncGenerator(function* foo() {
      try {
        yield new StopAsyncIteration(1);
      } catch {
        yield new StopAsyncIteration(3);
      }
    });
    runSync(function* () {
      const it = foo();
      const v = yield* it.anext();
      assert.ok(v instanceof StopAsyncIteration);
      assert.equal(v.value, 1);
      const r = it.anext().throw(new RangeError('x'));
      assert.equal(r.done, true);
      assert.ok(r.value instanceof StopAsyncIteration);
      assert.equal(r.value.value, 3);
      assert.ok((yield* catching(it.anext())) instanceof StopAsyncIteration);
    });
  });

  test('throw_same_aclose_coro_twice: throw(GeneratorExit) into a fresh aclose() op completes the close; a second throw is reuse', () => {
    const asyncIterate = asyncGenerator(function* asyncIterate() {
      yield 1;
      yield 2;
    });
    const it = asyncIterate();
    const nxt = it.aclose();
    // CPython: nxt.throw(GeneratorExit) -> StopIteration (the close is done)
    assert.equal(nxt.throw(new GeneratorExit()).done, true);
    assert.throws(() => nxt.throw(new GeneratorExit()), { name: 'RuntimeError', message: 'cannot reuse already awaited aclose()/athrow()' });
  });

  test('throw_custom_same_aclose_coro_twice: another error thrown into a fresh aclose() op comes out; then reuse', () => {
    class MyException extends Error {}
    const asyncIterate = asyncGenerator(function* asyncIterate() {
      yield 1;
    });
    const nxt = asyncIterate().aclose();
    assert.throws(() => nxt.throw(new MyException('mine')), MyException);
    assert.throws(() => nxt.throw(new MyException('mine')), { name: 'RuntimeError', message: 'cannot reuse already awaited aclose()/athrow()' });
  });

  test('a task cancelled before its first step throws the CancelledError into the generator (CPython asend.throw in INIT)', () => {
    // CPython 3.13: t = ensure_future(it.__anext__()); t.cancel('stop') -> CancelledError('stop'),
    //   t.cancelled() True, and the generator's finally ran: ['finally'].
    const log: string[] = [];
    const gen = asyncGenerator(function* gen() {
      try {
        yield 1;
        yield 2;
      } finally {
        log.push('finally');
      }
    });
    runSync(function* () {
      const it = gen();
      assert.equal(yield* it.anext(), 1);
      const t = createTask(it.anext());
      t.cancel('stop');
      const error = yield* catching(t);
      assert.ok(error instanceof CancelledError);
      assert.equal(error.message, 'stop');
      assert.equal(t.cancelled(), true);
      assert.deepEqual(log, ['finally']);
    });
  });
});

function pick(result: IteratorResult<unknown, unknown>): { value: unknown; done: boolean | undefined } {
  return { value: result.value, done: result.done };
}
