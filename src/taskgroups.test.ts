import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TaskGroup, taskGroup } from './taskgroups.ts';
import { ExceptionGroup } from './exception-groups.ts';
import { timeout } from './timeouts.ts';
import { CancelledError, RuntimeError, TimeoutError } from './exceptions.ts';
import { Handle, getRunningLoop } from './events.ts';
import { ContextVar } from './contextvars.ts';
import type { ExceptionContext } from './base-events.ts';
import { createTask, currentTask, sleep } from './tasks.ts';
import type { Task } from './tasks.ts';
import { runSync } from './runners.ts';
import { flavours } from '../test/support/flavours.ts';
import type { Awaitable, Coroutine } from './types.ts';
import { catching, fail } from '../test/support/coroutines.ts';

function messages(e: unknown): string[] {
  assert.ok(e instanceof ExceptionGroup, `expected an ExceptionGroup, got ${String(e)}`);
  assert.equal(e.message, 'unhandled errors in a TaskGroup');
  return e.exceptions.map((x) => (x as Error).message);
}

// The whole suite runs under every flavour: lazy and eager tasks, runSync and run (virtual clock).
describe('TaskGroup', () => {
  flavours('taskgroup_results: every child is done when the block ends', function* () {
    const loop = getRunningLoop();
    let t1: Task<number> | null = null;
    let t2: Task<number> | null = null;
    const value = yield* taskGroup(function* (tg) {
      t1 = tg.createTask(sleep(10, 1));
      t2 = tg.createTask(sleep(20, 2), { name: 'second' });
      return 'body';
    });
    assert.equal(value, 'body');
    assert.equal((t1 as unknown as Task<number>).result(), 1);
    assert.equal((t2 as unknown as Task<number>).result(), 2);
    assert.equal((t2 as unknown as Task<number>).getName(), 'second');
    assert.equal(loop.time(), 20);
  });

  flavours('taskgroup_child_fails: siblings and the body are cancelled; one error is still a group', function* () {
    const loop = getRunningLoop();
    const log: string[] = [];
    function* sibling(): Coroutine<void> {
      try {
        yield* sleep(1000);
      } catch (e) {
        log.push(`sibling ${(e as Error).name}`);
        throw e;
      }
    }
    const error = yield* catching(
      taskGroup(function* (tg) {
        tg.createTask(fail(5, 'boom'));
        tg.createTask(sibling());
        try {
          yield* sleep(1000);
        } catch (e) {
          log.push(`body ${(e as Error).name}`);
          throw e;
        }
      }),
    );
    assert.deepEqual(messages(error), ['boom']);
    assert.deepEqual(log.sort(), ['body CancelledError', 'sibling CancelledError']);
    assert.equal(loop.time(), 5);
    assert.equal(currentTask()?.cancelling(), 0);
  });

  flavours('taskgroup_two_failures: both errors, in the order they happened; parent cancelled once', function* () {
    const parent = currentTask() as Task<unknown>;
    let maxCancelling = 0;
    function* watch(): Coroutine<void> {
      try {
        yield* sleep(1000);
      } finally {
        maxCancelling = Math.max(maxCancelling, parent.cancelling());
      }
    }
    function* failOnCancel(): Coroutine<void> {
      try {
        yield* sleep(1000);
      } finally {
        // eslint-disable-next-line no-unsafe-finally
        throw new Error('second');
      }
    }
    const error = yield* catching(
      taskGroup(function* (tg) {
        tg.createTask(watch());
        tg.createTask(failOnCancel());
        tg.createTask(fail(1, 'first'));
        yield* sleep(1000);
      }),
    );
    assert.deepEqual(messages(error), ['first', 'second']);
    assert.equal(maxCancelling, 1);
    assert.equal(parent.cancelling(), 0);
  });

  flavours('taskgroup_body_error: an error in the block cancels the children and joins the group', function* () {
    let childCancelled = false;
    const error = yield* catching(
      taskGroup(function* (tg) {
        const child = tg.createTask(sleep(1000));
        child.addDoneCallback((t) => (childCancelled = t.cancelled()));
        yield* sleep(1);
        throw new RangeError('in body');
      }),
    );
    assert.deepEqual(messages(error), ['in body']);
    yield* sleep(0);
    assert.ok(childCancelled);
  });

  flavours('taskgroup_cancel_from_outside: a CancelledError propagates as is, not wrapped', function* () {
    const children: Task<unknown>[] = [];
    const task = createTask(
      taskGroup(function* (tg) {
        children.push(tg.createTask(sleep(1000)), tg.createTask(sleep(2000)));
        yield* sleep(1000);
      }),
    );
    yield* sleep(10);
    task.cancel('outside');
    const error = yield* catching(task);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.message, 'outside');
    assert.ok(task.cancelled());
    assert.ok(children.every((c) => c.cancelled()));
  });

  flavours('taskgroup_cancel_while_waiting: parent cancelled while aexit waits for the children', function* () {
    let child: Task<unknown> | null = null;
    const task = createTask(
      taskGroup(function* (tg) {
        child = tg.createTask(sleep(1000));
      }),
    );
    yield* sleep(10);
    task.cancel();
    const error = yield* catching(task);
    assert.ok(error instanceof CancelledError);
    assert.ok((child as unknown as Task<unknown>).cancelled());
  });

  flavours('taskgroup_cancel_while_aborting (gh-116720): the group raises its errors and the parent stays cancelled', function* () {
    const log: string[] = [];
    function* slowCleanup(): Coroutine<void> {
      try {
        yield* sleep(1000);
      } finally {
        yield* sleep(5);
      }
    }
    function* main(): Coroutine<void> {
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask(fail(1, 'a'));
          tg.createTask(slowCleanup());
          yield* sleep(1000);
        });
      } catch (e) {
        log.push(`caught ${messages(e).join()} cancelling=${currentTask()?.cancelling()}`);
      }
      try {
        yield* sleep(100);
        log.push('slept');
      } catch (e) {
        log.push('still cancelled');
        throw e;
      }
    }
    const task = createTask(main());
    yield* sleep(2); // the group is aborting (waiting for slowCleanup)
    task.cancel();
    const error = yield* catching(task);
    // CPython 3.13: main caught ExceptionGroup(... [ValueError('a')]) 1 / still cancelled / task ended CancelledError() True
    assert.deepEqual(log, ['caught a cancelling=1', 'still cancelled']);
    assert.ok(error instanceof CancelledError);
    assert.ok(task.cancelled());
  });

  flavours('taskgroup_fail_in_body_finally: a child failing while the body runs its finally joins the group', function* () {
    function* failsOnCleanup(): Coroutine<void> {
      try {
        yield* sleep(1000);
      } finally {
        yield* sleep(2);
        // eslint-disable-next-line no-unsafe-finally
        throw new Error('b');
      }
    }
    let createError: unknown = null;
    const error = yield* catching(
      taskGroup(function* (tg) {
        tg.createTask(fail(1, 'a'));
        tg.createTask(failsOnCleanup());
        try {
          yield* sleep(1000);
        } finally {
          yield* sleep(5);
          try {
            tg.createTask(sleep(0));
          } catch (e) {
            createError = e;
          }
        }
      }),
    );
    assert.deepEqual(messages(error), ['a', 'b']);
    assert.ok(createError instanceof RuntimeError);
    assert.equal(createError.message, 'TaskGroup <TaskGroup errors=2 cancelling> is shutting down');
  });

  flavours('taskgroup_children_cancelled_in_creation_order', function* () {
    const log: number[] = [];
    function* child(n: number): Coroutine<void> {
      try {
        yield* sleep(1000);
      } catch (e) {
        log.push(n);
        throw e;
      }
    }
    const error = yield* catching(
      taskGroup(function* (tg) {
        for (let i = 0; i < 4; i++) tg.createTask(child(i));
        tg.createTask(fail(1, 'z'));
      }),
    );
    assert.deepEqual(messages(error), ['z']);
    assert.deepEqual(log, [0, 1, 2, 3]); // CPython iterates a set: [2, 0, 3, 1] in one run
  });

  flavours('taskgroup_cancelled_child: a child cancelled by someone else is not an error', function* () {
    const value = yield* taskGroup(function* (tg) {
      const t = tg.createTask(sleep(1000));
      yield* sleep(1);
      t.cancel();
      return 'fine';
    });
    assert.equal(value, 'fine');
  });

  flavours('taskgroup_misuse: finished, entered twice, not entered, not a coroutine', function* () {
    const tg = new TaskGroup();
    assert.throws(() => tg.createTask(sleep(0) as never), { name: 'RuntimeError', message: 'TaskGroup <TaskGroup> has not been entered' });
    yield* tg.aenter();
    yield* tg.aexit();
    assert.throws(() => tg.createTask(sleep(0) as never), { name: 'RuntimeError', message: 'TaskGroup <TaskGroup entered> is finished' });
    const twice = yield* catching(tg.aenter());
    assert.ok(twice instanceof RuntimeError);
    assert.equal(twice.message, 'TaskGroup <TaskGroup entered> has already been entered. A TaskGroup is used once: create a new TaskGroup for each block.');
    const exitTwice = yield* catching(tg.aexit());
    assert.ok(exitTwice instanceof RuntimeError);
    assert.equal(exitTwice.message, 'TaskGroup <TaskGroup entered> has already been exited: aexit() must follow aenter(), once');
    yield* taskGroup(function* (g) {
      function* work(): Coroutine<void> {}
      assert.throws(() => g.createTask(work as never), {
        name: 'TypeError',
        message: 'a coroutine was expected, got <function work>. Call the function to get a coroutine: tg.createTask(work()) instead of tg.createTask(work).',
      });
    });
    assert.throws(() => taskGroup(5 as never), { name: 'TypeError', message: 'Expected `body` to be a function, got `5` (number)' });
  });

  flavours('taskgroup_cancel: tg.cancel() cancels the body and the children and exits without error', function* () {
    let child: Task<unknown> | null = null;
    let after = false;
    const value = yield* taskGroup(function* (tg) {
      child = tg.createTask(sleep(1000));
      yield* sleep(1);
      tg.cancel();
      tg.cancel(); // idempotent
      yield* sleep(1000);
      after = true;
      return 'unreachable';
    });
    assert.equal(value, undefined);
    assert.equal(after, false);
    assert.ok((child as unknown as Task<unknown>).cancelled());
    assert.equal(currentTask()?.cancelling(), 0);
    assert.equal(getRunningLoop().time(), 1);
  });

  flavours('taskgroup_cancel_before_enter: the group is cancelled on entry', function* () {
    const tg = new TaskGroup();
    tg.cancel();
    yield* tg.aenter();
    let reached = false;
    try {
      yield* sleep(10);
      reached = true;
    } catch (e) {
      assert.equal(yield* tg.aexit(e), true);
    }
    assert.equal(reached, false);
    tg.cancel(); // after exit: a no-op
    assert.equal(currentTask()?.cancelling(), 0);
  });

  flavours('gh-155433: after tg.cancel(), a cancellation from outside is not swallowed', function* () {
    function* slowCleanup(): Coroutine<void> {
      try {
        yield* sleep(1000);
      } finally {
        yield* sleep(10);
      }
    }
    const task = createTask(
      taskGroup(function* (tg) {
        tg.createTask(slowCleanup());
        yield* sleep(1);
        tg.cancel(); // the body returns without suspending: aexit waits for slowCleanup
        return 'body done';
      }),
    );
    yield* sleep(5);
    task.cancel('outer');
    const error = yield* catching(task);
    assert.ok(error instanceof CancelledError);
    assert.ok(task.cancelled());
  });

  flavours('timeout around a group: the enclosing timeout raises TimeoutError, not a group', function* () {
    const error = yield* catching(
      timeout(10, () =>
        taskGroup(function* (tg) {
          tg.createTask(sleep(1000));
          yield* sleep(1000);
        }),
      ),
    );
    assert.ok(error instanceof TimeoutError);
    assert.equal(currentTask()?.cancelling(), 0);
  });

  flavours('gh-155418: a child that cancels the group before it first suspends does not hang', function* (flavour) {
    let child: Task<unknown> | null = null;
    const value = yield* taskGroup(function* (tg) {
      child = tg.createTask(
        (function* (): Coroutine<void> {
          tg.cancel();
          yield* sleep(1000);
        })(),
      );
      yield* sleep(1000);
      return 'unreachable';
    });
    assert.equal(value, undefined);
    assert.ok((child as unknown as Task<unknown>).cancelled());
    assert.equal(getRunningLoop().time(), 0, flavour.name);
  });

  flavours('gh-128550: a child that fails eagerly inside createTask is reported once the body suspends', function* (flavour) {
    const log: string[] = [];
    const error = yield* catching(
      taskGroup(function* (tg) {
        tg.createTask(
          (function* (): Coroutine<void> {
            throw new Error('eager boom');
          })(),
        );
        log.push('after createTask'); // still running: the failure is delivered through the loop
        yield* sleep(100);
        log.push('not reached');
      }),
    );
    assert.deepEqual(messages(error), ['eager boom']);
    assert.deepEqual(log, ['after createTask'], flavour.name);
  });

  flavours('taskgroup_nested: an inner group failure cancels only the inner group', function* () {
    let outerChild: Task<number> | null = null;
    const value = yield* taskGroup(function* (outer) {
      outerChild = outer.createTask(sleep(50, 7));
      const inner = yield* catching(
        taskGroup(function* (tg) {
          tg.createTask(fail(1, 'inner'));
          yield* sleep(1000);
        }),
      );
      assert.deepEqual(messages(inner), ['inner']);
      return 'outer ok';
    });
    assert.equal(value, 'outer ok');
    assert.equal((outerChild as unknown as Task<number>).result(), 7);
  });
});

