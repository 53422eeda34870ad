/**
 * Task: a coroutine driven by the event loop. Plus createTask, currentTask, allTasks, sleep,
 * ensureFuture and eagerTaskFactory.
 * @asyncio asyncio.tasks (Task, create_task, current_task, all_tasks, sleep, ensure_future, eager_task_factory)
 * @module
 */
import { CancelledError, InvalidStateError, RuntimeError, internalError } from './exceptions.ts';
import { getRunningLoop, getRunningLoopOrNull, type Runnable, type TimerEntry } from './events.ts';
import { BLOCKING, DoneListener, FINISHED, FUTURE_FLAG_BITS, Future, LOG_TRACEBACK, PENDING, isFuture } from './futures.ts';
import type { EventLoop } from './base-events.ts';
import { currentContextValues, hasExplicitContext, holderContext, swapExplicitContext, type Context, type ContextValues } from './contextvars.ts';
import { checkDelay } from './internal/validate.ts';
import type { InstrumentRegistry } from './instruments.ts';
import { coroName, describeValue, shortRepr } from './internal/repr.ts';
import { noteTaskFailure } from './internal/failures.ts';
import type { Awaitable, Coroutine, Suspend } from './types.ts';
import type { TaskFactory } from './base-events.ts';

/** Options of `createTask`. */
export interface TaskOptions {
  /** The task's name (default `Task-N`). */
  name?: string;
  /** The context the task runs in (default: a copy of the current one). */
  context?: Context;
  /**
   * Run the first step now, inside `createTask`, when the loop is running (what eager task
   * factories pass to the Task constructor). @asyncio the eager_start argument of Task (3.12)
   */
  eagerStart?: boolean;
}

// `sleep(0)` yields this marker; the task puts itself back on the ready queue and resumes the
// coroutine with SLEEP0_RESUME, which tells the shared sleep(0) iterator that its trip is over.
/** @internal The `sleep(0)` marker a coroutine yields (async generators must tell it from values). */
export const SLEEP0: Suspend = Object.freeze({ toString: () => '<sleep(0)>' }) as unknown as Suspend;
/**
 * @internal What the task sends back after a `sleep(0)` trip. An object, not a symbol: `next()`
 * compares it with undefined, and V8 compiles object-or-undefined `===` to one pointer compare
 * (a symbol there costs a StrictEqual builtin call, ~12 instructions, twice per switch).
 */
const SLEEP0_RESUME = Object.freeze({});
/** What a step that throws nothing in passes as its error (any value, null too, can be thrown). */
const NO_ERROR: unique symbol = Symbol('yieldio.noError');

// A new task claims its coroutine (a lazy one in its constructor, an eager one at its first
// step, off the fast path; PRECLAIMED and FIRST below), so a second task given the same coroutine
// object fails at its first step with asyncio's "cannot reuse already awaited coroutine" instead
// of resuming (or silently "finishing") the first task's coroutine. The claim is a private field
// stamped on the coroutine through a constructor that returns it: invisible to its owner (no
// reflection, no Proxy trap) and ~8 B, where a WeakSet entry cost ~40 B per live coroutine and
// its adds were 12% of a 100k spawn+join CPU profile (ephemeron table growth and rehash).
const ReturnsItsArgument = function (this: unknown, target: object) {
  return target;
} as unknown as new (target: object) => object;

class CoroutineClaim extends ReturnsItsArgument {
  #claimed = true;
  /** Whether `target` carries the stamp. */
  static isClaimed(target: object): boolean {
    return #claimed in target;
  }
  /** Stamps `target`. An engine that refuses private fields on a non-extensible object throws here. */
  static claim(target: object): void {
    new CoroutineClaim(target);
  }
}

// Where the stamp is refused (a frozen coroutine on an engine that forbids it), a WeakSet.
// Null until needed: the common check (every new task's, every gather argument's) is a stamp test only.
let unstampable: WeakSet<object> | null = null;

/** @internal Whether a task claimed `coro` (gather's repeat check: a coroutine it already wrapped is claimed). */
export function isClaimedCoroutine(coro: object): boolean {
  return CoroutineClaim.isClaimed(coro) || (unstampable !== null && unstampable.has(coro));
}

function markClaimed(coro: object): void {
  try {
    CoroutineClaim.claim(coro);
  } catch {
    (unstampable ??= new WeakSet()).add(coro);
  }
}

let taskCounter = 0;

/**
 * @internal Observes every task step (before the coroutine resumes, after it suspends or ends), for
 * `yieldio/node`'s AsyncLocalStorage bridge. Steps nest only under eager start, strictly LIFO.
 */
export interface StepHook {
  before(task: Task<unknown>): void;
  after(): void;
}
let stepHook: StepHook | null = null;

/** @internal Installs (or with null removes) the one step hook; returns the previous one. */
export function setStepHook(hook: StepHook | null): StepHook | null {
  const previous = stepHook;
  stepHook = hook;
  return previous;
}

// The bits Task keeps in `Future._flags`, above Future's own, and the cancel count above those.
/** The coroutine's `next` is Generator.prototype.next: a step may call it directly (fast path). */
const NATIVE_NEXT = 1 << FUTURE_FLAG_BITS;
/** The first step is still to come: it claims the coroutine unless PRECLAIMED (see CoroutineClaim's note). */
const FIRST = 2 << FUTURE_FLAG_BITS;
/** The next step throws `_result` into the coroutine instead of sending it. */
const THROW_NEXT = 4 << FUTURE_FLAG_BITS;
/** cancel() arrived while not waiting: throw CancelledError at the next step. */
const MUST_CANCEL = 8 << FUTURE_FLAG_BITS;
/** A lazy task claimed its coroutine when it was made: its first step skips the claim. */
const PRECLAIMED = 16 << FUTURE_FLAG_BITS;
/** One cancel() request, counted in the bits above the flags (`cancelling()`). */
const CANCEL_ONE = 32 << FUTURE_FLAG_BITS;
const CANCEL_SHIFT = FUTURE_FLAG_BITS + 5;
/** Everything that sends a step down the general path. */
const SLOW_STEP = NATIVE_NEXT | FIRST | THROW_NEXT | MUST_CANCEL;
// Resuming every coroutine through this one function keeps the call site monomorphic however many
// generator functions an app has (`coro.next` is a different map per generator function).
const GenNext = (function* () {})().next as (this: Coroutine<unknown>, value: unknown) => IteratorResult<Suspend, unknown>;

