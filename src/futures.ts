/**
 * Future: a result that will be set later, awaitable with `yield*`.
 * @asyncio asyncio.futures (Future, isfuture)
 * @module
 */
import { CancelledError, InvalidStateError, RuntimeError } from './exceptions.ts';
import { Handle, getRunningLoop, type Runnable } from './events.ts';
import { contextFromOptions, currentContextValues, enterCallbackContext, holderContext, leaveCallbackContext, type Context, type ContextValues } from './contextvars.ts';
import { describeValue, inspectSymbol, shortRepr } from './internal/repr.ts';
import { checkHandleCallback, isErrorObject } from './internal/validate.ts';
import type { EventLoop } from './base-events.ts';
import type { Awaitable, Suspend } from './types.ts';
import type { AwaitLabel } from './internal/awaits.ts';

/** @internal Future states, as small integers; toString maps them to asyncio's names. */
export const PENDING = 0;
/** @internal */
export const CANCELLED = 1;
/** @internal */
export const FINISHED = 2;
const STATE_NAMES = ['pending', 'cancelled', 'finished'];

// The bits of `Future._flags` (one small integer for every boolean: a field per flag saved).
/** @internal Finished with an exception, held in `_result`. */
export const HAS_EXCEPTION = 1;
/** @internal asyncio's `__log_traceback`: an exception nobody retrieved yet. */
export const LOG_TRACEBACK = 2;
/** @internal asyncio's `_asyncio_future_blocking`: set by `yield*`, checked and cleared by the task. */
export const BLOCKING = 4;
/** @internal The first bit free for subclasses (Task). */
export const FUTURE_FLAG_BITS = 3;

/** A done callback: receives the future, as asyncio's `add_done_callback` callbacks do. */
export type DoneCallback<F> = (future: F) => void;

// "exception was never retrieved" (asyncio's Future.__del__ report), in two stages:
// 1. A future that finishes with an exception sets `_logTraceback` and joins `loop._failed`, a
//    plain array: no registry, no formatting, so a failure that its awaiter retrieves a moment
//    later costs one push.
// 2. When the loop goes idle (every awaiter woken by the failure has run), or `_failed` grows
//    large, the ones still unretrieved are promoted: their exception's stack is formatted and a
//    GC report is registered. Formatting matters: an Error whose `.stack` was never read keeps
//    V8's structured call sites, whose receivers include `Task._run`'s task, so the report's own
//    hold on the exception would keep the task reachable forever (the 1.6 GB per 1M tasks leak).
//    A formatted stack is a string and holds nothing.
// The GC reports a promoted future that nobody can reach any more; `loop.close()` reports every
// one still pending, so `run()`, `runSync()`, `Runner.close()` and `asyncTest` never miss one.
// Each future is reported at most once: retrieval, cancel() and the report itself clear it.

/** @internal What a "never retrieved" report needs, held apart from the future so the GC can take it. */
export class UnretrievedReport {
  readonly loop: EventLoop;
  readonly exception: unknown;
  readonly isTask: boolean;
  /** The future's repr when promoted: the report names it even after the future is collected. */
  readonly what: string;
  readonly future: WeakRef<Future<unknown>>;

  constructor(future: Future<unknown>) {
    this.loop = future._loop;
    this.exception = future._exception;
    this.isTask = future._isTask();
    this.what = future.toString();
    this.future = new WeakRef(future);
  }
}

const unretrievedRegistry = new FinalizationRegistry<UnretrievedReport>((report) => {
  // Not in the set: already reported by loop.close().
  if (report.loop._unretrieved.delete(report)) sendReport(report.loop, report.isTask, report.exception, report.what);
});

// Failures the loop holds before promoting them without waiting for idle: a loop that never idles
// still gets its reports, and `_failed` stays bounded.
const MAX_UNPROMOTED = 4096;

function sendReport(loop: EventLoop, isTask: boolean, exception: unknown, future: unknown): void {
  loop.callExceptionHandler({ message: `${isTask ? 'Task' : 'Future'} exception was never retrieved`, exception, future });
}

/** Reads `.stack` on the error and what it carries (cause, group members), so each keeps a string only. */
function formatStacks(error: unknown, depth: number): void {
  if (error === null || typeof error !== 'object' || depth > 8) return;
  try {
    void (error as { stack?: unknown }).stack;
    const { cause, errors } = error as { cause?: unknown; errors?: unknown };
    if (cause !== undefined) formatStacks(cause, depth + 1);
    if (Array.isArray(errors)) for (const member of errors) formatStacks(member, depth + 1);
  } catch {
    // A hostile getter: the report still holds the object, only maybe its task too.
  }
}

