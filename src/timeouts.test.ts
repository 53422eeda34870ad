import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Timeout, timeout, timeoutAt } from './timeouts.ts';
import { ExceptionGroup } from './exception-groups.ts';
import { CancelledError, RuntimeError, TimeoutError } from './exceptions.ts';
import { getRunningLoop } from './events.ts';
import { createTask, currentTask, sleep } from './tasks.ts';
import type { Task } from './tasks.ts';
import { runSync } from './runners.ts';
import type { Awaitable, Coroutine } from './types.ts';
import { catching } from '../test/support/coroutines.ts';

describe('timeout', () => {
  test('timeout_basic: the deadline cancels the block and raises TimeoutError from the CancelledError', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      let cm: Timeout | null = null;
      const error = yield* catching(
        timeout(10, function* (t) {
          cm = t;
          yield* sleep(1000);
        }),
      );
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.message, '');
      assert.ok(error.cause instanceof CancelledError);
      assert.equal(loop.time(), 10);
      assert.ok((cm as unknown as Timeout).expired());
      assert.equal(currentTask()?.cancelling(), 0);
    });
  });

  test('timeout_at_basic: an absolute deadline in loop time', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      const deadline = loop.time() + 25;
      const error = yield* catching(timeoutAt(deadline, () => sleep(1000)));
      assert.ok(error instanceof TimeoutError);
      assert.equal(loop.time(), 25);
    });
  });

  test('timeout_not_called: a block that finishes in time returns its value; when() is the deadline', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      const value = yield* timeout(100, function* (t) {
        assert.equal(t.when(), loop.time() + 100);
        assert.equal(String(t), `<Timeout [active] when=100>`);
        return yield* sleep(10, 'ok');
      });
      assert.equal(value, 'ok');
      assert.equal(loop.time(), 10);
    });
  });

  test('timeout_disabled: timeout(null) and timeout(undefined) have no deadline', () => {
    runSync(function* () {
      for (const delay of [null, undefined]) {
        const value = yield* timeout(delay, function* (t) {
          assert.equal(t.when(), null);
          return yield* sleep(1e9, 'late');
        });
        assert.equal(value, 'late');
      }
    });
  });

  test('timeout_zero / negative: timeout(-1) fires on the next iteration', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      for (const delay of [0, -1]) {
        let ran = false;
        const error = yield* catching(
          timeout(delay, function* () {
            ran = true; // the block starts: the deadline only cancels it at its first suspension
            yield* sleep(1000);
          }),
        );
        assert.ok(ran);
        assert.ok(error instanceof TimeoutError);
      }
      assert.equal(loop.time(), 0);
    });
  });

  test('bad delays: NaN is a RangeError, a string a TypeError, a bad body a TypeError', () => {
    runSync(function* () {
      assert.throws(() => timeout(NaN), { name: 'RangeError', message: 'Expected `delay` to be a number of milliseconds, got `NaN` (number)' });
      assert.throws(() => timeoutAt(NaN), { name: 'RangeError', message: 'Expected `when` to be a number of milliseconds, got `NaN` (number)' });
      assert.throws(() => timeout('5' as never), { name: 'TypeError', message: 'Expected `delay` to be a number of milliseconds, got `"5"` (string)' });
      assert.throws(() => timeout(5, 42 as never), { name: 'TypeError', message: 'Expected `body` to be a function, got `42` (number)' });
    });
  });

  test('reschedule: before entering, after exit and after expiry are RuntimeErrors', () => {
    runSync(function* () {
      const t = timeout(10);
      assert.throws(() => t.reschedule(5), { name: 'RuntimeError', message: 'Timeout has not been entered' });
      yield* t.aenter();
      yield* t.aexit();
      assert.equal(String(t), '<Timeout [finished]>');
      assert.throws(() => t.reschedule(5), { name: 'RuntimeError', message: 'Cannot change state of finished Timeout' });
      let expired: Timeout | null = null;
      yield* catching(
        timeout(1, function* (cm) {
          expired = cm;
          yield* sleep(5);
        }),
      );
      assert.throws(() => (expired as unknown as Timeout).reschedule(5), { name: 'RuntimeError', message: 'Cannot change state of expired Timeout' });
    });
  });

  test('reschedule: moving the deadline later, earlier, and removing it', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      // later: the block finishes before the new deadline
      const v = yield* timeout(10, function* (t) {
        t.reschedule(loop.time() + 50);
        return yield* sleep(30, 'in time');
      });
      assert.equal(v, 'in time');
      // removed
      const w = yield* timeout(10, function* (t) {
        t.reschedule(null);
        assert.equal(t.when(), null);
        return yield* sleep(30, 'no deadline');
      });
      assert.equal(w, 'no deadline');
      // into the past: expires on the next iteration
      const start = loop.time();
      const error = yield* catching(
        timeout(1000, function* (t) {
          t.reschedule(loop.time() - 1);
          yield* sleep(30);
        }),
      );
      assert.ok(error instanceof TimeoutError);
      assert.equal(loop.time(), start);
      assert.throws(() => timeout(5).reschedule(NaN), { name: 'RuntimeError' });
    });
  });

  test('timeout_double_enter: entering twice is a RuntimeError', () => {
    runSync(function* () {
      const t = timeout(10);
      yield* t.aenter();
      const error = yield* catching(t.aenter());
      assert.ok(error instanceof RuntimeError);
      assert.equal(error.message, 'Timeout has already been entered');
      yield* t.aexit();
      const again = yield* catching(t.aexit());
      assert.ok(again instanceof RuntimeError);
      assert.equal(again.message, 'Cannot exit a finished Timeout: aexit() must follow aenter(), once');
    });
  });

  test('timeout_without_task: entering outside a task is a RuntimeError', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      let seen: unknown = null;
      const done = loop.createFuture<void>();
      loop.callSoon(() => {
        try {
          timeout(10).aenter().next();
        } catch (error) {
          seen = error;
        }
        done.setResult();
      });
      yield* done;
      assert.ok(seen instanceof RuntimeError);
      assert.equal(seen.message, 'Timeout should be used inside a task');
    });
  });

  test('nested_timeouts: the inner deadline raises only in the inner block', () => {
    runSync(function* () {
      let outerCm: Timeout | null = null;
      let innerCm: Timeout | null = null;
      const result = yield* timeout(100, function* (outer) {
        outerCm = outer;
        const inner = yield* catching(
          timeout(10, function* (t) {
            innerCm = t;
            yield* sleep(1000);
          }),
        );
        assert.ok(inner instanceof TimeoutError);
        return yield* sleep(5, 'after inner');
      });
      assert.equal(result, 'after inner');
      assert.ok((innerCm as unknown as Timeout).expired());
      assert.ok(!(outerCm as unknown as Timeout).expired());
    });
  });

  test('nested_timeouts: the outer deadline passes through the inner block as a CancelledError', () => {
    runSync(function* () {
      const seen: string[] = [];
      const error = yield* catching(
        timeout(10, function* () {
          try {
            yield* timeout(100, () => sleep(1000));
          } catch (e) {
            seen.push((e as Error).name);
            throw e;
          }
        }),
      );
      assert.deepEqual(seen, ['CancelledError']);
      assert.ok(error instanceof TimeoutError);
    });
  });

  test('nested_timeouts_concurrent: both deadlines pass in the same instant; only the outer raises TimeoutError', () => {
    runSync(function* () {
      let innerCm: Timeout | null = null;
      const seen: string[] = [];
      const error = yield* catching(
        timeout(10, function* () {
          try {
            yield* timeout(10, function* (t) {
              innerCm = t;
              yield* sleep(1000);
            });
          } catch (e) {
            seen.push((e as Error).name);
            throw e;
          }
        }),
      );
      // CPython 3.13 prints: inner raised CancelledError True / outer raised TimeoutError True 0
      assert.deepEqual(seen, ['CancelledError']);
      assert.ok((innerCm as unknown as Timeout).expired());
      assert.ok(error instanceof TimeoutError);
      assert.equal(currentTask()?.cancelling(), 0);
    });
  });

  test('cancel_outer: a task cancelled from outside while its timeout also expires stays cancelled', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      let cm: Timeout | null = null;
      const task = createTask(
        timeout(10, function* (t) {
          cm = t;
          yield* sleep(1000);
        }),
      );
      loop.callLater(10, () => task.cancel('from outside'));
      const error = yield* catching(task);
      assert.ok(error instanceof CancelledError);
      assert.ok(task.cancelled());
      assert.ok((cm as unknown as Timeout).expired());
    });
  });

  test('cancel_before_deadline: an outer cancel is never mistaken for a timeout', () => {
    runSync(function* () {
      let cm: Timeout | null = null;
      const task = createTask(
        timeout(100, function* (t) {
          cm = t;
          yield* sleep(1000);
        }),
      );
      yield* sleep(5);
      task.cancel('stop');
      const error = yield* catching(task);
      assert.ok(error instanceof CancelledError);
      assert.equal(error.message, 'stop');
      assert.ok(!(cm as unknown as Timeout).expired());
    });
  });

  test('gh-102780: a task already cancelling on entry still gets its own TimeoutError (compare with <=)', () => {
    runSync(function* () {
      const task = currentTask() as Task<unknown>;
      task.cancel();
      try {
        yield* sleep(0);
      } catch (e) {
        assert.ok(e instanceof CancelledError); // caught without uncancel(): cancelling() stays 1
      }
      assert.equal(task.cancelling(), 1);
      const error = yield* catching(timeout(10, () => sleep(1000)));
      assert.ok(error instanceof TimeoutError);
      assert.equal(task.cancelling(), 1);
      task.uncancel();
    });
  });

  test('timeout_at_same_time: the deadline and the awaited task finishing in the same instant', () => {
    runSync(function* () {
      // CPython 3.13 prints: s12 raised TimeoutError True (the timer scheduled first wins)
      const child = createTask(sleep(10, 'v'));
      const error = yield* catching(
        timeout(10, function* () {
          return yield* child;
        }),
      );
      assert.ok(error instanceof TimeoutError);
      assert.ok(child.cancelled());
    });
  });

  test('timeout_suppressed: a block that swallows the cancellation and returns keeps its value', () => {
    runSync(function* () {
      let cm: Timeout | null = null;
      const value = yield* timeout(10, function* (t) {
        cm = t;
        try {
          yield* sleep(1000);
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
        }
        return 'swallowed';
      });
      assert.equal(value, 'swallowed');
      assert.ok((cm as unknown as Timeout).expired());
      assert.equal(currentTask()?.cancelling(), 0);
    });
  });

  test('timeout_transforms_error_cause: an error raised from our CancelledError gets a TimeoutError in its cause chain', () => {
    runSync(function* () {
      const error = yield* catching(
        timeout(10, function* () {
          try {
            yield* sleep(1000);
          } catch (e) {
            throw new Error('cleanup failed', { cause: e });
          }
        }),
      );
      assert.ok(error instanceof Error);
      assert.equal(error.message, 'cleanup failed');
      assert.ok(error.cause instanceof TimeoutError);
      assert.ok(error.cause.cause instanceof CancelledError);
    });
  });

  test('timeout_transforms_group_members: members of an ExceptionGroup get the TimeoutError too', () => {
    runSync(function* () {
      const error = yield* catching(
        timeout(10, function* () {
          try {
            yield* sleep(1000);
          } catch (e) {
            throw new ExceptionGroup('g', [new Error('a', { cause: e })]);
          }
        }),
      );
      assert.ok(error instanceof ExceptionGroup);
      assert.ok((error.exceptions[0] as Error).cause instanceof TimeoutError);
    });
  });

  test('timeout_other_error: an unrelated error leaves the block unchanged', () => {
    runSync(function* () {
      const boom = new Error('boom');
      const error = yield* catching(
        timeout(10, function* () {
          yield* sleep(1);
          throw boom;
        }),
      );
      assert.equal(error, boom);
    });
  });

  test('aenter/aexit by hand, and Symbol.asyncDispose cancels the pending deadline', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      const t = timeout(10);
      assert.equal(String(t), '<Timeout [created]>');
      assert.equal(yield* t.aenter(), t);
      yield* sleep(5);
      yield* t.aexit();
      assert.ok(!t.expired());
      const d = timeout(10);
      yield* d.aenter();
      yield* sleep(1);
      const disposed = d[Symbol.asyncDispose]();
      assert.ok(disposed instanceof Promise);
      assert.equal(String(d), '<Timeout [finished]>');
      yield* sleep(50); // the deadline would have passed: nothing is cancelled
      assert.equal(loop.time(), 56);
      assert.ok(!d.expired());
    });
  });

  test('timeout(Infinity) never schedules a timer', () => {
    runSync(function* () {
      const value = yield* timeout(Infinity, function* (t) {
        assert.equal(t.when(), Infinity);
        return yield* sleep(1e7, 'done');
      });
      assert.equal(value, 'done');
    });
  });
});
