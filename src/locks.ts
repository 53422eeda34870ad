/**
 * Synchronization primitives: Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier.
 * @asyncio asyncio.locks
 *
 * Design notes. Each primitive is CPython 3.13's `locks.py`, line for line where the semantics
 * live. A waiting task parks on a Future kept in a ring-buffer Deque (FIFO, O(1) at both ends);
 * it removes its own Future when it resumes, which is O(1) in the common case because the woken
 * waiter is at the front. The fairness rules come with that code:
 * - Lock: "if the lock is free and someone is waiting, the first waiter will run": a newcomer
 *   never barges past a waiter whose wakeup is pending, and a waiter cancelled after it was woken
 *   passes the wakeup to the next one (`_wakeUpFirst` in its `catch`).
 * - Semaphore: a released unit goes to the first waiter that is not done; a woken waiter that is
 *   then cancelled gives its unit back and wakes the next one.
 * - Condition.wait re-acquires the lock even when cancelled, then re-raises the cancellation.
 * Every awaitable method is a generator method, so it returns a `Coroutine` and can be passed to
 * `createTask`. The primitives bind to a loop on first wait (asyncio's `_LoopBoundMixin`).
 * @module
 */
import { CancelledError, RuntimeError } from './exceptions.ts';
import { LoopBound } from './internal/loop-bound.ts';
import { Deque } from './internal/deque.ts';
import { describeValue, inspectSymbol } from './internal/repr.ts';
import type { Future } from './futures.ts';
import { currentTask, type Task } from './tasks.ts';
import { AwaitLabel, labelAwaitWith, taskLabel } from './internal/awaits.ts';
import type { AsyncContextManager, Coroutine } from './types.ts';

/** The values a truthy result can have: what `Condition.waitFor` returns. */
export type Truthy<R> = Exclude<R, false | 0 | 0n | '' | null | undefined>;

/** True when every waiter in the list is cancelled (or there is none): nobody would take a wakeup. */
function allCancelled(waiters: Deque<Future<boolean>>): boolean {
  for (let i = 0; i < waiters.length; i++) {
    if (!(waiters.at(i) as Future<boolean>).cancelled()) return false;
  }
  return true;
}

function waitersSuffix(waiters: Deque<Future<boolean>> | null): string {
  return waiters !== null && waiters.length > 0 ? `, waiters:${waiters.length}` : '';
}

