/**
 * The event loop: a ready queue, a timer heap, and the one place where callbacks are called.
 * @asyncio asyncio.base_events.BaseEventLoop
 *
 * Design notes
 * - `runOnce()` is asyncio's `_run_once`: move due timers to the ready queue, then run the
 *   `ntodo` callbacks that were ready when the pass began. Anything scheduled during the pass
 *   waits for the next one. This is the only place callbacks are actually *called*; everything
 *   else only appends to `_ready`.
 * - Drivers (drivers.ts) decide what happens when nothing is ready: the synchronous one
 *   (`runSync`, `TestLoop`) jumps virtual time or blocks the thread; the asynchronous one (`run`,
 *   `runUntilComplete`, `runForever`) gives the thread back to the host and sleeps until the next
 *   timer or a `callSoon` wakes it (`_wakeup`). A loop that can never be woken raises the
 *   stuck-run report (stuck-run.ts).
 * - "Running" has two meanings in JavaScript. `isRunning()` is true for the whole
 *   `runForever()`; `getRunningLoop()` returns the loop only while its callbacks are on the stack,
 *   so two loops (two `run()` calls) can take turns on one thread between macrotasks.
 * - Timers: ordered by (deadline, sequence number), so equal deadlines fire in scheduling order.
 *   Cancelled timers stay in the heap and are dropped lazily; the heap is compacted when more than
 *   100 timers are scheduled and over half are cancelled (asyncio's rule).
 * @module
 */
import { Deque } from './internal/deque.ts';
import { TimerHeap } from './internal/timer-heap.ts';
import { enableScopeTracking } from './internal/scopes.ts';
import { formatFailure } from './internal/failures.ts';
import { noteTaskCreated, recordsCreation } from './internal/creations.ts';
import { LinkedSet } from './internal/task-list.ts';
import { checkCallback, checkDelay, checkExceptionHandler, checkHandleCallback, checkOptions } from './internal/validate.ts';
import { describeValue, inspectSymbol, shortRepr } from './internal/repr.ts';
import { Handle, TimerHandle, activeLoops, getRunningLoopOrNull, onRejected, setRunningLoop, type Runnable, type TimerEntry } from './events.ts';
import { Future, promoteUnretrieved, reportUnretrieved, type UnretrievedReport } from './futures.ts';
import { CancelledError, RuntimeError } from './exceptions.ts';
import { Task, ensureFutureOn, newTask, type TaskOptions } from './tasks.ts';
import { INSTRUMENT_HOOKS, InstrumentRegistry, type Instrument } from './instruments.ts';
import { Context, contextFromOptions, currentContextValues, type ContextValues } from './contextvars.ts';
import { driveAsync, driveSync, hostNow } from './drivers.ts';
import type { Awaitable, Coroutine } from './types.ts';

/** Which clock a loop reads: the host's monotonic clock, or virtual time that jumps to the next timer. */
export type Clock = 'real' | 'virtual';

/** Options of `new EventLoop()`, `run()`, `runSync()` and `Runner`. */
export interface LoopOptions {
  /** Debug mode: slow callbacks are reported. Default false. */
  debug?: boolean;
  /** `'real'` (the host's clock) or `'virtual'` (time jumps to the next timer when idle). */
  clock?: Clock;
}

/**
 * What the exception handler receives. Keys as asyncio's: `message` always; `exception`,
 * `future`, `task`, `handle` when they apply.
 * @asyncio the `context` dict of loop.call_exception_handler(context)
 */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  future?: unknown;
  task?: unknown;
  handle?: unknown;
  [key: string]: unknown;
}

/**
 * The options `callSoon`, `callLater`, `callAt` and `callSoonThreadsafe` take *before* the
 * callback (`loop.callSoon({ context }, cb, ...args)`), and `addDoneCallback` after it: asyncio's
 * keyword-only `context=`. Before the callback, because after it an options object could not be
 * told from an argument.
 * @asyncio the `context=None` keyword of loop.call_soon / call_later / call_at / call_soon_threadsafe
 */
export interface CallOptions {
  /** The Context the callback runs in (its ContextVar writes land there); default: a copy of the current one. */
  context?: Context | null | undefined;
}

/** `(loop, context) => void`, as asyncio's `loop.set_exception_handler(handler)`. */
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

/** Builds the Task for `createTask`; `eagerTaskFactory` is one. @asyncio the task factory of loop.set_task_factory */
export type TaskFactory = <T>(loop: EventLoop, coro: Coroutine<T>, options: { name?: string; context?: Context }) => Task<T>;

/** An object the loop can close at shutdown (the async generators it tracks). */
export interface AsyncGenLike {
  aclose(): Awaitable<unknown>;
}