describe('TaskGroup (single flavour)', () => {
  test('repr and Symbol.asyncDispose', () => {
    runSync(function* () {
      const tg = new TaskGroup();
      assert.equal(String(tg), '<TaskGroup>');
      yield* tg.aenter();
      tg.createTask(sleep(5));
      assert.equal(String(tg), '<TaskGroup tasks=1 entered>');
      const loop = getRunningLoop();
      const done = tg[Symbol.asyncDispose]();
      assert.ok(done instanceof Promise);
      yield* sleep(10);
      assert.equal(loop.time(), 10);
      assert.equal(String(tg), '<TaskGroup entered>');
    });
  });

  test('a child error after the parent finished goes to the exception handler', () => {
    // Reached only by driving aenter() by hand and never calling aexit().
    const seen: string[] = [];
    runSync(function* () {
      const loop = getRunningLoop();
      loop.setExceptionHandler((_l, context) => seen.push(String(context.message)));
      const tg = new TaskGroup();
      const helper = createTask(
        (function* (): Coroutine<void> {
          yield* tg.aenter();
        })(),
      );
      yield* helper;
      tg.createTask(fail(1, 'late'));
      yield* sleep(5);
    });
    assert.equal(seen.length, 1);
    assert.match(seen[0] as string, /^Task <Task .*> has errored out but its parent task <Task .*> is already completed$/);
  });
});

