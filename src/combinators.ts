/**
 * The combinators of asyncio's tasks.py, kept out of the core: gather, wait, waitFor, asCompleted
 * and shield.
 * @asyncio asyncio.tasks (gather, wait, wait_for, as_completed, shield; FIRST_COMPLETED, ...)
 *
 * Design notes.
 * - `gather` returns a `GatheringFuture` (asyncio's `_GatheringFuture`): cancelling it cancels
 *   the children, and it then fails with the CancelledError made from its *last* child in
 *   argument order (3.13). Its state lives on the future itself and the children share one
 *   bound done callback, so gathering N tasks allocates no closure per child.
 * - `waitFor` is built on `timeout()` (3.12+): it awaits in the caller's task, so on expiry the
 *   awaited task is cancelled and awaited before TimeoutError is raised (bpo-32751).
 * - `asCompleted` is both a plain iterable of coroutines (`for (const next of asCompleted(aws))
 *   { yield* next }`) and a yieldio async iterator (`anext()`/`aclose()`/`aiter()`, the
 *   protocol of `asyncFor` in asyncgen.ts) that yields the original futures (3.13). It has no
 *   `[Symbol.asyncIterator]`: native `for await` cannot drive yieldio coroutines.
 * @module
 */
import { CancelledError, StopAsyncIteration, TimeoutError } from './exceptions.ts';
import { getRunningLoop } from './events.ts';
import type { TimerHandle } from './events.ts';
import type { EventLoop } from './base-events.ts';
import { DoneListener, Future, PENDING, isFuture } from './futures.ts';
import { claimedOnCreation, ensureFuture, isClaimedCoroutine, isCoroutine } from './tasks.ts';
import { DIFFERENT_LOOP } from './tasks.ts';
import { timeout as makeTimeout } from './timeouts.ts';
import { checkDelay, checkOptions } from './internal/validate.ts';
import { describeValue } from './internal/repr.ts';
import type { Awaitable, AwaitedBy, Coroutine } from './types.ts';

// The option keys each call knows: a misspelt one is a TypeError (Python: "unexpected keyword argument").
const GATHER_OPTIONS = ['returnExceptions'] as const;
const WAIT_OPTIONS = ['timeout', 'returnWhen'] as const;
const AS_COMPLETED_OPTIONS = ['timeout'] as const;

// ------------------------------------------------------------------------------------ gather

/** The results of `gather(aws)`: a tuple for a tuple, an array for an array. */
export type GatherResult<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedBy<A[K]> };

/** The results of `gather(aws, { returnExceptions: true })`: each element a value or an error. */
export type GatherResultOrError<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedBy<A[K]> | Error };

/** Options of `gather`. */
export interface GatherOptions {
  /** Return errors (and CancelledErrors) in the results instead of failing at the first one. */
  returnExceptions?: boolean;
}

/**
 * The Future `gather` returns. `cancel()` cancels every child that is not done (and returns
 * whether any was); the gather then fails with a CancelledError rather than being cancelled
 * itself, as asyncio's `_GatheringFuture`.
 *
 * Fields, beyond Future's: `_children` (one per argument, in order; a repeated argument repeats
 * its future), `_cancelRequested`, `_returnExceptions`, `_nfinished` / `_nfuts` (done callbacks
 * received / expected: one per distinct child, as asyncio's), `_onChildDone` (the one done
 * callback every child shares).
 * @asyncio asyncio.tasks._GatheringFuture
 */
export class GatheringFuture<T> extends Future<T> {
  _children: Future<unknown>[];
  _cancelRequested: boolean;
  _returnExceptions: boolean;
  _nfinished: number;
  _nfuts: number;
  _onChildDone: (child: Future<unknown>) => void;

  /** @internal Made by `gather`, after it registered `onChildDone` (which calls `_childDone`) on the children. */
  constructor(children: Future<unknown>[], nfuts: number, returnExceptions: boolean, loop: EventLoop, onChildDone: (child: Future<unknown>) => void) {
    super(loop);
    this._children = children;
    this._cancelRequested = false;
    this._returnExceptions = returnExceptions;
    this._nfinished = 0;
    this._nfuts = nfuts;
    this._onChildDone = onChildDone;
  }