/**
 * A Future that runs a coroutine. Created by `createTask`, never directly.
 *
 * A task is in one of three states while pending (asyncio's invariant, tasks.py):
 * 1. scheduled: its step handle is in the ready queue, `_futWaiter` is null;
 * 2. waiting: `_futWaiter` is the Future it awaits, which holds the task among its callbacks;
 * 3. running: its step is on the stack (`loop._currentTask === this`).
 * Transitions: scheduled → running (the loop runs the step); running → scheduled (`sleep(0)`,
 * bare yield, an error to throw in); running → waiting (yielded a pending Future); waiting →
 * scheduled (the Future is done and puts the task back on the ready queue); running → done.
 *
 * Fields, beyond Future's (few on purpose: every 8 bytes per task counts, issue #12):
 * - `_coro`        the coroutine (a generator object); null once a task finished during its eager start
 * - `_name`        the name; until asked, the task's number (formatted `Task-N` on demand)
 * - `_waitingOn`   what wakes the task: the Future it awaits (read as `_futWaiter`), or the sleep
 *                  trap whose timer is armed (read as `_sleep`), else null
 * - `_result`      (Future's) while pending, what the next step sends into the coroutine, or throws
 *                  into it under the THROW_NEXT flag: one slot, as the result is set only at the end
 * - `_flags`       (Future's) plus NATIVE_NEXT, FIRST (the first step claims the coroutine),
 *                  THROW_NEXT, MUST_CANCEL (`_mustCancel`: cancel() arrived while not waiting, throw
 *                  CancelledError at the next step), and above them the count of cancel() requests
 *                  (`_numCancelsRequested`, `cancelling()`; decremented by `uncancel()`)
 * - `_extra`       (Future's) while pending, the message of a cancel() still to deliver
 * - `_cancelled`   (on the prototype: always false) the ready-queue protocol: a Task is its own
 *                  step callback, so scheduling a step allocates nothing; only Handles get skipped
 * - `_context`     the contextvars Context every step runs in; until first asked for, just the
 *                  creator's values (an immutable snapshot), so creating a task allocates none
 * - `_prevLinked`, `_nextLinked`  membership in `loop._tasks` (an intrusive list; undefined: not in it)
 * @asyncio asyncio.Task
 */
export class Task<T = unknown> extends Future<T> {
  _coro: Coroutine<T>;
  _name: string | number;
  _waitingOn: Future<unknown> | TimedSleep<unknown> | null;
  declare _cancelled: boolean;
  _context: Context | ContextValues;
  _prevLinked: Task<unknown> | null | undefined;
  _nextLinked: Task<unknown> | null | undefined;
  /** GenNext, on the prototype (see below the class). */
  declare _genNext: typeof GenNext;

  /** @internal Use `createTask(coro)`. */
  constructor(coro: Coroutine<T>, loop: EventLoop, options?: TaskOptions) {
    super(loop);
    this._coro = coro;
    this._name = options?.name !== undefined ? String(options.name) : ++taskCounter;
    this._waitingOn = null;
    this._flags = coro.next === GenNext ? FIRST | NATIVE_NEXT : FIRST;
    // The task runs in a copy of its creator's context; the snapshot costs no allocation: the
    // Context object is made only if the task asks for it (getContext, ContextVar.set).
    const context = options?.context;
    this._context = context ?? currentContextValues();
    this._prevLinked = undefined;
    this._nextLinked = undefined;
    loop._tasks.add(this as Task<unknown>);
    if (loop._instruments !== null) loop._instruments.taskSpawned(this as Task<unknown>);
    if (options?.eagerStart === true && getRunningLoopOrNull() === loop) {
      // The one deliberate exception to "callbacks never run inline": eager start (3.12).
      this._stepGeneral(); // the first step always takes the general path (FIRST claims the coroutine)
      // 3.13 (gh-122332): a task that finished during its eager start lets go of its coroutine.
      if (this._state !== PENDING) (this as { _coro: Coroutine<T> | null })._coro = null;
    } else {
      // Claimed here, not at the first step: a stamp made just after the generator was created
      // fits V8's in-object slack (8 B) where a later one needs a property array (40 B).
      if (claimCoroutine(coro)) this._flags |= PRECLAIMED;
      loop._pushReady(this);
    }
  }

  /** @internal The Future the task awaits, else null. */
  get _futWaiter(): Future<unknown> | null {
    const waiting = this._waitingOn;
    return waiting instanceof Future ? waiting : null;
  }

  /** @internal The sleep trap whose timer will wake the task, while it sleeps, else null. */
  get _sleep(): TimedSleep<unknown> | null {
    const waiting = this._waitingOn;
    return waiting instanceof TimedSleep ? waiting : null;
  }

  /** @internal cancel() arrived while not waiting: the next step throws CancelledError. */
  get _mustCancel(): boolean {
    return (this._flags & MUST_CANCEL) !== 0;
  }

  /** @internal The count of cancel() requests not matched by uncancel(). */
  get _numCancelsRequested(): number {
    return this._flags >>> CANCEL_SHIFT;
  }

  /**
   * The task's name (`Task-N` unless given).
   * @asyncio Task.get_name()
   */
  getName(): string {
    if (typeof this._name === 'number') this._name = `Task-${this._name}`;
    return this._name;
  }

  /**
   * Renames the task.
   * @asyncio Task.set_name(value)
   */
  setName(value: unknown): void {
    this._name = String(value);
  }

  /**
   * The coroutine the task runs; null for a task that finished during its eager start (3.13).
   * @asyncio Task.get_coro()
   */
  getCoro(): Coroutine<T> | null {
    return this._coro;
  }

  /**
   * The contextvars Context the task runs in.
   * @asyncio Task.get_context()
   */
  getContext(): Context {
    return holderContext(this);
  }

  /**
   * Requests cancellation: `CancelledError(msg)` is thrown into the coroutine at its suspension
   * point, on the next iteration. If the task awaits a Future (or sleeps), that Future is cancelled
   * with `msg`; a second cancel() before the task resumes does not change the message: as in
   * asyncio, the first message that reached the awaited future wins.
   * Returns false if the task is already done. The coroutine may catch the error (and should
   * then call `uncancel()`), but code that swallows it breaks `timeout()` and `TaskGroup`.
   * @asyncio Task.cancel(msg=None)
   */
  override cancel(msg?: string | null): boolean {
    if (this._state !== PENDING) {
      if ((this._flags & LOG_TRACEBACK) !== 0) this._markRetrieved(); // asyncio: cancel() drops the pending report
      return false;
    }
    this._flags += CANCEL_ONE;
    const waiting = this._waitingOn;
    if (waiting instanceof Future) {
      // Leave _waitingOn set: it may be a Task that ignores the cancellation, to be cancelled again.
      if (waiting.cancel(msg)) return true;
    } else if (waiting !== null) {
      // Asleep on a timer: as asyncio's sleep future would be, the sleep is cancelled with msg now.
      // A later cancel() only sets MUST_CANCEL and uncancel() cannot withdraw it (first message wins).
      this._waitingOn = null;
      waiting.disarm();
      this._throwNext(new CancelledError(msg ?? ''));
      return true;
    }
    this._flags |= MUST_CANCEL;
    this._extra = msg ?? null;
    return true;
  }

