/**
 * Type-level tests for async generators (checked by `tsc --noEmit -p .`, never run).
 */
import type { Coroutine, Suspend } from './types.ts';
import { sleep } from './tasks.ts';
import { AsyncGen, BREAK, asyncFor, asyncGenerator } from './asyncgen.ts';
import { fromAsyncIterable } from './asyncgen-host.ts';
import type { AsyncGenBody } from './asyncgen.ts';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
function expectTrue<T extends true>(): T | void {}

// The value type is inferred from `yield`, the awaits (`yield*`) do not leak into it.
const counter = asyncGenerator(function* counter(n: number) {
  for (let i = 1; i <= n; i++) {
    yield* sleep(10);
    yield i;
  }
  return 'done';
});
expectTrue<Equal<typeof counter, (n: number) => AsyncGen<number, string, undefined>>>();

export function* consumer(): Coroutine<void> {
  const c = counter(3);
  const first = yield* c.anext();
  expectTrue<Equal<typeof first, number>>();
  expectTrue<IsAny<typeof first> extends false ? true : false>();
  const thrown = yield* c.athrow(new Error('x'));
  expectTrue<Equal<typeof thrown, number | undefined>>();
  const closed = yield* c.aclose();
  expectTrue<Equal<typeof closed, void>>();
  // @ts-expect-error anext takes no argument
  void c.anext(1);
  // A plain coroutine may not delegate to an async generator: its values are not awaits.
  // @ts-expect-error yield* agen inside a Coroutine
  yield* counter(2);
}

// asend: the send type comes from the body's annotation.
const accumulator = asyncGenerator(function* accumulator(): AsyncGenBody<number, number, number> {
  let total = 0;
  for (;;) {
    const value = yield total;
    expectTrue<Equal<typeof value, number | undefined>>();
    if (value === undefined) return total;
    total += value;
  }
});
export function* sender(): Coroutine<void> {
  const acc = accumulator();
  yield* acc.anext();
  const total = yield* acc.asend(10);
  expectTrue<Equal<typeof total, number>>();
  // @ts-expect-error asend takes the body's send type
  yield* acc.asend('ten');
}

// PEP 828: inside an async-generator body, `yield* agen` delegates and evaluates to the return value.
export const delegating = asyncGenerator(function* delegating() {
  const result = yield* counter(3);
  expectTrue<Equal<typeof result, string>>();
  yield 'after';
});
expectTrue<Equal<ReturnType<typeof delegating>, AsyncGen<number | 'after', void, undefined>>>();

// asyncFor: item type from the iterator; a body may return BREAK; inside an async generator the
// body may yield values, which makes asyncFor yield them too.
export function* loops(): Coroutine<void> {
  yield* asyncFor(counter(3), function* (i) {
    expectTrue<Equal<typeof i, number>>();
    yield* sleep(1);
    if (i > 1) return BREAK;
  });
  yield* asyncFor(counter(3), (i) => (i > 1 ? BREAK : undefined));
  // @ts-expect-error a body yielding values cannot run in a plain coroutine
  yield* asyncFor(counter(3), function* (i) { yield i; });
  // @ts-expect-error a number is not an async iterable
  yield* asyncFor(42, function* () {});
}
export const doubled = asyncGenerator(function* doubled() {
  yield* asyncFor(counter(3), function* (i) {
    yield i * 2;
  });
});
expectTrue<Equal<ReturnType<typeof doubled>, AsyncGen<number, void, undefined>>>();

// Native async iterables go through the adapter.
async function* native(): AsyncGenerator<string> {
  yield 'a';
}
export function* adapted(): Coroutine<void> {
  yield* asyncFor(fromAsyncIterable(native()), function* (s) {
    expectTrue<Equal<typeof s, string>>();
  });
}

// The body type is Generator<T | Suspend, ...>: Suspend is what yield* of an awaitable yields.
export type BodyOf = AsyncGenBody<number>;
expectTrue<Equal<BodyOf, Generator<number | Suspend, void, undefined>>>();

// An unconditional `return BREAK` compiles: BREAK's type does not widen to `symbol` in a `function*`.
export function* unconditionalBreak(): Coroutine<void> {
  yield* asyncFor(counter(3), function* () {
    return BREAK;
  });
  yield* asyncFor(counter(3), function* (i) {
    yield* sleep(i);
    return BREAK;
  });
  yield* asyncFor(counter(3), () => BREAK);
  // @ts-expect-error any other symbol is not BREAK
  yield* asyncFor(counter(3), function* () { return Symbol('x'); });
}

// A typed async-generator body is spelled with `AsyncGenBody<T, TReturn, TSend>`, never `Suspend`.
const typedTicks = asyncGenerator(function* typedTicks(n: number): AsyncGenBody<number> {
  for (let i = 0; i < n; i++) {
    yield* sleep(1);
    yield i;
  }
});
expectTrue<Equal<typeof typedTicks, (n: number) => AsyncGen<number, void, undefined>>>();
export const typedReturn = asyncGenerator(function* typedReturn(): AsyncGenBody<string, number> {
  yield 'a';
  // @ts-expect-error the value type is string
  yield 1;
  return 2;
});
