/**
 * Timeout: an async context manager that cancels the current task at a deadline and turns that
 * cancellation into `TimeoutError`. Plus `timeout(delay)` and `timeoutAt(when)`.
 * @asyncio asyncio.timeouts (Timeout, timeout, timeout_at)
 *
 * Design notes (cancellation counting, cpython #102780, #95289).
 * On entry the timeout records `task.cancelling()`. When the deadline passes it calls
 * `task.cancel()` once (EXPIRING). On exit it always calls `task.uncancel()`; only when the count
 * drops back to (or below) what it was on entry was the CancelledError ours, and it becomes a
 * TimeoutError. If someone else also cancelled the task (an outer timeout, a TaskGroup, a plain
 * `task.cancel()`), the count stays above the recorded one and the CancelledError propagates:
 * an outer cancel is never mistaken for a timeout, and each nested timeout raises only its own.
 * @module
 */
import { CancelledError, RuntimeError, TimeoutError } from './exceptions.ts';
import { getRunningLoop } from './events.ts';
import type { TimerHandle, Handle } from './events.ts';
import { currentTask } from './tasks.ts';
import type { Task } from './tasks.ts';
import { ExceptionGroup } from './exception-groups.ts';
import { checkBodyFunction, checkDelay } from './internal/validate.ts';
import { inspectSymbol } from './internal/repr.ts';
import { runAsyncWith } from './internal/async-with.ts';
import type { AsyncContextManager, Coroutine } from './types.ts';
import { scopeEntered, scopeExited } from './internal/scopes.ts';
import { enterAwaitScope, exitAwaitScope, formatTime } from './internal/awaits.ts';

const CREATED = 0;
const ENTERED = 1;
const EXPIRING = 2;
const EXPIRED = 3;
const EXITED = 4;
// asyncio's _State values, shown by toString and in error messages.
const STATE_NAMES = ['created', 'active', 'expiring', 'expired', 'finished'];

/**
 * An async context manager that cancels the task running its block when the deadline passes,
 * and raises `TimeoutError` out of the block instead of the `CancelledError`.
 * Made by `timeout(delay)` or `timeoutAt(when)`, not directly.
 *
 * States (asyncio's `_State`): CREATED → ENTERED (`aenter`) → EXPIRING (deadline passed, task
 * cancelled) → EXPIRED (`aexit`); or ENTERED → EXITED (`aexit` before the deadline).
 *
 * Fields:
 * - `_state`       one of the states above
 * - `_when`        the deadline in loop time (ms), or null for none
 * - `_handle`      the timer (or callSoon handle) that expires it, null when none is scheduled
 * - `_task`        the task whose block it guards, set by `aenter`
 * - `_cancelling`  `task.cancelling()` on entry, compared on exit (cpython #102780)
 * @asyncio asyncio.Timeout
 * @example
 * yield* asyncWith(timeout(1000), function* (t) {
 *   yield* longRunning();
 * });
 */
export class Timeout implements AsyncContextManager<Timeout> {
  _state: number;
  _when: number | null;
  _handle: Handle | TimerHandle | null;
  _task: Task<unknown> | null;
  _cancelling: number;
  /** Loop time at `aenter`, so a call graph can say `timeout(500)`. */
  _enteredAt: number;

  /** @internal Use `timeout(delay)` or `timeoutAt(when)`. */
  constructor(when: number | null) {
    this._state = CREATED;
    this._when = when;
    this._handle = null;
    this._task = null;
    this._cancelling = 0;
    this._enteredAt = 0;
  }

  /**
   * The deadline in loop time (ms, as `loop.time()`), or null when there is none.
   * @asyncio Timeout.when()
   */
  when(): number | null {
    return this._when;
  }

  /**
   * Moves the deadline. A deadline already past expires on the next loop iteration; null (or
   * undefined) removes it.
   * @asyncio Timeout.reschedule(when)
   * @param when the new deadline in loop time (ms), or null for none.
   * @throws {RuntimeError} "Timeout has not been entered" before `aenter`, and
   *   "Cannot change state of expiring Timeout" (expired, finished) once it fired or exited.
   * @throws {RangeError} if `when` is NaN.
   * @example
   * yield* timeout(null, function* (t) {
   *   t.reschedule(getRunningLoop().time() + 500);
   *   yield* work();
   * });
   */
  reschedule(when: number | null | undefined): void {
    if (this._state !== ENTERED) {
      if (this._state === CREATED) throw new RuntimeError('Timeout has not been entered');
      throw new RuntimeError(`Cannot change state of ${STATE_NAMES[this._state]} Timeout`);
    }
    if (when !== null && when !== undefined) checkDelay(when, 'when');
    this._when = when ?? null;
    if (this._handle !== null) {
      this._handle.cancel();
      this._handle = null;
    }
    if (when === null || when === undefined || when === Infinity) return; // never fires
    const loop = getRunningLoop();
    this._handle = when <= loop.time() ? loop.callSoon(onTimeout, this) : loop.callAt(when, onTimeout, this);
  }