  /**
   * Cancels every child not done yet. Returns false if the gather is done or no child could be
   * cancelled; the gather then raises the CancelledError of its last child.
   * @asyncio _GatheringFuture.cancel(msg=None)
   */
  override cancel(msg?: string | null): boolean {
    if (this.done()) return false;
    let cancelled = false;
    const children = this._children;
    for (let i = 0; i < children.length; i++) if ((children[i] as Future<unknown>).cancel(msg)) cancelled = true;
    if (cancelled) this._cancelRequested = true;
    return cancelled;
  }

  /** @internal asyncio's `_done_callback` in gather(). */
  _childDone(child: Future<unknown>): void {
    this._nfinished++;
    if (this.done()) {
      // Mark the child's exception as retrieved: the gather already reported its outcome.
      if (!child.cancelled()) child.exception();
      return;
    }
    if (!this._returnExceptions) {
      if (child.cancelled()) {
        // A cancelled child fails the gather with its CancelledError; the gather itself is not
        // cancelled, so the other children keep running (asyncio's documented choice).
        this._setExceptionUnchecked(child._makeCancelledError());
        return;
      }
      if (child._hasException) {
        this._setExceptionUnchecked(child.exception());
        return;
      }
    }
    if (this._nfinished === this._nfuts) {
      const children = this._children;
      const results: unknown[] = new Array(children.length);
      for (let i = 0; i < children.length; i++) {
        const c = children[i] as Future<unknown>;
        if (c.cancelled()) results[i] = new CancelledError(c._cancelMessage ?? '');
        else if (c._hasException) results[i] = c.exception();
        else results[i] = c._result;
      }
      if (this._cancelRequested) {
        // 3.13: the error comes from the last child in argument order.
        this._setExceptionUnchecked((children[children.length - 1] as Future<unknown>)._makeCancelledError());
      } else {
        this.setResult(results as T);
      }
    }
  }

  /** @internal How a call graph names a wait on this gather: `gather(3 children: 2 pending)`. */
  _describeAwait(): string {
    const n = this._children.length;
    const pending = this._children.filter((c) => !c.done()).length;
    return `gather(${n} ${n === 1 ? 'child' : 'children'}: ${pending} pending)`;
  }
}

/**
 * Runs awaitables concurrently and collects their results in argument order. Coroutines are
 * wrapped in tasks. Without `returnExceptions`, the first error (or cancelled child) fails the
 * gather and the other children keep running; with it, errors are returned in place.
 * Cancelling the returned future cancels every child.
 * @asyncio asyncio.gather(*aws, return_exceptions=False)
 * Differs from asyncio: takes an array (like `Promise.all`), or the awaitables as separate
 * arguments; the array form's element types are inferred as a tuple.
 * @param aws the awaitables (coroutines, futures, tasks), as one array or as separate arguments.
 * @param options `{ returnExceptions }` (array form only).
 * @returns a cancellable Future of the results array.
 * @throws {TypeError} if an element is not awaitable, naming its index.
 * @throws {RuntimeError} "no running event loop" when a coroutine must be wrapped outside a loop.
 * @throws {RangeError} (asyncio's ValueError) for futures of different loops.
 * @example
 * const [user, posts] = yield* gather([fetchUser(1), fetchPosts(1)]);
 * const outcomes = yield* gather([a(), b()], { returnExceptions: true }); // values or errors
 */
