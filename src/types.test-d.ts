/**
 * Type-level tests for the core (checked by `tsc --noEmit -p .`, never run): what must compile,
 * what must not (`// @ts-expect-error`), and that no `any` leaks out of `yield*`.
 */
import type { Awaitable, AwaitedBy, Coroutine } from './types.ts';
import type { Future } from './futures.ts';
import type { Task } from './tasks.ts';
import { createTask, sleep, ensureFuture } from './tasks.ts';
import { getRunningLoop } from './events.ts';
import { run, runSync } from './runners.ts';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
function expectType<T>(_value: T): void {}
function expectTrue<T extends true>(): T | void {}

// `yield 42` inside a coroutine is a compile error; `yield*` of awaitables is fine.
export function* badYield(): Coroutine<number> {
  // @ts-expect-error a coroutine may not yield a plain value: only `yield*` an awaitable
  yield 42;
  // @ts-expect-error not even a string
  yield 'x';
  yield* sleep(1);
  return 1;
}

// A coroutine must return its declared type.
export function* wrongReturn(): Coroutine<number> {
  // @ts-expect-error returning a string from a Coroutine<number>
  return 'not a number';
}

// `yield* task` has the task's type; no `any` leaks.
export function* awaitTypes(): Coroutine<void> {
  function* fetchNumber(): Coroutine<number> {
    return 1;
  }
  const task = createTask(fetchNumber());
  expectType<Task<number>>(task);
  const n = yield* task;
  expectTrue<Equal<typeof n, number>>();
  expectTrue<Equal<IsAny<typeof n>, false>>();

  const direct = yield* fetchNumber();
  expectTrue<Equal<typeof direct, number>>();

  const fut = getRunningLoop().createFuture<string>();
  const s = yield* fut;
  expectTrue<Equal<typeof s, string>>();
  expectTrue<Equal<IsAny<typeof s>, false>>();

  const slept = yield* sleep(5, 'v' as const);
  expectTrue<Equal<typeof slept, 'v'>>();
  const nothing = yield* sleep(5);
  expectTrue<Equal<typeof nothing, void>>();

  const ensured = ensureFuture(fetchNumber());
  expectType<Future<number>>(ensured);
  expectTrue<Equal<AwaitedBy<typeof task>, number>>();
  expectTrue<Equal<AwaitedBy<Awaitable<boolean>>, boolean>>();

  // @ts-expect-error a number is not awaitable
  yield* 5;
  // @ts-expect-error a Promise is not awaitable with yield* (use fromPromise)
  yield* Promise.resolve(1);
}

// setResult / setException on a Task do not compile.
export function* taskSetters(task: Task<number>, fut: Future<number>): Coroutine<void> {
  // @ts-expect-error a task's result comes from its coroutine
  task.setResult(1);
  // @ts-expect-error a task's exception comes from its coroutine
  task.setException(new Error('x'));
  fut.setResult(1);
  // @ts-expect-error the wrong result type for a Future<number>
  fut.setResult('one');
  yield* sleep(0);
}

// createTask accepts coroutines only.
export function* createTaskArgs(): Coroutine<void> {
  function* gen(): Coroutine<number> {
    return 1;
  }
  // @ts-expect-error a generator function, not a coroutine: call it
  createTask(gen);
  // @ts-expect-error a Promise is not a coroutine
  createTask(Promise.resolve(1));
  yield* createTask(gen());
}

// Entry points keep the result type.
export async function entryPoints(): Promise<void> {
  function* main(): Coroutine<number> {
    return 1;
  }
  const a = await run(main);
  expectTrue<Equal<typeof a, number>>();
  const b = runSync(main());
  expectTrue<Equal<typeof b, number>>();
  expectTrue<Equal<IsAny<typeof b>, false>>();
}

// The helpers above must themselves be able to fail (a checker that cannot fail is a defect).
// @ts-expect-error number is not string
expectTrue<Equal<number, string>>();
// @ts-expect-error any is detected
expectTrue<Equal<IsAny<any>, false>>();

// `yield sleep(1)` for `yield* sleep(1)` is a compile error whose message names the fix (the
// yield type is `UseYieldStarNotYield`; test/type-messages.test.ts checks the wording).
export function* yieldWithoutStar(): Coroutine<void> {
  // @ts-expect-error yield of an awaitable without the star
  yield sleep(1); // eslint-disable-line yieldio/no-yield-without-star -- the mistake under test
  yield* sleep(1);
}
