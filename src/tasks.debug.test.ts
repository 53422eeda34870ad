// Debug-mode reports of tasks.ts: a swallowed cancellation, a coroutine never awaited.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EventLoop, type ExceptionContext } from './base-events.ts';
import { createTask, sleep } from './tasks.ts';
import type { Coroutine } from './types.ts';

function debugLoop(reports: ExceptionContext[]): EventLoop {
  const loop = new EventLoop({ clock: 'virtual', debug: true });
  loop.setExceptionHandler((_loop, context) => reports.push(context));
  return loop;
}

describe('debug mode', () => {
  test('a task that swallows a cancellation and returns is reported (cpython #111379)', () => {
    const reports: ExceptionContext[] = [];
    const loop = debugLoop(reports);
    function* swallow(): Coroutine<string> {
      try {
        yield* sleep(50);
      } catch {
        return 'swallowed';
      }
      return 'slept';
    }
    const result = loop.runUntilCompleteSync(
      loop.createTask(
        (function* (): Coroutine<string> {
          const t = createTask(swallow(), { name: 'swallower' });
          yield* sleep(0);
          t.cancel();
          return yield* t;
        })(),
      ),
    );
    assert.equal(result, 'swallowed');
    assert.equal(reports.length, 1);
    assert.match(
      reports[0]?.message ?? '',
      /^<Task finished name='swallower' coro=<.*> result='swallowed'> was cancelled 1 time\(s\) and returned normally: it swallowed the CancelledError\. Re-raise it, or call uncancel\(\) if ignoring the cancellation is intended; otherwise timeout\(\) and TaskGroup misbehave\.$/,
    );
    loop.close();
  });

  test('a task that calls uncancel() after catching is not reported', () => {
    const reports: ExceptionContext[] = [];
    const loop = debugLoop(reports);
    loop.runUntilCompleteSync(
      loop.createTask(
        (function* (): Coroutine<void> {
          const t = createTask(
            (function* (): Coroutine<void> {
              try {
                yield* sleep(50);
              } catch {
                loop._currentTask?.uncancel();
              }
            })(),
          );
          yield* sleep(0);
          t.cancel();
          yield* t;
        })(),
      ),
    );
    assert.deepEqual(reports, []);
    loop.close();
  });

  test('a sleep() coroutine that is never started is reported when collected', async (t) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    if (typeof gc !== 'function') {
      t.skip('SKIPPED: cannot force garbage collection on this runtime (--expose-gc refused)');
      return;
    }
    const reports: ExceptionContext[] = [];
    const loop = debugLoop(reports);
    loop.runUntilCompleteSync(
      loop.createTask(
        (function* (): Coroutine<void> {
          // eslint-disable-next-line yieldio/no-floating-coroutine -- the bug under test
          sleep(100); // the bug: no yield*
        })(),
      ),
    );
    for (let i = 0; i < 5 && reports.length === 0; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(
      reports.map((r) => r.message),
      ["coroutine 'sleep' was never awaited: write `yield* sleep(...)`"],
    );
    loop.close();
  });

  test('without debug mode nothing is tracked: a never-started sleep() is not reported', async (t) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    if (typeof gc !== 'function') {
      t.skip('SKIPPED: cannot force garbage collection on this runtime (--expose-gc refused)');
      return;
    }
    const reports: ExceptionContext[] = [];
    const loop = new EventLoop({ clock: 'virtual' });
    loop.setExceptionHandler((_loop, context) => reports.push(context));
    loop.runUntilCompleteSync(
      loop.createTask(
        (function* (): Coroutine<void> {
          // eslint-disable-next-line yieldio/no-floating-coroutine -- the bug under test
          sleep(100);
        })(),
      ),
    );
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(reports, []);
    loop.close();
  });
});
