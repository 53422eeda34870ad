/**
 * Bridges between yieldio async iterators and native `for await`: `toAsyncIterable` runs a yieldio
 * iterator's steps as tasks on a loop, `fromAsyncIterable` awaits a native one through the loop.
 * Cancellation is mapped both ways: cancelling the consuming task calls the native `return()`,
 * leaving a native `for await` early closes the yieldio iterator.
 * @asyncio none (JavaScript interop; asyncio has no native async iterators to bridge)
 * @module
 */
import { CancelledError, RuntimeError, StopAsyncIteration } from './exceptions.ts';
import { getRunningLoopOrNull } from './events.ts';
import { fromPromise, toPromise } from './host.ts';
import { describeValue } from './internal/repr.ts';
import { AsyncGen, asyncIteratorOf, closeIterator, type AsyncIteratorLike, type AsyncIterableLike } from './asyncgen.ts';
import type { EventLoop } from './base-events.ts';
import type { Awaitable, Coroutine } from './types.ts';

/**
 * A native async iterator over a yieldio one: each `next()` runs `anext()` (or `asend(v)`) as a
 * task on the loop and settles when it is done; `return()` closes the yieldio iterator.
 */
class LoopAsyncIterator<T> implements AsyncIterableIterator<T> {
  private readonly it: AsyncIteratorLike<T>;
  private readonly loop: EventLoop;

  constructor(it: AsyncIteratorLike<T>, loop: EventLoop) {
    this.it = it;
    this.loop = loop;
  }

  next(value?: unknown): Promise<IteratorResult<T>> {
    const it = this.it;
    const step = value !== undefined && it instanceof AsyncGen ? (it.asend(value) as Coroutine<T>) : it.anext();
    return this.settle(step);
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    return this.submit(closeIterator(this.it)).then(() => ({ value: value as T, done: true }));
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    const it = this.it;
    if (it instanceof AsyncGen) return this.settle(it.athrow(error) as Coroutine<T>);
    return this.submit(closeIterator(it)).then(() => Promise.reject(error));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private settle(step: Awaitable<T>): Promise<IteratorResult<T>> {
    return this.submit(step).then(
      (item) => ({ value: item, done: false }),
      (error: unknown) => {
        if (error instanceof StopAsyncIteration) return { value: error.value as T, done: true };
        throw error;
      },
    );
  }

  private submit<R>(aw: Awaitable<R>): Promise<R> {
    try {
      return toPromise(aw, this.loop);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/**
 * A native async iterable over a yieldio async iterator, for `for await` in native `async` code
 * running next to the loop (inside `run()`): each step runs as a task on the loop; breaking out of
 * `for await` (the native `return()`) closes the yieldio iterator and waits for its `finally`
 * blocks; cancelling the task that runs a step rejects the pending `next()` with `CancelledError`.
 * @asyncio no counterpart (Python has one kind of async iteration)
 * @param ait an AsyncGen or any yieldio async iterator.
 * @param loop the loop to run on (default: the running loop, else the one the generator uses).
 * @returns an object for `for await`.
 * @throws {RuntimeError} if no loop can be found.
 * @example
 * // inside run(main): hand a yieldio generator to native code
 * yield* fromPromise(nativeConsumer(toAsyncIterable(counter(3))));
 */
export function toAsyncIterable<T>(ait: AsyncIteratorLike<T> | AsyncIterableLike<T>, loop?: EventLoop): AsyncIterableIterator<T> {
  const it = asyncIteratorOf<T>(ait);
  const theLoop = loop ?? getRunningLoopOrNull() ?? (it instanceof AsyncGen ? it._loop : null);
  if (theLoop === null) {
    throw new RuntimeError(
      'no running event loop: native `for await` over a yieldio async iterator runs each step on the loop. ' +
        'Start it inside run(), or pass the loop: toAsyncIterable(agen, loop).',
    );
  }
  return new LoopAsyncIterator(it, theLoop);
}

/**
 * A yieldio async iterator over a native async iterable (an `async function*`, a stream): each
 * `anext()` awaits the native `next()` Promise through the loop. Cancelling the task awaiting
 * `anext()` calls the native iterator's `return()` (without waiting for it: a native generator
 * finishes its pending step first); `aclose()` (asyncFor's early exit) calls it and waits.
 * Needs `run()`: Promises settle only when the host gets control.
 * @asyncio no counterpart (bridges JavaScript's native async iteration)
 * @param iterable any object with `[Symbol.asyncIterator]()`.
 * @returns an AsyncIteratorLike for `asyncFor`.
 * @throws {TypeError} if `iterable` is not a native async iterable.
 * @example
 * yield* asyncFor(fromAsyncIterable(readable), function* (chunk) { total += chunk.length; });
 */
export function fromAsyncIterable<T>(iterable: AsyncIterable<T>): HostAsyncIterator<T> {
  const make = (iterable as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator];
  if (typeof make !== 'function') {
    throw new TypeError(`Expected \`iterable\` to be a native async iterable (with [Symbol.asyncIterator]), got ${describeValue(iterable)}`);
  }
  return new HostAsyncIterator(iterable);
}

/**
 * What `fromAsyncIterable` returns: a yieldio async iterator (`anext`, `aclose`, `aiter`) over a
 * native async iterator, opened on the first `anext()`.
 * @asyncio collections.abc.AsyncIterator
 */
export class HostAsyncIterator<T> implements AsyncIteratorLike<T>, AsyncIterableLike<T> {
  private readonly iterable: AsyncIterable<T>;
  private iterator: AsyncIterator<T> | null;
  private finished: boolean;

  /** @internal Use `fromAsyncIterable(iterable)`. */
  constructor(iterable: AsyncIterable<T>) {
    this.iterable = iterable;
    this.iterator = null;
    this.finished = false;
  }

  /**
   * Awaits the native iterator's next item.
   * @asyncio __anext__()
   * @throws {StopAsyncIteration} at the end (`.value` is the native return value).
   * @example
   * const chunk = yield* it.anext();
   */
  *anext(): Coroutine<T> {
    if (this.finished) throw new StopAsyncIteration();
    let iterator = this.iterator;
    if (iterator === null) iterator = this.iterator = this.iterable[Symbol.asyncIterator]();
    let result: IteratorResult<T>;
    try {
      result = yield* fromPromise(iterator.next());
    } catch (error) {
      this.finished = true;
      if (error instanceof CancelledError) this.abandon(iterator);
      throw error;
    }
    if (result.done === true) {
      this.finished = true;
      throw new StopAsyncIteration(result.value);
    }
    return result.value;
  }

  /**
   * Closes the native iterator (its `return()`) and waits for it.
   * @asyncio aclose()
   * @example
   * yield* it.aclose();
   */
  *aclose(): Coroutine<void> {
    if (this.finished) return;
    this.finished = true;
    const iterator = this.iterator;
    if (iterator === null || typeof iterator.return !== 'function') return;
    yield* fromPromise(iterator.return());
  }

  /**
   * The iterator itself.
   * @asyncio __aiter__()
   */
  aiter(): this {
    return this;
  }

  /** Cancellation mapped to the host: ask the native iterator to stop; report if that fails. */
  private abandon(iterator: AsyncIterator<T>): void {
    if (typeof iterator.return !== 'function') return;
    const loop = getRunningLoopOrNull();
    Promise.resolve()
      .then(() => (iterator.return as () => Promise<unknown>).call(iterator))
      .then(undefined, (error: unknown) => {
        loop?.callSoonThreadsafe(() =>
          loop.callExceptionHandler({ message: 'error closing a native async iterator after cancellation', exception: error }),
        );
      });
  }
}
