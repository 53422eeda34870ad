/**
 * The types that carry yieldio's semantics: what a coroutine may yield, what `yield*` accepts.
 * Types only; no runtime code lives here.
 * @module
 */

// The brand's name is what TypeScript prints when `yield aw` is written for `yield* aw`
// ("Property '[useYieldStarToAwait]' is missing ... in type 'UseYieldStarNotYield'").
declare const useYieldStarToAwait: unique symbol;

/**
 * What a coroutine yields up to the event loop when it suspends: a Future of the running loop,
 * or the `sleep(0)` marker. User code never spells or builds one; it only passes through `yield*`.
 * Because nothing public has this type, `yield 42` or `yield sleep(1)` inside a `Coroutine` is a
 * compile error, and the error names this type: write `yield* sleep(1)`.
 */
export interface UseYieldStarNotYield {
  readonly [useYieldStarToAwait]: 'write yield* to await; a bare yield only produces values in an async generator';
}

/**
 * The type of what a coroutine yields when it suspends (see `UseYieldStarNotYield`, the name the
 * compiler prints). Typed async generators use `AsyncGenBody<T>` and never spell it.
 */
export type Suspend = UseYieldStarNotYield;

/**
 * A coroutine: the generator object of a `function*` that only awaits (`yield*`).
 * @asyncio collections.abc.Coroutine (the object `async def` returns)
 * @example
 * function* fetchUser(id: number): Coroutine<string> {
 *   yield* sleep(10);
 *   return `user ${id}`;
 * }
 */
export type Coroutine<T = void> = Generator<Suspend, T, unknown>;

/**
 * Anything `yield*` accepts inside a coroutine: a coroutine, a Future, a Task, or any object whose
 * `[Symbol.iterator]()` returns a generator that suspends on futures and returns `T`.
 * The iterator must have `throw` and `return`, so cancellation can be thrown through it.
 * @asyncio collections.abc.Awaitable (`__await__` is `[Symbol.iterator]`)
 */
export interface Awaitable<T> {
  [Symbol.iterator](): Generator<Suspend, T, unknown>;
}

/** The value an `Awaitable` produces: `AwaitedBy<Task<number>>` is `number`. */
export type AwaitedBy<A> = A extends Awaitable<infer T> ? T : never;

/**
 * The async context-manager protocol: `aenter()` when the block starts, `aexit(error)` when it
 * ends (return `true` to swallow the error).
 * @asyncio contextlib.AbstractAsyncContextManager (`__aenter__` / `__aexit__`)
 */
export interface AsyncContextManager<T> {
  aenter(): Awaitable<T>;
  aexit(error?: unknown): Awaitable<boolean | void>;
}

/**
 * The synchronous context-manager protocol, used by `withContext`.
 * @asyncio contextlib.AbstractContextManager (`__enter__` / `__exit__`)
 */
export interface ContextManager<T> {
  enter(): T;
  exit(error?: unknown): boolean | void;
}
