/**
 * Handles (scheduled callbacks) and the running-loop registry.
 * @asyncio asyncio.events (Handle, TimerHandle, get_running_loop, _get_running_loop)
 * @module
 */
import { RuntimeError } from './exceptions.ts';
import { inspectSymbol, shortRepr } from './internal/repr.ts';
import { enterCallbackContext, holderContext, leaveCallbackContext, type Context, type ContextValues } from './contextvars.ts';
import type { EventLoop } from './base-events.ts';

type AnyFunction = (...args: never[]) => unknown;

/**
 * @internal What the ready queue holds: a Handle, or a Task (which is its own step callback, so a
 * step needs no Handle). `_cancelled` is true only for a cancelled Handle; a Task is never skipped.
 */
export interface Runnable {
  _cancelled: boolean;
  _run(): void;
  describeCallback(): string;
}

/**
 * @internal What the loop's timer heap holds: a TimerHandle, or a sleeping task's sleep trap
 * (its own heap entry, so a sleep allocates no TimerHandle and no argument array).
 */
export interface TimerEntry extends Runnable {
  _when: number;
  _scheduled: boolean;
  /** The loop whose heap holds it (a sleep trap's: null once it wakes no task). */
  readonly _loop: EventLoop | null;
  when(): number;
  cancel(): void;
  cancelled(): boolean;
}

/**
 * A callback scheduled on the loop by `callSoon`; `cancel()` keeps it from running. It runs in the
 * contextvars context current when it was scheduled (a copy, so its `ContextVar.set()` stays in
 * it), or in the one given as `{ context }`.
 *
 * Fields (the shape is fixed; task steps need no Handle: a Task is its own ready-queue entry):
 * - `_callback`  the function to call, `null` once cancelled (so it keeps nothing alive)
 * - `_arg0`      the only argument when there is at most one (no array allocated)
 * - `_args`      all the arguments when there are two or more, else null
 * - `_loop`      the loop that runs it (for the exception handler)
 * - `_cancelled` set by cancel()
 * - `_context`   the Context it runs in; until a callback writes a ContextVar, just the values
 *                current when it was scheduled (an immutable snapshot: scheduling allocates none)
 * @asyncio asyncio.Handle
 */
export class Handle implements Runnable {
  _callback: AnyFunction | null;
  _arg0: unknown;
  _args: unknown[] | null;
  _loop: EventLoop;
  _cancelled: boolean;
  _context: Context | ContextValues;

  /** @internal Use `loop.callSoon(cb, ...args)`. */
  constructor(callback: AnyFunction, arg0: unknown, args: unknown[] | null, loop: EventLoop, context: Context | ContextValues) {
    this._callback = callback;
    this._arg0 = arg0;
    this._args = args;
    this._loop = loop;
    this._cancelled = false;
    this._context = context;
  }

  /**
   * The contextvars Context the callback runs in.
   * @asyncio Handle.get_context() (3.12)
   */
  getContext(): Context {
    return holderContext(this);
  }