/** A settled Promise for `[Symbol.asyncDispose]`, which must return one (native `await using`). */
function disposeBy(release: () => void): Promise<void> {
  try {
    release();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/**
 * A mutual-exclusion lock, not owned by a task: any task may release it. Waiters acquire it in
 * FIFO order.
 *
 * Invariant: if the lock is free and someone is waiting, the first waiter will run (its Future
 * is done, or is about to be made done by `_wakeUpFirst`).
 * Fields: `_waiters` (null until the first contended acquire), `_locked`.
 * @asyncio asyncio.Lock
 * @example
 * const lock = new Lock();
 * yield* asyncWith(lock, function* () {
 *   yield* updateSharedState();
 * });
 */
export class Lock extends LoopBound implements AsyncContextManager<void> {
  _waiters: Deque<Future<boolean>> | null;
  _locked: boolean;
  /** The task that acquired it (for call graphs: "held by Task 'a'"); asyncio does not track it. */
  _owner: Task<unknown> | null;
  /** How call graphs name a waiting acquire: made with `_waiters`, so a wait allocates no label. */
  _label: AwaitLabel | null;

  /** An unlocked lock. It can be created outside a running loop; it binds to the loop of its first wait. */
  constructor() {
    super();
    this._waiters = null;
    this._locked = false;
    this._owner = null;
    this._label = null;
  }

  /**
   * Whether the lock is held.
   * @asyncio Lock.locked()
   */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Acquires the lock, waiting (FIFO) until it is free. Returns true.
   * @asyncio Lock.acquire()
   * @returns a coroutine resolving to `true`.
   * @throws {CancelledError} if the waiting task is cancelled; the wakeup, if any, passes on.
   * @example
   * yield* lock.acquire();
   * try { yield* work(); } finally { lock.release(); }
   */
  *acquire(): Coroutine<true> {
    if (!this._locked && (this._waiters === null || allCancelled(this._waiters))) {
      this._locked = true;
      this._owner = currentTask();
      return true;
    }
    let waiters = this._waiters;
    if (waiters === null) {
      waiters = this._waiters = new Deque();
      this._label = new AwaitLabel('Lock.acquire', this);
    }
    const fut = this._getLoop().createFuture<boolean>();
    labelAwaitWith(fut, this._label as AwaitLabel);
    waiters.push(fut);
    try {
      try {
        yield* fut;
      } finally {
        waiters.remove(fut);
      }
    } catch (error) {
      // Woken, then cancelled before running: the lock is free, so the next waiter must run.
      if (error instanceof CancelledError && !this._locked) this._wakeUpFirst();
      throw error;
    }
    this._locked = true;
    this._owner = currentTask();
    return true;
  }

  /**
   * Releases the lock and wakes the first waiter, if any.
   * @asyncio Lock.release()
   * @throws {RuntimeError} "Lock is not acquired." if the lock is not held.
   * @example
   * lock.release();
   */
  release(): void {
    if (!this._locked) throw new RuntimeError('Lock is not acquired.');
    this._locked = false;
    this._owner = null;
    this._wakeUpFirst();
  }

  /** Ensures the first waiter will wake up. */
  _wakeUpFirst(): void {
    const waiters = this._waiters;
    if (waiters === null || waiters.length === 0) return;
    const fut = waiters.peekFirst() as Future<boolean>;
    if (!fut.done()) fut.setResult(true);
  }

  /**
   * `async with lock:` entry: acquires the lock.
   * @asyncio Lock.__aenter__()
   * @example
   * yield* lock.aenter();
   */
  *aenter(): Coroutine<void> {
    yield* this.acquire();
  }

  /**
   * `async with lock:` exit: releases the lock; never suppresses the error.
   * @asyncio Lock.__aexit__(exc_type, exc, tb)
   * @param _error the error that ended the block, if any.
   * @example
   * yield* lock.aexit();
   */
  *aexit(_error?: unknown): Coroutine<void> {
    this.release();
  }

  /**
   * Releases the lock, for `await using` in native async code after the lock was acquired.
   * Differs from asyncio: a JavaScript explicit-resource-management hook.
   * @returns a Promise, rejected with RuntimeError if the lock is not held.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return disposeBy(() => this.release());
  }

  /** @internal How a call graph names a wait on this lock. */
  _describeAwait(op: string): string {
    const owner = this._locked && this._owner !== null ? ` held by ${taskLabel(this._owner)}` : '';
    return `${op}() on ${this}${owner}`;
  }

  /** `<Lock [locked, waiters:2]>`, as asyncio's repr. */
  override toString(): string {
    return `<Lock [${this._locked ? 'locked' : 'unlocked'}${waitersSuffix(this._waiters)}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A flag tasks can wait on: `set()` wakes every waiter, and later `wait()` calls return at once
 * until `clear()`.
 * Fields: `_waiters`, `_value` (the flag).
 * @asyncio asyncio.Event
 * @example
 * const ready = new Event();
 * createTask((function* () { yield* sleep(10); ready.set(); })());
 * yield* ready.wait();
 */
export class Event extends LoopBound {
  _waiters: Deque<Future<boolean>>;
  _value: boolean;
  /** How call graphs name a waiting wait(): made on the first wait, so later ones allocate no label. */
  _label: AwaitLabel | null;

  /** A cleared event. It can be created outside a running loop. */
  constructor() {
    super();
    this._waiters = new Deque();
    this._value = false;
    this._label = null;
  }

  /**
   * Whether the flag is set.
   * @asyncio Event.is_set()
   */
  isSet(): boolean {
    return this._value;
  }

  /**
   * Sets the flag and wakes every waiting task.
   * @asyncio Event.set()
   */
  set(): void {
    if (this._value) return;
    this._value = true;
    const waiters = this._waiters;
    for (let i = 0; i < waiters.length; i++) {
      const fut = waiters.at(i) as Future<boolean>;
      if (!fut.done()) fut.setResult(true);
    }
  }

  /**
   * Clears the flag: later `wait()` calls block until `set()`.
   * @asyncio Event.clear()
   */
  clear(): void {
    this._value = false;
  }

  /**
   * Waits until the flag is set (returns at once if it is). Returns true.
   * @asyncio Event.wait()
   * @returns a coroutine resolving to `true`.
   * @example
   * yield* event.wait();
   */
  *wait(): Coroutine<true> {
    if (this._value) return true;
    const fut = this._getLoop().createFuture<boolean>();
    labelAwaitWith(fut, (this._label ??= new AwaitLabel('Event.wait', this)));
    const waiters = this._waiters;
    waiters.push(fut);
    try {
      yield* fut;
      return true;
    } finally {
      waiters.remove(fut);
    }
  }

  /** `<Event [set, waiters:1]>`, as asyncio's repr. */
  override toString(): string {
    return `<Event [${this._value ? 'set' : 'unset'}${waitersSuffix(this._waiters)}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A condition variable: tasks holding the lock wait until another task notifies them.
 * Fields: `_lock` (its own Lock, or one shared with other conditions), `_waiters`.
 * @asyncio asyncio.Condition
 * @example
 * const cond = new Condition();
 * yield* asyncWith(cond, function* () {
 *   yield* cond.waitFor(() => items.length > 0);
 *   return items.shift();
 * });
 */
export class Condition extends LoopBound implements AsyncContextManager<void> {
  _lock: Lock;
  _waiters: Deque<Future<boolean>>;

  /**
   * A condition over `lock`, or over a new Lock.
   * @asyncio asyncio.Condition(lock=None)
   * @param lock the underlying lock (null or undefined: a new one).
   * @throws {TypeError} if `lock` is not a yieldio Lock.
   */
  constructor(lock?: Lock | null) {
    super();
    if (lock === undefined || lock === null) lock = new Lock();
    else if (!(lock instanceof Lock)) {
      throw new TypeError(`Expected \`lock\` to be a Lock, got ${describeValue(lock)}`);
    }
    this._lock = lock;
    this._waiters = new Deque();
  }

  /**
   * Whether the underlying lock is held.
   * @asyncio Condition.locked()
   */
  locked(): boolean {
    return this._lock._locked;
  }

  /**
   * Acquires the underlying lock.
   * @asyncio Condition.acquire()
   * @returns a coroutine resolving to `true`.
   * @example
   * yield* cond.acquire();
   */
  acquire(): Coroutine<true> {
    return this._lock.acquire();
  }

  /**
   * Releases the underlying lock.
   * @asyncio Condition.release()
   * @throws {RuntimeError} "Lock is not acquired." if it is not held.
   */
  release(): void {
    this._lock.release();
  }

  /**
   * Releases the lock, waits until notified, re-acquires the lock and returns true. The lock is
   * re-acquired even when the wait is cancelled (then the CancelledError is re-raised). May wake
   * spuriously: check the state again, or use `waitFor`.
   * @asyncio Condition.wait()
   * @returns a coroutine resolving to `true`.
   * @throws {RuntimeError} "cannot wait on un-acquired lock" if the lock is not held.
   * @example
   * while (!ready) yield* cond.wait();
   */
  *wait(): Coroutine<true> {
    if (!this.locked()) throw new RuntimeError('cannot wait on un-acquired lock');
    const fut = this._getLoop().createFuture<boolean>();
    this.release();
    try {
      try {
        const waiters = this._waiters;
        waiters.push(fut);
        try {
          yield* fut;
          return true;
        } finally {
          waiters.remove(fut);
        }
      } finally {
        // Re-acquire even if cancelled meanwhile: the caller's `finally` expects to hold the lock.
        let cancelled: CancelledError | null = null;
        for (;;) {
          try {
            yield* this._lock.acquire();
            break;
          } catch (error) {
            if (!(error instanceof CancelledError)) throw error;
            cancelled = error;
          }
        }
        if (cancelled !== null) throw cancelled;
      }
    } catch (error) {
      // We may have been notified and then cancelled: pass the notification on (gh-112202).
      this._notify(1);
      throw error;
    }
  }

  /**
   * Waits until `predicate()` is truthy (checking it first, then after each wakeup) and returns
   * its last value. The lock must be held.
   * @asyncio Condition.wait_for(predicate)
   * @param predicate called with the lock held.
   * @returns a coroutine resolving to the predicate's truthy value.
   * @throws {RuntimeError} "cannot wait on un-acquired lock" if the lock is not held.
   * @example
   * yield* cond.waitFor(() => queue.length > 0);
   */
  *waitFor<R>(predicate: () => R): Coroutine<Truthy<R>> {
    if (typeof predicate !== 'function') {
      throw new TypeError(`Expected \`predicate\` to be a function, got ${describeValue(predicate)}`);
    }
    let result = predicate();
    while (!result) {
      yield* this.wait();
      result = predicate();
    }
    return result as Truthy<R>;
  }

  /**
   * Wakes up to `n` waiting tasks (default 1). Each returns from `wait()` once it re-acquires the
   * lock, so the caller should release it.
   * @asyncio Condition.notify(n=1)
   * @param n how many waiters to wake: a number >= 0 (Infinity: all).
   * @throws {RuntimeError} "cannot notify on un-acquired lock" if the lock is not held.
   * @throws {RangeError} if `n` is NaN or negative.
   */
  notify(n = 1): void {
    if (typeof n !== 'number' || !(n >= 0)) {
      throw new (typeof n === 'number' ? RangeError : TypeError)(
        `Expected \`n\` to be a number >= 0 (Infinity: all waiters), got ${describeValue(n)}`,
      );
    }
    if (!this.locked()) throw new RuntimeError('cannot notify on un-acquired lock');
    this._notify(n);
  }

  _notify(n: number): void {
    const waiters = this._waiters;
    let woken = 0;
    for (let i = 0; i < waiters.length && woken < n; i++) {
      const fut = waiters.at(i) as Future<boolean>;
      if (!fut.done()) {
        woken++;
        fut.setResult(false);
      }
    }
  }

  /**
   * Wakes every waiting task.
   * @asyncio Condition.notify_all()
   * @throws {RuntimeError} "cannot notify on un-acquired lock" if the lock is not held.
   */
  notifyAll(): void {
    this.notify(this._waiters.length);
  }

  /**
   * `async with cond:` entry: acquires the underlying lock.
   * @asyncio Condition.__aenter__()
   * @example
   * yield* cond.aenter();
   */
  *aenter(): Coroutine<void> {
    yield* this._lock.acquire();
  }

  /**
   * `async with cond:` exit: releases the underlying lock; never suppresses the error.
   * @asyncio Condition.__aexit__(exc_type, exc, tb)
   * @param _error the error that ended the block, if any.
   * @example
   * yield* cond.aexit();
   */
  *aexit(_error?: unknown): Coroutine<void> {
    this._lock.release();
  }

  /**
   * Releases the underlying lock, for `await using` in native async code.
   * Differs from asyncio: a JavaScript explicit-resource-management hook.
   * @returns a Promise, rejected with RuntimeError if the lock is not held.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return disposeBy(() => this._lock.release());
  }

  /** `<Condition [locked, waiters:1]>`, as asyncio's repr. */
  override toString(): string {
    return `<Condition [${this.locked() ? 'locked' : 'unlocked'}${waitersSuffix(this._waiters)}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A counter of free units: `acquire()` takes one (waiting, FIFO, while there is none) and
 * `release()` gives one back.
 * Invariant: `_value >= 0`; a unit handed to a waiter is already subtracted from `_value`.
 * Fields: `_waiters` (null until the first contended acquire), `_value`.
 * @asyncio asyncio.Semaphore
 * @example
 * const slots = new Semaphore(10);
 * yield* asyncWith(slots, function* () {
 *   yield* download(url);
 * });
 */
export class Semaphore extends LoopBound implements AsyncContextManager<void> {
  _waiters: Deque<Future<boolean>> | null;
  _value: number;

  /**
   * A semaphore with `value` free units.
   * @asyncio asyncio.Semaphore(value=1)
   * @param value the initial count, an integer >= 0.
   * @throws {RangeError} "Semaphore initial value must be >= 0" for a negative or non-integer value.
   */
  constructor(value = 1) {
    super();
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new (typeof value === 'number' ? RangeError : TypeError)(
        `Semaphore initial value must be >= 0: expected \`value\` to be an integer >= 0, got ${describeValue(value)}`,
      );
    }
    this._waiters = null;
    this._value = value;
  }

  /**
   * Whether `acquire()` would wait: no free unit, or a waiter that is not cancelled is queued.
   * @asyncio Semaphore.locked()
   */
  locked(): boolean {
    if (this._value === 0) return true;
    const waiters = this._waiters;
    if (waiters === null) return false;
    return !allCancelled(waiters);
  }

  /**
   * Takes a unit, waiting (FIFO) while there is none. Returns true.
   * @asyncio Semaphore.acquire()
   * @returns a coroutine resolving to `true`.
   * @throws {CancelledError} if the waiting task is cancelled; a unit it was given passes on.
   * @example
   * yield* sem.acquire();
   * try { yield* work(); } finally { sem.release(); }
   */
  *acquire(): Coroutine<true> {
    if (!this.locked()) {
      this._value--;
      return true;
    }
    let waiters = this._waiters;
    if (waiters === null) waiters = this._waiters = new Deque();
    const fut = this._getLoop().createFuture<boolean>();
    waiters.push(fut);
    try {
      try {
        yield* fut;
      } finally {
        waiters.remove(fut);
      }
    } catch (error) {
      // Given a unit, then cancelled before running: give it back (the finally passes it on).
      if (error instanceof CancelledError && fut.done() && !fut.cancelled()) this._value++;
      throw error;
    } finally {
      // New waiters may have queued behind free units (gh-90155): wake as many as there are units.
      while (this._value > 0) {
        if (!this._wakeUpNext()) break;
      }
    }
    return true;
  }

  /**
   * Gives a unit back and wakes the first waiter, if any.
   * @asyncio Semaphore.release()
   */
  release(): void {
    this._value++;
    this._wakeUpNext();
  }

  /** Hands a unit to the first waiter that is not done; false if there is none. */
  _wakeUpNext(): boolean {
    const waiters = this._waiters;
    if (waiters === null) return false;
    for (let i = 0; i < waiters.length; i++) {
      const fut = waiters.at(i) as Future<boolean>;
      if (!fut.done()) {
        this._value--;
        fut.setResult(true);
        return true;
      }
    }
    return false;
  }

  /**
   * `async with sem:` entry: acquires a unit.
   * @asyncio Semaphore.__aenter__()
   * @example
   * yield* sem.aenter();
   */
  *aenter(): Coroutine<void> {
    yield* this.acquire();
  }

  /**
   * `async with sem:` exit: releases the unit; never suppresses the error.
   * @asyncio Semaphore.__aexit__(exc_type, exc, tb)
   * @param _error the error that ended the block, if any.
   * @example
   * yield* sem.aexit();
   */
  *aexit(_error?: unknown): Coroutine<void> {
    this.release();
  }

  /**
   * Releases a unit, for `await using` in native async code.
   * Differs from asyncio: a JavaScript explicit-resource-management hook.
   * @returns a Promise (rejected if `release()` throws, as a BoundedSemaphore's may).
   */
  [Symbol.asyncDispose](): Promise<void> {
    return disposeBy(() => this.release());
  }

  /** `<Semaphore [unlocked, value:2]>`, as asyncio's repr. */
  override toString(): string {
    const state = this.locked() ? 'locked' : `unlocked, value:${this._value}`;
    return `<${this.constructor.name} [${state}${waitersSuffix(this._waiters)}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A Semaphore that refuses to be released above its initial value (catches double releases).
 * Fields: `_boundValue`, beyond Semaphore's.
 * @asyncio asyncio.BoundedSemaphore
 * @example
 * const sem = new BoundedSemaphore(2);
 * yield* asyncWith(sem, function* () { yield* work(); });
 */
export class BoundedSemaphore extends Semaphore {
  _boundValue: number;

  /**
   * A bounded semaphore with `value` free units, at most.
   * @asyncio asyncio.BoundedSemaphore(value=1)
   * @param value the initial and maximum count, an integer >= 0.
   * @throws {RangeError} "Semaphore initial value must be >= 0" for a negative or non-integer value.
   */
  constructor(value = 1) {
    super(value);
    this._boundValue = value;
  }

  /**
   * Gives a unit back.
   * @asyncio BoundedSemaphore.release()
   * @throws {RangeError} "BoundedSemaphore released too many times" above the initial value.
   */
  override release(): void {
    if (this._value >= this._boundValue) throw new RangeError('BoundedSemaphore released too many times');
    super.release();
  }
}

/**
 * A Barrier is broken: it was aborted or reset while a task waited, or is broken on arrival.
 * @asyncio asyncio.BrokenBarrierError (a RuntimeError subclass, as in Python)
 * @example
 * try { yield* barrier.wait(); } catch (e) { if (e instanceof BrokenBarrierError) retry(); else throw e; }
 */
export class BrokenBarrierError extends RuntimeError {
  override name = 'BrokenBarrierError';
}

const FILLING = 0;
const DRAINING = 1;
const RESETTING = 2;
const BROKEN = 3;
const BARRIER_STATES = ['filling', 'draining', 'resetting', 'broken'];

/**
 * A meeting point for `parties` tasks: each `wait()` blocks until `parties` tasks wait, then all
 * are released together; the barrier can then be reused.
 *
 * States (CPython's `_BarrierState`): FILLING (tasks arrive), DRAINING (the last arrived, the
 * others leave; newcomers wait for the drain to end), RESETTING (reset() while tasks were inside:
 * they raise BrokenBarrierError), BROKEN (abort(): every wait raises until reset()).
 * Fields: `_cond` (notifies every state change), `_parties`, `_state`, `_count` (tasks inside),
 * and the two wait predicates, bound once.
 * @asyncio asyncio.Barrier
 * @example
 * const barrier = new Barrier(3);
 * const index = yield* barrier.wait(); // 0, 1 or 2: the arrival order
 */
export class Barrier extends LoopBound implements AsyncContextManager<number> {
  _cond: Condition;
  _parties: number;
  _state: number;
  _count: number;
  _notDrainingOrResetting: () => boolean;
  _notFilling: () => boolean;

  /**
   * A barrier for `parties` tasks.
   * @asyncio asyncio.Barrier(parties)
   * @param parties how many tasks must wait before all are released, an integer >= 1.
   * @throws {RangeError} "parties must be > 0" for a value below 1 or not an integer.
   */
  constructor(parties: number) {
    super();
    if (typeof parties !== 'number' || !Number.isInteger(parties) || parties < 1) {
      throw new (typeof parties === 'number' ? RangeError : TypeError)(
        `parties must be > 0: expected \`parties\` to be an integer >= 1, got ${describeValue(parties)}`,
      );
    }
    this._cond = new Condition();
    this._parties = parties;
    this._state = FILLING;
    this._count = 0;
    this._notDrainingOrResetting = () => this._state !== DRAINING && this._state !== RESETTING;
    this._notFilling = () => this._state !== FILLING;
  }

  /**
   * Waits until `parties` tasks wait, and returns this task's arrival index (0 to parties - 1).
   * @asyncio Barrier.wait()
   * @returns a coroutine resolving to the arrival index.
   * @throws {BrokenBarrierError} "Barrier aborted" on a broken barrier; "Abort or reset of barrier"
   * if it is aborted or reset while this task waits.
   * @example
   * const index = yield* barrier.wait();
   * if (index === 0) log('everyone arrived');
   */
  *wait(): Coroutine<number> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      yield* this._block(); // while the barrier drains or resets
      try {
        const index = this._count;
        this._count++;
        if (index + 1 === this._parties) this._release();
        else yield* this._wait();
        return index;
      } finally {
        this._count--;
        this._exit();
      }
    } finally {
      cond.release();
    }
  }

  *_block(): Coroutine<void> {
    yield* this._cond.waitFor(this._notDrainingOrResetting);
    if (this._state === BROKEN) throw new BrokenBarrierError('Barrier aborted');
  }

  /** The last party arrived: drain, waking everyone. */
  _release(): void {
    this._state = DRAINING;
    this._cond.notifyAll();
  }

  *_wait(): Coroutine<void> {
    yield* this._cond.waitFor(this._notFilling);
    if (this._state === BROKEN || this._state === RESETTING) {
      throw new BrokenBarrierError('Abort or reset of barrier');
    }
  }

  /** The last task out of a drain or reset puts the barrier back to FILLING. */
  _exit(): void {
    if (this._count === 0) {
      if (this._state === RESETTING || this._state === DRAINING) this._state = FILLING;
      this._cond.notifyAll();
    }
  }

  /**
   * Resets the barrier: tasks waiting in it get BrokenBarrierError; it is reusable afterwards.
   * @asyncio Barrier.reset()
   * @returns a coroutine (it takes the barrier's internal lock).
   * @example
   * yield* barrier.reset();
   */
  *reset(): Coroutine<void> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      if (this._count > 0) {
        if (this._state !== RESETTING) this._state = RESETTING;
      } else {
        this._state = FILLING;
      }
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /**
   * Breaks the barrier: current and future `wait()` calls raise BrokenBarrierError until `reset()`.
   * @asyncio Barrier.abort()
   * @returns a coroutine (it takes the barrier's internal lock).
   * @example
   * yield* barrier.abort();
   */
  *abort(): Coroutine<void> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      this._state = BROKEN;
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /**
   * The number of tasks needed to pass the barrier.
   * @asyncio Barrier.parties
   */
  get parties(): number {
    return this._parties;
  }

  /**
   * The number of tasks waiting while the barrier fills (0 while it drains or resets).
   * @asyncio Barrier.n_waiting
   */
  get nWaiting(): number {
    return this._state === FILLING ? this._count : 0;
  }

  /**
   * Whether the barrier is broken (aborted).
   * @asyncio Barrier.broken
   */
  get broken(): boolean {
    return this._state === BROKEN;
  }

  /**
   * `async with barrier as index:` entry: waits at the barrier, returns the arrival index.
   * @asyncio Barrier.__aenter__()
   * @example
   * const index = yield* barrier.aenter();
   */
  aenter(): Coroutine<number> {
    return this.wait();
  }

  /**
   * `async with barrier:` exit: does nothing.
   * @asyncio Barrier.__aexit__(*args)
   * @param _error the error that ended the block, if any (not suppressed).
   * @example
   * yield* barrier.aexit();
   */
  *aexit(_error?: unknown): Coroutine<void> {
    // Nothing to undo: leaving the block does not leave the barrier.
  }

  /**
   * Does nothing, like `aexit`; for `await using` in native async code.
   * Differs from asyncio: a JavaScript explicit-resource-management hook.
   * @returns a resolved Promise.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return Promise.resolve();
  }

  /** `<Barrier [filling, waiters:1/3]>`, as asyncio's repr. */
  override toString(): string {
    let extra = BARRIER_STATES[this._state] as string;
    if (this._state !== BROKEN) extra += `, waiters:${this.nWaiting}/${this._parties}`;
    return `<Barrier [${extra}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}