const MIN_SCHEDULED_TIMER_HANDLES = 100;
const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;
// How long the async driver runs callbacks before giving the thread back to the host.
const HOST_YIELD_BUDGET_MS = 8;
const HOST_YIELD_CHECK_MAX = 4096;
// A stretch runs a pass in slices of at most this many callbacks (same order: the pass resumes).
// V8 then optimizes the ready-queue loop as a whole function, entered afresh each slice, instead of
// on-stack-replacing one 100,000-step call: a phase change (first steps, returns, done callbacks)
// costs one re-optimization, not an OSR compile plus a later regular one.
const PASS_SLICE = 128;
// TaskOptions' keys: a misspelt one is a TypeError, as Python's "unexpected keyword argument".
const TASK_OPTIONS: readonly string[] = ['name', 'context', 'eagerStart'];

function stopLoop(this: EventLoop): void {
  this.stop();
}

function isAliveTimer(timer: TimerEntry): boolean {
  if (timer._cancelled) {
    timer._scheduled = false;
    return false;
  }
  return true;
}

/**
 * The event loop. Most code never touches it: `run(main)` makes one, runs `main`, and closes it.
 *
 * Fields:
 * - `_ready`            the ready queue: Handles to run, FIFO (a ring buffer)
 * - `_passRemaining`    callbacks of the current pass (asyncio's ntodo) not yet run
 * - `_scheduled`        the timer heap, by (deadline, sequence)
 * - `_timerCancelledCount` cancelled timers still in the heap (for compaction)
 * - `_virtual`, `_virtualNow`  the virtual clock and its reading
 * - `_running`, `_stopping`, `_closed`  lifecycle flags
 * - `_currentTask`      the task whose step is on the stack
 * - `_tasks`            unfinished tasks (asyncio's all_tasks), in creation order (an intrusive list)
 * - `_wakeup`           set while the async driver idles: call it to wake the loop
 * - `_failed`           futures that finished with an exception since the loop last idled (futures.ts:
 *                       the ones nobody retrieved are promoted to GC reports when the loop idles)
 * - `_unretrieved`      the promoted reports not yet sent; `close()` sends what is left
 * - `_instruments`      null until `addInstrument` (so the hot path pays one comparison)
 * - `_shutdownSteps`    what `run()` runs after closing async generators (yieldio/node's servers,
 *                       sockets, worker pool: asyncio's shutdown_default_executor slot)
 * - `_hostExiting`      the host said it is about to exit while the async driver idled with no timer
 * - `_describeStuck`    how the stuck-loop RuntimeError lists the tasks (the Runner sets the call graph)
 * @asyncio asyncio.AbstractEventLoop / BaseEventLoop
 */
export class EventLoop {
  _ready: Deque<Runnable>;
  _scheduled: TimerHeap;
  _timerCancelledCount: number;
  _virtual: boolean;
  _virtualNow: number;
  _running: boolean;
  _stopping: boolean;
  _closed: boolean;
  _debug: boolean;
  _currentTask: Task<unknown> | null;
  _tasks: LinkedSet<Task<unknown>>;
  _wakeup: (() => void) | null;
  _exceptionHandler: ExceptionHandler | null;
  _taskFactory: TaskFactory | null;
  _asyncgens: Set<WeakRef<AsyncGenLike>>;
  _asyncgensShutdownCalled: boolean;
  _shutdownSteps: Set<() => void | Coroutine<void>>;
  _failed: Future<unknown>[];
  _unretrieved: Set<UnretrievedReport>;
  _passRemaining: number;
  _instruments: InstrumentRegistry | null;
  _hostExiting: boolean;
  _describeStuck: ((loop: EventLoop) => string) | null;
  /**
   * Debug mode reports a callback or task step that runs longer than this many milliseconds.
   * @asyncio loop.slow_callback_duration (seconds there)
   */
  slowCallbackDuration: number;

  /** A new loop; not running. `run()` and `runSync()` make one for you. */
  constructor(options: LoopOptions = {}) {
    const clock = options.clock ?? 'real';
    if (clock !== 'real' && clock !== 'virtual') {
      throw new RangeError(`Expected \`clock\` to be 'real' or 'virtual', got ${JSON.stringify(clock)}`);
    }
    this._ready = new Deque();
    this._scheduled = new TimerHeap();
    this._timerCancelledCount = 0;
    this._virtual = clock === 'virtual';
    this._virtualNow = 0;
    this._running = false;
    this._stopping = false;
    this._closed = false;
    this._debug = options.debug ?? false;
    if (this._debug) enableScopeTracking();
    this._currentTask = null;
    this._tasks = new LinkedSet();
    this._wakeup = null;
    this._exceptionHandler = null;
    this._taskFactory = null;
    this._asyncgens = new Set();
    this._asyncgensShutdownCalled = false;
    this._shutdownSteps = new Set();
    this._failed = [];
    this._unretrieved = new Set();
    this._passRemaining = 0;
    this._instruments = null;
    this._hostExiting = false;
    this._describeStuck = null;
    this.slowCallbackDuration = 100;
  }