  /**
   * Keeps the callback from running; a no-op if it already ran or was cancelled.
   * @asyncio Handle.cancel()
   */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      this._callback = null;
      this._args = null;
      this._arg0 = undefined;
    }
  }

  /**
   * Whether `cancel()` was called.
   * @asyncio Handle.cancelled()
   */
  cancelled(): boolean {
    return this._cancelled;
  }

  /**
   * @internal Runs the callback in its context (asyncio: `self._context.run(cb, *args)`); an error
   * goes to the loop's exception handler, never up the stack.
   */
  _run(): void {
    const callback = this._callback as (this: unknown, ...args: unknown[]) => unknown;
    let hidden: Context | null;
    try {
      hidden = enterCallbackContext(this);
    } catch (error) {
      this._report(error);
      return;
    }
    let result: unknown;
    try {
      if (this._args === null) result = callback(this._arg0);
      else result = callback.apply(undefined, this._args);
    } catch (error) {
      // Reported outside the callback's context, as asyncio's `except` after `_context.run`.
      leaveCallbackContext(this, hidden);
      this._report(error);
      return;
    }
    leaveCallbackContext(this, hidden);
    if (typeof result === 'object' && result !== null) this._watchResult(result);
  }

  // A plain function that returned a Promise (`() => fetchAll()`): asyncio has no such case. The
  // loop drops what a callback returns, so a rejection would escape as an unhandled rejection.
  private _watchResult(result: object): void {
    const what = this.describeCallback();
    const loop = this._loop;
    onRejected(result, (error) => {
      loop.callExceptionHandler({
        message:
          `Exception in callback ${what}: it returned a Promise, which rejected, and the loop never awaits what a callback returns. ` +
          'Write the work as a function* and run it as a task (createTask(work())), or handle the rejection inside the callback.',
        exception: error,
        handle: this,
      });
    });
  }

  private _report(error: unknown): void {
    this._loop.callExceptionHandler({
      message: `Exception in callback ${this.describeCallback()}`,
      exception: error,
      handle: this,
    });
  }

  /** @internal `fn(args)` as asyncio's repr shows it. */
  describeCallback(): string {
    const cb = this._callback;
    if (cb === null) return '<cancelled>';
    const args = this._args ?? (this._arg0 === undefined ? [] : [this._arg0]);
    return `${cb.name || '(anonymous)'}(${args.map(shortRepr).join(', ')})`;
  }

  /** `<Handle fn(1, 2)>`, `<Handle cancelled>`, as asyncio's repr. */
  toString(): string {
    return this._cancelled ? `<${this.constructor.name} cancelled>` : `<${this.constructor.name} ${this.describeCallback()}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A callback scheduled for a time by `callLater` / `callAt`.
 * Heap order: `_when`, then scheduling order (the heap numbers its entries: equal deadlines fire FIFO).
 * @asyncio asyncio.TimerHandle
 */
export class TimerHandle extends Handle {
  _when: number;
  /** In the loop's timer heap (asyncio's `_scheduled`): cancel() must tell the loop. */
  _scheduled: boolean;

  /** @internal Use `loop.callLater` / `loop.callAt`. */
  constructor(when: number, callback: AnyFunction, arg0: unknown, args: unknown[] | null, loop: EventLoop, context: Context | ContextValues) {
    super(callback, arg0, args, loop, context);
    this._when = when;
    this._scheduled = false;
  }

  /**
   * The absolute time (loop.time() scale, ms) the callback is scheduled for.
   * @asyncio TimerHandle.when()
   */
  when(): number {
    return this._when;
  }

  /**
   * Keeps the callback from running and lets the loop drop it from its heap lazily.
   * @asyncio TimerHandle.cancel()
   */
  override cancel(): void {
    if (!this._cancelled && this._scheduled) this._loop._timerHandleCancelled();
    super.cancel();
  }

  override toString(): string {
    const base = super.toString();
    return `${base.slice(0, -1)} when=${this._when}>`;
  }
}

/**
 * @internal If `value` is a thenable (what a callback or exception handler returned), calls
 * `report` with its rejection, which also marks a Promise handled. Anything else is ignored.
 */
export function onRejected(value: object, report: (error: unknown) => void): void {
  try {
    const then = (value as { then?: unknown }).then;
    if (typeof then === 'function') (then as (ok: undefined, fail: (error: unknown) => void) => unknown).call(value, undefined, report);
  } catch (error) {
    report(error); // a `then` getter or method that throws
  }
}

// The loop whose callbacks are running right now on this stack. JavaScript is single-threaded:
// "running" means "inside one of its iterations", so two loops may take turns between macrotasks.
let runningLoop: EventLoop | null = null;

/**
 * @internal Loops inside `runForever` / `runUntilComplete(Sync)`: their `run()` is active even
 * between stretches, when `getRunningLoop()` is null. `toPromise` uses it from host callbacks.
 */
export const activeLoops: Set<EventLoop> = new Set();

/** @internal Set by the loop around each stretch of iterations; returns the previous value. */
export function setRunningLoop(loop: EventLoop | null): EventLoop | null {
  const previous = runningLoop;
  runningLoop = loop;
  return previous;
}

/**
 * The running event loop, or null when no loop is running on this stack.
 * @asyncio asyncio._get_running_loop()
 */
export function getRunningLoopOrNull(): EventLoop | null {
  return runningLoop;
}

/**
 * The running event loop. Only valid inside a coroutine or a loop callback.
 * @asyncio asyncio.get_running_loop()
 * @throws {RuntimeError} "no running event loop" outside the loop (for example in a Promise
 *   reaction: keep a reference to the loop and use `loop.callSoonThreadsafe` there).
 * @example
 * function* main(): Coroutine<void> {
 *   const loop = getRunningLoop();
 *   loop.callLater(100, () => console.log('later'));
 * }
 */
export function getRunningLoop(): EventLoop {
  if (runningLoop === null) throw new RuntimeError('no running event loop');
  return runningLoop;
}
