/**
 * Queues for producer/consumer coroutines: Queue (FIFO), LifoQueue, PriorityQueue.
 * @asyncio asyncio.queues
 *
 * Design notes. CPython 3.13's `queues.py`, with its shutdown semantics. The items live in a
 * storage object chosen by the class (a ring-buffer Deque for FIFO and LIFO, a binary heap for
 * priority), so `put`/`get` are O(1) (O(log n) for priority) and allocate nothing per item
 * beyond the coroutine object itself; only a task that has to wait allocates its Future.
 * Blocked getters and putters are Futures in Deques. A waiter is popped when it is woken, so a
 * woken-then-cancelled waiter is no longer in the list and passes its wakeup to the next one;
 * a waiter cancelled before it was woken removes itself.
 * @module
 */
import { BinaryHeap } from './internal/heap.ts';
import { Deque } from './internal/deque.ts';
import { LoopBound } from './internal/loop-bound.ts';
import { describeValue, inspectSymbol, shortRepr } from './internal/repr.ts';
import { Event } from './locks.ts';
import { RuntimeError, StopAsyncIteration } from './exceptions.ts';
import { BLOCKING, FINISHED, HAS_EXCEPTION, PENDING, type Future } from './futures.ts';
import { AwaitLabel, labelAwaitWith } from './internal/awaits.ts';
import type { Coroutine, Suspend } from './types.ts';

/**
 * `getNowait()` on an empty queue.
 * @asyncio asyncio.QueueEmpty
 * @example
 * try { item = queue.getNowait(); } catch (e) { if (!(e instanceof QueueEmpty)) throw e; }
 */
export class QueueEmpty extends Error {
  override name = 'QueueEmpty';
}

/**
 * `putNowait()` on a full queue.
 * @asyncio asyncio.QueueFull
 * @example
 * try { queue.putNowait(item); } catch (e) { if (!(e instanceof QueueFull)) throw e; }
 */
export class QueueFull extends Error {
  override name = 'QueueFull';
}

/**
 * A put on a shut-down queue, or a get on one that is shut down and empty (or shut down with
 * `immediate`).
 * @asyncio asyncio.QueueShutDown (3.13)
 * @example
 * try { item = yield* queue.get(); } catch (e) { if (e instanceof QueueShutDown) return; throw e; }
 */
export class QueueShutDown extends Error {
  override name = 'QueueShutDown';
}

/** Where a queue keeps its items: `add` one, `take` the next one out (the queue checks emptiness first). */
interface Storage<T> {
  readonly length: number;
  add(item: T): void;
  take(): T;
  toArray(): T[];
}

class FifoStorage<T> extends Deque<T> implements Storage<T> {
  add(item: T): void {
    this.push(item);
  }
  take(): T {
    return this.shift() as T;
  }
}

class LifoStorage<T> extends Deque<T> implements Storage<T> {
  add(item: T): void {
    this.push(item);
  }
  take(): T {
    return this.pop() as T;
  }
}

class HeapStorage<T> extends BinaryHeap<T> implements Storage<T> {
  add(item: T): void {
    this.push(item);
  }
  take(): T {
    return this.pop() as T;
  }
  toArray(): T[] {
    return this.items.slice();
  }
}

/**
 * An async iterator over a queue, for `asyncFor`: each `anext()` is a `get()`, and the iteration
 * ends (StopAsyncIteration) when the queue is shut down and has nothing more to give.
 * It does not call `taskDone()`: the body does, when it uses `join()`.
 * @asyncio the `while True: try: item = await q.get() except QueueShutDown: break` idiom
 * @example
 * yield* asyncFor(queue.iterate(), function* (item) {
 *   yield* handle(item);
 *   queue.taskDone();
 * });
 */
export class QueueIterator<T> {
  private readonly queue: Queue<T>;

  /** @internal Use `queue.iterate()`. */
  constructor(queue: Queue<T>) {
    this.queue = queue;
  }

  /**
   * The next item, waiting for one.
   * @returns a coroutine resolving to the item.
   * @throws {StopAsyncIteration} once the queue is shut down and empty.
   */
  *anext(): Coroutine<T> {
    try {
      return yield* this.queue.get();
    } catch (error) {
      if (error instanceof QueueShutDown) throw new StopAsyncIteration();
      throw error;
    }
  }
}