export function gather<const A extends readonly Awaitable<unknown>[]>(aws: A, options: GatherOptions & { returnExceptions: true }): GatheringFuture<GatherResultOrError<A>>;
export function gather<const A extends readonly Awaitable<unknown>[]>(aws: A, options?: GatherOptions & { returnExceptions?: false }): GatheringFuture<GatherResult<A>>;
export function gather<const A extends readonly Awaitable<unknown>[]>(aws: A, options: GatherOptions): GatheringFuture<GatherResult<A> | GatherResultOrError<A>>;
export function gather<const A extends readonly Awaitable<unknown>[]>(...aws: A): GatheringFuture<GatherResult<A>>;
export function gather(...args: unknown[]): GatheringFuture<unknown[]> {
  let aws: readonly unknown[];
  let returnExceptions = false;
  let arrayForm = false;
  if (args.length > 0 && Array.isArray(args[0])) {
    arrayForm = true;
    if (args.length > 2) {
      throw new TypeError(`gather() takes an array of awaitables and an optional options object, got ${args.length} arguments`);
    }
    aws = args[0] as readonly unknown[];
    const options = args[1] as GatherOptions | undefined;
    if (options !== undefined) {
      checkOptions(options, 'gather()', GATHER_OPTIONS, 'gather(aws, { returnExceptions: true })');
      const re = options.returnExceptions;
      if (re !== undefined && typeof re !== 'boolean') throw new TypeError(`Expected \`options.returnExceptions\` to be a boolean, got ${describeValue(re)}`);
      returnExceptions = re === true;
    }
  } else {
    aws = args;
  }
  const n = aws.length;
  if (n === 0) {
    const empty = new GatheringFuture<unknown[]>([], 0, returnExceptions, getRunningLoop(), ignoreChild);
    empty.setResult([]);
    return empty;
  }
  // asyncio's loop: each distinct argument (arg_to_fut) is wrapped once and counted in `nfuts`; a
  // repeat reuses the first one's future. The callback is registered here, in argument order; a
  // future already done is counted after the GatheringFuture exists (done_futs), in order too.
  // The callback only runs from the ready queue; `outer` is null there only if a later argument
  // made gather throw (bpo-46672): the child's error is then marked retrieved, as asyncio does.
  let outer: GatheringFuture<unknown[]> | null = null;
  const onChildDone = (child: Future<unknown>): void => {
    if (outer !== null) outer._childDone(child);
    else if (!child.cancelled()) child.exception();
  };
  // The children share one listener (no Handle per child) where they can; the others get a Handle.
  const listener = new DoneListener(onChildDone);
  const children: Future<unknown>[] = new Array(n);
  // The repeat check, without hashing in the common case: a coroutine wrapped by this gather is
  // claimed by the task made for it (a lazy task claims its coroutine when it is made), so
  // a claimed coroutine is the suspect; a pending Future already holds our callback. Anything else
  // (a done Future, an eager or factory-made task, a foreign awaitable, a coroutine claimed
  // before) switches to asyncio's own map from argument to future for the rest.
  let argToFut: Map<unknown, Future<unknown>> | null = null;
  let doneFuts: Future<unknown>[] | null = null;
  let loop: EventLoop | null = null;
  let nfuts = 0;
  for (let i = 0; i < n; i++) {
    const arg = aws[i];
    let fut: Future<unknown>;
    if (argToFut === null) {
      if (arg instanceof Future) {
        if (loop === null) loop = arg._loop;
        else if (arg._loop !== loop) throw new RangeError(DIFFERENT_LOOP); // asyncio: ensure_future(arg, loop=loop)
        if (arg._state === PENDING && arg.addDoneCallback === futureAddDoneCallback) {
          if (arg._holdsDoneCallback(onChildDone)) {
            children[i] = arg; // a repeat: its first occurrence registered the callback
            continue;
          }
          arg._addListener(listener);
          children[i] = arg;
          nfuts++;
          continue;
        }
      } else if (isCoroutine(arg) && !isClaimedCoroutine(arg)) {
        if (loop === null) loop = getRunningLoop();
        fut = loop.createTask(arg);
        if (claimedOnCreation(fut, arg)) {
          fut._addListener(listener);
          children[i] = fut;
          nfuts++;
          continue;
        }
        // Not claimed by the task just made (an eager start, a factory's wrapper): remember it, then hash from here on.
        argToFut = mapOfFirst(aws, children, i);
        argToFut.set(arg, fut);
        children[i] = fut;
        nfuts++;
        if (fut.done()) (doneFuts ??= []).push(fut);
        else fut._addListener(listener);
        continue;
      } else if (!isAwaitable(arg)) {
        throw notAwaitableError(arg, i, arrayForm);
      }
      argToFut = mapOfFirst(aws, children, i);
    } else if (!(arg instanceof Future) && !isAwaitable(arg)) {
      throw notAwaitableError(arg, i, arrayForm);
    }
    const seen = argToFut.get(arg);
    if (seen !== undefined) {
      children[i] = seen;
      continue;
    }
    if (arg instanceof Future) {
      fut = arg;
      if (loop === null) loop = fut._loop;
      else if (fut._loop !== loop) throw new RangeError(DIFFERENT_LOOP);
    } else {
      fut = ensureFuture(arg as Awaitable<unknown>, loop ?? undefined);
      if (loop === null) loop = fut._loop;
    }
    argToFut.set(arg, fut);
    children[i] = fut;
    nfuts++;
    if (fut.done()) (doneFuts ??= []).push(fut);
    else fut._addListener(listener);
  }
  outer = new GatheringFuture<unknown[]>(children, nfuts, returnExceptions, loop as EventLoop, onChildDone);
  // A child already done (an eager task) is counted now, in argument order, as asyncio does.
  if (doneFuts !== null) for (let i = 0; i < doneFuts.length; i++) outer._childDone(doneFuts[i] as Future<unknown>);
  return outer;
}