// The children share one done callback without a Handle each (a DoneListener), per context.
describe('TaskGroup: the children\'s shared done callback', () => {
  function* one(): Coroutine<number> {
    yield* sleep(0);
    return 1;
  }

  test('children made in different contexts each run it in their own (the first context shares it, the others get a Handle)', () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    runSync(function* () {
      const seen: string[] = [];
      yield* taskGroup(function* (tg) {
        const taskDone = tg._taskDone.bind(tg);
        tg._taskDone = (task) => {
          seen.push(`${task.getName()} ${v.get()}`);
          v.set('set by a callback');
          taskDone(task);
        };
        v.set('one');
        tg.createTask(one(), { name: 'a' });
        tg.createTask(one(), { name: 'b' });
        v.set('two');
        tg.createTask(one(), { name: 'c' });
        v.set('one again');
        tg.createTask(one(), { name: 'd' });
      });
      assert.deepEqual(seen, ['a one', 'b one', 'c two', 'd one again']);
    });
  });

  test('debug mode: each child gets a real Handle, named in slow-callback reports', () => {
    runSync(function* () {
      const loop = getRunningLoop();
      const reports: ExceptionContext[] = [];
      loop.setExceptionHandler((_loop, context) => void reports.push(context));
      loop.setDebug(true);
      loop.slowCallbackDuration = 0;
      yield* taskGroup(function* (tg) {
        tg.createTask(one(), { name: 'kid' });
      });
      loop.setDebug(false);
      const report = reports.find((r) => /^Executing \(anonymous\)\(<Task finished name='kid'/.test(r.message));
      assert.ok(report !== undefined, JSON.stringify(reports.map((r) => r.message)));
      assert.ok(report.handle instanceof Handle);
    });
  });

  test('a pending child lists it among its callbacks', () => {
    runSync(function* () {
      yield* taskGroup(function* (tg) {
        const t = tg.createTask(one());
        t.addDoneCallback(function mine() {});
        assert.match(String(t), /cb=\[\(anonymous\)\(\), mine\(\)\]>$/);
      });
    });
  });
});
