// createEagerTaskFactory(customTaskConstructor) (issue #16 §3), ported from CPython 3.13's
// test_eager_task_factory.py (EagerTaskFactoryLoopTests with a custom Task, BaseTaskCountingTests).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoop } from './base-events.ts';
import { ContextVar } from './contextvars.ts';
import { gather } from './combinators.ts';
import { taskGroup } from './taskgroups.ts';
import { Task, createEagerTaskFactory, createTask, sleep, type TaskOptions } from './tasks.ts';
import type { Coroutine } from './types.ts';

class CountingTask<T> extends Task<T> {
  static eager = 0;
  static lazy = 0;
  constructor(coro: Coroutine<T>, loop: EventLoop, options: TaskOptions) {
    super(coro, loop, options);
    if (options.eagerStart === true) CountingTask.eager++;
    else CountingTask.lazy++;
  }
}

function reset(): void {
  CountingTask.eager = 0;
  CountingTask.lazy = 0;
}

function* recursiveGather(width: number, depth: number): Coroutine<void> {
  if (depth === 0) return;
  yield* gather(Array.from({ length: width }, () => recursiveGather(width, depth - 1)));
}

function* recursiveTaskgroups(width: number, depth: number): Coroutine<void> {
  if (depth === 0) return;
  yield* taskGroup(function* (tg) {
    for (let i = 0; i < width; i++) tg.createTask(recursiveTaskgroups(width, depth - 1));
  });
}

describe('createEagerTaskFactory', () => {
  test('test_eager_task_factory_set: createTask builds the custom class, eagerly, with the name given', () => {
    reset();
    const loop = new EventLoop({ clock: 'virtual' });
    const factory = createEagerTaskFactory(CountingTask);
    loop.setTaskFactory(factory);
    assert.equal(loop.getTaskFactory(), factory);
    const seen: string[] = [];
    loop.runUntilCompleteSync((function* (): Coroutine<void> {
      const t = createTask((function* (): Coroutine<void> {
        seen.push('first step ran inside createTask');
        yield* sleep(1);
      })(), { name: 'custom' });
      seen.push(`after createTask: ${t instanceof CountingTask} ${t.getName()}`);
      yield* t;
    })());
    assert.deepEqual(seen, ['first step ran inside createTask', 'after createTask: true custom']);
    loop.close();
  });

  test('test_context_vars: the eager first step runs in a copy of the creator context', () => {
    const cv = new ContextVar<number>('cv', { default: 0 });
    const loop = new EventLoop({ clock: 'virtual' });
    loop.setTaskFactory(createEagerTaskFactory(Task));
    let first = false;
    let second = false;
    loop.runUntilCompleteSync((function* (): Coroutine<void> {
      cv.set(1);
      const t = createTask((function* (): Coroutine<void> {
        assert.equal(cv.get(), 1);
        cv.set(2);
        first = true;
        yield* sleep(100);
        assert.equal(cv.get(), 2);
        cv.set(3);
        second = true;
      })());
      assert.equal(first, true);
      assert.equal(second, false);
      assert.equal(cv.get(), 1);
      yield* t;
      assert.equal(second, true);
      assert.equal(cv.get(), 1);
    })());
    loop.close();
  });

  test('BaseTaskCountingTests: recursive gather(5, 4) and TaskGroups build 780 tasks, all eager, all through the factory', () => {
    for (const body of [() => recursiveGather(5, 4), () => recursiveTaskgroups(5, 4)]) {
      reset();
      const loop = new EventLoop({ clock: 'virtual' });
      loop.setTaskFactory(createEagerTaskFactory(CountingTask));
      loop.runUntilCompleteSync(body());
      // CPython counts the non-eager constructions: 0 with the eager factory, 781 without it.
      assert.equal(CountingTask.lazy, 0);
      assert.equal(CountingTask.eager, 781); // the main task too: runUntilComplete goes through the factory
      loop.close();
    }
  });

  test('a plain (non-eager) factory around the same class counts 781 lazy tasks, as CPython NonEagerTests', () => {
    reset();
    const loop = new EventLoop({ clock: 'virtual' });
    loop.setTaskFactory((l, coro, options) => new CountingTask(coro, l, options));
    loop.runUntilCompleteSync(recursiveGather(5, 4));
    assert.equal(CountingTask.lazy, 781);
    assert.equal(CountingTask.eager, 0);
    loop.close();
  });

  test('a customTaskConstructor that is not a constructor is a TypeError', () => {
    assert.throws(() => createEagerTaskFactory((() => null) as never), {
      name: 'TypeError',
      message: /^Expected `customTaskConstructor` to be Task or a subclass of it, got /,
    });
    assert.throws(() => createEagerTaskFactory(42 as never), { name: 'TypeError' });
  });

  test('the factory refuses a non-coroutine with createTask\'s message', () => {
    const loop = new EventLoop({ clock: 'virtual' });
    loop.setTaskFactory(createEagerTaskFactory(Task));
    assert.throws(() => loop.createTask(42 as never), { name: 'TypeError', message: /^a coroutine was expected, got .*42/ });
    loop.close();
  });
});
