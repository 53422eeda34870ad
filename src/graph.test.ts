import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { captureCallGraph, formatCallGraph } from './graph.ts';
import { getRunningLoop } from './events.ts';
import { createTask, currentTask, sleep, type Task } from './tasks.ts';
import { runSync } from './runners.ts';
import type { Future } from './futures.ts';
import type { Coroutine } from './types.ts';

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
