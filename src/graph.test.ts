import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { captureCallGraph, formatCallGraph } from './graph.ts';
import { getRunningLoop } from './events.ts';
import { createTask, currentTask, sleep, type Task } from './tasks.ts';
import { runSync } from './runners.ts';
import type { Future } from './futures.ts';
import type { Coroutine } from './types.ts';
import { Event, Lock } from './locks.ts';
import { LifoQueue, Queue } from './queues.ts';
import { asyncWith } from './contextlib.ts';
import { gather } from './combinators.ts';
import { timeout } from './timeouts.ts';
import { taskGroup } from './taskgroups.ts';

describe('call graph', () => {
  test('captureCallGraph follows what a task awaits down to the leaf future, and who awaits it', () => {
    runSync(function* () {
      const leaf = getRunningLoop().createFuture<number>();
      function* inner(): Coroutine<number> {
        return yield* leaf;
      }
      function* middle(t: Task<number>): Coroutine<number> {
        return yield* t;
      }
      const a = createTask(inner(), { name: 'inner' });
      const b = createTask(middle(a), { name: 'middle' });
      yield* sleep(0);
      const graph = captureCallGraph(a);
      assert.ok(graph);
      assert.equal(graph.future, a);
      assert.deepEqual(graph.awaiting, [leaf as Future<unknown>]);
      assert.equal(graph.awaitedBy.length, 1);
      assert.equal(graph.awaitedBy[0]?.future, b);
      assert.deepEqual(graph.awaitedBy[0]?.awaiting, [a, leaf]);
      assert.equal(
        formatCallGraph(a),
        [
          "* Task(name='inner', state=pending)",
          '  + Awaiting:',
          '  |   <Future pending>',
          '  + Awaited by:',
          "     * Task(name='middle', state=pending)",
          '       + Awaiting:',
          "       |   Task(name='inner', state=pending)",
          '       |   <Future pending>',
        ].join('\n'),
      );
      leaf.setResult(1);
      assert.equal(yield* b, 1);
    });
  });

  test('without an argument it describes the current task; limit stops the awaitedBy walk', () => {
    runSync(function* () {
      const me = currentTask();
      const graph = captureCallGraph();
      assert.equal(graph?.future, me);
      assert.deepEqual(graph?.awaiting, []);
      const waiter = createTask(
        (function* (): Coroutine<void> {
          yield* me as Task<unknown>;
        })(),
      );
      yield* sleep(0);
      assert.equal(captureCallGraph(me as Task<unknown>, { limit: 0 })?.awaitedBy.length, 0);
      assert.equal(captureCallGraph(me as Task<unknown>)?.awaitedBy[0]?.future, waiter);
      // (cancelling waiter would cancel us: a task's cancel() cancels the task it awaits)
    });
  });

  test('a non-future argument is a TypeError', () => {
    runSync(function* () {
      assert.throws(() => captureCallGraph(42 as never), { name: 'TypeError', message: 'captureCallGraph() expects a Future or Task, got 42' });
    });
  });
});

describe('call graph: what is awaited, in words', () => {
  function graphOf(build: () => Coroutine<Task<unknown>>): string {
    return runSync(function* () {
      const task = yield* build();
      yield* sleep(0);
      yield* sleep(0);
      const text = formatCallGraph(task);
      return text;
    });
  }

  test("a lock waiter: Lock.acquire() on <Lock [locked, waiters:1]> held by Task 'a'", () => {
    const text = graphOf(function* () {
      const lock = new Lock();
      createTask(asyncWith(lock, () => sleep(1000)), { name: 'a' });
      return createTask(lock.acquire(), { name: 'b' });
    });
    assert.equal(text, ["* Task(name='b', state=pending)", '  + Awaiting:', "  |   Lock.acquire() on <Lock [locked, waiters:1]> held by Task 'a'"].join('\n'));
  });

  test('a queue getter and putter: Queue.get() on <Queue maxsize=10 size=0>', () => {
    runSync(function* () {
      const empty = new Queue<number>(10);
      const full = new LifoQueue<number>(1);
      full.putNowait(1);
      const getter = createTask(empty.get(), { name: 'getter' });
      const putter = createTask(full.put(2), { name: 'putter' });
      yield* sleep(0);
      assert.equal(captureCallGraph(getter)?.waitsFor, 'Queue.get() on <Queue maxsize=10 size=0>');
      assert.equal(captureCallGraph(putter)?.waitsFor, 'LifoQueue.put() on <LifoQueue maxsize=1 size=1>');
      getter.cancel();
      putter.cancel();
    });
  });

  test('a sleep: sleep(300) until t=450', () => {
    const text = graphOf(function* () {
      yield* sleep(150);
      return createTask(sleep(300), { name: 'napper' });
    });
    assert.equal(text, ["* Task(name='napper', state=pending)", '  + Awaiting:', '  |   sleep(300) until t=450'].join('\n'));
  });

  test('an event: Event.wait()', () => {
    const text = graphOf(function* () {
      return createTask(new Event().wait(), { name: 'waiter' });
    });
    assert.match(text, /\|   Event\.wait\(\) on <Event \[unset, waiters:1\]>$/);
  });

  test('a gather: gather(3 children: 2 pending)', () => {
    runSync(function* () {
      const done = createTask(sleep(1), { name: 'quick' });
      const slow = [createTask(sleep(500), { name: 's1' }), createTask(sleep(500), { name: 's2' })];
      const main = createTask(
        (function* () {
          return yield* gather(done, ...slow);
        })(),
        { name: 'gatherer' },
      );
      yield* sleep(10);
      assert.equal(captureCallGraph(main)?.waitsFor, 'gather(3 children: 2 pending)');
      // each child is awaited by the gatherer (through the gather's done callbacks, not a task edge)
      assert.equal(formatCallGraph(main), ["* Task(name='gatherer', state=pending)", '  + Awaiting:', '  |   gather(3 children: 2 pending)'].join('\n'));
      main.cancel();
    });
  });

  test('a TaskGroup lists its children; its exit says what it waits for; a timeout says when it expires', () => {
    runSync(function* () {
      yield* sleep(100);
      let inside = '';
      const parent = createTask(
        timeout(500, () =>
          taskGroup(function* (tg) {
            tg.createTask(sleep(50), { name: 'c1' });
            tg.createTask(sleep(60), { name: 'c2' });
            yield* sleep(10);
            inside = formatCallGraph(currentTask() as Task<unknown>);
          }),
        ),
        { name: 'parent' },
      );
      yield* sleep(20);
      assert.equal(
        inside,
        [
          "* Task(name='parent', state=pending)",
          '  + Awaiting:',
          '  |   timeout(500) expires at t=600',
          "  |   TaskGroup(2 children: Task 'c1', Task 'c2')",
        ].join('\n'),
      );
      assert.equal(
        formatCallGraph(parent),
        [
          "* Task(name='parent', state=pending)",
          '  + Awaiting:',
          '  |   timeout(500) expires at t=600',
          "  |   TaskGroup exit waiting for 2 children: Task 'c1', Task 'c2'",
        ].join('\n'),
      );
      yield* parent;
    });
  });
});