// put() and get() are the per-item hot path. A generator per call costs a generator object and
// a resumption; these small iterator objects are asyncio's `Queue.put` / `Queue.get` written as
// state machines: the common case (room / an item available) is done in the first next(), and a
// wait yields the waiter Future itself (with the BLOCKING tripwire `yield* future` would set), so
// waiting costs the Future and no generator, FutureIterator or result object around it. Like a
// coroutine, an op does nothing until it is iterated.
const OP_FRESH = 0;
const OP_WAITING = 1;
const OP_DONE = 2;
const PUT_DONE: IteratorReturnResult<void> = Object.freeze({ value: undefined, done: true });

/**
 * What `await waiter` raises on resumption, or null if it returns: the waiter's CancelledError (or
 * error), or, still pending, what FutureIterator says when no task drove it (test_futures test_iter).
 */
function raisedBy(waiter: Future<void>): unknown {
  if (waiter._state === FINISHED && (waiter._flags & HAS_EXCEPTION) === 0) return null;
  if (waiter._state === PENDING) return new RuntimeError("await wasn't used with future");
  try {
    waiter.result();
  } catch (error) {
    return error;
  }
  return null;
}

class PutOp<T> {
  private readonly queue: Queue<T>;
  private readonly item: T;
  private state: number;
  private putter: Future<void> | null; // while waiting: the Future in `queue._putters`

  constructor(queue: Queue<T>, item: T) {
    this.queue = queue;
    this.item = item;
    this.state = OP_FRESH;
    this.putter = null;
  }

  next(): IteratorResult<Suspend, void> {
    if (this.state === OP_WAITING) return this.resume();
    if (this.state === OP_DONE) return PUT_DONE;
    const queue = this.queue;
    if (!queue.full()) {
      this.state = OP_DONE;
      queue.putNowait(this.item); // raises QueueShutDown after shutdown, as asyncio's put does
      return PUT_DONE;
    }
    return this.wait();
  }

  throw(error: unknown): IteratorResult<Suspend, void> {
    if (this.state === OP_WAITING) this.abandon();
    this.state = OP_DONE;
    throw error;
  }