  // ---------------------------------------------------------------- time and scheduling

  /**
   * The loop's clock, in milliseconds (monotonic; the origin is arbitrary). Under the virtual
   * clock it starts at 0 and moves only when the loop jumps to a timer.
   * @asyncio loop.time() (seconds there)
   */
  time(): number {
    return this._virtual ? this._virtualNow : hostNow();
  }

  /** Whether this loop reads the virtual clock. */
  isVirtualClock(): boolean {
    return this._virtual;
  }

  /**
   * Schedules `callback(...args)` to run on the next iteration, after those already scheduled. It
   * runs in a copy of the current contextvars context, or in `options.context` when given first.
   * @asyncio loop.call_soon(callback, *args, context=None)
   * Differs from asyncio: `context` comes as `{ context }` before the callback, not as a keyword.
   * @throws {RuntimeError} "Event loop is closed" on a closed loop.
   * @throws {TypeError} if `callback` is not a function, or `context` not a Context.
   * @example
   * loop.callSoon(log, 'hello');
   * loop.callSoon({ context: ctx }, log, 'in ctx'); // a ContextVar.set() in log lands in ctx
   */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoon<A extends unknown[]>(options: CallOptions, callback: (...args: A) => unknown, ...args: A): Handle;
  callSoon(callback: unknown, ...args: unknown[]): Handle {
    return this._callSoonChecked('callSoon', callback, args);
  }

  /**
   * `callSoon` for host callbacks (Promise reactions, Node I/O, worker messages): also wakes a loop
   * that is idle waiting for the host. In JavaScript every callback runs on one thread, so this is
   * the same as `callSoon`, which wakes the loop too; the name says where it is meant to be used.
   * `{ context }` before the callback, as `callSoon`'s.
   * @asyncio loop.call_soon_threadsafe(callback, *args, context=None)
   */
  callSoonThreadsafe<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoonThreadsafe<A extends unknown[]>(options: CallOptions, callback: (...args: A) => unknown, ...args: A): Handle;
  callSoonThreadsafe(callback: unknown, ...args: unknown[]): Handle {
    return this._callSoonChecked('callSoonThreadsafe', callback, args);
  }

  // callSoon's checks, naming the method the caller used.
  private _callSoonChecked(method: 'callSoon' | 'callSoonThreadsafe', callback: unknown, args: unknown[]): Handle {
    let context: Context | ContextValues | null = null;
    if (typeof callback === 'object' && callback !== null && typeof args[0] === 'function') {
      context = contextFromOptions(callback, `${method}()`);
      callback = args.shift();
    }
    checkHandleCallback(callback, method);
    this._checkClosed();
    return this._callSoonInternal(callback as never, args.length === 1 ? args[0] : undefined, args.length !== 1 ? args : null, context);
  }

  /**
   * @internal The hot-path schedule: no checks, one Handle. `context` null: a snapshot of the
   * current one (no allocation).
   */
  _callSoonInternal(callback: (...args: never[]) => unknown, arg0: unknown, args: unknown[] | null = null, context: Context | ContextValues | null = null): Handle {
    const handle = new Handle(callback, arg0, args, this, context ?? currentContextValues());
    this._ready.push(handle);
    if (this._wakeup !== null) this._wakeup();
    return handle;
  }

  /** @internal Schedules a runnable: a task's next step (the task is its own callback) or a done callback. */
  _pushReady(runnable: Runnable): void {
    this._ready.push(runnable);
    // Done callbacks come here too (their Handles, gather's listener): the hook is for tasks only.
    if (this._instruments !== null && runnable instanceof Task) this._instruments.taskScheduled(runnable as Task<unknown>);
    if (this._wakeup !== null) this._wakeup();
  }