function ignoreChild(): void {}

// Read once: a Future whose addDoneCallback is this one keeps our callback where _holdsDoneCallback looks.
const futureAddDoneCallback = Future.prototype.addDoneCallback;

/** asyncio's arg_to_fut for the arguments before `end`: each one's first future. */
function mapOfFirst(aws: readonly unknown[], children: Future<unknown>[], end: number): Map<unknown, Future<unknown>> {
  const map = new Map<unknown, Future<unknown>>();
  for (let k = 0; k < end; k++) if (!map.has(aws[k])) map.set(aws[k], children[k] as Future<unknown>);
  return map;
}

function isAwaitable(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    (isCoroutine(value) || typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function')
  );
}

function notAwaitableError(value: unknown, index: number, arrayForm: boolean): TypeError {
  const where = arrayForm ? `\`aws[${index}]\`` : `argument ${index}`;
  let hint = '';
  if (value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function') {
    hint = ' A Promise is not a yieldio awaitable: wrap it with fromPromise(promise).';
  } else if (typeof value === 'function') {
    hint = ` Call the function to get a coroutine: ${value.name || 'fn'}() instead of ${value.name || 'fn'}.`;
  } else if (!arrayForm && value !== null && typeof value === 'object') {
    hint = ' To pass options, put the awaitables in an array: gather([a, b], { returnExceptions: true }).';
  }
  return new TypeError(`An asyncio.Future, a coroutine or an awaitable is required: gather() got ${describeValue(value)} as ${where}.${hint}`);
}

// -------------------------------------------------------------------------------------- wait

/** `wait` returns when any future finishes or is cancelled. @asyncio asyncio.FIRST_COMPLETED */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** `wait` returns when any future fails (or all are done). @asyncio asyncio.FIRST_EXCEPTION */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** `wait` returns when every future is done (the default). @asyncio asyncio.ALL_COMPLETED */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** When `wait` returns: `FIRST_COMPLETED`, `FIRST_EXCEPTION` or `ALL_COMPLETED`. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of `wait`. */
export interface WaitOptions {
  /** Milliseconds; null/undefined waits without limit. On timeout nothing is raised. */
  timeout?: number | null | undefined;
  /** When to return (default `ALL_COMPLETED`). */
  returnWhen?: ReturnWhen;
}

/**
 * Waits for futures or tasks until `returnWhen` is satisfied or `timeout` passes, and returns
 * `[done, pending]`. Does not raise on timeout and cancels nothing.
 * @asyncio asyncio.wait(fs, *, timeout=None, return_when=ALL_COMPLETED)
 * Differs from asyncio: the arguments are checked at the call, so a bad one throws where
 * `wait(...)` is written (asyncio's `async def wait` raises only when awaited).
 * @param aws a non-empty iterable of futures or tasks (not coroutines).
 * @param options `timeout` (ms) and `returnWhen`.
 * @returns a coroutine that evaluates to `[done, pending]`, two Sets.
 * @throws {TypeError} for a single future, a coroutine in the list, or a non-future element.
 * @throws {RangeError} for an empty list, a bad `returnWhen`, or a NaN `timeout`.
 * @example
 * const [done, pending] = yield* wait([t1, t2], { returnWhen: FIRST_COMPLETED });
 */
export function wait<F extends Future<unknown>>(aws: Iterable<F>, options?: WaitOptions): Coroutine<[Set<F>, Set<F>]> {
  if (isFuture(aws) || isCoroutine(aws)) {
    throw new TypeError(`expect a list of futures, not ${describeValue(aws)}. Put it in an array: wait([task]).`);
  }
  if (aws === null || aws === undefined || typeof (aws as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new TypeError(`expect a list of futures, not ${describeValue(aws)}`);
  }
  checkOptions(options, 'wait()', WAIT_OPTIONS, 'wait(aws, { timeout, returnWhen })');
  const fs = new Set(aws);
  if (fs.size === 0) throw new RangeError('Set of Tasks/Futures is empty.');
  const returnWhen = options?.returnWhen ?? ALL_COMPLETED;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new RangeError(`Invalid returnWhen value: ${String(returnWhen)}`);
  }
  const timeout = options?.timeout ?? null;
  if (timeout !== null) checkDelay(timeout, 'timeout');
  let i = 0;
  for (const f of fs) {
    if (isCoroutine(f)) throw new TypeError('Passing coroutines is forbidden, use tasks explicitly.');
    if (!isFuture(f)) throw new TypeError(`Expected every element of \`aws\` to be a Future or a Task, got ${describeValue(f)} at index ${i}`);
    i++;
  }
  return waitImpl(fs, timeout, returnWhen);
}

