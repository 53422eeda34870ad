/**
 * "Task exception was never retrieved" and "Future exception was never retrieved": reported
 * through the loop's exception handler when the future is garbage-collected (FinalizationRegistry).
 * Needs a forced GC: `global.gc` under --expose-gc, else V8's flag set at run time; if neither
 * works the test is skipped with the reason. The deterministic part (loop._unretrieved) is in
 * src/tasks.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { EventLoop, type ExceptionContext } from '../../src/base-events.ts';
import { createTask, sleep } from '../../src/tasks.ts';
import type { Coroutine } from '../../src/types.ts';

function findGc(): (() => void) | string {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return gc as () => void;
  } catch (error) {
    return `cannot force a GC: ${(error as Error).message}`;
  }
  return 'cannot force a GC: gc is not exposed';
}

const gc = findGc();
const skip = typeof gc === 'string' ? `SKIPPED LOUDLY: ${gc}` : false;
if (skip) console.warn(`\n*** ${skip} ***\n`);

/** Lets the host run the FinalizationRegistry cleanup task (a macrotask after the GC). */
function hostTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function collectUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 20 && !done(); i++) {
    (gc as () => void)();
    await hostTurn();
  }
}

test('an exception nobody retrieved is reported when its task is collected', { skip }, async () => {
  const loop = new EventLoop({ clock: 'virtual' });
  const seen: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => seen.push(ctx));
  const error = new Error('nobody looked');
  function* main(): Coroutine<void> {
    function* failing(): Coroutine<void> {
      yield* sleep(1);
      throw error;
    }
    createTask(failing(), { name: 'forgotten' }); // no reference kept, never awaited
    yield* sleep(10);
  }
  loop.runUntilCompleteSync(main());
  await collectUntil(() => seen.length > 0);
  const report = seen.find((c) => c.message === 'Task exception was never retrieved');
  assert.ok(report, `no report among ${JSON.stringify(seen.map((c) => c.message))}`);
  assert.equal(report.exception, error);
  assert.match(String(report.future), /^<Task finished name='forgotten' coro=<.*> exception=Error\('nobody looked'\)>$/);
  loop.close();
});

test('a future exception that was retrieved is not reported', { skip }, async () => {
  const loop = new EventLoop({ clock: 'virtual' });
  const seen: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => seen.push(ctx));
  (() => {
    const f = loop.createFuture();
    f.setException(new Error('looked at'));
    f.exception();
    const g = loop.createFuture();
    g.setException(new Error('never looked at'));
  })();
  await collectUntil(() => seen.length > 0);
  // Give the retrieved one the same chances to be (wrongly) reported.
  for (let i = 0; i < 3; i++) {
    (gc as () => void)();
    await hostTurn();
  }
  assert.deepEqual(
    seen.map((c) => [c.message, (c.exception as Error).message]),
    [['Future exception was never retrieved', 'never looked at']],
  );
});

test('a failure in the last pass of a run, on a loop never closed, is still reported by the GC', { skip }, async () => {
  const seen: ExceptionContext[] = [];
  (() => {
    const loop = new EventLoop({ clock: 'virtual' });
    loop.setExceptionHandler((_l, ctx) => seen.push(ctx));
    function* main(): Coroutine<void> {
      createTask((function* (): Coroutine<void> {
        throw new Error('last pass');
      })());
      // A task that is always ready: the loop never idles before it stops.
      createTask((function* (): Coroutine<void> {
        for (;;) yield* sleep(0);
      })());
    }
    loop.runUntilCompleteSync(main()); // the loop is then dropped, never closed
  })();
  await collectUntil(() => seen.length > 0);
  assert.deepEqual(seen.map((c) => [c.message, (c.exception as Error).message]), [['Task exception was never retrieved', 'last pass']]);
});
