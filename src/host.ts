/**
 * Bridges to the host: await a Promise from a coroutine, await a coroutine from native async code,
 * and hand an AbortSignal to Promise-based APIs so that cancelling the task aborts them.
 * @asyncio asyncio.wrap_future / asyncio.run_coroutine_threadsafe, translated to Promises
 *
 * Design notes
 * - `fromPromise` settles its Future through `loop.callSoonThreadsafe`, which wakes a loop idle
 *   in `run()`. The Future may be cancelled first (the task was cancelled): the late settlement
 *   is then dropped, and a late rejection is handled, so it never becomes an unhandled rejection.
 *   A settlement after the loop closed is dropped too. `fromPromise` keeps no count of its own:
 *   whatever will settle the Promise (a socket, a timer, a worker) keeps the host alive, and a
 *   Promise nothing will settle lets the host reach 'beforeExit', where `run()` reports the stuck
 *   task instead of exiting silently (base-events.ts).
 * - Errors keep their identity: a rejection is thrown into the awaiting coroutine as the very
 *   object the Promise rejected with, so its `stack` is where it was made. JavaScript cannot
 *   splice the awaiting task's frames into it (a generator resumed by the loop has no async stack
 *   trace); in debug mode (`run(main, { debug: true })`) `fromPromise` records where it was
 *   called and appends that to the error's `stack` as "    --- awaited by fromPromise() in <Task …> at:".
 * - `toPromise` picks its loop in this order: the loop running on the current stack (inside a
 *   task or loop callback), the `loop` argument, else the one loop whose `run()` /
 *   `runUntilComplete()` / `runForever()` is in progress (so a Promise reaction or Node callback
 *   next to a running `run()` works). No loop, or several, is a RuntimeError asking for `loop`.
 * @module
 */
import { CancelledError, RuntimeError } from './exceptions.ts';
import { activeLoops, getRunningLoop, getRunningLoopOrNull } from './events.ts';
import { Future } from './futures.ts';
import { currentTask, ensureFuture } from './tasks.ts';
import { checkCallback } from './internal/validate.ts';
import { describeValue } from './internal/repr.ts';
import type { EventLoop } from './base-events.ts';
import type { Awaitable, Coroutine } from './types.ts';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