  /**
   * The number of pending cancellation requests (cancel() calls not matched by uncancel()).
   * @asyncio Task.cancelling()
   */
  cancelling(): number {
    return this._flags >>> CANCEL_SHIFT;
  }

  /**
   * Decrements the count of cancellation requests; at zero a pending cancel is withdrawn (3.13),
   * unless it already cancelled the awaited future or sleep (asyncio too: it still raises).
   * For code that catches CancelledError on purpose (timeouts, task groups). Returns the count.
   * @asyncio Task.uncancel()
   */
  uncancel(): number {
    if (this._flags >= CANCEL_ONE) {
      this._flags -= CANCEL_ONE;
      if (this._flags < CANCEL_ONE) this._flags &= ~MUST_CANCEL;
    }
    return this._flags >>> CANCEL_SHIFT;
  }

  /**
   * Not supported: a task's result comes from its coroutine.
   * @throws {RuntimeError} always.
   */
  override setResult(_value: never): never {
    throw new RuntimeError('Task does not support setResult operation');
  }

  /**
   * Not supported: a task's exception comes from its coroutine.
   * @throws {RuntimeError} always.
   */
  override setException(_exception: never): never {
    throw new RuntimeError('Task does not support setException operation');
  }

  /** @internal */
  override _isTask(): boolean {
    return true;
  }

  /**
   * @internal The ready queue runs a scheduled step through this. One step: send a value or throw
   * an error into the coroutine, then look at what it yielded. asyncio's `__step` +
   * `__step_run_and_handle_result`. This is the fast path, small enough for V8 to inline into the
   * ready queue's loop: a pending task, a generator to resume with a value, no step hook, no
   * instrument, no explicit context; everything else goes through `_runSlow`. One method, not a
   * wrapper around a step method: V8 counts what a callee already inlined against the loop's
   * inlining budget, and the wrapper's copy of the step (with the return path, once tasks had
   * ended) was too big for the loop to inline after a deopt (callgrind: ~+70 instructions per switch warm).
   */
  _run(): void {
    const loop = this._loop;
    if ((this._flags & SLOW_STEP) !== NATIVE_NEXT || this._state !== PENDING || stepHook !== null || loop._instruments !== null || hasExplicitContext()) {
      this._runSlow();
      return;
    }
    const value = this._result;
    if (value !== undefined) this._result = undefined;
    if (this._waitingOn !== null) this._waitingOn = null;
    const previousTask = loop._currentTask;
    loop._currentTask = this as Task<unknown>;
    let result: IteratorResult<Suspend, unknown>;
    try {
      result = this._genNext.call(this._coro, value);
    } catch (thrown) {
      loop._currentTask = previousTask;
      this._stepRaised(thrown, NO_ERROR, null);
      return;
    }
    loop._currentTask = previousTask;
    if (result.done === true) {
      this._stepReturned(result.value, null);
    } else if (result.value === SLEEP0) {
      // sleep(0): one trip through the ready queue.
      this._result = SLEEP0_RESUME;
      loop._pushReady(this);
    } else {
      this._stepYielded(result.value);
    }
  }

  /** The step with everything `_run`'s fast path leaves out: first step, errors to throw, hooks, instruments. */
  private _stepGeneral(): void {
    if (this._state !== PENDING) throw internalError(`_step(): already done: ${this}`);
    const flags = this._flags;
    let error: unknown = NO_ERROR;
    let value = this._result;
    this._result = undefined;
    if ((flags & THROW_NEXT) !== 0) {
      error = value;
      value = undefined;
      this._flags &= ~THROW_NEXT;
    }
    if ((flags & FIRST) !== 0) {
      this._flags &= ~(FIRST | PRECLAIMED);
      if ((flags & PRECLAIMED) === 0 && !claimCoroutine(this._coro) && !this._takeOverPreclaim()) {
        this._failReused();
        return;
      }
    }
    if ((flags & MUST_CANCEL) !== 0) {
      // asyncio's __step keeps a CancelledError it was woken with (the awaited future's: the first
      // message that reached it wins) and replaces anything else.
      if (!(error instanceof CancelledError)) error = this._mustCancelError();
      this._flags &= ~MUST_CANCEL;
    }
    this._waitingOn = null;

    const loop = this._loop;
    const previousTask = loop._currentTask;
    loop._currentTask = this as Task<unknown>;
    // The step runs in the task's context: ContextVar reads it through loop._currentTask. A context
    // entered with Context.run() around the loop is hidden for the step (rare: a null check).
    const previousContext = hasExplicitContext() ? swapExplicitContext(null) : null;
    const hook = stepHook; // yieldio/node's AsyncLocalStorage bridge; null unless installed
    if (hook !== null) hook.before(this as Task<unknown>);
    const instruments = loop._instruments; // null unless an instrument is installed
    if (instruments !== null) instruments.beforeTaskStep(this as Task<unknown>);
    let result: IteratorResult<Suspend, T>;
    try {
      if (error !== NO_ERROR) result = this._coro.throw(error);
      else if ((flags & NATIVE_NEXT) !== 0) result = GenNext.call(this._coro, value) as IteratorResult<Suspend, T>;
      else result = this._coro.next(value);
    } catch (thrown) {
      loop._currentTask = previousTask;
      if (previousContext !== null) swapExplicitContext(previousContext);
      if (hook !== null) hook.after();
      this._stepRaised(thrown, error, instruments);
      return;
    }
    loop._currentTask = previousTask;
    if (previousContext !== null) swapExplicitContext(previousContext);
    if (hook !== null) hook.after();

    if (result.done === true) {
      this._stepReturned(result.value, instruments);
      return;
    }
    const yielded: unknown = result.value;
    if (yielded === SLEEP0) {
      this._result = SLEEP0_RESUME;
      loop._pushReady(this);
    } else {
      this._stepYielded(yielded);
    }
    // After the dispatch, so an instrument sees what the task now awaits (_futWaiter, _sleep).
    if (instruments !== null) instruments.afterTaskStep(this as Task<unknown>);
  }