  /**
   * Whether the deadline passed while the block was running (EXPIRING or EXPIRED).
   * @asyncio Timeout.expired()
   */
  expired(): boolean {
    return this._state === EXPIRING || this._state === EXPIRED;
  }

  /**
   * Enters the block: binds the timeout to the current task and schedules the deadline.
   * @asyncio Timeout.__aenter__()
   * @returns a coroutine that evaluates to this Timeout.
   * @throws {RuntimeError} "Timeout has already been entered", or "Timeout should be used inside
   *   a task" outside one.
   * @example
   * const t = timeout(100);
   * yield* t.aenter();
   */
  *aenter(): Coroutine<Timeout> {
    if (this._state !== CREATED) throw new RuntimeError('Timeout has already been entered');
    const task = currentTask();
    if (task === null) throw new RuntimeError('Timeout should be used inside a task');
    this._state = ENTERED;
    scopeEntered(this); // debug mode: catches a `yield` of a value inside this block (misnesting)
    this._task = task;
    enterAwaitScope(task, this); // call graphs: "timeout(500) expires at t=600"
    this._enteredAt = task._loop.time();
    this._cancelling = task.cancelling();
    this.reschedule(this._when);
    return this;
  }

  /**
   * Leaves the block. If the deadline passed and the block ends with the CancelledError this
   * timeout caused, raises `TimeoutError` (its `cause` is that CancelledError). Never suppresses.
   * @asyncio Timeout.__aexit__(exc_type, exc_val, exc_tb)
   * @param error the error the block ended with; omit (or pass undefined) when it ended normally.
   * @returns a coroutine that evaluates to `undefined` (the block's error is never suppressed).
   * @throws {TimeoutError} when the block was cancelled by this timeout.
   * @throws {RuntimeError} if the timeout was never entered, or exited twice.
   * @example
   * try { yield* work(); } catch (e) { yield* t.aexit(e); throw e; }
   * yield* t.aexit();
   */
  *aexit(error?: unknown): Coroutine<void> {
    if (this._state !== ENTERED && this._state !== EXPIRING) {
      throw new RuntimeError(`Cannot exit a ${STATE_NAMES[this._state]} Timeout: aexit() must follow aenter(), once`);
    }
    scopeExited(this);
    exitAwaitScope(this._task, this);
    if (this._handle !== null) {
      this._handle.cancel();
      this._handle = null;
    }
    if (this._state === EXPIRING) {
      this._state = EXPIRED;
      // Always uncancel (our cancel() is matched here); only then look at the error.
      if ((this._task as Task<unknown>).uncancel() <= this._cancelling && error !== undefined) {
        if (error instanceof CancelledError) throw new TimeoutError('', { cause: error });
        insertTimeoutError(error);
        if (error instanceof ExceptionGroup) for (const member of error.exceptions) insertTimeoutError(member);
      }
    } else {
      this._state = EXITED;
    }
  }

  /**
   * Ends the timeout from `await using` (no error is known there): cancels the pending deadline
   * and moves an entered timeout to its final state. A timeout never entered is left as is.
   * Differs from asyncio: `await using` cannot see the block's error, so it cannot turn a
   * CancelledError into TimeoutError; use `asyncWith` or `timeout(delay, body)` for that.
   */
  [Symbol.asyncDispose](): Promise<void> {
    if (this._state === ENTERED || this._state === EXPIRING) this.aexit().next();
    return Promise.resolve();
  }

  /** @internal How a call graph shows this block around what its task awaits. */
  _describeScope(task: Task<unknown>): string | null {
    if (this._task !== task || (this._state !== ENTERED && this._state !== EXPIRING)) return null;
    if (this._when === null) return 'timeout(None)';
    const delay = this._when - this._enteredAt;
    return `timeout(${formatTime(Math.round(delay * 1000) / 1000)}) expires at t=${formatTime(Math.round(this._when * 1000) / 1000)}`;
  }