function isIterable(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

function settleResult(future: Future<unknown>, value: unknown): void {
  if (!future.done()) future.setResult(value);
}

function settleError(future: Future<unknown>, error: unknown): void {
  if (!future.done()) future._setExceptionUnchecked(error);
}

/** Schedules the settlement unless the loop closed meanwhile (a Promise can outlive its loop). */
function deliver(loop: EventLoop, settle: (future: Future<unknown>, value: unknown) => void, future: Future<unknown>, value: unknown): void {
  if (loop.isClosed() || future.done()) return;
  loop.callSoonThreadsafe(settle, future, value);
}

/** Debug mode only: append where fromPromise was called to the rejection's stack. */
function appendAwaiter(error: unknown, site: Error, where: string): void {
  if (!(error instanceof Error) || typeof error.stack !== 'string' || typeof site.stack !== 'string') return;
  const frames = site.stack.split('\n').slice(2).join('\n');
  try {
    error.stack += `\n    --- awaited by fromPromise() in ${where} at:\n${frames}`;
  } catch {
    // A frozen error keeps its own stack.
  }
}

/**
 * Wraps a Promise (or any thenable) in a Future of the running loop, so a coroutine can await it:
 * `yield* fromPromise(p)`. The loop is woken through `callSoonThreadsafe` when it settles; a
 * rejection is thrown as the original error object. Cancelling the Future (or the task awaiting
 * it) does not cancel the Promise: pass an AbortSignal for that (`withAbortSignal`).
 * @asyncio asyncio.wrap_future(future) (for concurrent.futures; here for Promises)
 * Differs from asyncio: it takes a Promise, the host's future.
 * @param promise a Promise or thenable.
 * @param loop the loop of the new Future (default: the running loop).
 * @returns a Future that settles like `promise`.
 * @throws {TypeError} if `promise` is not a thenable.
 * @throws {RuntimeError} "no running event loop" outside the loop without `loop`.
 * @example
 * const response = yield* fromPromise(fetch(url));
 * const body = yield* fromPromise(response.text());
 */
export function fromPromise<T>(promise: PromiseLike<T> | T, loop?: EventLoop): Future<Awaited<T>> {
  if (!isThenable(promise)) {
    const hint =
      promise instanceof Future || isIterable(promise)
        ? ' It is already a yieldio awaitable: write `yield* value` without fromPromise().'
        : typeof promise === 'function'
          ? ' Call the async function first: fromPromise(fn()) instead of fromPromise(fn).'
          : '';
    throw new TypeError(`Expected \`promise\` to be a Promise or thenable, got ${describeValue(promise)}.${hint}`);
  }
  const theLoop = loop ?? getRunningLoop();
  const future = theLoop.createFuture<Awaited<T>>();
  const site = theLoop.getDebug() ? new Error('fromPromise() call site') : null;
  const where = site === null ? '' : String(currentTask(theLoop) ?? 'a loop callback');
  // Promise.resolve adopts any thenable (even one whose `then` throws) and calls back asynchronously.
  Promise.resolve(promise).then(
    (value) => deliver(theLoop, settleResult, future as Future<unknown>, value),
    (error: unknown) => {
      if (site !== null) appendAwaiter(error, site, where);
      deliver(theLoop, settleError, future as Future<unknown>, error);
    },
  );
  return future;
}

function pickLoop(loop: EventLoop | undefined): EventLoop {
  const running = getRunningLoopOrNull();
  if (running !== null) return running;
  if (loop !== undefined) return loop;
  if (activeLoops.size === 1) return activeLoops.values().next().value as EventLoop;
  if (activeLoops.size === 0) {
    throw new RuntimeError(
      'no running event loop: toPromise() needs a loop. Call it from a task, or from a host callback while run() is active, or pass the loop: toPromise(aw, loop).',
    );
  }
  throw new RuntimeError(`toPromise() found ${activeLoops.size} running event loops and cannot tell which one to use: pass the loop: toPromise(aw, loop).`);
}

function settlePromise<T>(future: Future<T>, resolve: (value: T) => void, reject: (error: unknown) => void): void {
  if (future.cancelled()) {
    reject(future._makeCancelledError());
    return;
  }
  try {
    resolve(future.result()); // result() marks an exception as retrieved: the Promise reports it
  } catch (error) {
    reject(error);
  }
}

/**
 * Runs an awaitable on a running loop and returns a Promise of its result, for native `async`
 * code next to the loop: a coroutine becomes a Task. The Promise rejects with the awaitable's
 * error, or with `CancelledError` if it was cancelled. Which loop: see the module notes (the
 * running one; else `loop`; else the only loop whose `run()` is active).
 * @asyncio asyncio.run_coroutine_threadsafe(coro, loop) (a Promise instead of a concurrent Future)
 * @param aw a coroutine, Task, Future or other awaitable.
 * @param loop the loop to use when none is running on this stack.
 * @returns a Promise that settles like `aw`.
 * @throws {RuntimeError} when no loop (or more than one) can be found, or the loop is closed.
 * @throws {TypeError} if `aw` is not an awaitable.
 * @example
 * // native code, e.g. a web framework handler, while run(main) serves:
 * app.get('/user', async () => await toPromise(fetchUser(1)));
 */
export function toPromise<T>(aw: Awaitable<T>, loop?: EventLoop): Promise<T> {
  const theLoop = pickLoop(loop);
  theLoop._checkClosed();
  const future = ensureFuture(aw, theLoop);
  return new Promise<T>((resolve, reject) => {
    // A done future would otherwise wait for a loop iteration that may never come.
    if (future.done()) settlePromise(future, resolve, reject);
    else future.addDoneCallback((done) => settlePromise(done, resolve, reject));
  });
}

/** Options of `withAbortSignal`. */
export interface WithAbortSignalOptions {
  /** An outer signal: if it is already aborted the work never starts; if it aborts later, so does the work's. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs Promise-based work that accepts an AbortSignal: `fn(signal)` returns a Promise, which is
 * awaited. Cancelling the task aborts `signal` with the `CancelledError` as its reason (and the
 * task ends cancelled at once, without waiting for the Promise). A task cancelled before this
 * coroutine first runs never calls `fn`; neither does an already-aborted `options.signal`
 * (its reason is thrown).
 * @asyncio none: the bridge from asyncio cancellation to the host's AbortSignal
 * @param fn called with a fresh AbortSignal; returns a Promise (or thenable).
 * @param options `signal`: an outer AbortSignal to follow.
 * @returns a coroutine resolving to the Promise's value.
 * @throws {CancelledError} when the task is cancelled; the Promise's rejection otherwise.
 * @throws {TypeError} if `fn` is not a function, or does not return a thenable.
 * @example
 * const res = yield* withAbortSignal((signal) => fetch(url, { signal }));
 * // yield* timeout(5000, function* () { ... }) around it aborts the fetch on expiry
 */
export function withAbortSignal<T>(fn: (signal: AbortSignal) => PromiseLike<T>, options?: WithAbortSignalOptions): Coroutine<Awaited<T>> {
  checkCallback(fn, 'fn');
  const outer = options?.signal;
  if (outer !== undefined && !(outer instanceof AbortSignal)) {
    throw new TypeError(`Expected \`options.signal\` to be an AbortSignal, got ${describeValue(outer)}`);
  }
  return abortable(fn, outer);
}

function* abortable<T>(fn: (signal: AbortSignal) => PromiseLike<T>, outer: AbortSignal | undefined): Coroutine<Awaited<T>> {
  if (outer !== undefined) outer.throwIfAborted();
  const controller = new AbortController();
  const follow = outer === undefined ? null : () => controller.abort(outer.reason);
  if (follow !== null) outer!.addEventListener('abort', follow, { once: true });
  try {
    const promise = fn(controller.signal);
    if (!isThenable(promise)) {
      throw new TypeError(`withAbortSignal(): fn must return a Promise, got ${describeValue(promise)}. Write it as (signal) => fetch(url, { signal }).`);
    }
    return yield* fromPromise(promise);
  } catch (error) {
    if (error instanceof CancelledError) controller.abort(error);
    throw error;
  } finally {
    if (follow !== null) outer!.removeEventListener('abort', follow);
  }
}