function promote(future: Future<unknown>): void {
  formatStacks(future._exception, 0);
  const report = new UnretrievedReport(future);
  future._extra = report;
  future._loop._unretrieved.add(report);
  unretrievedRegistry.register(future, report, report);
}

/**
 * @internal Promotes the failures in `loop._failed` nobody retrieved yet to GC reports (see the
 * notes above). Called by the loop when it goes idle.
 */
export function promoteUnretrieved(loop: EventLoop): void {
  const failed = loop._failed;
  for (let i = 0; i < failed.length; i++) {
    const future = failed[i] as Future<unknown>;
    if ((future._flags & LOG_TRACEBACK) !== 0 && !(future._extra instanceof UnretrievedReport)) promote(future);
  }
  failed.length = 0;
}

/** @internal Reports every exception of `loop` that was never retrieved; `loop.close()` calls it. */
export function reportUnretrieved(loop: EventLoop): void {
  // Oldest first: the promoted reports, then the failures since the loop last idled.
  const reports = [...loop._unretrieved];
  loop._unretrieved.clear();
  for (const report of reports) {
    unretrievedRegistry.unregister(report);
    const future = report.future.deref();
    if (future !== undefined) {
      future._flags &= ~LOG_TRACEBACK;
      future._extra = null;
    }
    sendReport(loop, report.isTask, report.exception, future ?? report.what);
  }
  const failed = loop._failed.splice(0);
  for (const future of failed) {
    if ((future._flags & LOG_TRACEBACK) === 0 || future._extra instanceof UnretrievedReport) continue;
    future._flags &= ~LOG_TRACEBACK;
    sendReport(loop, future._isTask(), future._exception, future);
  }
}

// `new Future(42)` fails here, not later far away (asyncio: AttributeError on loop.get_debug).
function notALoop(value: unknown): TypeError {
  return new TypeError(
    `Expected \`loop\` to be an EventLoop, got ${describeValue(value)}. new Future(loop?) takes only the loop (asyncio's Future(*, loop=None)): set the value with future.setResult(value).`,
  );
}

/**
 * The object `yield* future` iterates. It keeps no state of its own (everything is on the
 * future), so one per future serves every task that awaits it.
 * This is `Future.__await__`: yield the future itself if it is pending (with the `_blocking`
 * tripwire set, so the task can tell `yield*` from a bare `yield`), else return the result.
 */
class FutureIterator<T> {
  // The iterator is also the `{ value, done: false }` result it hands out while the future is
  // pending: `yield*` passes it up to the task as is, so an await allocates one object, not two.
  // `value` is the future itself; `done` (false) lives on the prototype: two fields less per await.
  readonly value: Suspend;
  declare done: false; // set only here, on the prototype, below the class
  private yielded: boolean; // the future was handed up once: a task resumes it only when done

  constructor(future: Future<T>) {
    this.value = future as unknown as Suspend;
    this.yielded = false;
  }

  next(): IteratorResult<Suspend, T> {
    const future = this.value as unknown as Future<T>;
    if (future._state === PENDING) {
      // asyncio test_futures test_iter: resumed while still pending means no Task drove it.
      if (this.yielded) throw new RuntimeError("await wasn't used with future");
      this.yielded = true;
      future._flags |= BLOCKING;
      return this as IteratorYieldResult<Suspend>;
    }
    return { value: future.result(), done: true };
  }

  throw(error: unknown): never {
    throw error;
  }