  /** The coroutine raised `thrown` (`error`: what the step threw in, else NO_ERROR): the task ends. */
  private _stepRaised(thrown: unknown, error: unknown, instruments: InstrumentRegistry | null): void {
    this._finish();
    // `yield*` on a foreign iterator without throw(): the engine closed it and raised its TypeError
    // in place of what we threw in; the task ends as if that had come out (style.md §7.11).
    if (error !== NO_ERROR && thrown !== error && isMissingThrowError(thrown)) thrown = error;
    if (thrown instanceof CancelledError) {
      try {
        Future.prototype.cancel.call(this); // no message: later retrievals get a fresh error
      } finally {
        this._extra = thrown; // the first retrieval gets the coroutine's own CancelledError
      }
    } else {
      noteTaskFailure(this as Task<unknown>, thrown); // before the awaiters are woken: the report's "awaited by"
      this._setExceptionUnchecked(thrown);
    }
    if (instruments !== null) this._reportExit(instruments);
  }

  /** The coroutine returned `value`: the task ends with it (or cancelled, if cancel() came in this step). */
  private _stepReturned(value: unknown, instruments: InstrumentRegistry | null): void {
    this._finish();
    if ((this._flags & MUST_CANCEL) !== 0) {
      // cancel() arrived during this last step: the task ends cancelled after all.
      this._flags &= ~MUST_CANCEL;
      Future.prototype.cancel.call(this, this._cancelMessage);
    } else {
      this._setTaskResult(value);
      // cpython #111379: a swallowed cancellation breaks timeout() and TaskGroup; say so in debug.
      if (this._loop._debug && this._flags >= CANCEL_ONE) this._reportSwallowedCancel();
    }
    if (instruments !== null) this._reportExit(instruments);
  }