function releaseWaiter(waiter: Future<unknown>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}

function* waitImpl<F extends Future<unknown>>(fs: Set<F>, timeout: number | null, returnWhen: ReturnWhen): Coroutine<[Set<F>, Set<F>]> {
  const loop = getRunningLoop();
  const waiter = loop.createFuture<void>();
  const timer: TimerHandle | null = timeout === null ? null : loop.callLater(timeout, releaseWaiter, waiter);
  let counter = fs.size;
  const onCompletion = (f: Future<unknown>): void => {
    counter--;
    if (counter <= 0 || returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && !f.cancelled() && f.exception() !== null)) {
      if (timer !== null) timer.cancel();
      if (!waiter.done()) waiter.setResult(undefined);
    }
  };
  for (const f of fs) f.addDoneCallback(onCompletion);
  try {
    yield* waiter;
  } finally {
    if (timer !== null) timer.cancel();
    for (const f of fs) f.removeDoneCallback(onCompletion);
  }
  const done = new Set<F>();
  const pending = new Set<F>();
  for (const f of fs) (f.done() ? done : pending).add(f);
  return [done, pending];
}

// ----------------------------------------------------------------------------------- waitFor

/**
 * Awaits `aw` with a deadline: on expiry the awaited work is cancelled and awaited, then
 * TimeoutError is raised. Cancelling the caller cancels it too. If the work swallows the
 * cancellation and returns a value, that value is returned.
 * @asyncio asyncio.wait_for(aw, timeout) (3.12+: built on timeout())
 * Differs from asyncio: milliseconds.
 * @param aw a coroutine, future, task or awaitable; a coroutine runs in the caller's task.
 * @param timeout milliseconds; null/undefined waits without limit; <= 0 checks once (the work is
 *   wrapped in a task, cancelled if not done, and awaited).
 * @returns a coroutine that evaluates to the result of `aw`.
 * @throws {TimeoutError} when the deadline passes first (its `cause` is the CancelledError).
 * @throws {RangeError} if `timeout` is NaN.
 * @example
 * const page = yield* waitFor(fetchPage(url), 5000);
 */
export function waitFor<T>(aw: Awaitable<T>, timeout: number | null | undefined): Coroutine<T> {
  if (timeout !== null && timeout !== undefined) checkDelay(timeout, 'timeout');
  if (!isAwaitable(aw)) {
    throw new TypeError(`An asyncio.Future, a coroutine or an awaitable is required: waitFor() got ${describeValue(aw)} as \`aw\`.`);
  }
  return waitForImpl(aw, timeout ?? null);
}

function* waitForImpl<T>(aw: Awaitable<T>, timeout: number | null): Coroutine<T> {
  if (timeout !== null && timeout <= 0) {
    const fut = ensureFuture(aw);
    if (fut.done()) return fut.result();
    yield* cancelAndWait(fut);
    try {
      return fut.result();
    } catch (error) {
      if (error instanceof CancelledError) throw new TimeoutError('', { cause: error });
      throw error;
    }
  }
  const cm = makeTimeout(timeout);
  yield* cm.aenter();
  let result: T;
  try {
    result = yield* aw;
  } catch (error) {
    yield* cm.aexit(error);
    throw error;
  }
  yield* cm.aexit();
  return result;
}

/** Cancels `fut` and waits until it is done, whatever it does with the cancellation. */
function* cancelAndWait(fut: Future<unknown>): Coroutine<void> {
  const waiter = getRunningLoop().createFuture<void>();
  const release = (): void => releaseWaiter(waiter);
  fut.addDoneCallback(release);
  try {
    fut.cancel();
    yield* waiter;
  } finally {
    fut.removeDoneCallback(release);
  }
}

