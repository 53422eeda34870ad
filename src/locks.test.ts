import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier, BrokenBarrierError } from './locks.ts';
import { CancelledError, RuntimeError } from './exceptions.ts';
import { createTask, sleep } from './tasks.ts';
import { runSync } from './runners.ts';
import { getRunningLoop } from './events.ts';
import type { Task } from './tasks.ts';
import type { Coroutine } from './types.ts';
import { asyncWith } from './contextlib.ts';
import { waitFor } from './combinators.ts';
import { TimeoutError } from './exceptions.ts';
import { flavours } from '../test/support/flavours.ts';

/** Lets every ready task run `n` loop iterations. */
function* tick(n = 1): Coroutine<void> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}

/** The error a finished task raised (its CancelledError if it was cancelled). */
function errorOf(task: Task<unknown>): unknown {
  try {
    task.result();
  } catch (error) {
    return error;
  }
  return null;
}

describe('Lock', () => {
  test('repr: shows the state and the number of waiters', () => {
    runSync(function* () {
      const lock = new Lock();
      assert.equal(String(lock), '<Lock [unlocked]>');
      yield* lock.acquire();
      assert.equal(String(lock), '<Lock [locked]>');
      const t = createTask(lock.acquire());
      yield* tick();
      assert.equal(String(lock), '<Lock [locked, waiters:1]>');
      lock.release();
      yield* t;
      assert.equal(String(lock), '<Lock [locked]>');
    });
  });

  test('lock: acquire returns true and locks; release unlocks', () => {
    runSync(function* () {
      const lock = new Lock();
      assert.equal(lock.locked(), false);
      assert.equal(yield* lock.acquire(), true);
      assert.equal(lock.locked(), true);
      lock.release();
      assert.equal(lock.locked(), false);
    });
  });

  test('lock_can_be_created_outside_a_loop: binds to the loop of its first wait, refuses another', () => {
    const lock = new Lock();
    runSync(function* () {
      yield* lock.acquire();
      const t = createTask(lock.acquire());
      yield* tick();
      lock.release();
      yield* t;
      lock.release();
    });
    runSync(function* () {
      yield* lock.acquire(); // free: no loop needed, as in asyncio
      assert.throws(
        () => lock.acquire().next(),
        (e: unknown) =>
          e instanceof RuntimeError &&
          e.message ===
            '<Lock [locked]> is bound to a different event loop. A lock, event or queue belongs to the loop that first waited on it: create a new one for each run().',
      );
      lock.release();
    });
  });

  test('acquire: waiters get the lock in FIFO order', () => {
    runSync(function* () {
      const lock = new Lock();
      const order: number[] = [];
      yield* lock.acquire();
      function* worker(n: number): Coroutine<void> {
        yield* lock.acquire();
        order.push(n);
        lock.release();
      }
      const tasks = [1, 2, 3].map((n) => createTask(worker(n)));
      yield* tick();
      assert.deepEqual(order, []);
      lock.release();
      for (const t of tasks) yield* t;
      assert.deepEqual(order, [1, 2, 3]);
      assert.equal(lock.locked(), false);
    });
  });

  test('acquire_task: createTask(lock.acquire()) works because acquire returns a coroutine', () => {
    runSync(function* () {
      const lock = new Lock();
      const t = createTask(lock.acquire());
      assert.equal(yield* t, true);
      assert.equal(lock.locked(), true);
    });
  });

  test('acquire_cancel: a cancelled waiter raises CancelledError and leaves no waiter behind', () => {
    runSync(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const t = createTask(lock.acquire());
      yield* tick();
      t.cancel();
      yield* tick(2);
      assert.ok(t.cancelled());
      assert.equal(lock._waiters?.length, 0);
      assert.equal(lock.locked(), true);
    });
  });

  test('cancel_race: with a cancelled waiter at the front, release wakes the next one', () => {
    // test_locks.LockTests.test_cancel_race: the lock invariant holds across the cancellation.
    runSync(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const got: string[] = [];
      function* waiter(name: string): Coroutine<void> {
        yield* lock.acquire();
        got.push(name);
      }
      const tb = createTask(waiter('b'));
      yield* tick();
      const tc = createTask(waiter('c'));
      yield* tick();
      tb.cancel();
      lock.release();
      yield* tick(3);
      assert.ok(tb.cancelled());
      assert.deepEqual(got, ['c']);
      assert.equal(lock.locked(), true);
      assert.ok(tc.done());
    });
  });

  test('cancel_release_race: a waiter cancelled in the iteration it is woken passes the lock on', () => {
    runSync(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const got: string[] = [];
      function* waiter(name: string): Coroutine<void> {
        yield* lock.acquire();
        got.push(name);
      }
      const t1 = createTask(waiter('1'));
      const t2 = createTask(waiter('2'));
      const t3 = createTask(waiter('3'));
      yield* tick();
      lock.release(); // wakes t1 (its future is done) ...
      t1.cancel(); // ... and t1 is cancelled before it runs
      yield* tick(3);
      assert.ok(t1.cancelled());
      assert.deepEqual(got, ['2']);
      assert.ok(t2.done());
      assert.ok(!t3.done());
      lock.release();
      yield* t3;
      assert.deepEqual(got, ['2', '3']);
    });
  });

  test('finished_waiter_cancelled: a newcomer cannot steal the lock from a woken waiter', () => {
    runSync(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const got: string[] = [];
      function* waiter(name: string): Coroutine<void> {
        yield* lock.acquire();
        got.push(name);
      }
      const ta = createTask(waiter('a'));
      yield* tick();
      lock.release(); // ta is woken but has not run yet: the lock is free
      assert.equal(lock.locked(), false);
      const tb = createTask(waiter('b')); // the newcomer must queue behind ta
      yield* tick(3);
      assert.deepEqual(got, ['a']);
      assert.ok(ta.done() && !tb.done());
      lock.release();
      yield* tb;
      assert.deepEqual(got, ['a', 'b']);
    });
  });

  test('release_not_acquired: RuntimeError("Lock is not acquired.")', () => {
    const lock = new Lock();
    assert.throws(() => lock.release(), (e: unknown) => e instanceof RuntimeError && e.message === 'Lock is not acquired.');
  });

  test('context_manager: aenter acquires, aexit releases and does not suppress', () => {
    runSync(function* () {
      const lock = new Lock();
      assert.equal(yield* lock.aenter(), undefined);
      assert.equal(lock.locked(), true);
      assert.equal(yield* lock.aexit(new Error('boom')), undefined);
      assert.equal(lock.locked(), false);
    });
  });

  test('asyncDispose: releases the lock; rejects when it is not held', async () => {
    const lock = new Lock();
    runSync(function* () {
      yield* lock.acquire();
    });
    await lock[Symbol.asyncDispose]();
    assert.equal(lock.locked(), false);
    await assert.rejects(lock[Symbol.asyncDispose](), { name: 'RuntimeError', message: 'Lock is not acquired.' });
  });

  flavours('handoff: 50 contending tasks each get the lock exactly once, in arrival order', function* () {
    const lock = new Lock();
    const order: number[] = [];
    let inside = 0;
    function* worker(n: number): Coroutine<void> {
      yield* lock.acquire();
      try {
        inside++;
        assert.equal(inside, 1);
        order.push(n);
        yield* sleep(0);
        inside--;
      } finally {
        lock.release();
      }
    }
    const tasks: Task<void>[] = [];
    for (let i = 0; i < 50; i++) tasks.push(createTask(worker(i)));
    for (const t of tasks) yield* t;
    assert.deepEqual(order, Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('Event', () => {
  test('repr: shows set/unset and waiters', () => {
    runSync(function* () {
      const ev = new Event();
      assert.equal(String(ev), '<Event [unset]>');
      const t = createTask(ev.wait());
      yield* tick();
      assert.equal(String(ev), '<Event [unset, waiters:1]>');
      ev.set();
      assert.equal(String(ev), '<Event [set, waiters:1]>');
      yield* t;
      assert.equal(String(ev), '<Event [set]>');
    });
  });

  test('wait: set() wakes every waiter; wait on a set event returns at once', () => {
    runSync(function* () {
      const ev = new Event();
      const woke: number[] = [];
      function* waiter(n: number): Coroutine<void> {
        assert.equal(yield* ev.wait(), true);
        woke.push(n);
      }
      const tasks = [1, 2, 3].map((n) => createTask(waiter(n)));
      yield* tick();
      assert.deepEqual(woke, []);
      assert.equal(ev.isSet(), false);
      ev.set();
      assert.equal(ev.isSet(), true);
      for (const t of tasks) yield* t;
      assert.deepEqual(woke, [1, 2, 3]);
      assert.equal(yield* ev.wait(), true);
      assert.equal(ev._waiters.length, 0);
    });
  });

  test('clear_with_waiters: set() then clear() at once still wakes the waiters', () => {
    runSync(function* () {
      const ev = new Event();
      const t = createTask(ev.wait());
      yield* tick();
      ev.set();
      ev.clear();
      assert.equal(ev.isSet(), false);
      assert.equal(yield* t, true);
      assert.equal(ev._waiters.length, 0);
    });
  });

  test('wait_cancel: a cancelled waiter leaves the list', () => {
    runSync(function* () {
      const ev = new Event();
      const t = createTask(ev.wait());
      yield* tick();
      t.cancel();
      yield* tick(2);
      assert.ok(t.cancelled());
      assert.equal(ev._waiters.length, 0);
    });
  });
});

describe('Condition', () => {
  test('wait: notify wakes one waiter at a time, in FIFO order, each holding the lock', () => {
    runSync(function* () {
      const cond = new Condition();
      const result: number[] = [];
      function* waiter(n: number): Coroutine<void> {
        yield* cond.acquire();
        try {
          assert.equal(yield* cond.wait(), true);
          assert.equal(cond.locked(), true);
          result.push(n);
        } finally {
          cond.release();
        }
      }
      const tasks = [1, 2, 3].map((n) => createTask(waiter(n)));
      yield* tick(2);
      assert.deepEqual(result, []);
      assert.equal(cond.locked(), false);
      yield* cond.acquire();
      cond.notify();
      cond.release();
      yield* tick(2);
      assert.deepEqual(result, [1]);
      yield* cond.acquire();
      cond.notify(2);
      cond.release();
      for (const t of tasks) yield* t;
      assert.deepEqual(result, [1, 2, 3]);
    });
  });

  test('notify_all: wakes everyone', () => {
    runSync(function* () {
      const cond = new Condition();
      const result: number[] = [];
      function* waiter(n: number): Coroutine<void> {
        yield* cond.aenter();
        try {
          yield* cond.wait();
          result.push(n);
        } finally {
          yield* cond.aexit();
        }
      }
      const tasks = [1, 2, 3].map((n) => createTask(waiter(n)));
      yield* tick(2);
      yield* cond.acquire();
      cond.notifyAll();
      cond.release();
      for (const t of tasks) yield* t;
      assert.deepEqual(result, [1, 2, 3]);
    });
  });

  test('wait_for: re-checks the predicate after each wakeup and returns its value', () => {
    runSync(function* () {
      const cond = new Condition();
      let presult: string | false = false;
      let calls = 0;
      const predicate = (): string | false => {
        calls++;
        return presult;
      };
      const t = createTask(
        (function* (): Coroutine<string> {
          yield* cond.acquire();
          try {
            return yield* cond.waitFor(predicate);
          } finally {
            cond.release();
          }
        })(),
      );
      yield* tick(2);
      assert.equal(calls, 1);
      yield* cond.acquire();
      cond.notify();
      cond.release();
      yield* tick(2);
      assert.equal(calls, 2);
      presult = 'ready';
      yield* cond.acquire();
      cond.notify();
      cond.release();
      assert.equal(yield* t, 'ready');
      assert.equal(calls, 3);
    });
  });

  test('wait_unacquired / notify_unacquired: RuntimeErrors with asyncio messages', () => {
    runSync(function* () {
      const cond = new Condition();
      assert.throws(
        () => cond.wait().next(),
        (e: unknown) => e instanceof RuntimeError && e.message === 'cannot wait on un-acquired lock',
      );
      assert.throws(() => cond.notify(), (e: unknown) => e instanceof RuntimeError && e.message === 'cannot notify on un-acquired lock');
      assert.throws(() => cond.notifyAll(), (e: unknown) => e instanceof RuntimeError && e.message === 'cannot notify on un-acquired lock');
    });
  });

  test('bad arguments: a non-Lock lock, notify(NaN), waitFor(non-function)', () => {
    assert.throws(() => new Condition({} as Lock), { name: 'TypeError', message: 'Expected `lock` to be a Lock, got `[object Object]` (object)' });
    const cond = new Condition();
    assert.throws(() => cond.notify(NaN), {
      name: 'RangeError',
      message: 'Expected `n` to be a number >= 0 (Infinity: all waiters), got `NaN` (number)',
    });
    assert.throws(() => cond.waitFor(42 as never).next(), {
      name: 'TypeError',
      message: 'Expected `predicate` to be a function, got `42` (number)',
    });
  });

  test('explicit_lock: two conditions can share one lock', () => {
    runSync(function* () {
      const lock = new Lock();
      const c1 = new Condition(lock);
      const c2 = new Condition(lock);
      yield* c1.acquire();
      assert.ok(lock.locked() && c2.locked());
      c2.release();
      assert.ok(!lock.locked() && !c1.locked());
    });
  });

  test('wait_cancel: a cancelled wait re-acquires the lock before raising', () => {
    runSync(function* () {
      const cond = new Condition();
      let lockedInCatch: boolean | null = null;
      const t = createTask(
        (function* (): Coroutine<void> {
          yield* cond.acquire();
          try {
            yield* cond.wait();
          } catch (e) {
            lockedInCatch = cond.locked();
            throw e;
          }
        })(),
      );
      yield* tick(2);
      assert.equal(cond.locked(), false); // released inside wait()
      assert.equal(cond._waiters.length, 1);
      t.cancel();
      yield* tick(2);
      assert.ok(t.cancelled());
      assert.equal(lockedInCatch, true);
      assert.equal(cond.locked(), true); // re-acquired by the cancelled wait, never released
      assert.equal(cond._waiters.length, 0);
    });
  });

  test('wait_cancel_contested: cancelled again while re-acquiring, the wait still ends holding the lock', () => {
    runSync(function* () {
      const cond = new Condition();
      let lockedInFinally: boolean | null = null;
      const t = createTask(
        (function* (): Coroutine<void> {
          yield* cond.acquire();
          try {
            yield* cond.wait();
          } finally {
            lockedInFinally = cond.locked();
            cond.release();
          }
        })(),
      );
      yield* tick(2);
      // Take the lock, notify, and cancel t while it waits to re-acquire.
      yield* cond.acquire();
      cond.notify();
      yield* tick(2);
      t.cancel();
      yield* tick(2);
      assert.ok(!t.done()); // still re-acquiring: the lock is ours
      t.cancel();
      yield* tick(2);
      cond.release();
      yield* tick(3);
      assert.ok(t.cancelled());
      assert.equal(lockedInFinally, true);
      assert.equal(cond.locked(), false);
    });
  });

  test('cancelled_wakeup: a waiter notified then cancelled passes the notification on (gh-112202)', () => {
    runSync(function* () {
      const cond = new Condition();
      const woke: string[] = [];
      function* waiter(name: string): Coroutine<void> {
        yield* cond.acquire();
        try {
          yield* cond.wait();
          woke.push(name);
        } finally {
          cond.release();
        }
      }
      const ta = createTask(waiter('a'));
      const tb = createTask(waiter('b'));
      yield* tick(2);
      yield* cond.acquire();
      cond.notify(1); // wakes a ...
      ta.cancel(); // ... which is cancelled in the same iteration
      cond.release();
      yield* tick(5);
      assert.ok(ta.cancelled());
      assert.deepEqual(woke, ['b']);
      assert.ok(tb.done());
      assert.equal(cond.locked(), false);
    });
  });

  test('repr: locked state and waiters', () => {
    runSync(function* () {
      const cond = new Condition();
      assert.equal(String(cond), '<Condition [unlocked]>');
      const t = createTask(
        (function* () {
          yield* cond.acquire();
          yield* cond.wait();
          cond.release();
        })(),
      );
      yield* tick(2);
      assert.equal(String(cond), '<Condition [unlocked, waiters:1]>');
      yield* cond.acquire();
      assert.equal(String(cond), '<Condition [locked, waiters:1]>');
      cond.notifyAll();
      cond.release();
      yield* t;
    });
  });
});

describe('Semaphore', () => {
  test('initial_value: negative, fractional or NaN values are RangeErrors naming the range', () => {
    for (const bad of [-1, 1.5, NaN]) {
      assert.throws(() => new Semaphore(bad), {
        name: 'RangeError',
        message: `Semaphore initial value must be >= 0: expected \`value\` to be an integer >= 0, got \`${bad}\` (number)`,
      });
    }
    assert.throws(() => new BoundedSemaphore(-1), { name: 'RangeError' });
    assert.throws(() => new Semaphore('2' as never), { name: 'TypeError' });
    assert.equal(new Semaphore(0).locked(), true);
  });

  test('repr: value and waiters', () => {
    runSync(function* () {
      const sem = new Semaphore(1);
      assert.equal(String(sem), '<Semaphore [unlocked, value:1]>');
      yield* sem.acquire();
      assert.equal(String(sem), '<Semaphore [locked]>');
      const t = createTask(sem.acquire());
      yield* tick();
      assert.equal(String(sem), '<Semaphore [locked, waiters:1]>');
      sem.release();
      yield* t;
      assert.equal(String(new BoundedSemaphore(3)), '<BoundedSemaphore [unlocked, value:3]>');
    });
  });

  test('acquire: counts units and wakes waiters in FIFO order', () => {
    runSync(function* () {
      const sem = new Semaphore(2);
      const order: number[] = [];
      function* worker(n: number): Coroutine<void> {
        yield* sem.acquire();
        order.push(n);
      }
      const tasks = [1, 2, 3, 4].map((n) => createTask(worker(n)));
      yield* tick(2);
      assert.deepEqual(order, [1, 2]);
      assert.equal(sem.locked(), true);
      sem.release();
      yield* tick(2);
      assert.deepEqual(order, [1, 2, 3]);
      sem.release();
      for (const t of tasks) yield* t;
      assert.deepEqual(order, [1, 2, 3, 4]);
      assert.equal(sem._value, 0);
    });
  });

  test('acquire_cancel_before_awoken: the unit of a woken-then-cancelled waiter goes to the next', () => {
    runSync(function* () {
      const sem = new Semaphore(0);
      const got: string[] = [];
      function* worker(name: string): Coroutine<void> {
        yield* sem.acquire();
        got.push(name);
      }
      const ta = createTask(worker('a'));
      const tb = createTask(worker('b'));
      const tc = createTask(worker('c'));
      yield* tick();
      sem.release(); // unit handed to a ...
      ta.cancel(); // ... cancelled in the same iteration
      yield* tick(3);
      assert.ok(ta.cancelled());
      assert.deepEqual(got, ['b']);
      assert.ok(!tc.done());
      assert.equal(sem._value, 0);
      sem.release();
      yield* tc;
      assert.deepEqual(got, ['b', 'c']);
      assert.ok(tb.done());
    });
  });

  test('acquire_hang: cancelled waiters do not make the semaphore look locked', () => {
    runSync(function* () {
      const sem = new Semaphore(0);
      const t1 = createTask(sem.acquire());
      const t2 = createTask(sem.acquire());
      yield* tick();
      t1.cancel();
      t2.cancel();
      sem.release();
      assert.equal(sem.locked(), false); // the only waiters are cancelled
      yield* tick(2);
      assert.ok(t1.cancelled() && t2.cancelled());
      assert.equal(sem._value, 1);
      assert.equal(yield* sem.acquire(), true);
    });
  });

  test('acquire_no_hang: release while a woken waiter is cancelled wakes enough waiters (gh-90155)', () => {
    runSync(function* () {
      const sem = new Semaphore(0);
      const got: number[] = [];
      function* worker(n: number): Coroutine<void> {
        yield* sem.acquire();
        got.push(n);
      }
      const tasks = [0, 1, 2, 3].map((n) => createTask(worker(n)));
      yield* tick();
      sem.release();
      sem.release();
      tasks[0]?.cancel();
      yield* tick(4);
      assert.deepEqual(got, [1, 2]);
      assert.equal(sem._value, 0);
      sem.release();
      yield* tick(2);
      assert.deepEqual(got, [1, 2, 3]);
    });
  });

  test('release_not_acquired: a plain Semaphore may be released above its start value', () => {
    const sem = new Semaphore(1);
    sem.release();
    assert.equal(sem._value, 2);
  });

  test('bounded_semaphore: over-release is RangeError("BoundedSemaphore released too many times")', () => {
    runSync(function* () {
      const sem = new BoundedSemaphore(1);
      assert.throws(() => sem.release(), { name: 'RangeError', message: 'BoundedSemaphore released too many times' });
      yield* sem.aenter();
      yield* sem.aexit();
      assert.throws(() => sem.release(), { name: 'RangeError', message: 'BoundedSemaphore released too many times' });
    });
  });

  test('context_manager: at most `value` tasks inside at once', () => {
    runSync(function* () {
      const sem = new Semaphore(3);
      let inside = 0;
      let peak = 0;
      function* worker(): Coroutine<void> {
        yield* sem.aenter();
        try {
          inside++;
          peak = Math.max(peak, inside);
          yield* sleep(5);
          inside--;
        } finally {
          yield* sem.aexit();
        }
      }
      const tasks = Array.from({ length: 10 }, () => createTask(worker()));
      for (const t of tasks) yield* t;
      assert.equal(peak, 3);
      assert.equal(sem._value, 3);
    });
  });
});

describe('Barrier', () => {
  test('parties: 0, -1 and 1.5 are RangeErrors naming the range', () => {
    for (const bad of [0, -1, 1.5]) {
      assert.throws(() => new Barrier(bad), {
        name: 'RangeError',
        message: `parties must be > 0: expected \`parties\` to be an integer >= 1, got \`${bad}\` (number)`,
      });
    }
    const b = new Barrier(3);
    assert.equal(b.parties, 3);
    assert.equal(b.nWaiting, 0);
    assert.equal(b.broken, false);
    assert.equal(String(b), '<Barrier [filling, waiters:0/3]>');
  });

  test('barrier: all parties are released together, each with a distinct arrival index', () => {
    runSync(function* () {
      const b = new Barrier(3);
      const results: number[] = [];
      let passed = 0;
      function* worker(): Coroutine<void> {
        results.push(yield* b.wait());
        passed++;
      }
      const tasks = [createTask(worker()), createTask(worker())];
      yield* tick(3);
      assert.equal(b.nWaiting, 2);
      assert.equal(passed, 0);
      assert.equal(String(b), '<Barrier [filling, waiters:2/3]>');
      tasks.push(createTask(worker()));
      for (const t of tasks) yield* t;
      assert.equal(passed, 3);
      assert.deepEqual(results, [2, 0, 1]); // the last arrival returns first
      assert.equal(b.nWaiting, 0);
      assert.equal(String(b), '<Barrier [filling, waiters:0/3]>');
    });
  });

  test('draining: a task that waits again while the barrier drains blocks until the next round', () => {
    runSync(function* () {
      const b = new Barrier(2);
      const log: string[] = [];
      function* worker(name: string): Coroutine<void> {
        for (let round = 0; round < 3; round++) {
          yield* b.wait();
          log.push(`${name}${round}`);
        }
      }
      const t1 = createTask(worker('a'));
      const t2 = createTask(worker('b'));
      yield* t1;
      yield* t2;
      // Nobody gets two rounds ahead: the draining barrier holds the fast task back.
      for (let round = 0; round < 3; round++) {
        assert.deepEqual(log.slice(round * 2, round * 2 + 2).sort(), [`a${round}`, `b${round}`]);
      }
    });
  });

  test('reset: waiting tasks get BrokenBarrierError("Abort or reset of barrier"); the barrier is reusable', () => {
    runSync(function* () {
      const b = new Barrier(3);
      const t1 = createTask(b.wait());
      const t2 = createTask(b.wait());
      yield* tick(3);
      assert.equal(b.nWaiting, 2);
      yield* b.reset();
      yield* tick(5);
      for (const t of [t1, t2]) {
        const e = errorOf(t);
        assert.ok(e instanceof BrokenBarrierError && e instanceof RuntimeError);
        assert.equal((e as Error).message, 'Abort or reset of barrier');
      }
      assert.equal(b.broken, false);
      assert.equal(b.nWaiting, 0);
      const tasks = [createTask(b.wait()), createTask(b.wait()), createTask(b.wait())];
      const indices: number[] = [];
      for (const t of tasks) indices.push(yield* t);
      assert.deepEqual(indices.sort(), [0, 1, 2]);
    });
  });

  test('abort: waiting and later tasks get BrokenBarrierError until reset', () => {
    runSync(function* () {
      const b = new Barrier(2);
      const t1 = createTask(b.wait());
      yield* tick(2);
      yield* b.abort();
      yield* tick(3);
      assert.equal((errorOf(t1) as Error).message, 'Abort or reset of barrier');
      assert.equal(b.broken, true);
      assert.equal(String(b), '<Barrier [broken]>');
      let late: unknown = null;
      try {
        yield* b.wait();
      } catch (e) {
        late = e;
      }
      assert.ok(late instanceof BrokenBarrierError);
      assert.equal((late as Error).message, 'Barrier aborted');
      yield* b.reset();
      assert.equal(b.broken, false);
      const t2 = createTask(b.wait());
      yield* tick(2);
      assert.equal(yield* b.wait(), 1);
      assert.equal(yield* t2, 0);
    });
  });

  test('wait_cancel: a cancelled waiter leaves the count, so the barrier still needs `parties` tasks', () => {
    runSync(function* () {
      const b = new Barrier(2);
      const t1 = createTask(b.wait());
      yield* tick(2);
      assert.equal(b.nWaiting, 1);
      t1.cancel();
      yield* tick(3);
      assert.ok(t1.cancelled());
      assert.equal(b.nWaiting, 0);
      const t2 = createTask(b.wait());
      yield* tick(2);
      assert.ok(!t2.done());
      assert.equal(yield* b.wait(), 1);
      assert.equal(yield* t2, 0);
    });
  });

  test('context_manager: aenter waits and returns the index; aexit does nothing', () => {
    runSync(function* () {
      const b = new Barrier(1);
      assert.equal(yield* b.aenter(), 0);
      assert.equal(yield* b.aexit(), undefined);
      assert.equal(b.nWaiting, 0);
    });
  });
});

test('loop binding: every primitive refuses a second loop once bound', () => {
  const ev = new Event();
  runSync(function* () {
    const t = createTask(ev.wait());
    yield* tick();
    ev.set();
    yield* t;
  });
  ev.clear();
  runSync(function* () {
    assert.ok(getRunningLoop());
    assert.throws(() => ev.wait().next(), { name: 'RuntimeError', message: /^<Event \[unset\]> is bound to a different event loop\./ });
  });
});

test('cancelled errors: acquire re-raises the exact CancelledError with its message', () => {
  runSync(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    const t = createTask(
      (function* (): Coroutine<string> {
        try {
          yield* lock.acquire();
          return 'acquired';
        } catch (e) {
          assert.ok(e instanceof CancelledError);
          return `cancelled: ${(e as Error).message}`;
        }
      })(),
    );
    yield* tick();
    t.cancel('stop');
    assert.equal(yield* t, 'cancelled: stop');
  });
});

describe('async with (asyncWith)', () => {
  test('lock_by_with_statement: asyncWith holds the lock for the body and releases it on error', () => {
    runSync(function* () {
      const lock = new Lock();
      const value = yield* asyncWith(lock, function* () {
        assert.equal(lock.locked(), true);
        return 42;
      });
      assert.equal(value, 42);
      assert.equal(lock.locked(), false);
      let caught: unknown = null;
      try {
        yield* asyncWith(lock, function* (): Coroutine<void> {
          yield* sleep(1);
          throw new Error('boom');
        });
      } catch (e) {
        caught = e;
      }
      assert.equal((caught as Error).message, 'boom');
      assert.equal(lock.locked(), false);
    });
  });

  test('semaphore and condition work with asyncWith; barrier binds the arrival index', () => {
    runSync(function* () {
      const sem = new BoundedSemaphore(2);
      yield* asyncWith(sem, function* () {
        assert.equal(sem._value, 1);
      });
      assert.equal(sem._value, 2);
      const cond = new Condition();
      yield* asyncWith(cond, function* () {
        assert.equal(cond.locked(), true);
      });
      assert.equal(cond.locked(), false);
      const barrier = new Barrier(1);
      const index = yield* asyncWith(barrier, function* (i) {
        return i;
      });
      assert.equal(index, 0);
    });
  });

  test('timeout_in_block: waitFor(cond.wait(), t) times out and the block still holds the lock (bpo-32751)', () => {
    runSync(function* () {
      const cond = new Condition();
      yield* asyncWith(cond, function* () {
        let caught: unknown = null;
        try {
          yield* waitFor(cond.wait(), 50);
        } catch (e) {
          caught = e;
        }
        assert.ok(caught instanceof TimeoutError);
        assert.equal(cond.locked(), true);
      });
      assert.equal(cond.locked(), false);
    });
  });
});

describe('wait labels (call graphs name the wait)', () => {
  test('Lock and Event make their label once: every waiter future carries the same one', () => {
    runSync(
      (function* () {
        const lock = new Lock();
        const event = new Event();
        yield* lock.acquire();
        const tasks = [createTask(lock.acquire()), createTask(lock.acquire()), createTask(event.wait()), createTask(event.wait())];
        yield* sleep(0);
        const [l1, l2] = lock._waiters!.toArray().map((f) => f._extra);
        const [e1, e2] = event._waiters.toArray().map((f) => f._extra);
        assert.ok(l1 !== null && l1 === l2 && String((l1 as { op: string }).op) === 'Lock.acquire');
        assert.ok(e1 !== null && e1 === e2 && String((e1 as { op: string }).op) === 'Event.wait');
        event.set();
        lock.release();
        yield* sleep(0);
        lock.release();
        yield* sleep(0);
        lock.release();
        for (const t of tasks) assert.equal(yield* t, true);
      })(),
    );
  });
});