  /**
   * FINISHED with `value`, the waiters back on the ready queue: Future's setResult and
   * _scheduleCallbacks, repeated here so that a Task never reaches them and their property
   * accesses stay monomorphic on plain Futures (issue #12: they deopted when a Task came by).
   * Repeated, not shared through a function: the shared call was not inlined here and cost
   * spawn+join ~150 instructions per task (callgrind).
   */
  private _setTaskResult(value: unknown): void {
    this._result = value;
    this._state = FINISHED;
    const callbacks = this._callbacks;
    if (callbacks === null) return;
    this._callbacks = null;
    const loop = this._loop;
    // As Future's: asyncio's call_soon raises on a closed loop; say so rather than lose the callbacks.
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

  /** The coroutine yielded something other than the sleep(0) marker: wait on it, or explain the error. */
  private _stepYielded(yielded: unknown): void {
    if (yielded instanceof TimedSleep) {
      this._awaitSleep(yielded as TimedSleep<unknown>);
    } else if (yielded instanceof Future) {
      this._awaitFuture(yielded);
    } else if (yielded === undefined) {
      // Bare yield relinquishes control for one event loop iteration.
      this._loop._pushReady(this);
    } else {
      this._throwNext(badYieldError(this, yielded));
    }
  }

  /**
   * The error a step throws for `_mustCancel`: asyncio's __wakeup passes on what `future.result()`
   * raised, so a done awaited future's CancelledError (a cancelled Event.wait(), Queue.get(), task
   * or gather) is kept; its result or other exception is replaced (and counts as retrieved).
   */
  private _mustCancelError(): CancelledError {
    const waiter = this._futWaiter;
    if (waiter !== null && waiter._state !== PENDING) {
      try {
        waiter.result();
      } catch (e) {
        if (e instanceof CancelledError) return e;
      }
    }
    return this._makeCancelledError();
  }

  /**
   * The coroutine is claimed, but perhaps only by a lazy task that has not stepped yet (it claimed
   * when it was made): the first task to step wins, as asyncio's; that task fails instead.
   */
  private _takeOverPreclaim(): boolean {
    const coro = this._coro;
    for (const other of this._loop._tasks) {
      if (other._coro === coro && (other._flags & PRECLAIMED) !== 0) {
        other._flags &= ~PRECLAIMED; // its first step claims, and fails
        return true;
      }
    }
    return false;
  }

  /**
   * The coroutine already belongs to another task: fail as CPython's `coro.send()` does on it
   * (even if cancel() arrived first, as there), without touching the other task's coroutine.
   */
  private _failReused(): void {
    this._flags &= ~MUST_CANCEL;
    this._finish();
    this._setExceptionUnchecked(
      new RuntimeError(
        `cannot reuse already awaited coroutine: the coroutine of task '${this.getName()}' was already given to another task. ` +
          'Call the coroutine function again for each task, or await the first task (`yield* task`).',
      ),
    );
    const instruments = this._loop._instruments;
    if (instruments !== null) {
      instruments.beforeTaskStep(this as Task<unknown>); // a step that raised at once, as CPython's
      this._reportExit(instruments);
    }
  }

  /** The coroutine yielded a Future: wait for it, or explain what is wrong with it. */
  private _awaitFuture(future: Future<unknown>): void {
    if (future._loop !== this._loop) {
      this._throwNext(new RuntimeError(`Task ${this} got Future ${future} attached to a different loop`));
    } else if ((future._flags & BLOCKING) === 0) {
      this._throwNext(
        new RuntimeError(`yield was used instead of yield* in task ${this} with ${future}. Write \`yield* future\` to await it.`),
      );
    } else if (future === this) {
      future._flags &= ~BLOCKING;
      this._throwNext(new RuntimeError(`Task cannot await on itself: ${this}`));
    } else {
      future._flags &= ~BLOCKING;
      if (future.addDoneCallback === futureAddDoneCallback) {
        future._addWaiter(this); // asyncio's __wakeup: done, the future puts us back on the ready queue
      } else {
        // A subclass overrides addDoneCallback: register through it, as asyncio calls
        // fut.add_done_callback(self.__wakeup); its callback steps the task, as __wakeup does.
        future.addDoneCallback(() => this._run());
      }
      this._waitingOn = future;
      if ((this._flags & MUST_CANCEL) !== 0 && future.cancel(this._cancelMessage)) this._flags &= ~MUST_CANCEL;
    }
  }

  /** The coroutine yielded a sleep trap: arm its timer, or explain what is wrong with it. */
  private _awaitSleep(sleeping: TimedSleep<unknown>): void {
    if ((sleeping._bits & SLEEP_BLOCKING) === 0) {
      this._throwNext(new RuntimeError(`yield was used instead of yield* in task ${this} with ${sleeping}. Write \`yield* sleep(...)\`.`));
      return;
    }
    sleeping._bits &= ~SLEEP_BLOCKING;
    if ((this._flags & MUST_CANCEL) !== 0) {
      // cancel() arrived during this step: asyncio cancels the sleep future at once (the
      // _must_cancel branch after add_done_callback), so the sleep ends with CancelledError(msg).
      this._flags &= ~MUST_CANCEL;
      this._throwNext(new CancelledError(this._cancelMessage ?? ''));
    } else {
      this._waitingOn = sleeping;
      sleeping._arm(this as Task<unknown>);
    }
  }

  /** Throws `error` into the coroutine on the next iteration (asyncio: call_soon(__step, exc)). */
  private _throwNext(error: Error): void {
    this._result = error;
    this._flags |= THROW_NEXT;
    this._loop._pushReady(this);
  }

  /** `_run` off its fast path: a task already done (an error report), or the general step. */
  private _runSlow(): void {
    if (this._state !== PENDING) {
      // Finished behind the step's back (Future.prototype.setResult.call(task, ...)): asyncio's
      // __step raises this inside its handle, so it reaches the exception handler, never the caller.
      this._loop.callExceptionHandler({
        message: 'Exception in callback Task.__step()',
        exception: new InvalidStateError(`_step(): already done: ${this}`),
        task: this,
      });
      return;
    }
    this._stepGeneral();
  }

  /** @internal How debug reports and errors name a scheduled step. */
  describeCallback(): string {
    return this.toString();
  }

  private _reportSwallowedCancel(): void {
    this._loop.callExceptionHandler({
      message:
        `${this} was cancelled ${this._numCancelsRequested} time(s) and returned normally: it swallowed the CancelledError. ` +
        'Re-raise it, or call uncancel() if ignoring the cancellation is intended; otherwise timeout() and TaskGroup misbehave.',
      task: this,
    });
  }

  private _reportExit(instruments: InstrumentRegistry): void {
    instruments.afterTaskStep(this as Task<unknown>);
    instruments.taskExited(this as Task<unknown>);
  }

  private _finish(): void {
    this._loop._tasks.delete(this as Task<unknown>);
  }

  /**
   * `<Task pending name='Task-3' coro=<fetch> wait_for=<...> cb=[...]>`, as asyncio's repr: the
   * state (`cancelling` once cancel() was requested), name, coro, wait_for, result or exception, cb.
   */
  override toString(): string {
    const info = this._reprInfo();
    if (this._state === PENDING && this._flags >= CANCEL_ONE) info[0] = 'cancelling';
    info.splice(1, 0, `name='${this.getName()}'`);
    if (this._state === PENDING && this._futWaiter !== null) info.splice(2, 0, `wait_for=${this._futWaiter}`);
    else if (this._state === PENDING && this._sleep !== null) info.splice(2, 0, `wait_for=${this._sleep}`);
    if (this._coro !== null) info.splice(2, 0, `coro=<${coroName(this._coro)}>`);
    return `<Task ${info.join(' ')}>`;
  }
}

Task.prototype._cancelled = false;
// GenNext read from the prototype: after the step's map check V8 folds it to a constant and calls
// the builtin directly; read from the module scope it is a variable, called through the generic
// Call builtin (~21 instructions per switch, callgrind).
Task.prototype._genNext = GenNext;
// Read once: a Future whose addDoneCallback is this one gets the allocation-free waiter path.
const futureAddDoneCallback = Future.prototype.addDoneCallback;

/** Claims `coro` for the task taking its first step; false if another task claimed it first. */
function claimCoroutine(coro: object): boolean {
  // The sleep(0) iterator is stateless and shared by every `sleep(0)`: any number of tasks may run it.
  if (coro === (sleep0Iterator as object)) return true;
  if (isClaimedCoroutine(coro)) return false;
  markClaimed(coro);
  return true;
}

/**
 * @internal Whether `task` is a lazy Task that claimed `coro` when it was made and has yet to step:
 * gather's repeat check (a repeat of that coroutine is then found claimed). False for an eager
 * start or a factory's wrapper.
 */
export function claimedOnCreation(task: Future<unknown>, coro: object): boolean {
  // sleep(0)'s shared iterator is never stamped (any number of tasks may run it): not claimed.
  return task instanceof Task && (task._flags & PRECLAIMED) !== 0 && task._coro === coro && coro !== (sleep0Iterator as object);
}

function badYieldError(task: Task<unknown>, value: unknown): RuntimeError {
  const v = value as { next?: unknown; throw?: unknown; then?: unknown } | null;
  if (v !== null && typeof v === 'object' && typeof v.next === 'function' && typeof v.throw === 'function') {
    return new RuntimeError(
      `yield was used instead of yield* for generator in task ${task} with ${shortRepr(value)}. Write \`yield* coro\` to await a coroutine.`,
    );
  }
  if (v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function') {
    return new RuntimeError(
      `Task got bad yield: ${shortRepr(value)}. A Promise is not a yieldio awaitable: write \`yield* fromPromise(promise)\`.`,
    );
  }
  return new RuntimeError(`Task got bad yield: ${shortRepr(value)}`);
}

/**
 * Whether `value` is a coroutine: a generator object (what a `function*` call returns), or any
 * object with `next`, `throw`, `return` and `[Symbol.iterator]`.
 * @asyncio asyncio.iscoroutine(obj)
 */
export function isCoroutine(value: unknown): value is Coroutine<unknown> {
  const v = value as { next?: unknown; throw?: unknown; return?: unknown } | null;
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof v.next === 'function' &&
    typeof v.throw === 'function' &&
    typeof v.return === 'function' &&
    typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/** @internal The TypeError for something that is not a coroutine, naming what to pass instead. */
export function notACoroutineError(what: string, value: unknown): TypeError {
  let hint: string;
  if (typeof value === 'function') {
    const name = value.name || 'fn';
    hint =
      value.constructor?.name === 'AsyncFunction'
        ? `${name} is a native async function; yieldio coroutines are \`function*\` generators: write \`function* ${name}() { ... }\` and \`yield*\` instead of \`await\`, or wrap a Promise with fromPromise().`
        : `Call the function to get a coroutine: ${what}(${name}()) instead of ${what}(${name}).`;
  } else if (value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function') {
    hint = 'A Promise is not a coroutine: await it inside a coroutine with `yield* fromPromise(promise)`.';
  } else {
    hint = `Pass the generator object of a \`function*\`, e.g. ${what}(main()).`;
  }
  // asyncio's sentence with its repr of the value (`got 123`, `got 'ok'`), then the hint.
  const got = typeof value === 'function' ? `<function ${value.name || '(anonymous)'}>` : shortRepr(value);
  return new TypeError(`a coroutine was expected, got ${got}. ${hint}`);
}

/** @internal loop.createTask without a factory (base-events imports tasks, as CPython's base_events does). */
export function newTask(loop: EventLoop, coro: Coroutine<unknown>, options: TaskOptions | undefined): Task<unknown> {
  if (!isCoroutine(coro)) throw notACoroutineError('createTask', coro);
  return new Task(coro, loop, options);
}

/**
 * @internal Wraps an awaitable in a Future of `loop`: a Future as is, a coroutine in a Task, any other
 * awaitable (an object with `[Symbol.iterator]`) in a Task that awaits it.
 */
export function ensureFutureOn<T>(loop: EventLoop, aw: Awaitable<T>): Future<T> {
  if (aw instanceof Future) {
    // asyncio raises ValueError here (api.md: RangeError); gather() checks its futures the same way.
    if (aw._loop !== loop) throw new RangeError(DIFFERENT_LOOP);
    return aw;
  }
  if (isCoroutine(aw)) return loop.createTask(aw as Coroutine<T>);
  if (isIterableObject(aw)) return loop.createTask(awaitAwaitable(aw));
  throw notAwaitableError(aw);
}

/** @internal asyncio's message for a future given with a loop it does not belong to. */
export const DIFFERENT_LOOP = 'The future belongs to a different loop than the one specified as the loop argument';

function isIterableObject(aw: unknown): boolean {
  return aw !== null && typeof aw === 'object' && typeof (aw as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

function notAwaitableError(aw: unknown): TypeError {
  return new TypeError(
    `An asyncio.Future, a coroutine or an awaitable is required, got ${describeValue(aw)}.` +
      (aw !== null && typeof aw === 'object' && typeof (aw as { then?: unknown }).then === 'function'
        ? ' For a Promise, use fromPromise(promise).'
        : ''),
  );
}

function* awaitAwaitable<T>(aw: Awaitable<T>): Coroutine<T> {
  const iterator = aw[Symbol.iterator]() as Partial<Coroutine<T>> & Iterator<Suspend, T>;
  if (typeof iterator.throw === 'function') return yield* iterator as Coroutine<T>;
  // No throw() (style.md §7.11): delegate by hand, so a cancellation (or a bad-yield error) reaches
  // the task as itself instead of the engine's TypeError; the iterator is closed first, as yield* does.
  let sent: unknown;
  for (;;) {
    const step = iterator.next(sent);
    if (step.done === true) return step.value;
    try {
      sent = yield step.value;
    } catch (error) {
      if (typeof iterator.return === 'function') iterator.return();
      throw error;
    }
  }
}

let missingThrowMessage: string | null = null;

/**
 * Whether `error` is the engine's TypeError for a `yield*` whose iterator has no throw(). Its
 * wording differs between engines, so it is learnt once, on first use, from a two-line probe.
 */
function isMissingThrowError(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  if (missingThrowMessage === null) {
    const throwless = { [Symbol.iterator]: () => ({ next: () => ({ value: undefined, done: false }) }) };
    const probe = (function* (): Generator<unknown, void, unknown> {
      yield* throwless as Iterable<unknown>;
    })();
    probe.next();
    try {
      probe.throw(new Error('probe'));
      missingThrowMessage = '';
    } catch (e) {
      missingThrowMessage = e instanceof TypeError ? e.message : '';
    }
  }
  return missingThrowMessage !== '' && error.message === missingThrowMessage;
}


/**
 * Wraps a coroutine in a Task and schedules it on the running loop. Keep a reference to the task
 * (or await it): a task nobody awaits reports its exception only to the exception handler.
 * @asyncio asyncio.create_task(coro, *, name=None, context=None)
 * @throws {TypeError} if `coro` is not a coroutine: a generator function (call it), a native
 *   async function or a Promise (use fromPromise).
 * @throws {RuntimeError} "no running event loop" outside a loop.
 * @example
 * const task = createTask(fetchUser(1), { name: 'fetch-1' });
 * const user = yield* task;
 */
export function createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
  // Checked once, where the task is built (newTask, or the task factory such as eagerTaskFactory).
  return getRunningLoop().createTask(coro, options);
}

/**
 * The task whose step is running now, or null (for example in a plain loop callback).
 * @asyncio asyncio.current_task(loop=None)
 */
export function currentTask(loop?: EventLoop): Task<unknown> | null {
  return (loop ?? getRunningLoop())._currentTask;
}

/**
 * The loop's unfinished tasks, in creation order.
 * @asyncio asyncio.all_tasks(loop=None)
 */
export function allTasks(loop?: EventLoop): Set<Task<unknown>> {
  return new Set((loop ?? getRunningLoop())._tasks);
}

/**
 * Wraps an awaitable in a Future: a Future or Task is returned as is, a coroutine is scheduled as
 * a Task, any other awaitable is awaited by a new Task.
 * @asyncio asyncio.ensure_future(obj, *, loop=None)
 * @throws {TypeError} for anything else (a Promise: use fromPromise), checked before the loop is.
 * @throws {RangeError} (asyncio's ValueError) for a Future of another loop than `loop`.
 */
export function ensureFuture<T>(aw: Awaitable<T>, loop?: EventLoop): Future<T> {
  // The argument is checked before the loop is looked up, as asyncio does: ensureFuture('ok')
  // outside a loop is a TypeError about 'ok', not "no running event loop".
  if (!(aw instanceof Future) && !isCoroutine(aw) && !isIterableObject(aw)) throw notAwaitableError(aw);
  return ensureFutureOn(loop ?? (aw instanceof Future ? aw._loop : getRunningLoop()), aw);
}

/**
 * A task factory that runs each new task synchronously inside `createTask` until its first
 * suspension; a coroutine that never suspends finishes without a trip through the loop.
 * @asyncio asyncio.eager_task_factory (3.12)
 * @example
 * getRunningLoop().setTaskFactory(eagerTaskFactory);
 */
export const eagerTaskFactory = <T>(loop: EventLoop, coro: Coroutine<T>, options: { name?: string; context?: Context }): Task<T> => {
  if (!isCoroutine(coro)) throw notACoroutineError('createTask', coro);
  return new Task(coro, loop, { ...options, eagerStart: true });
};

/**
 * The constructor `createEagerTaskFactory` calls: `Task` or a subclass, called as
 * `new ctor(coro, loop, { name?, context?, eagerStart: true })` (a subclass passes the options on to `super`).
 * @asyncio the custom_task_constructor of asyncio.create_eager_task_factory (called with loop=, name=, context=, eager_start=)
 */
export type TaskConstructor = new <T>(coro: Coroutine<T>, loop: EventLoop, options: TaskOptions) => Task<T>;

/**
 * A task factory like `eagerTaskFactory` that builds its tasks with `customTaskConstructor`.
 * @asyncio asyncio.create_eager_task_factory(custom_task_constructor) (3.12)
 * @throws {TypeError} if `customTaskConstructor` is not a constructor.
 * @example
 * class TracedTask<T> extends Task<T> {}
 * getRunningLoop().setTaskFactory(createEagerTaskFactory(TracedTask));
 */
export function createEagerTaskFactory(customTaskConstructor: TaskConstructor): TaskFactory {
  if (typeof customTaskConstructor !== 'function' || customTaskConstructor.prototype === undefined) {
    throw new TypeError(`Expected \`customTaskConstructor\` to be Task or a subclass of it, got ${describeValue(customTaskConstructor)}`);
  }
  return <T>(loop: EventLoop, coro: Coroutine<T>, options: { name?: string; context?: Context }): Task<T> => {
    if (!isCoroutine(coro)) throw notACoroutineError('createTask', coro);
    return new customTaskConstructor(coro, loop, { ...options, eagerStart: true });
  };
}

// sleep(0)'s iterator: stateless (the resume token tells the second next() from the first), so one
// object serves every caller and `yield* sleep(0)` allocates nothing.
const sleep0Iterator = {
  next(value?: unknown): IteratorResult<Suspend, void> {
    return value === SLEEP0_RESUME ? sleep0Done : sleep0Yield;
  },
  throw(error: unknown): never {
    throw error;
  },
  return(value?: unknown): IteratorResult<Suspend, void> {
    return { value: value as void, done: true };
  },
  [Symbol.iterator]() {
    return this;
  },
};
// Both results are made by a generator, so they have the engine's own iterator-result map, the one
// a coroutine's `return` and bare `yield` produce: the step's `result.done` read sees one map, not
// two (a second map deopted the switch loop when the first task finished, and the re-optimized
// loop no longer inlined the step). Not frozen, for the same reason (freezing changes the map).
const sleep0Results = (function* (): Generator<Suspend, void, unknown> {
  yield SLEEP0;
})();
const sleep0Yield: IteratorResult<Suspend, void> = sleep0Results.next();
const sleep0Done: IteratorResult<Suspend, void> = sleep0Results.next();

// Debug mode: a coroutine yieldio hands out that is collected without ever being started was
// never awaited (asyncio's "coroutine ... was never awaited" RuntimeWarning).
const neverAwaited = new FinalizationRegistry<{ loop: EventLoop; name: string }>((held) => {
  held.loop.callExceptionHandler({ message: `coroutine '${held.name}' was never awaited: write \`yield* ${held.name}(...)\`` });
});

/**
 * @internal In debug mode, wraps a coroutine yieldio returns so that it is reported if it is never
 * started (someone wrote `sleep(10)` instead of `yield* sleep(10)`). Free when debug is off.
 */
function trackNeverAwaited<T>(coro: Coroutine<T>, name: string): Coroutine<T> {
  const loop = getRunningLoopOrNull();
  if (loop === null || !loop._debug) return coro;
  const token = {};
  const wrapper = (function* started(): Coroutine<T> {
    neverAwaited.unregister(token);
    return yield* coro;
  })();
  neverAwaited.register(wrapper, { loop, name }, token);
  neverAwaitedTokens.set(wrapper, token);
  return wrapper;
}

// The registry token of each tracked coroutine (debug mode only), so closing one unregisters it.
const neverAwaitedTokens = new WeakMap<object, object>();

/**
 * @internal Closes a coroutine that will never run (asyncio's `coro.close()` where a TaskGroup
 * refuses it): its body never starts, and debug mode does not report it as never awaited.
 */
export function closeCoroutine(coro: unknown): void {
  if (!isCoroutine(coro)) return;
  const token = neverAwaitedTokens.get(coro);
  if (token !== undefined) neverAwaited.unregister(token);
  coro.return(undefined as never);
}

/**
 * @internal `sleep(delay > 0)`, as a trap (curio's word): the coroutine yields this object itself, the task
 * arms a timer that puts the task straight back on the ready queue, and the next `next()` returns.
 * No Future, no done callback, no TimerHandle: a sleep allocates this object only, which is its own
 * entry in the loop's timer heap. Cancelling the task disarms the timer (Task.cancel). The object
 * is also its own `{ value, done: false }` result (`value` a getter, `done` on the prototype: no
 * field for either). Its booleans and state share one small integer, `_bits` (issue #12's diet), and
 * the value it returns shares a slot with the sleeping task: armed, it hands the value to the
 * task, whose next step sends it back into `next()` (four fields: 56 B, was 72 B).
 * Differs from asyncio only inside: asyncio awaits a Future set by `call_later`; the observable
 * behaviour (timing, cancellation, the CancelledError and its message) is the same.
 */
class TimedSleep<T> implements TimerEntry {
  /** `{ value, done }` while suspended: false, from the prototype. */
  declare done: false; // set only here, on the prototype, below the class
  _delay: number;
  /** Until armed, the value the sleep returns; armed (SLEEP_ARMED), the sleeping task; then null. */
  _slot: T | Task<unknown> | null;
  // The timer-heap entry (TimerEntry): the deadline (the heap keeps the tie-breaker); whether it
  // is in the heap and whether it was disarmed there (dropped lazily) are bits of _bits.
  _when: number;
  /** SLEEP_STARTED/SLEEP_FINISHED (the iterator's state), SLEEP_BLOCKING, SLEEP_SCHEDULED, SLEEP_CANCELLED, SLEEP_ARMED. */
  _bits: number;

  constructor(delay: number, result: T) {
    this._delay = delay;
    this._slot = result;
    this._when = 0;
    this._bits = 0;
  }

  /** The sleeping task while armed (in the loop's timer heap), else null. */
  get _task(): Task<unknown> | null {
    return (this._bits & SLEEP_ARMED) !== 0 ? (this._slot as Task<unknown>) : null;
  }

  /** `{ value, done }` while suspended: the object itself is what the task receives. */
  get value(): TimedSleep<T> {
    return this;
  }

  /** @internal In the loop's timer heap (TimerEntry; the heap sets and clears it). */
  get _scheduled(): boolean {
    return (this._bits & SLEEP_SCHEDULED) !== 0;
  }

  set _scheduled(value: boolean) {
    this._bits = value ? this._bits | SLEEP_SCHEDULED : this._bits & ~SLEEP_SCHEDULED;
  }

  /** @internal Disarmed (TimerEntry): the heap drops the entry instead of running it. */
  get _cancelled(): boolean {
    return (this._bits & SLEEP_CANCELLED) !== 0;
  }

  next(sent?: unknown): IteratorResult<Suspend, T> {
    const bits = this._bits;
    if ((bits & (SLEEP_STARTED | SLEEP_FINISHED)) === 0) {
      this._bits = bits | SLEEP_STARTED | SLEEP_BLOCKING;
      return this as unknown as IteratorYieldResult<Suspend>;
    }
    // Resumed: the timer fired and the task stepped us, sending the value _arm handed it.
    this._bits = bits | SLEEP_FINISHED;
    return sent === undefined ? (sleepDone as IteratorResult<Suspend, T>) : { value: sent as T, done: true };
  }

  throw(error: unknown): never {
    this._bits |= SLEEP_FINISHED;
    this.disarm();
    throw error;
  }

  return(value: T): IteratorResult<Suspend, T> {
    this._bits |= SLEEP_FINISHED;
    this.disarm();
    return { value, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** @internal Called by the task that received this object: wake `task` after the delay. */
  _arm(task: Task<unknown>): void {
    const loop = task._loop;
    const result = this._slot;
    // The task sends it at its next step (its `_result` is free while it sleeps); a cancel
    // replaces it with the CancelledError to throw.
    if (result !== undefined) task._result = result;
    this._slot = task;
    this._bits |= SLEEP_ARMED;
    this._when = loop.time() + this._delay;
    loop._pushTimer(this);
  }

  /** @internal Keeps the timer from waking the task; the heap drops the entry lazily. */
  disarm(): void {
    const bits = this._bits;
    if ((bits & SLEEP_ARMED) !== 0) {
      const task = this._slot as Task<unknown>;
      this._slot = null;
      this._bits = (bits & ~SLEEP_ARMED) | SLEEP_CANCELLED;
      if ((bits & SLEEP_SCHEDULED) !== 0) task._loop._timerHandleCancelled();
    }
  }

  /** @internal The heap moved the due timer to the ready queue: put the sleeping task back on it. */
  _run(): void {
    const bits = this._bits;
    if ((bits & SLEEP_ARMED) !== 0) {
      const task = this._slot as Task<unknown>;
      this._slot = null;
      this._bits = bits & ~SLEEP_ARMED;
      if (task._waitingOn === this) task._waitingOn = null;
      task._loop._pushReady(task);
    }
  }

  /** @internal How pendingTimers() and debug reports name the timer. */
  describeCallback(): string {
    return `wake ${this._task ?? 'nobody'} after ${this}`;
  }

  /** @internal The loop of the armed timer (TimerHandle's field, read by instruments), else null. */
  get _loop(): EventLoop | null {
    return this._task === null ? null : this._task._loop;
  }

  /** @internal The deadline (loop.time() scale), as TimerHandle.when(). */
  when(): number {
    return this._when;
  }

  /** @internal Disarms the timer, as TimerHandle.cancel(): the task sleeps until cancelled. */
  cancel(): void {
    this.disarm();
  }

  /** @internal Whether the timer was disarmed, as TimerHandle.cancelled(). */
  cancelled(): boolean {
    return (this._bits & SLEEP_CANCELLED) !== 0;
  }

  toString(): string {
    return `<sleep ${this._delay} ms>`;
  }
}
TimedSleep.prototype.done = false;
// The bits of TimedSleep._bits.
const SLEEP_STARTED = 1; // next() handed the trap up (the iterator's first step)
const SLEEP_FINISHED = 2; // resumed, thrown into or returned: the iterator is done
const SLEEP_BLOCKING = 4;
const SLEEP_SCHEDULED = 8;
const SLEEP_CANCELLED = 16;
const SLEEP_ARMED = 32; // _slot holds the sleeping task
/** @internal The task a timer-heap entry wakes if it is a sleep trap, else null (for instruments). */
export function sleeperOfTimer(timer: unknown): Task<unknown> | null {
  return timer instanceof TimedSleep ? timer._task : null;
}
const sleepDone: IteratorResult<Suspend, undefined> = Object.freeze({ value: undefined, done: true });

/**
 * @internal Whether a value a coroutine yielded is an await the task handles (the sleep(0)
 * marker, a Future of `yield*`, a sleep trap). Async-generator bodies use it to tell awaits,
 * which they pass up, from values, which they produce.
 */
export function isSuspension(value: unknown): boolean {
  // Produced values are often primitives: answer those without an instanceof (this runs per item).
  if (typeof value !== 'object' || value === null) return false;
  if (value === SLEEP0) return true;
  if (value instanceof Future) return (value._flags & BLOCKING) !== 0;
  return value instanceof TimedSleep && (value._bits & SLEEP_BLOCKING) !== 0;
}

function* sleep0With<T>(value: T): Coroutine<T> {
  yield SLEEP0;
  return value;
}

/**
 * Suspends the current task for `delay` milliseconds, then returns `value`. `sleep(0)` is one trip
 * through the ready queue (other ready tasks run first) and allocates nothing.
 * A negative delay is the same as 0. Cancelling the task cancels the sleep.
 * @asyncio asyncio.sleep(delay, result=None) (seconds there)
 * @param delay milliseconds; `Infinity` sleeps until cancelled.
 * @throws {RangeError} if `delay` is NaN.
 * @example
 * yield* sleep(1000);                   // one second
 * const v = yield* sleep(10, 'done');   // 'done'
 */
export function sleep(delay?: number): Coroutine<void>;
export function sleep<T>(delay: number, value: T): Coroutine<T>;
export function sleep<T>(delay = 0, value?: T): Coroutine<T | undefined> {
  checkDelay(delay, 'delay');
  if (delay <= 0) {
    if (value === undefined) return sleep0Iterator as unknown as Coroutine<undefined>;
    return sleep0With(value);
  }
  return trackNeverAwaited(new TimedSleep(delay, value) as unknown as Coroutine<T | undefined>, 'sleep');
}

export { isFuture };