// ------------------------------------------------------------------------------- asCompleted

/** Options of `asCompleted`. */
export interface AsCompletedOptions {
  /** Milliseconds; after it, the remaining awaits raise TimeoutError. */
  timeout?: number | null | undefined;
}

/**
 * What `asCompleted` returns: a plain iterable of coroutines, each evaluating to the result of
 * the next awaitable to finish (`for (const next of it) yield* next`), and a yieldio async
 * iterator (`anext()`, `aclose()`, `aiter()`) yielding the futures themselves as they finish.
 *
 * Fields: `_loop`, `_todo` (futures not done yet), `_done` (done futures, or null for a timeout,
 * read from `_head`), `_waiters` (futures of the consumers waiting for the next one),
 * `_timeoutHandle`, `_todoLeft` (items still to hand out), `_onCompletion` (bound once).
 * @asyncio asyncio.tasks._AsCompletedIterator
 */
export class AsCompleted<T> implements Iterable<Coroutine<T>> {
  _loop: EventLoop;
  _todo: Set<Future<T>>;
  _done: (Future<T> | null | undefined)[];
  _head: number;
  _waiters: Future<void>[];
  _timeoutHandle: TimerHandle | null;
  _todoLeft: number;
  _onCompletion: (future: Future<T>) => void;

  /** @internal Made by `asCompleted`. */
  constructor(aws: Iterable<Awaitable<T>>, timeout: number | null) {
    const loop = getRunningLoop();
    this._loop = loop;
    this._done = [];
    this._head = 0;
    this._waiters = [];
    this._timeoutHandle = null;
    this._onCompletion = (f) => this._handleCompletion(f);
    const todo = new Set<Future<T>>();
    let i = 0;
    for (const aw of new Set(aws)) {
      if (!isAwaitable(aw)) {
        throw new TypeError(`An asyncio.Future, a coroutine or an awaitable is required: asCompleted() got ${describeValue(aw)} at index ${i}.`);
      }
      todo.add(ensureFuture(aw, loop));
      i++;
    }
    this._todo = todo;
    for (const f of todo) f.addDoneCallback(this._onCompletion);
    if (todo.size > 0 && timeout !== null) this._timeoutHandle = loop.callLater(timeout, handleAsCompletedTimeout, this);
    this._todoLeft = todo.size;
  }

  /** The plain iterator: itself. */
  [Symbol.iterator](): Iterator<Coroutine<T>> {
    return this;
  }

  /**
   * The next coroutine to await for the next result (plain iteration).
   * @asyncio _AsCompletedIterator.__next__()
   */
  next(): IteratorResult<Coroutine<T>, undefined> {
    if (this._todoLeft === 0) return { done: true, value: undefined };
    this._todoLeft--;
    return { done: false, value: this._nextResult() };
  }

  /**
   * The async iterator: itself (the `aiter()` of the `asyncFor` protocol).
   * @asyncio _AsCompletedIterator.__aiter__()
   */
  aiter(): this {
    return this;
  }

  /**
   * The next future to finish (the original future or task; a task made for a coroutine).
   * @asyncio _AsCompletedIterator.__anext__()
   * @returns a coroutine evaluating to that future.
   * @throws {StopAsyncIteration} when every future was handed out.
   * @throws {TimeoutError} when the timeout passed first.
   * @example
   * yield* asyncFor(asCompleted([t1, t2]), function* (task) { console.log(yield* task); });
   */
  *anext(): Coroutine<Future<T>> {
    if (this._todoLeft === 0) throw new StopAsyncIteration();
    this._todoLeft--;
    const f = yield* this._nextDone();
    if (f === null) throw new TimeoutError();
    return f;
  }

  /**
   * Stops the iteration: nothing more is handed out and the timeout is cancelled. The futures
   * themselves keep running (as with asyncio, leaving the loop cancels nothing).
   * @returns a coroutine.
   */
  *aclose(): Coroutine<void> {
    for (const f of this._todo) f.removeDoneCallback(this._onCompletion);
    this._todo.clear();
    this._todoLeft = 0;
    if (this._timeoutHandle !== null) {
      this._timeoutHandle.cancel();
      this._timeoutHandle = null;
    }
  }

  private *_nextResult(): Coroutine<T> {
    const f = yield* this._nextDone();
    if (f === null) throw new TimeoutError();
    return f.result();
  }

