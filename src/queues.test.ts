import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Queue, LifoQueue, PriorityQueue, QueueEmpty, QueueFull, QueueShutDown } from './queues.ts';
import { CancelledError, StopAsyncIteration } from './exceptions.ts';
import { createTask, eagerTaskFactory, sleep } from './tasks.ts';
import { getRunningLoop } from './events.ts';
import { runSync } from './runners.ts';
import type { Task } from './tasks.ts';
import type { Coroutine } from './types.ts';
import { asyncFor, BREAK } from './asyncgen.ts';
import { flavours } from '../test/support/flavours.ts';

function* tick(n = 1): Coroutine<void> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}

function errorOf(task: Task<unknown>): unknown {
  try {
    task.result();
  } catch (error) {
    return error;
  }
  return null;
}

/** Runs `aw` to its end and returns the error it raised (or fails if it raised none). */
function* raises(aw: Coroutine<unknown>): Coroutine<unknown> {
  try {
    yield* aw;
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

describe('Queue basics', () => {
  test('repr / format: maxsize, items, waiters, unfinished tasks, shutdown', () => {
    runSync(function* () {
      const q = new Queue<number>();
      assert.equal(String(q), '<Queue maxsize=0>');
      q.putNowait(1);
      q.putNowait(2);
      assert.equal(String(q), '<Queue maxsize=0 _queue=[1, 2] tasks=2>');
      q.getNowait();
      q.getNowait();
      const g = createTask(q.get());
      yield* tick();
      assert.equal(String(q), '<Queue maxsize=0 _getters[1] tasks=2>');
      q.shutdown();
      yield* tick();
      assert.ok(errorOf(g) instanceof QueueShutDown);
      assert.equal(String(new LifoQueue(5)), '<LifoQueue maxsize=5>');
      const full = new Queue<string>(1);
      full.putNowait('x');
      const p = createTask(full.put('y'));
      yield* tick();
      assert.equal(String(full), "<Queue maxsize=1 _queue=['x'] _putters[1] tasks=1>");
      full.getNowait();
      yield* p;
    });
  });

  test('maxsize: NaN and non-numbers are refused with the accepted range; a float is accepted, as asyncio does', () => {
    assert.throws(() => new Queue(NaN), {
      name: 'RangeError',
      message: 'Expected `maxsize` to be a number (0 or less, or Infinity: unbounded), got `NaN` (number)',
    });
    assert.throws(() => new PriorityQueue('3' as never), {
      name: 'TypeError',
      message: 'Expected `maxsize` to be a number (0 or less, or Infinity: unbounded), got `"3"` (string)',
    });
    // CPython 3.13: q = asyncio.Queue(1.3); q.maxsize == 1.3; full() False at 1 item, True at 2.
    const q = new LifoQueue<number>(1.3);
    assert.equal(q.maxsize, 1.3);
    q.putNowait(1);
    assert.equal(q.full(), false);
    q.putNowait(2);
    assert.equal(q.full(), true);
    assert.throws(() => q.putNowait(3), { name: 'QueueFull' });
    assert.equal(new Queue(-1).full(), false);
    assert.equal(new Queue(Infinity).maxsize, Infinity);
  });

  test('empty / full / qsize / maxsize', () => {
    const q = new Queue<number>(2);
    assert.equal(q.maxsize, 2);
    assert.ok(q.empty() && !q.full());
    q.putNowait(1);
    assert.ok(!q.empty() && !q.full());
    q.putNowait(2);
    assert.ok(q.full());
    assert.equal(q.qsize(), 2);
    assert.throws(() => q.putNowait(3), (e: unknown) => e instanceof QueueFull);
    const unbounded = new Queue<number>();
    for (let i = 0; i < 1000; i++) unbounded.putNowait(i);
    assert.equal(unbounded.full(), false);
  });

  test('nonblocking_get_exception: getNowait on an empty queue raises QueueEmpty', () => {
    assert.throws(() => new Queue().getNowait(), (e: unknown) => e instanceof QueueEmpty && e.name === 'QueueEmpty');
  });

  test('order: Queue is FIFO, LifoQueue is LIFO, PriorityQueue is smallest first', () => {
    const fifo = new Queue<number>();
    const lifo = new LifoQueue<number>();
    const prio = new PriorityQueue<number>();
    for (const x of [1, 3, 2]) {
      fifo.putNowait(x);
      lifo.putNowait(x);
      prio.putNowait(x);
    }
    const drain = (q: Queue<number>): number[] => [q.getNowait(), q.getNowait(), q.getNowait()];
    assert.deepEqual(drain(fifo), [1, 3, 2]);
    assert.deepEqual(drain(lifo), [2, 3, 1]);
    assert.deepEqual(drain(prio), [1, 2, 3]);
  });

  test('get() and put() as iterators: a get that finds an item is done in its first next(); a later next() returns a fresh done result, as a finished generator does', () => {
    runSync(function* () {
      const q = new Queue<string>(1);
      const put = q.put('a') as Iterator<unknown, void>;
      assert.deepEqual(put.next(), { value: undefined, done: true });
      assert.equal(q.qsize(), 1);
      const get = q.get() as Iterator<unknown, string>;
      const first = get.next();
      assert.equal(first.done, true);
      assert.equal(first.value, 'a');
      const again = get.next();
      assert.notEqual(again, first); // the op's own result is not reused for the second answer
      assert.deepEqual({ ...again }, { value: undefined, done: true });
      assert.equal(first.value, 'a');
      assert.equal(q.qsize(), 0);
      // Two gets in a row on a refilled queue: each result holds its own item.
      q.putNowait('b');
      const r1 = (q.get() as Iterator<unknown, string>).next();
      q.putNowait('c');
      const r2 = (q.get() as Iterator<unknown, string>).next();
      assert.deepEqual([r1.value, r2.value], ['b', 'c']);
    });
  });

  test('a waiting get() or put() yields its waiter Future (as `yield* future` would), and leaves the queue clean when driven by hand', () => {
    runSync(function* () {
      const q = new Queue<string>(1);
      // Resumed while its waiter is still pending: asyncio's "await wasn't used with future"; the
      // waiter is dropped, so a later put does not wake a getter that is gone.
      const get = q.get() as Iterator<unknown, string>;
      const waiting = get.next();
      assert.equal(waiting.done, false);
      const getter = waiting.value; // read at once, as a task does: the op is its own result object
      assert.equal(getter, q._getters.at(0));
      assert.throws(() => get.next(), { name: 'RuntimeError', message: "await wasn't used with future" });
      assert.equal(q._getters.length, 0);
      assert.ok((getter as { cancelled(): boolean }).cancelled());
      // return() while waiting (a delegating generator closed with return()): no waiter left behind.
      q.putNowait('a');
      const put = q.put('b') as Iterator<unknown, void>;
      assert.equal(put.next().done, false);
      assert.equal(q._putters.length, 1);
      assert.deepEqual(put.return?.(undefined), { value: undefined, done: true });
      assert.equal(q._putters.length, 0);
      assert.deepEqual(put.next(), { value: undefined, done: true });
      const get2 = q.get() as Iterator<unknown, string>;
      assert.equal(get2.next().value, 'a');
      const get3 = q.get() as Iterator<unknown, string>;
      assert.equal(get3.next().done, false);
      assert.deepEqual(get3.return?.('x'), { value: 'x', done: true });
      assert.equal(q._getters.length, 0);
      // throw() into an op that never started: the error comes straight out, nothing changes.
      const put2 = q.put('c') as Iterator<unknown, void>;
      assert.throws(() => put2.throw?.(new Error('boom')), { message: 'boom' });
      assert.equal(q.qsize(), 0);
      assert.deepEqual(put2.next(), { value: undefined, done: true });
    });
  });

  test('maxsize: put blocks while the queue is full and resumes when a slot frees', () => {
    runSync(function* () {
      const q = new Queue<number>(2);
      const history: number[] = [];
      const putter = createTask(
        (function* () {
          for (let i = 0; i < 3; i++) {
            yield* q.put(i);
            history.push(i);
          }
        })(),
      );
      yield* tick(2);
      assert.deepEqual(history, [0, 1]);
      assert.equal(q.getNowait(), 0);
      yield* tick();
      assert.deepEqual(history, [0, 1, 2]);
      yield* putter;
      assert.equal(q.qsize(), 2);
    });
  });

  test('blocking_get: get waits for a put', () => {
    runSync(function* () {
      const q = new Queue<string>();
      const g = createTask(q.get());
      yield* tick();
      assert.ok(!g.done());
      q.putNowait('x');
      assert.equal(yield* g, 'x');
    });
  });

  test('why_are_getters_waiting: many getters are all served', () => {
    runSync(function* () {
      const q = new Queue<number>();
      const getters = Array.from({ length: 10 }, () => createTask(q.get()));
      yield* tick();
      for (let i = 0; i < 10; i++) q.putNowait(i);
      const got: number[] = [];
      for (const g of getters) got.push(yield* g);
      assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });

  test('why_are_putters_waiting: many putters on a full queue are all served', () => {
    runSync(function* () {
      const q = new Queue<number>(1);
      const putters = Array.from({ length: 10 }, (_, i) => createTask(q.put(i)));
      const got: number[] = [];
      for (let i = 0; i < 10; i++) got.push(yield* q.get());
      for (const p of putters) yield* p;
      assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });
});

describe('Queue cancellation', () => {
  test('get_cancelled: a cancelled get takes no item and leaves no getter behind', () => {
    runSync(function* () {
      const q = new Queue<number>();
      const g = createTask(q.get());
      yield* tick();
      g.cancel();
      yield* tick();
      assert.ok(g.cancelled());
      assert.equal(q._getters.length, 0);
      q.putNowait(1);
      assert.equal(q.qsize(), 1);
    });
  });

  test('get_cancelled_race: a getter woken then cancelled in the same iteration hands the item to the next getter', () => {
    runSync(function* () {
      const q = new Queue<number>();
      const g1 = createTask(q.get());
      const g2 = createTask(q.get());
      yield* tick();
      q.putNowait(1); // wakes g1 ...
      g1.cancel(); // ... which is cancelled before it runs
      yield* tick(2);
      assert.ok(g1.cancelled());
      assert.equal(g2.result(), 1);
      assert.equal(q.qsize(), 0);
    });
  });

  test('put_cancelled_race: a putter woken then cancelled hands the free slot to the next putter', () => {
    runSync(function* () {
      const q = new Queue<string>(1);
      q.putNowait('a');
      const p1 = createTask(q.put('b'));
      const p2 = createTask(q.put('c'));
      yield* tick();
      assert.equal(q.getNowait(), 'a'); // wakes p1 ...
      p1.cancel(); // ... which is cancelled before it runs
      yield* tick(2);
      assert.ok(p1.cancelled());
      assert.ok(p2.done());
      assert.equal(q.getNowait(), 'c'); // 'b' was never put
      assert.ok(q.empty());
      assert.equal(q._unfinishedTasks, 2);
    });
  });

  test('cancelled_puts_not_being_held_in_self_putters', () => {
    runSync(function* () {
      const q = new Queue<number>(1);
      q.putNowait(0);
      const p = createTask(q.put(1));
      yield* tick();
      assert.equal(q._putters.length, 1);
      p.cancel();
      yield* tick();
      assert.equal(q._putters.length, 0);
    });
  });

  test('get_cancel_drop_many_pending_readers: cancelling most getters loses no item', () => {
    runSync(function* () {
      const q = new Queue<number>();
      const getters = Array.from({ length: 5 }, () => createTask(q.get()));
      yield* tick();
      q.putNowait(1);
      q.putNowait(2); // wakes getters 0 and 1
      for (const g of getters.slice(0, 4)) g.cancel(); // 0 and 1 were already woken
      yield* tick(3);
      assert.ok(getters.slice(0, 4).every((g) => g.cancelled()));
      assert.equal(getters[4]?.result(), 1);
      assert.equal(q.getNowait(), 2);
    });
  });

  test('task_done_underflow: RangeError("taskDone() called too many times")', () => {
    const q = new Queue<number>();
    assert.throws(() => q.taskDone(), { name: 'RangeError', message: 'taskDone() called too many times' });
    q.putNowait(1);
    q.getNowait();
    q.taskDone();
    assert.throws(() => q.taskDone(), { name: 'RangeError', message: 'taskDone() called too many times' });
  });

  test('task_done / join: join returns once every item put was marked done', () => {
    runSync(function* () {
      const q = new Queue<number>();
      yield* q.join(); // empty: at once
      let processed = 0;
      function* worker(): Coroutine<void> {
        for (;;) {
          yield* q.get();
          yield* sleep(1);
          processed++;
          q.taskDone();
        }
      }
      const workers = [createTask(worker()), createTask(worker())];
      for (let i = 0; i < 10; i++) q.putNowait(i);
      yield* q.join();
      assert.equal(processed, 10);
      for (const w of workers) w.cancel();
      yield* tick();
    });
  });
});

describe('Queue shutdown (3.13)', () => {
  test('shutdown_empty: put and get raise QueueShutDown', () => {
    runSync(function* () {
      const q = new Queue<number>();
      q.shutdown();
      assert.throws(() => q.putNowait(1), (e: unknown) => e instanceof QueueShutDown);
      assert.throws(() => q.getNowait(), (e: unknown) => e instanceof QueueShutDown);
      assert.ok((yield* raises(q.put(1))) instanceof QueueShutDown);
      assert.ok((yield* raises(q.get())) instanceof QueueShutDown);
    });
  });

  test('shutdown_nonempty: gets drain the remaining items, then raise; join still counts them', () => {
    runSync(function* () {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.shutdown();
      assert.equal(yield* q.get(), 1);
      assert.equal(q.getNowait(), 2);
      assert.ok((yield* raises(q.get())) instanceof QueueShutDown);
      assert.equal(q._unfinishedTasks, 2);
      q.taskDone();
      q.taskDone();
      yield* q.join();
    });
  });

  test('shutdown_immediate: drops the items, marks each done, and releases join', () => {
    runSync(function* () {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.putNowait(3);
      const joiner = createTask(q.join());
      yield* tick();
      q.shutdown(true);
      assert.equal(q.qsize(), 0);
      assert.equal(q._unfinishedTasks, 0);
      yield* joiner;
      assert.ok((yield* raises(q.get())) instanceof QueueShutDown);
    });
  });

  test('shutdown_immediate_with_unfinished: items already got still hold join', () => {
    runSync(function* () {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.getNowait(); // got, not marked done
      q.shutdown(true);
      assert.equal(q._unfinishedTasks, 1);
      const joiner = createTask(q.join());
      yield* tick(2);
      assert.ok(!joiner.done());
      q.taskDone();
      yield* joiner;
    });
  });

  test('shutdown with blocked putters: woken, they raise QueueShutDown (the queue is still full)', () => {
    runSync(function* () {
      const q = new Queue<number>(1);
      q.putNowait(1);
      const putters = [createTask(q.put(2)), createTask(q.put(3))];
      yield* tick();
      q.shutdown();
      yield* tick();
      for (const p of putters) assert.ok(errorOf(p) instanceof QueueShutDown);
      assert.equal(q.getNowait(), 1);
      assert.equal(q._unfinishedTasks, 1);
    });
  });

  test('shutdown_immediate with blocked putters: the slot is free but the put still raises', () => {
    runSync(function* () {
      const q = new Queue<number>(1);
      q.putNowait(1);
      const p = createTask(q.put(2));
      yield* tick();
      q.shutdown(true);
      yield* tick();
      assert.ok(errorOf(p) instanceof QueueShutDown);
      assert.equal(q.qsize(), 0);
      assert.equal(q._unfinishedTasks, 0);
    });
  });

  test('shutdown with blocked getters: every getter raises QueueShutDown', () => {
    runSync(function* () {
      const q = new Queue<number>();
      const getters = [createTask(q.get()), createTask(q.get()), createTask(q.get())];
      yield* tick();
      q.shutdown();
      yield* tick();
      for (const g of getters) assert.ok(errorOf(g) instanceof QueueShutDown);
      assert.equal(q._getters.length, 0);
      assert.equal(String(q), '<Queue maxsize=0 shutdown>');
    });
  });

  test('iterate: asyncFor-style consumption ends with StopAsyncIteration at shutdown', () => {
    runSync(function* () {
      const q = new Queue<number>(2);
      const it = q.iterate();
      const producer = createTask(
        (function* () {
          for (let i = 0; i < 5; i++) yield* q.put(i);
          q.shutdown();
        })(),
      );
      const got: number[] = [];
      for (;;) {
        let item: number;
        try {
          item = yield* it.anext();
        } catch (e) {
          assert.ok(e instanceof StopAsyncIteration);
          break;
        }
        got.push(item);
        q.taskDone();
      }
      yield* producer;
      assert.deepEqual(got, [0, 1, 2, 3, 4]);
      yield* q.join();
    });
  });
});

describe('asyncFor over a queue', () => {
  test('asyncFor(queue, body) consumes until shutdown; join sees every taskDone', () => {
    runSync(function* () {
      const q = new Queue<number>(3);
      const got: number[] = [];
      const consumer = createTask(
        asyncFor(q, function* (item) {
          yield* sleep(1);
          got.push(item);
          q.taskDone();
        }),
      );
      for (let i = 0; i < 10; i++) yield* q.put(i);
      yield* q.join();
      q.shutdown();
      yield* consumer;
      assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });

  test('asyncFor(queue.iterate(), body) stops on BREAK and leaves the queue usable', () => {
    runSync(function* () {
      const q = new LifoQueue<string>();
      for (const x of ['a', 'b', 'c']) q.putNowait(x);
      const seen: string[] = [];
      yield* asyncFor(q.iterate(), function* (item) {
        seen.push(item);
        if (item === 'b') return BREAK;
      });
      assert.deepEqual(seen, ['c', 'b']);
      assert.equal(q.getNowait(), 'a');
    });
  });
});

describe('PriorityQueue order', () => {
  test('default order: arrays compare element by element like Python tuples', () => {
    const q = new PriorityQueue<unknown[]>();
    const items = [[2, 'b'], [1, 'z'], [1, 'a'], [1], [2, 'a', 0], [0, [5, 1]], [0, [5]]];
    for (const item of items) q.putNowait(item);
    const out: unknown[] = [];
    while (!q.empty()) out.push(q.getNowait());
    assert.deepEqual(out, [[0, [5]], [0, [5, 1]], [1], [1, 'a'], [1, 'z'], [2, 'a', 0], [2, 'b']]);
  });

  test('default order: strings and bigints', () => {
    const s = new PriorityQueue<string>();
    for (const x of ['pear', 'apple', 'fig']) s.putNowait(x);
    assert.deepEqual([s.getNowait(), s.getNowait(), s.getNowait()], ['apple', 'fig', 'pear']);
    const n = new PriorityQueue<number | bigint>();
    for (const x of [3n, 1, 2n]) n.putNowait(x);
    assert.deepEqual([n.getNowait(), n.getNowait(), n.getNowait()], [1, 2n, 3n]);
  });

  test('default order: an object is refused at put with a TypeError naming the fix', () => {
    const q = new PriorityQueue<unknown>();
    assert.throws(() => q.putNowait({ job: 1 }), {
      name: 'TypeError',
      message:
        'PriorityQueue cannot order `[object Object]` (object) by default: it orders numbers, bigints, strings, or arrays of them compared element by element like Python tuples. Pass `new PriorityQueue(maxsize, { compare: (a, b) => ... })` to order other items.',
    });
    assert.equal(q.qsize(), 0);
    assert.equal(q._unfinishedTasks, 0);
  });

  test('default order: tied priorities with unorderable payloads raise, and the queue is unchanged', () => {
    const q = new PriorityQueue<[number, unknown]>();
    q.putNowait([1, { a: 1 }]);
    q.putNowait([2, { b: 2 }]); // priorities differ: the payloads are never compared
    assert.throws(() => q.putNowait([1, { c: 3 }]), {
      name: 'TypeError',
      message:
        "'<' not supported between instances of 'Object' and 'Object'. PriorityQueue orders numbers, bigints, strings, or arrays of them compared element by element like Python tuples; for other items pass `new PriorityQueue(maxsize, { compare: (a, b) => ... })`, or put `[priority, counter, item]` arrays so items are never compared.",
    });
    assert.equal(q.qsize(), 2);
    assert.equal(q._unfinishedTasks, 2);
    assert.deepEqual(q.getNowait(), [1, { a: 1 }]);
    assert.deepEqual(q.getNowait(), [2, { b: 2 }]);
  });

  test('default order: a number and a string cannot be compared', () => {
    const q = new PriorityQueue<number | string>();
    q.putNowait(1);
    assert.throws(() => q.putNowait('1'), { name: 'TypeError', message: /^'<' not supported between instances of 'string' and 'number'\./ });
  });

  test('compare option: orders anything; a throwing compare leaves the queue intact', () => {
    interface Job {
      due: number;
      name: string;
    }
    let failing = false;
    const q = new PriorityQueue<Job>(0, {
      compare: (a, b) => {
        if (failing) throw new Error('compare failed');
        return a.due - b.due;
      },
    });
    for (const [due, name] of [[3, 'c'], [1, 'a'], [2, 'b'], [5, 'e'], [4, 'd']] as const) q.putNowait({ due, name });
    failing = true;
    assert.throws(() => q.putNowait({ due: 0, name: 'z' }), { message: 'compare failed' });
    assert.throws(() => q.getNowait(), { message: 'compare failed' });
    failing = false;
    assert.equal(q.qsize(), 5);
    const names: string[] = [];
    while (!q.empty()) names.push(q.getNowait().name);
    assert.deepEqual(names, ['a', 'b', 'c', 'd', 'e']);
    assert.throws(() => new PriorityQueue(0, { compare: 'desc' as never }), {
      name: 'TypeError',
      message: 'Expected `compare` to be a function (a, b) => number, got `"desc"` (string)',
    });
  });

  test('a putter whose item is refused passes its slot to the next putter', () => {
    runSync(function* () {
      const q = new PriorityQueue<unknown>(1);
      q.putNowait(0);
      const bad = createTask(q.put({ not: 'orderable' }));
      const good = createTask(q.put(7));
      yield* tick();
      q.getNowait();
      yield* tick(2);
      assert.ok(errorOf(bad) instanceof TypeError);
      assert.ok(good.done());
      assert.equal(q.getNowait(), 7);
    });
  });
});

describe('Queue under cancellation: no item lost or duplicated', () => {
  flavours('producers and consumers cancelled mid-operation: every item put is got exactly once', function* () {
    const q = new Queue<number>(3);
    const put: number[] = [];
    const got: number[] = [];
    function* producer(base: number): Coroutine<void> {
      for (let i = 0; i < 20; i++) {
        yield* q.put(base + i);
        put.push(base + i);
        if (i % 3 === 0) yield* sleep(1);
      }
    }
    function* consumer(): Coroutine<void> {
      for (;;) {
        const item = yield* q.get();
        got.push(item);
        if (item % 4 === 0) yield* sleep(1);
      }
    }
    const producers = [0, 100, 200, 300].map((b) => createTask(producer(b)));
    const consumers = Array.from({ length: 4 }, () => createTask(consumer()));
    yield* sleep(3);
    producers[1]?.cancel();
    consumers[0]?.cancel();
    yield* sleep(2);
    consumers[1]?.cancel();
    producers[2]?.cancel();
    const late = createTask(consumer());
    for (const p of producers) {
      try {
        yield* p;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
    }
    while (!q.empty()) yield* sleep(1);
    for (const c of [...consumers, late]) c.cancel();
    yield* tick(2);
    assert.deepEqual([...got].sort((a, b) => a - b), [...put].sort((a, b) => a - b));
    assert.equal(new Set(got).size, got.length);
    assert.deepEqual(got, put.slice(0, got.length)); // FIFO: got in the order put
  });

  type Command =
    | { op: 'spawnPut' }
    | { op: 'spawnGet' }
    | { op: 'putNowait' }
    | { op: 'getNowait' }
    | { op: 'cancel'; which: number }
    | { op: 'tick' }
    | { op: 'settle' };

  // Weighted so that short runs often block tasks, wake them and cancel them in the same step.
  const command: fc.Arbitrary<Command> = fc.oneof(
    { arbitrary: fc.constant({ op: 'spawnPut' } as const), weight: 3 },
    { arbitrary: fc.constant({ op: 'spawnGet' } as const), weight: 3 },
    { arbitrary: fc.constant({ op: 'putNowait' } as const), weight: 2 },
    { arbitrary: fc.constant({ op: 'getNowait' } as const), weight: 2 },
    { arbitrary: fc.nat({ max: 30 }).map((which) => ({ op: 'cancel', which }) as const), weight: 3 },
    { arbitrary: fc.constant({ op: 'tick' } as const), weight: 1 },
    { arbitrary: fc.constant({ op: 'settle' } as const), weight: 2 },
  );

  test('model: random put/get/cancel interleavings on a bounded queue keep FIFO, lose nothing, stay in [0, maxsize]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(command, { minLength: 4, maxLength: 40 }), fc.boolean(), (maxsize, commands, eager) => {
        runSync(function* () {
          if (eager) getRunningLoop().setTaskFactory(eagerTaskFactory);
          const q = new Queue<number>(maxsize);
          // The reference model: a plain array, appended on every put, shifted on every get.
          const model: number[] = [];
          const putLog: number[] = [];
          const getLog: number[] = [];
          const tasks: Task<void>[] = [];
          let next = 0;
          const check = (): void => {
            assert.ok(q.qsize() >= 0 && q.qsize() <= maxsize, `qsize ${q.qsize()} out of [0, ${maxsize}]`);
            assert.deepEqual(q._queue.toArray(), model);
          };
          // Each log entry is written in the same step as the put/get itself (no suspension between).
          function* putter(v: number): Coroutine<void> {
            yield* q.put(v);
            putLog.push(v);
            model.push(v);
          }
          function* getter(): Coroutine<void> {
            const v = yield* q.get();
            getLog.push(v);
            assert.equal(v, model.shift());
          }
          // Enough iterations for every woken task to run (each can be re-queued behind a barging newcomer).
          function* settle(): Coroutine<void> {
            yield* tick(2 * tasks.length + 4);
          }
          // No lost wakeup: once the loop is idle, nobody waits for something that is there.
          const checkLiveness = (): void => {
            const pendingGetters = q._getters.toArray().filter((f) => !f.done()).length;
            const pendingPutters = q._putters.toArray().filter((f) => !f.done()).length;
            if (pendingGetters > 0) assert.equal(q.qsize(), 0, 'a getter waits while items are queued');
            if (pendingPutters > 0) assert.ok(q.full(), 'a putter waits while a slot is free');
          };
          for (const c of commands) {
            switch (c.op) {
              case 'spawnPut':
                tasks.push(createTask(putter(next++)));
                break;
              case 'spawnGet':
                tasks.push(createTask(getter()));
                break;
              case 'putNowait':
                if (!q.full()) {
                  q.putNowait(next);
                  putLog.push(next);
                  model.push(next++);
                } else assert.throws(() => q.putNowait(-1), (e: unknown) => e instanceof QueueFull);
                break;
              case 'getNowait':
                if (!q.empty()) {
                  const v = q.getNowait();
                  getLog.push(v);
                  assert.equal(v, model.shift());
                } else assert.throws(() => q.getNowait(), (e: unknown) => e instanceof QueueEmpty);
                break;
              case 'cancel': {
                // Aim at tasks still pending: the interesting races are woken-but-not-yet-run ones.
                const pending = tasks.filter((t) => !t.done());
                pending[c.which % Math.max(1, pending.length)]?.cancel();
                break;
              }
              case 'tick':
                yield* sleep(0);
                break;
              case 'settle':
                yield* settle();
                checkLiveness();
                break;
            }
            check();
          }
          yield* settle();
          check();
          checkLiveness();
          for (const t of tasks) t.cancel();
          yield* tick(3);
          check();
          // Every item put was got exactly once or is still queued, in FIFO order.
          assert.deepEqual([...getLog, ...q._queue.toArray()], putLog);
          for (const t of tasks) assert.ok(t.done());
        });
      }),
      {
        numRuns: 1000,
        // Regression seeds: a getter / a putter woken and cancelled in the same step.
        examples: [
          [1, [{ op: 'spawnPut' }, { op: 'spawnGet' }, { op: 'spawnGet' }, { op: 'spawnGet' }, { op: 'spawnPut' }, { op: 'putNowait' }, { op: 'spawnPut' }, { op: 'spawnPut' }], false],
          [2, [{ op: 'spawnGet' }, { op: 'spawnGet' }, { op: 'tick' }, { op: 'putNowait' }, { op: 'cancel', which: 0 }, { op: 'settle' }], false],
          [1, [{ op: 'putNowait' }, { op: 'spawnPut' }, { op: 'spawnPut' }, { op: 'tick' }, { op: 'getNowait' }, { op: 'cancel', which: 0 }, { op: 'settle' }], false],
        ],
      },
    );
  });
});
