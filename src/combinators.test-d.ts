/**
 * Type-level tests for the combinators (checked by `tsc --noEmit -p .`, never run): gather's
 * tuple typing, returnExceptions, wait's sets, waitFor, asCompleted, shield, timeout, taskGroup.
 */
import type { Coroutine } from './types.ts';
import type { Future } from './futures.ts';
import type { Task } from './tasks.ts';
import { createTask, sleep } from './tasks.ts';
import { FIRST_COMPLETED, asCompleted, gather, shield, wait, waitFor } from './combinators.ts';
import type { GatheringFuture } from './combinators.ts';
import { timeout } from './timeouts.ts';
import { taskGroup } from './taskgroups.ts';
import { ExceptionGroup, catchGroup } from './exception-groups.ts';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
function expectTrue<T extends true>(): T | void {}

// Two error classes with distinct shapes (TypeError and SyntaxError are structurally the same).
class NotFound extends Error {
  readonly status = 404;
}
class Forbidden extends Error {
  readonly reason = 'no';
}

declare function num(): Coroutine<number>;
declare function str(): Coroutine<string>;
declare const task: Task<boolean>;
declare const fut: Future<Date>;

export function* gatherTuples(): Coroutine<void> {
  // An array literal infers a tuple, without `as const`.
  const a = yield* gather([num(), str(), task]);
  expectTrue<Equal<typeof a, [number, string, boolean]>>();
  // `as const` too.
  const b = yield* gather([num(), fut] as const);
  expectTrue<Equal<typeof b, [number, Date]>>();
  // The variadic form.
  const c = yield* gather(str(), num());
  expectTrue<Equal<typeof c, [string, number]>>();
  // An array stays an array, like Promise.all.
  const tasks: Task<number>[] = [];
  const d = yield* gather(tasks);
  expectTrue<Equal<typeof d, number[]>>();
  // returnExceptions: each element is a value or an Error.
  const e = yield* gather([num(), str()], { returnExceptions: true });
  expectTrue<Equal<typeof e, [number | Error, string | Error]>>();
  const f = yield* gather([num()], { returnExceptions: false });
  expectTrue<Equal<typeof f, [number]>>();
  // gather returns a cancellable future.
  const g = gather([num()]);
  expectTrue<Equal<typeof g, GatheringFuture<[number]>>>();
  g.cancel('why');
  expectTrue<Equal<IsAny<typeof a>, false>>();
  // @ts-expect-error a number is not awaitable
  gather([num(), 42]);
  // @ts-expect-error a Promise is not a yieldio awaitable
  gather([Promise.resolve(1)]);
  // @ts-expect-error options are for the array form only
  gather(num(), { returnExceptions: true });
}

export function* waitTypes(): Coroutine<void> {
  const t1 = createTask(num());
  const t2 = createTask(num());
  const [done, pending] = yield* wait([t1, t2], { returnWhen: FIRST_COMPLETED, timeout: 10 });
  expectTrue<Equal<typeof done, Set<Task<number>>>>();
  expectTrue<Equal<typeof pending, Set<Task<number>>>>();
  // @ts-expect-error returnWhen is one of the three constants
  yield* wait([t1], { returnWhen: 'SOMETIMES' });
  const v = yield* waitFor(str(), 100);
  expectTrue<Equal<typeof v, string>>();
  const s = yield* shield(task);
  expectTrue<Equal<typeof s, boolean>>();
  for (const next of asCompleted([num(), num()])) {
    const r = yield* next;
    expectTrue<Equal<typeof r, number>>();
  }
  const first = yield* asCompleted([t1]).anext();
  expectTrue<Equal<typeof first, Future<number>>>();
}

export function* shorthands(): Coroutine<void> {
  const t = yield* timeout(100, function* () {
    return yield* sleep(10, 'x');
  });
  expectTrue<Equal<typeof t, string>>();
  const g = yield* taskGroup(function* (tg) {
    const child = tg.createTask(num());
    expectTrue<Equal<typeof child, Task<number>>>();
    return 1;
  });
  expectTrue<Equal<typeof g, number>>();
  try {
    yield* sleep(1);
  } catch (e) {
    catchGroup(e, [
      [
        RangeError,
        (group) => {
          expectTrue<Equal<typeof group, ExceptionGroup<RangeError>>>();
        },
      ],
      [
        [NotFound, Forbidden],
        (group) => {
          expectTrue<Equal<typeof group, ExceptionGroup<NotFound | Forbidden>>>();
        },
      ],
      [
        (x: unknown) => x instanceof Error,
        (group) => {
          expectTrue<Equal<typeof group, ExceptionGroup<unknown>>>();
        },
      ],
    ]);
  }
}

// taskGroup evaluates to the body's type, not `T | undefined`.
export function* taskGroupResult(): Coroutine<number> {
  const n: number = yield* taskGroup(function* () {
    yield* sleep(1);
    return 2;
  });
  yield* taskGroup(function* (tg) {
    tg.createTask(sleep(1));
  });
  return n;
}