  // Only reached when a generator that delegates to the op is return()-ed (yieldio never does):
  // leave the queue as a cancelled wait would.
  return(value: void): IteratorResult<Suspend, void> {
    if (this.state === OP_WAITING) this.abandon();
    this.state = OP_DONE;
    return { value, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** asyncio's `while self.full():` body up to `await putter`: park a Future and yield it. */
  private wait(): IteratorResult<Suspend, void> {
    const queue = this.queue;
    if (queue._isShutdown) {
      this.state = OP_DONE;
      throw new QueueShutDown();
    }
    const putter = queue._getLoop().createFuture<void>();
    labelAwaitWith(putter, queue._putLabel);
    queue._putters.push(putter);
    putter._flags |= BLOCKING;
    this.state = OP_WAITING;
    this.putter = putter;
    return { value: putter as unknown as Suspend, done: false };
  }

  /** Back from `await putter`: check again (another put may have taken the slot), then put. */
  private resume(): IteratorResult<Suspend, void> {
    const putter = this.putter as Future<void>;
    const raised = raisedBy(putter);
    if (raised !== null) this.fail(raised);
    const queue = this.queue;
    if (queue.full()) return this.wait();
    this.state = OP_DONE;
    this.putter = null;
    try {
      queue.putNowait(this.item);
    } catch (error) {
      // A PriorityQueue refused the item (TypeError): the slot we were woken for is still free.
      if (!queue.full()) queue._wakeupNext(queue._putters);
      throw error;
    }
    return PUT_DONE;
  }

  /** asyncio's `except:` around `await putter`, then `raise`. */
  private fail(error: unknown): never {
    this.abandon();
    this.state = OP_DONE;
    throw error;
  }

  private abandon(): void {
    const putter = this.putter as Future<void>;
    const queue = this.queue;
    this.putter = null;
    putter.cancel(); // in case it is not done yet
    queue._putters.remove(putter);
    // Woken (a slot is free) but cancelled before using it: hand the slot to the next putter.
    if (!queue.full() && !putter.cancelled()) queue._wakeupNext(queue._putters);
  }
}

// A get returns the op itself as its IteratorResult, as AgenOp does: `{ value: getter, done:
// false }` while it waits, `{ value: item, done: true }` at the end: no result object per item. A
// later next() gets a fresh result, never this one.
class GetOp<T> {
  value: unknown; // while waiting the Future in `queue._getters`, then the item
  done: boolean;
  private readonly queue: Queue<T>;
  private state: number;

  constructor(queue: Queue<T>) {
    this.value = undefined;
    this.done = false;
    this.queue = queue;
    this.state = OP_FRESH;
  }

  next(): IteratorResult<Suspend, T> {
    if (this.state === OP_WAITING) return this.resume();
    if (this.state === OP_DONE) return { value: undefined as T, done: true };
    const queue = this.queue;
    if (queue._queue.length !== 0) return this.take();
    return this.wait();
  }

  throw(error: unknown): IteratorResult<Suspend, T> {
    if (this.state === OP_WAITING) this.abandon();
    this.state = OP_DONE;
    throw error;
  }

  // As PutOp's: a return() while waiting leaves the queue as a cancelled wait would.
  return(value: T): IteratorResult<Suspend, T> {
    if (this.state === OP_WAITING) this.abandon();
    this.state = OP_DONE;
    return { value, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  private take(): IteratorResult<Suspend, T> {
    this.state = OP_DONE;
    this.value = this.queue.getNowait();
    this.done = true;
    return this as IteratorReturnResult<T>;
  }

  /** asyncio's `while self.empty():` body up to `await getter`: park a Future and yield it. */
  private wait(): IteratorResult<Suspend, T> {
    const queue = this.queue;
    if (queue._isShutdown) {
      this.state = OP_DONE;
      throw new QueueShutDown();
    }
    const getter = queue._getLoop().createFuture<void>();
    labelAwaitWith(getter, queue._getLabel);
    queue._getters.push(getter);
    getter._flags |= BLOCKING;
    this.state = OP_WAITING;
    this.value = getter;
    return this as IteratorYieldResult<Suspend>;
  }

  /** Back from `await getter`: check again (another get may have taken the item), then take. */
  private resume(): IteratorResult<Suspend, T> {
    const getter = this.value as Future<void>;
    const raised = raisedBy(getter);
    if (raised !== null) this.fail(raised);
    if (this.queue._queue.length === 0) return this.wait();
    return this.take();
  }

  /** asyncio's `except:` around `await getter`, then `raise`. */
  private fail(error: unknown): never {
    this.abandon();
    this.state = OP_DONE;
    throw error;
  }

  private abandon(): void {
    const getter = this.value as Future<void>;
    const queue = this.queue;
    this.value = undefined;
    getter.cancel(); // in case it is not done yet
    queue._getters.remove(getter);
    // Woken (an item is there) but cancelled before taking it: the next getter takes it.
    if (queue._queue.length !== 0 && !getter.cancelled()) queue._wakeupNext(queue._getters);
  }
}

// asyncio accepts any number (Queue(1.3) is full at 2 items: full() is qsize() >= maxsize); NaN,
// which would make the queue silently unbounded, is refused.
function checkMaxsize(maxsize: unknown): number {
  if (typeof maxsize !== 'number' || Number.isNaN(maxsize)) {
    throw new (typeof maxsize === 'number' ? RangeError : TypeError)(
      `Expected \`maxsize\` to be a number (0 or less, or Infinity: unbounded), got ${describeValue(maxsize)}`,
    );
  }
  return maxsize;
}

/**
 * A FIFO queue for coroutines. `put` waits while the queue is full (if `maxsize > 0`), `get` waits
 * while it is empty; waiters are served in FIFO order. `join()` waits until every item put was
 * marked done with `taskDone()`. `shutdown()` ends it (3.13).
 *
 * Invariants: `0 <= qsize()`, and `qsize() <= maxsize` when `maxsize > 0`; `_unfinishedTasks`
 * counts items put and not yet marked done (`_finished` is set exactly when it is 0); an item is
 * in exactly one place: the storage, or the hands of the task that got it.
 * Fields: `_maxsize`, `_queue` (the storage), `_getters`/`_putters` (Futures of blocked tasks),
 * `_unfinishedTasks`, `_finished` (an Event for `join`), `_isShutdown`, `_putLabel`/`_getLabel`
 * (what a waiter future is labelled with for call graphs).
 * @asyncio asyncio.Queue
 * @example
 * const queue = new Queue<string>(100);
 * createTask((function* () { yield* queue.put('job'); queue.shutdown(); })());
 * const job = yield* queue.get();
 */
export class Queue<T = unknown> extends LoopBound {
  _maxsize: number;
  _queue: Storage<T>;
  _getters: Deque<Future<void>>;
  _putters: Deque<Future<void>>;
  _unfinishedTasks: number;
  _finished: Event;
  _isShutdown: boolean;
  /** How call graphs name a waiting put/get: made once, so a wait allocates no label. */
  _putLabel: AwaitLabel;
  _getLabel: AwaitLabel;

  /**
   * A queue holding at most `maxsize` items (0 or less: unbounded).
   * @asyncio asyncio.Queue(maxsize=0)
   * @param maxsize a number (asyncio accepts floats), or Infinity; 0 or less means unbounded.
   * @throws {RangeError} for a NaN `maxsize` (TypeError for a non-number).
   */
  constructor(maxsize = 0) {
    super();
    this._maxsize = checkMaxsize(maxsize);
    this._queue = new FifoStorage<T>();
    this._getters = new Deque();
    this._putters = new Deque();
    this._unfinishedTasks = 0;
    this._finished = new Event();
    this._finished.set();
    this._isShutdown = false;
    this._putLabel = new AwaitLabel('put', this);
    this._getLabel = new AwaitLabel('get', this);
  }

  /**
   * The number of items in the queue.
   * @asyncio Queue.qsize()
   */
  qsize(): number {
    return this._queue.length;
  }

  /**
   * The most items the queue holds (0 or less: unbounded).
   * @asyncio Queue.maxsize
   */
  get maxsize(): number {
    return this._maxsize;
  }

  /**
   * Whether the queue has no items.
   * @asyncio Queue.empty()
   */
  empty(): boolean {
    return this._queue.length === 0;
  }

  /**
   * Whether the queue holds `maxsize` items (never true for an unbounded queue).
   * @asyncio Queue.full()
   */
  full(): boolean {
    return this._maxsize > 0 && this._queue.length >= this._maxsize;
  }

  /**
   * Puts an item, waiting while the queue is full.
   * @asyncio Queue.put(item)
   * @returns a coroutine.
   * @throws {QueueShutDown} if the queue is (or gets) shut down.
   * @throws {CancelledError} if the waiting task is cancelled: the item was not put.
   * @example
   * yield* queue.put(item);
   */
  put(item: T): Coroutine<void> {
    return new PutOp(this, item) as unknown as Coroutine<void>;
  }

  /**
   * Puts an item if there is room.
   * @asyncio Queue.put_nowait(item)
   * @throws {QueueShutDown} if the queue is shut down.
   * @throws {QueueFull} if the queue is full.
   * @throws {TypeError} (PriorityQueue) if the item cannot be ordered against the others.
   */
  putNowait(item: T): void {
    if (this._isShutdown) throw new QueueShutDown();
    if (this.full()) throw new QueueFull();
    this._queue.add(item);
    this._unfinishedTasks++;
    this._finished.clear();
    this._wakeupNext(this._getters);
  }

  /**
   * Removes and returns the next item, waiting while the queue is empty.
   * @asyncio Queue.get()
   * @returns a coroutine resolving to the item.
   * @throws {QueueShutDown} if the queue is shut down and empty, or shut down with `immediate`.
   * @throws {CancelledError} if the waiting task is cancelled: no item was taken.
   * @example
   * const item = yield* queue.get();
   */
  get(): Coroutine<T> {
    return new GetOp(this) as unknown as Coroutine<T>;
  }

  /**
   * Removes and returns the next item if there is one.
   * @asyncio Queue.get_nowait()
   * @throws {QueueShutDown} if the queue is shut down and empty.
   * @throws {QueueEmpty} if the queue is empty.
   */
  getNowait(): T {
    if (this._queue.length === 0) {
      if (this._isShutdown) throw new QueueShutDown();
      throw new QueueEmpty();
    }
    const item = this._queue.take();
    this._wakeupNext(this._putters);
    return item;
  }

  /**
   * Marks one item got earlier as processed; `join()` returns when every item put was marked.
   * @asyncio Queue.task_done()
   * @throws {RangeError} "taskDone() called too many times" beyond the number of items put.
   */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) throw new RangeError('taskDone() called too many times');
    this._unfinishedTasks--;
    if (this._unfinishedTasks === 0) this._finished.set();
  }

  /**
   * Waits until every item put has been marked done with `taskDone()`.
   * @asyncio Queue.join()
   * @returns a coroutine.
   * @example
   * yield* queue.join();
   */
  *join(): Coroutine<void> {
    if (this._unfinishedTasks > 0) yield* this._finished.wait();
  }

  /**
   * Shuts the queue down: later puts raise QueueShutDown, gets raise it once the queue is empty,
   * and every blocked `put`/`get` is woken (to raise, or to finish if it can). With `immediate`,
   * the items left are dropped and each counts as done for `join()`, so gets raise at once.
   * @asyncio Queue.shutdown(immediate=False) (3.13)
   * @param immediate drop the remaining items.
   */
  shutdown(immediate = false): void {
    this._isShutdown = true;
    if (immediate) {
      const queue = this._queue;
      while (queue.length !== 0) {
        queue.take();
        if (this._unfinishedTasks > 0) this._unfinishedTasks--;
      }
      if (this._unfinishedTasks === 0) this._finished.set();
    }
    const getters = this._getters;
    while (getters.length !== 0) {
      const getter = getters.shift() as Future<void>;
      if (!getter.done()) getter.setResult(undefined);
    }
    const putters = this._putters;
    while (putters.length !== 0) {
      const putter = putters.shift() as Future<void>;
      if (!putter.done()) putter.setResult(undefined);
    }
  }

  /**
   * An async iterator for `asyncFor` that gets items until the queue is shut down and empty.
   * Differs from asyncio: asyncio has no such helper (its idiom is a `get()` loop that catches
   * QueueShutDown); each `anext()` is exactly one `get()`.
   * @returns a fresh QueueIterator over this queue.
   * @example
   * yield* asyncFor(queue.iterate(), function* (item) {
   *   yield* handle(item);
   *   queue.taskDone();
   * });
   */
  iterate(): QueueIterator<T> {
    return new QueueIterator(this);
  }

  /**
   * The async-iterable protocol: `asyncFor(queue, body)` consumes the queue until it is shut down
   * and empty. Same as `iterate()`.
   * Differs from asyncio: asyncio's Queue is not async-iterable.
   * @returns a fresh QueueIterator over this queue.
   * @example
   * yield* asyncFor(queue, function* (item) { yield* handle(item); queue.taskDone(); });
   */
  aiter(): QueueIterator<T> {
    return new QueueIterator(this);
  }

  /** Wakes the first waiter that is not done (cancelled ones are skipped and dropped). */
  _wakeupNext(waiters: Deque<Future<void>>): void {
    while (waiters.length !== 0) {
      const waiter = waiters.shift() as Future<void>;
      if (!waiter.done()) {
        waiter.setResult(undefined);
        break;
      }
    }
  }

  /** `<Queue maxsize=0 _queue=[1, 2] tasks=2>`, as asyncio's str(). */
  /** @internal How a call graph names a wait on this queue: `Queue.get() on <Queue maxsize=10 size=0>`. */
  _describeAwait(op: string): string {
    const name = this.constructor.name;
    return `${name}.${op}() on <${name} maxsize=${this._maxsize} size=${this._queue.length}>`;
  }

  override toString(): string {
    let text = `maxsize=${this._maxsize}`;
    if (this._queue.length !== 0) text += ` _queue=[${this._queue.toArray().map(shortRepr).join(', ')}]`;
    if (this._getters.length !== 0) text += ` _getters[${this._getters.length}]`;
    if (this._putters.length !== 0) text += ` _putters[${this._putters.length}]`;
    if (this._unfinishedTasks !== 0) text += ` tasks=${this._unfinishedTasks}`;
    if (this._isShutdown) text += ' shutdown';
    return `<${this.constructor.name} ${text}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A queue that returns the most recently put item first.
 * @asyncio asyncio.LifoQueue
 * @example
 * const stack = new LifoQueue<number>();
 * stack.putNowait(1); stack.putNowait(2);
 * const top = yield* stack.get(); // 2
 */
export class LifoQueue<T = unknown> extends Queue<T> {
  /**
   * A LIFO queue holding at most `maxsize` items (0 or less: unbounded).
   * @asyncio asyncio.LifoQueue(maxsize=0)
   * @param maxsize a number (asyncio accepts floats), or Infinity; 0 or less means unbounded.
   * @throws {RangeError} for NaN or a non-integer number.
   */
  constructor(maxsize = 0) {
    super(maxsize);
    this._queue = new LifoStorage<T>();
  }
}

/** Options of `new PriorityQueue(maxsize, options)`. */
export interface PriorityQueueOptions<T> {
  /**
   * The order: negative if `a` comes before `b` (as `Array.prototype.sort`'s comparator).
   * Default: Python's order for numbers, strings and arrays (element by element, like tuples).
   */
  compare?: (a: T, b: T) => number;
}

const PYTHON_ORDERABLE = 'numbers, bigints, strings, or arrays of them compared element by element like Python tuples';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const ctor = (value as { constructor?: { name?: string } }).constructor;
    return ctor?.name ?? 'object';
  }
  return typeof value;
}

function unorderable(a: unknown, b: unknown): TypeError {
  return new TypeError(
    `'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}'. ` +
      `PriorityQueue orders ${PYTHON_ORDERABLE}; for other items pass ` +
      '`new PriorityQueue(maxsize, { compare: (a, b) => ... })`, or put `[priority, counter, item]` arrays so items are never compared.',
  );
}

/** Python's `==` for the values the default order handles; anything else only equals itself. */
function pyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEqual(a[i], b[i])) return false;
    return true;
  }
  // 1 == 1n in Python: numbers and bigints compare by value.
  const ta = typeof a;
  const tb = typeof b;
  return (ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint') && (a as number) == (b as number);
}

/**
 * Python's `a < b` for numbers, bigints, strings and arrays (lexicographic, like tuples: the
 * first unequal elements decide, else the shorter is smaller). Strings compare by UTF-16 code
 * units (Python: code points; they differ only between U+E000–U+FFFF and characters above U+FFFF).
 */
function pythonLess(a: unknown, b: unknown): boolean {
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint')) return (a as number) < (b as number);
  if (ta === 'string' && tb === 'string') return (a as string) < (b as string);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x: unknown = a[i];
      const y: unknown = b[i];
      if (!pyEqual(x, y)) return pythonLess(x, y);
    }
    return a.length < b.length;
  }
  throw unorderable(a, b);
}

/** Items the default order can never compare are refused at put, even into an empty queue. */
function checkOrderable(item: unknown): void {
  const t = typeof item;
  if (t === 'number' || t === 'bigint' || t === 'string' || Array.isArray(item)) {
    // NaN is neither smaller nor larger than anything: heapq accepts it and then hands items out
    // in a broken order. Refuse it (also inside a tuple), so the order stays a total order.
    if (containsNaN(item)) {
      throw new RangeError(`PriorityQueue cannot order NaN (got ${describeValue(item)}): it compares as neither smaller nor larger than any priority. Use a number, or Infinity for "last".`);
    }
    return;
  }
  throw new TypeError(
    `PriorityQueue cannot order ${describeValue(item)} by default: it orders ${PYTHON_ORDERABLE}. ` +
      'Pass `new PriorityQueue(maxsize, { compare: (a, b) => ... })` to order other items.',
  );
}

function containsNaN(item: unknown): boolean {
  if (typeof item === 'number') return Number.isNaN(item);
  if (!Array.isArray(item)) return false;
  for (const x of item as unknown[]) if (containsNaN(x)) return true;
  return false;
}

class PythonOrderHeap<T> extends HeapStorage<T> {
  override add(item: T): void {
    checkOrderable(item);
    this.push(item);
  }
}

/**
 * A queue that returns the smallest item first (a binary heap). Equal items come out in no
 * particular order, as with Python's heapq: add a counter to the key for FIFO among equals.
 * @asyncio asyncio.PriorityQueue
 * Differs from asyncio: Python orders any items with `<`; here the default order covers numbers,
 * bigints, strings and arrays (like tuples), and `compare` covers the rest. An item that cannot be
 * ordered is refused with a TypeError and the queue is left unchanged (Python leaves it inside).
 * @example
 * const jobs = new PriorityQueue<[number, string]>();
 * jobs.putNowait([2, 'later']); jobs.putNowait([1, 'first']);
 * const [, name] = yield* jobs.get(); // 'first'
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  /**
   * A priority queue holding at most `maxsize` items (0 or less: unbounded).
   * @asyncio asyncio.PriorityQueue(maxsize=0)
   * @param maxsize a number (asyncio accepts floats), or Infinity; 0 or less means unbounded.
   * @param options `compare(a, b)`: negative when `a` comes first (default: Python's order).
   * @throws {RangeError} for a NaN `maxsize`.
   * @throws {TypeError} if `compare` is given and is not a function.
   */
  constructor(maxsize = 0, options?: PriorityQueueOptions<T>) {
    super(maxsize);
    const compare = options?.compare;
    if (compare === undefined) {
      this._queue = new PythonOrderHeap<T>(pythonLess);
    } else if (typeof compare !== 'function') {
      throw new TypeError(`Expected \`compare\` to be a function (a, b) => number, got ${describeValue(compare)}`);
    } else {
      this._queue = new HeapStorage<T>((a, b) => compare(a, b) < 0);
    }
  }
}
