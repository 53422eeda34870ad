// §10 Two concepts, one syntax: a generator produces values, a coroutine
// consumes them.
// Python 3.5 split them with `async def`. yieldio splits them with a type:
// a Coroutine<T> may only `yield*` awaitables, so `yield 42` in one is a
// compile error, and a task that meets a plain value at run time says so.
import { runSync, type Coroutine } from '../../src/index.ts';

function* fibonacci(): Generator<number> {
  let [a, b] = [0, 1];
  for (;;) {
    yield a; // produces a value
    [a, b] = [b, a + b];
  }
}

function* runningAverage(): Generator<number | undefined, never, number> {
  let total = 0;
  let count = 0;
  let average: number | undefined;
  for (;;) {
    const value = yield average; // receives a value, produces the average
    total += value;
    count += 1;
    average = total / count;
  }
}

export function main(): void {
  const fib = fibonacci();
  console.log('generator:', fib.next().value, fib.next().value, fib.next().value);

  const avg = runningAverage();
  avg.next(); // priming
  const [a, b, c] = [avg.next(10).value, avg.next(20).value, avg.next(30).value];
  console.log('coroutine:', a, b, c);

  // The classic mistake: iterating a coroutine. for...of calls next() with
  // no value, so `total += undefined`: Python raises TypeError, JavaScript
  // silently computes NaN.
  // @ts-expect-error: TypeScript catches it: "for-of will always send
  // 'undefined'"
  for (const x of runningAverage()) {
    console.log('for...of over a coroutine:', x);
    if (x !== undefined) break;
  }

  // yieldio refuses a generator of values where a coroutine belongs.
  function* wrong(): Coroutine<void> {
    // @ts-expect-error: a Generator<number> is not an Awaitable (Python:
    // "object generator can't be used in 'await' expression")
    yield* fibonacci();
  }
  try {
    runSync(wrong);
  } catch (error) {
    console.log(`${(error as Error).name}: ${(error as Error).message}`);
  }
}