  private *_nextDone(): Coroutine<Future<T> | null> {
    while (this._head === this._done.length) {
      const waiter = this._loop.createFuture<void>();
      this._waiters.push(waiter);
      try {
        yield* waiter;
      } finally {
        const at = this._waiters.indexOf(waiter);
        if (at >= 0) this._waiters.splice(at, 1);
      }
    }
    const f = this._done[this._head] as Future<T> | null;
    this._done[this._head++] = undefined;
    return f;
  }

  /** @internal */
  _put(item: Future<T> | null): void {
    this._done.push(item);
    const waiters = this._waiters;
    for (let i = 0; i < waiters.length; i++) releaseWaiter(waiters[i] as Future<void>);
  }

  /** @internal */
  _handleCompletion(f: Future<T>): void {
    if (this._todo.size === 0) return; // the timeout was here first
    this._todo.delete(f);
    this._put(f);
    if (this._todo.size === 0 && this._timeoutHandle !== null) {
      this._timeoutHandle.cancel();
      this._timeoutHandle = null;
    }
  }
}

function handleAsCompletedTimeout<T>(it: AsCompleted<T>): void {
  it._timeoutHandle = null;
  for (const f of it._todo) {
    f.removeDoneCallback(it._onCompletion);
    it._put(null); // one TimeoutError for each item not handed out
  }
  it._todo.clear();
}

/**
 * Runs the awaitables concurrently and hands them out in completion order: as a plain iterable of
 * coroutines (each evaluates to the next result), or, with `asyncFor`, the futures themselves.
 * @asyncio asyncio.as_completed(aws, *, timeout=None) (3.13: also an async iterator)
 * Differs from asyncio: milliseconds; the async side is yieldio's `anext()`/`aclose()` protocol.
 * @param aws an iterable of awaitables (repeats count once).
 * @param options `timeout` in ms: afterwards the remaining awaits raise TimeoutError.
 * @returns an `AsCompleted` iterator.
 * @throws {TypeError} if `aws` is a single awaitable or holds a non-awaitable.
 * @example
 * for (const next of asCompleted([fetchA(), fetchB()])) {
 *   console.log(yield* next);
 * }
 */
export function asCompleted<T>(aws: Iterable<Awaitable<T>>, options?: AsCompletedOptions): AsCompleted<T> {
  if (isFuture(aws) || isCoroutine(aws)) {
    throw new TypeError(`expects an iterable of awaitables, not ${describeValue(aws)}. Put it in an array: asCompleted([task]).`);
  }
  if (aws === null || aws === undefined || typeof (aws as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new TypeError(`expects an iterable of awaitables, not ${describeValue(aws)}`);
  }
  checkOptions(options, 'asCompleted()', AS_COMPLETED_OPTIONS, 'asCompleted(aws, { timeout })');
  const timeout = options?.timeout ?? null;
  if (timeout !== null) checkDelay(timeout, 'timeout');
  return new AsCompleted(aws, timeout);
}

// ------------------------------------------------------------------------------------ shield

/**
 * Protects the awaited work from cancellation: cancelling the caller raises CancelledError in
 * the caller, but the inner task keeps running. An inner future already done is returned as is.
 * @asyncio asyncio.shield(aw)
 * @param aw a coroutine, future, task or awaitable (a coroutine is wrapped in a task).
 * @returns a Future that follows the inner one (cancelling it does not cancel the inner one).
 * @example
 * const saved = createTask(saveToDisk(data));
 * yield* shield(saved); // a cancel here leaves saveToDisk running
 */
export function shield<T>(aw: Awaitable<T>): Future<T> {
  if (!isAwaitable(aw)) {
    throw new TypeError(`An asyncio.Future, a coroutine or an awaitable is required: shield() got ${describeValue(aw)} as \`aw\`.`);
  }
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  const outer = inner._loop.createFuture<T>();
  const onInnerDone = (done: Future<T>): void => {
    if (outer.cancelled()) {
      if (!done.cancelled()) done.exception(); // mark it retrieved: nobody else will look
      return;
    }
    if (done.cancelled()) outer.cancel();
    else if (done._hasException) outer._setExceptionUnchecked(done.exception());
    else outer.setResult(done._result as T);
  };
  inner.addDoneCallback(onInnerDone);
  outer.addDoneCallback(() => {
    if (!inner.done()) inner.removeDoneCallback(onInnerDone);
  });
  return outer;
}