  /**
   * Schedules `callback(...args)` to run `delay` milliseconds from now.
   * A negative or zero delay runs it on the next iteration, after callbacks already ready.
   * `{ context }` before the callback, as `callSoon`'s.
   * @asyncio loop.call_later(delay, callback, *args, context=None) (seconds there)
   * @throws {RangeError} if `delay` is NaN.
   */
  callLater<A extends unknown[]>(delay: number, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callLater<A extends unknown[]>(delay: number, options: CallOptions, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callLater(delay: number, callback: unknown, ...args: unknown[]): TimerHandle {
    checkDelay(delay, 'delay');
    let context: Context | ContextValues | null = null;
    if (typeof callback === 'object' && callback !== null && typeof args[0] === 'function') {
      context = contextFromOptions(callback, 'callLater()');
      callback = args.shift();
    }
    checkHandleCallback(callback, 'callLater');
    this._checkClosed();
    return this._callAtInternal(this.time() + delay, callback as never, args, context);
  }

  /**
   * Schedules `callback(...args)` at absolute time `when` (on the `loop.time()` scale).
   * `{ context }` before the callback, as `callSoon`'s.
   * @asyncio loop.call_at(when, callback, *args, context=None)
   * @throws {RangeError} if `when` is NaN.
   */
  callAt<A extends unknown[]>(when: number, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callAt<A extends unknown[]>(when: number, options: CallOptions, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callAt(when: number, callback: unknown, ...args: unknown[]): TimerHandle {
    checkDelay(when, 'when');
    let context: Context | ContextValues | null = null;
    if (typeof callback === 'object' && callback !== null && typeof args[0] === 'function') {
      context = contextFromOptions(callback, 'callAt()');
      callback = args.shift();
    }
    checkHandleCallback(callback, 'callAt');
    this._checkClosed();
    return this._callAtInternal(when, callback as never, args, context);
  }

  /** @internal `context` null: a snapshot of the current one (no allocation). */
  _callAtInternal(when: number, callback: (...args: never[]) => unknown, args: unknown[], context: Context | ContextValues | null = null): TimerHandle {
    const timer = new TimerHandle(
      when,
      callback,
      args.length === 1 ? args[0] : undefined,
      args.length !== 1 ? args : null,
      this,
      context ?? currentContextValues(),
    );
    this._pushTimer(timer);
    return timer;
  }

  /** @internal Puts an entry (a TimerHandle, a sleep trap) whose `_when` is set into the timer heap. */
  _pushTimer(timer: TimerEntry): void {
    timer._scheduled = true;
    this._scheduled.push(timer);
    if (this._instruments !== null) this._instruments.timerArmed(timer);
    if (this._wakeup !== null) this._wakeup();
  }

  /** @internal Called by TimerHandle.cancel for a timer still in the heap. */
  _timerHandleCancelled(): void {
    this._timerCancelledCount++;
  }

  // ---------------------------------------------------------------- futures and tasks

  /**
   * A new pending Future bound to this loop.
   * @asyncio loop.create_future()
   */
  createFuture<T = unknown>(): Future<T> {
    return new Future<T>(this);
  }

  /**
   * Wraps `coro` in a Task scheduled on this loop (through the task factory, if one is set).
   * @asyncio loop.create_task(coro, *, name=None, context=None)
   * @throws {TypeError} if `coro` is not a coroutine (see `createTask`), the task factory
   *   returned something that is not a Task, or `options` has an unknown key ("Did you mean").
   */
  createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
    if (options !== undefined) checkOptions(options, 'createTask()', TASK_OPTIONS, "createTask(coro, { name: 'worker' })");
    this._checkClosed();
    const factory = this._taskFactory;
    if (factory !== null) {
      const opts: { name?: string; context?: Context } = {};
      if (options?.name !== undefined) opts.name = options.name;
      if (options?.context !== undefined) opts.context = options.context;
      return created(checkFactoryTask(factory(this, coro, opts), factory));
    }
    return created(newTask(this, coro, options) as Task<T>);
  }

  /**
   * Sets the function `createTask` uses to build tasks (`eagerTaskFactory`, or null for the default).
   * @asyncio loop.set_task_factory(factory)
   */
  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null) checkCallback(factory, 'factory');
    this._taskFactory = factory;
  }

  /**
   * The task factory, or null for the default.
   * @asyncio loop.get_task_factory()
   */
  getTaskFactory(): TaskFactory | null {
    return this._taskFactory;
  }

  // ---------------------------------------------------------------- running

  /**
   * Runs one iteration: moves due timers to the ready queue, then runs the callbacks that were
   * ready when it began. Returns the number of callbacks run.
   * @asyncio BaseEventLoop._run_once()
   */
  runOnce(): number {
    let ran = this._runSome(PASS_SLICE);
    while (this._passRemaining > 0) ran += this._runSome(PASS_SLICE);
    return ran;
  }

  /**
   * @internal Runs at most `limit` callbacks of the current pass, starting a new pass (moving due
   * timers, snapshotting ntodo) when none is in progress. `run()` uses small limits so a pass over
   * a huge ready queue can pause for the host; FIFO order is the same either way.
   */
  _runSome(limit: number): number {
    const ready = this._ready;
    if (this._passRemaining === 0) {
      this._moveDueTimers();
      // This is the only place where callbacks are actually *called*. All other places just add
      // them to ready. Only those ready when the pass began run in it (no starvation).
      this._passRemaining = ready.length;
    }
    const count = Math.min(limit, this._passRemaining);
    this._passRemaining -= count;
    if (this._debug) {
      for (let i = 0; i < count; i++) this._runHandleDebug(ready.shift() as Runnable);
    } else {
      this._runReady(ready, count);
    }
    return count;
  }

  // The hot loop, apart from the pass's start (moving due timers): V8 then spends this function's
  // inlining budget on the task step (Task._run) alone, and keeps it inlined after a re-optimization.
  private _runReady(ready: Deque<Runnable>, count: number): void {
    for (let i = 0; i < count; i++) {
      const handle = ready.shift() as Runnable;
      if (!handle._cancelled) handle._run();
    }
  }

  private _moveDueTimers(): void {
    const scheduled = this._scheduled;
    // Compact the heap when cancelled timers dominate, else drop cancelled ones at its head.
    if (scheduled.length > MIN_SCHEDULED_TIMER_HANDLES && this._timerCancelledCount > scheduled.length * MIN_CANCELLED_TIMER_HANDLES_FRACTION) {
      scheduled.filterInPlace(isAliveTimer);
      this._timerCancelledCount = 0;
    } else {
      this._dropCancelledHead();
    }
    if (scheduled.length === 0) return;
    const ready = this._ready;
    const now = this.time();
    for (;;) {
      const timer = scheduled.peek();
      if (timer === undefined || timer._when > now) break;
      scheduled.pop();
      timer._scheduled = false;
      if (timer._cancelled) this._timerCancelledCount--;
      else {
        ready.push(timer);
        if (this._instruments !== null) this._instruments.timerDue(timer);
      }
    }
  }

  private _runHandleDebug(handle: Runnable): void {
    if (handle._cancelled) return;
    const start = hostNow();
    handle._run();
    const took = hostNow() - start;
    if (took >= this.slowCallbackDuration) {
      this.callExceptionHandler({ message: `Executing ${handle.describeCallback()} took ${took.toFixed(3)} ms`, handle });
    }
  }

  private _dropCancelledHead(): void {
    const scheduled = this._scheduled;
    for (;;) {
      const head = scheduled.peek();
      if (head === undefined || !head._cancelled) return;
      scheduled.pop();
      head._scheduled = false;
      this._timerCancelledCount--;
    }
  }

  /** @internal The deadline of the next live timer, or null when none is scheduled. */
  _nextDeadline(): number | null {
    this._dropCancelledHead();
    const head = this._scheduled.peek();
    return head === undefined ? null : head._when;
  }

  /**
   * Stops `runForever` after the current iteration.
   * @asyncio loop.stop()
   */
  stop(): void {
    this._stopping = true;
  }

  /**
   * Whether `runForever` / `runUntilComplete` is in progress.
   * @asyncio loop.is_running()
   */
  isRunning(): boolean {
    return this._running;
  }

  /**
   * Whether `close()` was called.
   * @asyncio loop.is_closed()
   */
  isClosed(): boolean {
    return this._closed;
  }

  /**
   * Runs the loop until `stop()` is called, giving the thread back to the host between stretches.
   * @asyncio loop.run_forever()
   * Differs from asyncio: when the loop is idle with no timer and the host is about to exit
   * (nothing could ever call `stop()`), it rejects with a RuntimeError naming the pending tasks,
   * which it leaves pending, instead of letting the process end silently (asyncio blocks forever).
   * @throws {RuntimeError} if the loop is closed or already running, or if called from a running loop.
   */
  async runForever(): Promise<void> {
    this._beginRun();
    try {
      await driveAsync(this, null);
    } finally {
      this._endRun();
    }
  }

  /**
   * Runs the loop until `aw` is done; resolves with its result or rejects with its exception.
   * A coroutine is wrapped in a Task.
   * @asyncio loop.run_until_complete(future)
   * Differs from asyncio: when `aw` can never finish (the loop is idle, no timer, and the host is
   * about to exit), it rejects with a RuntimeError naming the stuck tasks and what each awaits;
   * the tasks are left pending (`run()` then cancels them). asyncio blocks forever.
   */
  runUntilComplete<T>(aw: Awaitable<T>): Promise<T> {
    this._beginRun();
    let future: Future<T>;
    try {
      future = this._ensureFuture(aw);
    } catch (error) {
      this._endRun();
      throw error;
    }
    future.addDoneCallback(stopLoop.bind(this));
    return driveAsync(this, future).then(
      () => {
        this._endRun();
        return this._resultOf(future);
      },
      (error: unknown) => {
        this._endRun();
        throw error;
      },
    );
  }

  /**
   * The synchronous `runUntilComplete`, used by `runSync` and `TestLoop`. When nothing is ready it
   * jumps virtual time to the next timer, or blocks the thread on a real clock.
   * @throws {RuntimeError} when every task waits on the host: only `run()` can let it in.
   */
  runUntilCompleteSync<T>(aw: Awaitable<T>): T {
    this._beginRun();
    try {
      const future = this._ensureFuture(aw);
      future.addDoneCallback(stopLoop.bind(this));
      driveSync(this, future);
      return this._resultOf(future);
    } finally {
      this._endRun();
    }
  }

  private _resultOf<T>(future: Future<T>): T {
    if (!future.done()) throw new RuntimeError('Event loop stopped before Future completed.');
    return future.result();
  }

  private _ensureFuture<T>(aw: Awaitable<T>): Future<T> {
    const future = ensureFutureOn(this, aw);
    // asyncio's ValueError (api.md: RangeError).
    if (future._loop !== this) throw new RangeError('The future belongs to a different loop than the one specified as the loop argument');
    return future;
  }

  private _beginRun(): void {
    this._checkClosed();
    if (this._running) throw new RuntimeError('This event loop is already running');
    const current = getRunningLoopOrNull();
    if (current !== null) throw new RuntimeError('Cannot run the event loop while another loop is running');
    this._running = true;
    this._stopping = false;
    activeLoops.add(this);
  }

  private _endRun(): void {
    // Failures of the last pass never reached an idle point: promote them, or a loop that is
    // dropped without close() would hold them unreported.
    if (this._failed.length !== 0) promoteUnretrieved(this);
    this._running = false;
    this._stopping = false;
    activeLoops.delete(this);
  }

  /** @internal Runs iterations on this stack until stopped or idle or out of budget. */
  _runStretch(budgeted: boolean, jumpTime = false): void {
    const previous = setRunningLoop(this);
    try {
      const start = budgeted ? hostNow() : 0;
      // Read the clock after `checkEvery` callbacks, doubling it while under budget: slow
      // callbacks get checked early, fast ones pay for a clock read every few thousand.
      let checkEvery = 8;
      let sinceCheck = 0;
      // A stopping loop still finishes the pass in progress (asyncio's _run_once runs all ntodo).
      while (!this._stopping || this._passRemaining > 0) {
        sinceCheck += this._runSome(budgeted && checkEvery < PASS_SLICE ? checkEvery : PASS_SLICE) + 1;
        if (budgeted && sinceCheck >= checkEvery) {
          sinceCheck = 0;
          const elapsed = hostNow() - start;
          if (elapsed >= HOST_YIELD_BUDGET_MS) return;
          if (checkEvery < HOST_YIELD_CHECK_MAX && elapsed < HOST_YIELD_BUDGET_MS / 2) checkEvery *= 2;
        }
        if (this._ready.length === 0) {
          // Every awaiter a failure woke has run: what is still unretrieved goes to the GC report.
          if (this._failed.length !== 0) promoteUnretrieved(this);
          // A stopping loop never moves time: asyncio's clock stays where the future finished,
          // so a timer scheduled after runUntilComplete(Sync) still lands before a longer one.
          if (this._stopping) return;
          // Idle unless a timer is already due; the sync driver on a virtual clock jumps to it
          // here, without leaving the stretch (one entry for a whole program, not one per deadline).
          // With instruments installed the driver jumps instead, so beforeIdle/afterIdle fire.
          const next = this._nextDeadline();
          if (next === null || next === Infinity) return;
          if (next > this.time()) {
            if (!jumpTime || this._instruments !== null) return;
            this._virtualNow = next;
          }
        }
      }
    } finally {
      setRunningLoop(previous);
    }
  }

  /**
   * Closes the loop: drops what is scheduled. Every exception nobody retrieved is reported ("Task
   * exception was never retrieved"), then every task still pending ("Task was destroyed but it is
   * pending!"), through the exception handler.
   * @asyncio loop.close() (asyncio reports both when the objects are collected)
   * @throws {RuntimeError} "Cannot close a running event loop".
   */
  close(): void {
    if (this._running) throw new RuntimeError('Cannot close a running event loop');
    if (this._closed) return;
    this._closed = true;
    this._ready.clear();
    this._scheduled.filterInPlace(() => false);
    reportUnretrieved(this);
    const pending = [...this._tasks];
    this._tasks.clear();
    for (const task of pending) {
      this.callExceptionHandler({ message: 'Task was destroyed but it is pending!', task });
    }
  }

  /**
   * Closes every async generator that is still open (their `finally` blocks run).
   * `run()` and `Runner.close()` call it before closing the loop.
   * @asyncio loop.shutdown_asyncgens()
   */
  *shutdownAsyncgens(): Coroutine<void> {
    this._asyncgensShutdownCalled = true;
    const open: AsyncGenLike[] = [];
    for (const ref of this._asyncgens) {
      const agen = ref.deref();
      if (agen !== undefined) open.push(agen);
    }
    this._asyncgens.clear();
    if (open.length === 0) return;
    const closers = open.map((agen) => newTask(this, closeAsyncgen(agen), undefined));
    for (let i = 0; i < closers.length; i++) {
      const closer = closers[i] as Task<unknown>;
      try {
        yield* closer;
      } catch (error) {
        this.callExceptionHandler({
          message: 'an error occurred during closing of asynchronous generator',
          exception: error,
          asyncgen: open[i],
        });
      }
    }
  }

  /**
   * @internal Runs `step` once when `run()` / `Runner.close()` shuts this loop down, after the
   * remaining tasks were cancelled and async generators closed (asyncio's place for
   * shutdown_default_executor). Returns a function that unregisters it.
   */
  _addShutdownStep(step: () => void | Coroutine<void>): () => void {
    const steps = this._shutdownSteps;
    steps.add(step);
    return () => {
      steps.delete(step);
    };
  }

  /** @internal Runs the shutdown steps in registration order; their errors go to the handler. */
  *_runShutdownSteps(): Coroutine<void> {
    const steps = this._shutdownSteps;
    for (const step of steps) {
      steps.delete(step); // each runs once; steps added meanwhile run in this same loop
      try {
        const result = step();
        if (result !== undefined) yield* result;
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        this.callExceptionHandler({ message: 'an error occurred while shutting the loop down', exception: error });
      }
    }
  }

  /** @internal Tracks an async generator (weakly) so shutdownAsyncgens can close it. */
  _registerAsyncgen(agen: AsyncGenLike): WeakRef<AsyncGenLike> {
    const ref = new WeakRef(agen);
    this._asyncgens.add(ref);
    return ref;
  }

  // ---------------------------------------------------------------- instruments

  /**
   * Installs an instrument: its hooks are called as tasks spawn, step and exit, and as the loop
   * idles. A hook that throws is removed and reported. Adding the same instrument twice is a no-op.
   * @asyncio none (Trio's `add_instrument`)
   * @throws {TypeError} if `instrument` has none of the hooks.
   * @example
   * loop.addInstrument({ taskExited: (task) => console.log(`${task.getName()} exited`) });
   */
  addInstrument(instrument: Instrument): void {
    if (instrument === null || typeof instrument !== 'object' || !INSTRUMENT_HOOKS.some((h) => typeof (instrument as Record<string, unknown>)[h] === 'function')) {
      throw new TypeError(`Expected \`instrument\` to be an object with at least one hook (${INSTRUMENT_HOOKS.join(', ')}), got ${String(instrument)}`);
    }
    if (this._instruments === null) this._instruments = new InstrumentRegistry(this);
    this._instruments.add(instrument);
  }

  /**
   * Removes an instrument added by `addInstrument`.
   * @asyncio none (Trio's `remove_instrument`)
   * @throws {RangeError} if it is not installed (Trio raises KeyError).
   */
  removeInstrument(instrument: Instrument): void {
    const registry = this._instruments;
    if (registry === null || !registry.remove(instrument)) {
      throw new RangeError('removeInstrument(): that instrument is not installed on this loop');
    }
    if (registry.instruments.length === 0) this._instruments = null;
  }

  // ---------------------------------------------------------------- errors and debug

  /**
   * Sets the handler for errors nothing else catches (failed callbacks, unretrieved exceptions).
   * `null` restores the default, which logs to `console.error`.
   * @asyncio loop.set_exception_handler(handler)
   */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null) checkExceptionHandler(handler);
    this._exceptionHandler = handler;
  }

  /**
   * The handler set by `setExceptionHandler`, or null.
   * @asyncio loop.get_exception_handler()
   */
  getExceptionHandler(): ExceptionHandler | null {
    return this._exceptionHandler;
  }

  /**
   * Calls the exception handler (or the default one) with `context`. An error thrown by a custom
   * handler is reported by the default handler, never lost.
   * @asyncio loop.call_exception_handler(context)
   */
  callExceptionHandler(context: ExceptionContext): void {
    const handler = this._exceptionHandler;
    if (handler === null) {
      this.defaultExceptionHandler(context);
      return;
    }
    let result: unknown;
    try {
      result = callInContextOf(context, handler, this);
    } catch (error) {
      this.defaultExceptionHandler({ message: 'Unhandled error in exception handler', exception: error, context });
      return;
    }
    // A plain handler that returned a Promise: its rejection would escape the loop unreported.
    if (typeof result === 'object' && result !== null) {
      onRejected(result, (error) => {
        this.defaultExceptionHandler({
          message:
            'Unhandled error in exception handler: it returned a Promise, which rejected, and the loop never awaits what a handler returns. ' +
            'Start a task from a plain handler instead: (loop, context) => loop.createTask(report(context)), with report a function*.',
          exception: error,
          context,
        });
      });
    }
  }

  /**
   * Logs `context` to `console.error`: the message, the other keys, and the exception's stack.
   * @asyncio loop.default_exception_handler(context)
   */
  defaultExceptionHandler(context: ExceptionContext): void {
    const lines = [context.message || 'Unhandled exception in event loop'];
    for (const key of Object.keys(context).sort()) {
      if (key === 'message' || key === 'exception') continue;
      lines.push(`${key}: ${reprContextValue(context[key])}`);
    }
    // A handler that threw (callExceptionHandler): the original exception first, then the
    // handler's, as Python chains them ("During handling of the above exception, ...").
    const original = context.context as ExceptionContext | undefined;
    if (isPlainObject(original) && original.exception !== undefined) {
      lines.push(formatException(original.exception), '', 'During handling of the above exception, another exception occurred:', '');
    }
    const exception = context.exception;
    if (exception !== undefined) lines.push(formatException(exception));
    console.error(lines.join('\n'));
  }


  /**
   * Turns debug mode on or off (slow callbacks are reported).
   * @asyncio loop.set_debug(enabled)
   */
  setDebug(enabled: boolean): void {
    this._debug = Boolean(enabled);
    if (this._debug) enableScopeTracking();
  }

  /**
   * Whether debug mode is on.
   * @asyncio loop.get_debug()
   */
  getDebug(): boolean {
    return this._debug;
  }

  /** @internal */
  _checkClosed(): void {
    if (this._closed) throw new RuntimeError('Event loop is closed');
  }

  toString(): string {
    return `<EventLoop running=${this._running} closed=${this._closed} debug=${this._debug}${this._virtual ? ' clock=virtual' : ''}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

// asyncio returns whatever the factory made; here a non-Task fails at createTask, not later in
// run() or a TaskGroup, far from the factory that made it.
function checkFactoryTask<T>(task: Task<T>, factory: TaskFactory): Task<T> {
  if (task instanceof Future && typeof (task as { cancelling?: unknown }).cancelling === 'function') return task;
  throw new TypeError(
    `the task factory ${factory.name || '(anonymous)'} returned ${describeValue(task)}, not a Task. ` +
      'A task factory must return the Task it made for the coroutine: (loop, coro, options) => new Task(coro, loop, options).',
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// A context value as Python's repr() shows it: a nested context (the one a broken handler was
// given) key by key, never `[object Object]`.
function reprContextValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!isPlainObject(value)) return shortRepr(value);
  const parts = Object.keys(value).map((key) => `${key}: ${typeof value[key] === 'string' ? `'${value[key] as string}'` : shortRepr(value[key])}`);
  return `{ ${parts.join(', ')} }`;
}

// The stack with yieldio's frames folded and the tasks it left: `in Task 'api', awaited by Task 'main'`.
function formatException(exception: unknown): string {
  return formatFailure(exception);
}

// Debug mode (creation sites) and `yieldio ps` (task age) keep a side-table entry per task.
function created<T>(task: Task<T>): Task<T> {
  if (recordsCreation(task._loop)) noteTaskCreated(task as Task<unknown>);
  return task;
}

/**
 * Calls a custom exception handler in the context of the task, future or handle the report is
 * about (asyncio 3.13's call_exception_handler), so it sees the ContextVars the failing code saw.
 */
function callInContextOf(context: ExceptionContext, handler: ExceptionHandler, loop: EventLoop): unknown {
  const thing = (context.task ?? context.future ?? context.handle) as { getContext?: unknown } | null | undefined;
  if (thing !== null && typeof thing === 'object' && typeof thing.getContext === 'function') {
    const ctx: unknown = (thing.getContext as () => unknown).call(thing);
    if (ctx instanceof Context) return ctx.run(handler as (l: EventLoop, c: ExceptionContext) => unknown, loop, context);
  }
  return (handler as (l: EventLoop, c: ExceptionContext) => unknown)(loop, context);
}

function* closeAsyncgen(agen: AsyncGenLike): Coroutine<void> {
  yield* agen.aclose();
}
