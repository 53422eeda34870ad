// The async driver and the host: run() must give the thread back while a long pass runs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from './runners.ts';
import { createTask, sleep, type Task } from './tasks.ts';
import type { Coroutine } from './types.ts';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* each task works at least `ms` on the loop's thread */
  }
}

describe('run() and the host', () => {
  test('a single pass over many slow callbacks pauses for host callbacks (no starvation)', async () => {
    let hostRan = false;
    const seenByTask: boolean[] = [];
    await run(function* (): Coroutine<void> {
      const tasks: Task<void>[] = [];
      for (let i = 0; i < 100; i++) {
        tasks.push(
          createTask(
            (function* (): Coroutine<void> {
              busy(1); // 100 tasks x 1 ms in one pass: well past the 8 ms budget
              seenByTask.push(hostRan);
            })(),
          ),
        );
      }
      setImmediate(() => {
        hostRan = true;
      });
      for (const t of tasks) yield* t;
    });
    assert.equal(seenByTask.length, 100);
    assert.equal(seenByTask[0], false);
    assert.equal(seenByTask[99], true, 'the host callback must run before the pass ends');
    // FIFO order is kept across the pause: once the host ran, every later task sees it.
    const first = seenByTask.indexOf(true);
    assert.ok(seenByTask.slice(first).every(Boolean));
  });

  test('Promise reactions scheduled by a task run while the loop keeps working', async () => {
    const order: string[] = [];
    await run(function* (): Coroutine<void> {
      void Promise.resolve().then(() => order.push('promise reaction'));
      for (let i = 0; i < 20; i++) {
        busy(1);
        yield* sleep(0);
      }
      order.push('loop done');
    });
    assert.deepEqual(order, ['promise reaction', 'loop done']);
  });
});
