// The drivers: run() must give the thread back while a long pass runs, and wake when the host calls back.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from './runners.ts';
import { createTask, sleep, type Task } from './tasks.ts';
import { EventLoop } from './base-events.ts';
import type { Coroutine } from './types.ts';
import { virtualLoop } from '../test/support/loop.ts';

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

describe('the asynchronous driver on a virtual clock', () => {
  test('run_until_complete resolves with the result (async driver, virtual clock)', async () => {
    const loop = virtualLoop();
    function* main(): Coroutine<number> {
      yield* sleep(5000);
      return 7;
    }
    assert.equal(await loop.runUntilComplete(main()), 7);
    assert.equal(loop.time(), 5000);
    assert.equal(loop.isRunning(), false);
  });

  test('call_soon_threadsafe from a Promise reaction wakes a loop idle waiting for the host', async () => {
    const loop = virtualLoop();
    const done = loop.runForever();
    await Promise.resolve();
    void Promise.resolve().then(() => loop.callSoonThreadsafe(() => loop.stop()));
    await done;
    assert.equal(loop.isRunning(), false);
  });
});

describe('the synchronous driver', () => {
  test('virtual clock: time jumps straight to each next timer, in deadline order', () => {
    const loop = virtualLoop();
    const seen: string[] = [];
    loop.callLater(3000, () => seen.push(`b@${loop.time()}`));
    loop.callLater(1000, () => seen.push(`a@${loop.time()}`));
    function* main(): Coroutine<string> {
      yield* sleep(5000);
      return `main@${loop.time()}`;
    }
    assert.equal(loop.runUntilCompleteSync(main()), 'main@5000');
    assert.deepEqual(seen, ['a@1000', 'b@3000']);
  });

  test('real clock: the thread blocks until the timer is due, then the coroutine goes on', () => {
    const loop = new EventLoop();
    function* main(): Coroutine<boolean> {
      const deadline = loop.time() + 2;
      yield* sleep(2);
      return loop.time() >= deadline; // a timer never fires early
    }
    assert.equal(loop.runUntilCompleteSync(main()), true);
    loop.close();
  });
});

// Node-only: the browser suite's process shim has on/off but no listenerCount.
const noListenerCount = typeof (process as Partial<NodeJS.Process>).listenerCount !== 'function' && 'this host has no process.listenerCount';

describe("the host-exit watch ('beforeExit')", { skip: noListenerCount }, () => {
  test('one listener while run() drives, whatever the number of idles; none left after', async () => {
    const before = process.listenerCount('beforeExit');
    const seen: number[] = [];
    await run(function* (): Coroutine<void> {
      for (let i = 0; i < 5; i++) {
        yield* sleep(1); // each sleep idles the driver on a host timer
        seen.push(process.listenerCount('beforeExit'));
      }
    });
    assert.deepEqual(seen, [before + 1, before + 1, before + 1, before + 1, before + 1]);
    assert.equal(process.listenerCount('beforeExit'), before);
  });

  test('two loops driven at once share the one listener', async () => {
    const before = process.listenerCount('beforeExit');
    let during = -1;
    await Promise.all([
      run(function* (): Coroutine<void> {
        yield* sleep(5);
        during = process.listenerCount('beforeExit');
      }),
      run(function* (): Coroutine<void> {
        yield* sleep(10);
      }),
    ]);
    assert.equal(during, before + 1);
    assert.equal(process.listenerCount('beforeExit'), before);
  });
});