  return(value: T): IteratorResult<Suspend, T> {
    return { value, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

FutureIterator.prototype.done = false;

/** `yield*` of a future that is already done: the iterator is its own `{ value, done: true }`. */
class DoneIterator<T> {
  readonly value: T;
  readonly done: true;

  constructor(value: T) {
    this.value = value;
    this.done = true;
  }

  next(): IteratorReturnResult<T> {
    return this;
  }

  throw(error: unknown): never {
    throw error;
  }

  return(value: T): IteratorResult<Suspend, T> {
    return { value, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/**
 * A result that is set later: by `setResult`, `setException` or `cancel`. Awaiting it with
 * `yield*` suspends the task until it is done. Done callbacks always run through `callSoon`.
 *
 * Fields:
 * - `_state`        PENDING, CANCELLED or FINISHED
 * - `_result`       the value once FINISHED, or the error when `_hasException` (any value can be
 *                   thrown, so the flag tells; one slot for both saves a field per Future and Task)
 * - `_flags`        small-integer bits, one field for every boolean (the object diet, issue #12):
 *                   HAS_EXCEPTION (`_hasException`), LOG_TRACEBACK (asyncio's
 *                   `__log_traceback`, finished with an exception nobody retrieved yet), BLOCKING
 *                   (asyncio's `_asyncio_future_blocking`, set by `yield*`, checked and
 *                   cleared by the task); Task keeps its own bits and cancel count above them
 * - `_loop`         the loop that runs the callbacks
 * - `_callbacks`    the done callbacks: null, the one callback (most futures have exactly one), or
 *                   an array once there are two. Each a Handle made when it is added (it holds the
 *                   context current then, as asyncio's `(fn, context)` pairs), put on the ready queue
 *                   when done; a waiting Task is stored as itself (asyncio's C task_wakeup fast path:
 *                   no closure, no Handle)
 * - `_extra`        one slot for what only a done future needs, by state: while CANCELLED the cancel
 *                   message (`_cancelMessage`) or the CancelledError the coroutine raised
 *                   (`_cancelledExc`), which `_makeCancelledError` hands out (3.13 semantics); while
 *                   FINISHED with an exception, the pending GC report once the loop promoted it
 *                   (`_report`, see the notes above `UnretrievedReport`); a pending Task keeps the
 *                   message of a cancel() it has yet to deliver there; a waiter future of a Lock,
 *                   Event, Queue or TaskGroup holds its AwaitLabel there (internal/awaits.ts)
 * @asyncio asyncio.Future
 * @example
 * const fut = getRunningLoop().createFuture<number>();
 * getRunningLoop().callLater(10, () => fut.setResult(42));
 * const answer = yield* fut; // 42
 */
export class Future<T = unknown> implements Awaitable<T> {
  _state: number;
  _result: unknown;
  _flags: number;
  _loop: EventLoop;
  _callbacks: Runnable | Runnable[] | null;
  _extra: string | CancelledError | UnretrievedReport | AwaitLabel | null;

  /** @internal The error once FINISHED with one, else undefined (it shares `_result`'s slot). */
  get _exception(): unknown {
    return (this._flags & HAS_EXCEPTION) !== 0 ? this._result : undefined;
  }

  /** @internal Finished with an exception (then `_result` holds it). */
  get _hasException(): boolean {
    return (this._flags & HAS_EXCEPTION) !== 0;
  }

  /** @internal The message a CANCELLED future's fresh CancelledErrors carry, or null. */
  get _cancelMessage(): string | null {
    const extra = this._extra;
    return typeof extra === 'string' ? extra : null;
  }

  /** @internal The pending GC report of an unretrieved exception, once promoted, else null. */
  get _report(): UnretrievedReport | null {
    const extra = this._extra;
    return extra instanceof UnretrievedReport ? extra : null;
  }

  /**
   * A pending future bound to `loop` (default: the running loop).
   * Prefer `loop.createFuture()`, as asyncio does.
   * @throws {TypeError} if `loop` is not an EventLoop (e.g. `new Future(42)`).
   */
  constructor(loop?: EventLoop) {
    this._state = PENDING;
    this._result = undefined;
    this._flags = 0;
    this._loop = loop ?? getRunningLoop();
    if (typeof this._loop._pushReady !== 'function') throw notALoop(loop);
    this._callbacks = null;
    this._extra = null;
  }

  /**
   * The loop this future is bound to.
   * @asyncio Future.get_loop()
   */
  getLoop(): EventLoop {
    return this._loop;
  }

  /**
   * Whether the future is done: it has a result, an exception, or was cancelled.
   * @asyncio Future.done()
   */
  done(): boolean {
    return this._state !== PENDING;
  }

  /**
   * Whether the future was cancelled.
   * @asyncio Future.cancelled()
   */
  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * The result. Throws the exception if one was set, `CancelledError` if cancelled.
   * @asyncio Future.result()
   * @throws {InvalidStateError} "Result is not ready." while pending.
   */
  result(): T {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state === PENDING) throw new InvalidStateError('Result is not ready.');
    if ((this._flags & HAS_EXCEPTION) !== 0) {
      this._markRetrieved();
      throw this._result;
    }
    return this._result as T;
  }

  /**
   * The exception set on the future, or null if it finished with a result.
   * @asyncio Future.exception()
   * @throws {CancelledError} if the future was cancelled.
   * @throws {InvalidStateError} "Exception is not set." while pending.
   */
  exception(): unknown {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state === PENDING) throw new InvalidStateError('Exception is not set.');
    if ((this._flags & HAS_EXCEPTION) !== 0) {
      this._markRetrieved();
      return this._result;
    }
    return null;
  }

  /**
   * Marks the future done with a result and schedules its callbacks.
   * @asyncio Future.set_result(result)
   * @throws {InvalidStateError} if the future is already done.
   */
  setResult(value: T): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${this._stateName().toUpperCase()}: ${this}`);
    this._result = value;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  /**
   * Marks the future done with an exception and schedules its callbacks.
   * @asyncio Future.set_exception(exception)
   * @throws {InvalidStateError} if the future is already done.
   * @throws {TypeError} for `null` or `undefined`: pass an Error.
   */
  setException(exception: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${this._stateName().toUpperCase()}: ${this}`);
    if (!isErrorObject(exception)) {
      throw new TypeError(`invalid exception object: ${describeValue(exception)}; pass an Error, e.g. new Error(${typeof exception === 'string' ? JSON.stringify(exception) : "'...'"})`);
    }
    this._setExceptionUnchecked(exception);
  }

  /** @internal Any thrown value (JavaScript can throw anything), as a task's coroutine raised it. */
  _setExceptionUnchecked(exception: unknown): void {
    this._result = exception;
    this._flags |= HAS_EXCEPTION;
    this._extra = null; // a pending task's undelivered cancel message: the slot now holds the report
    this._state = FINISHED;
    this._trackUnretrieved();
    this._scheduleCallbacks();
  }

  /**
   * Cancels the future and schedules its callbacks. Returns false if it was already done.
   * @asyncio Future.cancel(msg=None)
   */
  cancel(msg?: string | null): boolean {
    if (this._state !== PENDING) {
      // asyncio: cancel() clears the pending report, even on a future that is already done.
      if ((this._flags & LOG_TRACEBACK) !== 0) this._markRetrieved();
      return false;
    }
    this._state = CANCELLED;
    this._extra = msg ?? null;
    this._scheduleCallbacks();
    return true;
  }

  /**
   * Calls `callback(future)` through `callSoon` when the future is done (at once if it already is),
   * in a copy of the context current now, or in `options.context`.
   * @asyncio Future.add_done_callback(fn, *, context=None)
   * @throws {TypeError} if `callback` is not a function, or `context` not a Context.
   */
  addDoneCallback(callback: DoneCallback<this>, options?: { context?: Context | null | undefined }): void {
    checkHandleCallback(callback, 'addDoneCallback');
    const context = options === undefined ? currentContextValues() : contextFromOptions(options, 'addDoneCallback()');
    const handle = new Handle(callback as DoneCallback<never>, this, null, this._loop, context);
    if (this._state !== PENDING) {
      this._loop._pushReady(handle);
    } else {
      this._addCallback(handle);
    }
  }

  /** @internal A waiting task registers itself: when this future is done it goes back on the ready queue. */
  _addWaiter(task: Runnable): void {
    this._addCallback(task);
  }

  /**
   * @internal `addDoneCallback(listener._callback)`, without a Handle per future where the listener
   * can stand in for one (gather's and TaskGroup's children). Otherwise (a subclass overrides
   * addDoneCallback, a context other than the listener's, already done) it is addDoneCallback.
   */
  _addListener(listener: DoneListener): void {
    if (this._state === PENDING && this.addDoneCallback === Future.prototype.addDoneCallback && currentContextValues() === listener._values) this._addCallback(listener);
    else this._addDoneCallbackSlow(listener);
  }

  // Out of line: the check above stays small enough to inline into gather's and createTask's loops.
  private _addDoneCallbackSlow(listener: DoneListener): void {
    this.addDoneCallback(listener._callback as DoneCallback<this>);
  }

  private _addCallback(cb: Runnable): void {
    const callbacks = this._callbacks;
    if (callbacks === null) {
      this._callbacks = cb;
    } else if (Array.isArray(callbacks)) {
      callbacks.push(cb);
    } else {
      this._callbacks = [callbacks, cb];
    }
  }

  /** @internal Whether `callback` is among the done callbacks still to run (gather's repeat check). */
  _holdsDoneCallback(callback: unknown): boolean {
    const callbacks = this._callbacks;
    if (callbacks === null) return false;
    if (!Array.isArray(callbacks)) return registers(callbacks, callback);
    for (let i = 0; i < callbacks.length; i++) if (registers(callbacks[i] as Runnable, callback)) return true;
    return false;
  }

  /**
   * Removes every registration of `callback`; returns how many were removed.
   * @asyncio Future.remove_done_callback(fn)
   */
  removeDoneCallback(callback: DoneCallback<this>): number {
    const callbacks = this._callbacks;
    if (callbacks === null) return 0;
    if (!Array.isArray(callbacks)) {
      if (!registers(callbacks, callback)) return 0;
      this._callbacks = null;
      return 1;
    }
    const kept = callbacks.filter((cb) => !registers(cb, callback));
    this._callbacks = kept.length === 0 ? null : kept.length === 1 ? (kept[0] as Runnable) : kept;
    return callbacks.length - kept.length;
  }

  /** `yield* future` suspends until the future is done and returns its result. */
  [Symbol.iterator](): Generator<Suspend, T, unknown> {
    // Already done: one object that is both the iterator and its final result (no trip, no wait).
    if (this._state !== PENDING) return new DoneIterator(this.result()) as unknown as Generator<Suspend, T, unknown>;
    // Pending: a small iterator per await (most futures are awaited once; no field for a cache).
    const iterator = new FutureIterator(this);
    return iterator as unknown as Generator<Suspend, T, unknown>;
  }

  /** @internal The CancelledError to raise: the one the coroutine raised first, then fresh ones. */
  _makeCancelledError(): CancelledError {
    const extra = this._extra;
    if (extra instanceof CancelledError) {
      this._extra = null; // handed out once; later retrievals get a fresh error (no message)
      return extra;
    }
    return new CancelledError(typeof extra === 'string' ? extra : '');
  }

  /** @internal Runs every done callback through the loop, in registration order. */
  _scheduleCallbacks(): void {
    const callbacks = this._callbacks;
    if (callbacks === null) return;
    this._callbacks = null;
    const loop = this._loop;
    // asyncio: the callbacks go through call_soon, which raises on a closed loop (the future stays
    // done, its callbacks dropped): say so rather than lose them silently.
    if (loop._closed) throw new RuntimeError('Event loop is closed');
    if (!Array.isArray(callbacks)) {
      if (callbacks instanceof DoneListener) callbacks._notify(this);
      else loop._pushReady(callbacks);
    } else {
      for (let i = 0; i < callbacks.length; i++) {
        const cb = callbacks[i] as Runnable;
        if (cb instanceof DoneListener) cb._notify(this);
        else loop._pushReady(cb);
      }
    }
  }

  /** @internal Called when an exception is set: report it if nobody ever looks at it. */
  _trackUnretrieved(): void {
    this._flags |= LOG_TRACEBACK;
    const loop = this._loop;
    // Not running: nothing is about to retrieve it in reaction, so promote at once.
    if (!loop._running) {
      promote(this as Future<unknown>);
      return;
    }
    const failed = loop._failed;
    failed.push(this as Future<unknown>);
    if (failed.length >= MAX_UNPROMOTED) promoteUnretrieved(loop);
  }

  /** @internal The exception was looked at (or the future cancelled): no report. */
  _markRetrieved(): void {
    this._flags &= ~LOG_TRACEBACK;
    const report = this._extra;
    if (report instanceof UnretrievedReport) {
      this._extra = null;
      this._loop._unretrieved.delete(report);
      unretrievedRegistry.unregister(report);
    }
  }

  /** @internal */
  _isTask(): boolean {
    return false;
  }

  /** @internal asyncio's `_state` names, for reprs. */
  _stateName(): string {
    return STATE_NAMES[this._state] as string;
  }

  /**
   * `<Future pending cb=[onDone()]>`, `<Future finished result=42>`, as asyncio's repr. A callback
   * is named by its function name (JavaScript functions carry no cheap file:line, which asyncio adds).
   */
  toString(): string {
    return `<${this.constructor.name} ${this._reprInfo().join(' ')}>`;
  }

  /** @internal asyncio's `_future_repr_info`: the state, then `result=`/`exception=`, then `cb=[...]`. */
  _reprInfo(): string[] {
    const info = [this._stateName()];
    if (this._state === FINISHED) {
      info.push((this._flags & HAS_EXCEPTION) !== 0 ? `exception=${shortRepr(this._result)}` : `result=${shortRepr(this._result)}`);
    }
    const callbacks = this._callbacks;
    if (callbacks !== null) info.push(formatCallbacks(Array.isArray(callbacks) ? callbacks : [callbacks]));
    return info;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** asyncio's `_format_callbacks`: `cb=[first]`, `cb=[first, last]`, `cb=[first, <N more>, last]`. */
function formatCallbacks(callbacks: Runnable[]): string {
  const size = callbacks.length;
  const first = formatCallback(callbacks[0] as Runnable);
  if (size === 1) return `cb=[${first}]`;
  const last = formatCallback(callbacks[size - 1] as Runnable);
  return size === 2 ? `cb=[${first}, ${last}]` : `cb=[${first}, <${size - 2} more>, ${last}]`;
}

/** One done callback as asyncio names it: `fn()`, or `Task.task_wakeup()` for a waiting task. */
function formatCallback(entry: Runnable): string {
  if (entry instanceof Handle || entry instanceof DoneListener) {
    const cb = entry._callback;
    // `fn.bind(x)` is named 'bound fn'; asyncio names a bound method by its own name too.
    return `${cb === null ? '<cancelled>' : cb.name.replace(/^bound /, '') || '(anonymous)'}()`;
  }
  return 'Task.task_wakeup()';
}

/** Whether a done-callback entry is a registration of `callback` (a Handle made by addDoneCallback). */
function registers(entry: Runnable | null, callback: unknown): boolean {
  return (entry instanceof Handle || entry instanceof DoneListener) && entry._callback === callback;
}

/**
 * @internal One done callback shared by many futures registered in one context (gather's, a
 * TaskGroup's): it stands in for the Handle each registration would make (~72 B live per child
 * until it finishes). A future that finishes queues itself here and puts the listener on the
 * ready queue, so each finish is still its own ready entry, in order among the other callbacks
 * (asyncio's call_soon per callback); each run takes the oldest future queued.
 * In debug mode a finish schedules a real Handle, as addDoneCallback's (slow-callback reports name it).
 * @asyncio none (stands in for the Handles of add_done_callback)
 */
export class DoneListener implements Runnable {
  readonly _callback: (future: Future<unknown>) => void;
  /** The context of the registrations; every run starts from it afresh (asyncio: one copy per registration). */
  readonly _values: ContextValues;
  _context: Context | ContextValues;
  declare _cancelled: false;
  private _queued: (Future<unknown> | undefined)[];
  private _head: number;

  constructor(callback: (future: Future<unknown>) => void) {
    this._callback = callback;
    this._values = currentContextValues();
    this._context = this._values;
    this._queued = [];
    this._head = 0;
  }

  /** @internal `future` is done: its callback goes on the ready queue. */
  _notify(future: Future<unknown>): void {
    const loop = future._loop;
    if (loop._debug) {
      loop._pushReady(new Handle(this._callback as (future: never) => void, future, null, loop, this._values));
      return;
    }
    this._queued.push(future);
    loop._pushReady(this);
  }

  /** @internal Calls the callback with the oldest queued future, as Handle._run does. */
  _run(): void {
    const queued = this._queued;
    const future = queued[this._head] as Future<unknown>;
    queued[this._head] = undefined;
    if (++this._head === queued.length) {
      queued.length = 0;
      this._head = 0;
    }
    this._context = this._values;
    const hidden = enterCallbackContext(this);
    try {
      this._callback(future);
    } catch (error) {
      leaveCallbackContext(this, hidden);
      // Reported as the Handle it stands in for would be.
      const handle = new Handle(this._callback as (future: never) => void, future, null, future._loop, this._values);
      future._loop.callExceptionHandler({ message: `Exception in callback ${handle.describeCallback()}`, exception: error, handle });
      return;
    }
    leaveCallbackContext(this, hidden);
  }

  /** @internal The ContextHolder side: the Context of the current run, made when first asked for. */
  getContext(): Context {
    return holderContext(this);
  }

  /** @internal As the Handle's: `fn(<the future of the next run>)`. */
  describeCallback(): string {
    const future = this._queued[this._head];
    return `${this._callback.name || '(anonymous)'}(${future === undefined ? '' : shortRepr(future)})`;
  }

  /** As the Handle it stands in for (a stuck-run report names the next ready entry). */
  toString(): string {
    return `<Handle ${this.describeCallback()}>`;
  }
}
DoneListener.prototype._cancelled = false;

/**
 * Whether `value` is a yieldio Future (a Task is one too).
 * @asyncio asyncio.isfuture(obj)
 */
export function isFuture(value: unknown): value is Future<unknown> {
  return value instanceof Future;
}