  /** `<Timeout [active] when=12.5>`, as asyncio's repr. */
  toString(): string {
    const when = this._state === ENTERED ? ` when=${this._when === null ? 'None' : Math.round(this._when * 1000) / 1000}` : '';
    return `<Timeout [${STATE_NAMES[this._state]}]${when}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** The deadline passed: cancel the task once; aexit will tell our cancellation from others. */
function onTimeout(timeout: Timeout): void {
  if (timeout._state !== ENTERED) return;
  (timeout._task as Task<unknown>).cancel();
  timeout._state = EXPIRING;
  timeout._handle = null;
}

/**
 * The block caught our CancelledError and raised something else: record the timeout in the
 * error's `cause` chain (Python walks `__context__`; JavaScript has only explicit causes).
 */
function insertTimeoutError(error: unknown): void {
  let current = error;
  for (let depth = 0; depth < 100 && current instanceof Error; depth++) {
    const cause: unknown = current.cause;
    if (cause instanceof CancelledError) {
      current.cause = new TimeoutError('', { cause });
      return;
    }
    current = cause;
  }
}

/**
 * A Timeout that expires `delay` ms from now; `null` / `undefined`: no deadline; a negative delay
 * expires on the next loop iteration. With a `body` (a `function*` that receives the Timeout),
 * runs `body(timeout)` inside it directly.
 * @asyncio asyncio.timeout(delay)
 * Differs from asyncio: milliseconds; the `timeout(delay, body)` shorthand is yieldio's.
 * @param delay milliseconds from now, or null/undefined for no deadline.
 * @returns the Timeout (an async context manager), or, with `body`, a coroutine that evaluates to
 *   the body's result.
 * @throws {RangeError} if `delay` is NaN; {TypeError} if it is not a number.
 * @throws {RuntimeError} "no running event loop" outside a loop.
 * @throws {TimeoutError} (from the shorthand) when the deadline passes first.
 * @example
 * const data = yield* timeout(5000, function* () {
 *   return yield* fetchData();
 * });
 */
export function timeout(delay: number | null | undefined): Timeout;
export function timeout<T>(delay: number | null | undefined, body: (timeout: Timeout) => Coroutine<T>): Coroutine<T>;
export function timeout<T>(delay: number | null | undefined, body?: (timeout: Timeout) => Coroutine<T>): Timeout | Coroutine<T> {
  if (delay !== null && delay !== undefined) checkDelay(delay, 'delay');
  const loop = getRunningLoop();
  const cm = new Timeout(delay === null || delay === undefined ? null : loop.time() + delay);
  if (body === undefined) return cm;
  checkBodyFunction(body, 'timeout', TIMEOUT_EXAMPLE);
  return runAsyncWith(cm, body, 'timeout', TIMEOUT_EXAMPLE) as Coroutine<T>;
}

const TIMEOUT_EXAMPLE = 'timeout(delay, function* (t) { ... })';

/**
 * A Timeout that expires at `when` in loop time (`loop.time()`, ms); `null` / `undefined`: no
 * deadline. With a `body` (a `function*` that receives the Timeout), runs `body(timeout)` inside
 * it directly.
 * @asyncio asyncio.timeout_at(when)
 * Differs from asyncio: milliseconds; the `timeoutAt(when, body)` shorthand is yieldio's.
 * @param when the deadline in loop time (ms), or null/undefined for none.
 * @returns the Timeout, or, with `body`, a coroutine that evaluates to the body's result.
 * @throws {RangeError} if `when` is NaN; {TypeError} if it is not a number.
 * @throws {TimeoutError} (from the shorthand) when the deadline passes first.
 * @example
 * const loop = getRunningLoop();
 * yield* timeoutAt(loop.time() + 1000, function* () { yield* work(); });
 */
export function timeoutAt(when: number | null | undefined): Timeout;
export function timeoutAt<T>(when: number | null | undefined, body: (timeout: Timeout) => Coroutine<T>): Coroutine<T>;
export function timeoutAt<T>(when: number | null | undefined, body?: (timeout: Timeout) => Coroutine<T>): Timeout | Coroutine<T> {
  if (when !== null && when !== undefined) checkDelay(when, 'when');
  const cm = new Timeout(when ?? null);
  if (body === undefined) return cm;
  checkBodyFunction(body, 'timeoutAt', 'timeoutAt(when, function* (t) { ... })');
  return runAsyncWith(cm, body, 'timeoutAt', 'timeoutAt(when, function* (t) { ... })') as Coroutine<T>;
}
