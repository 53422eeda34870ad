// run()'s last steps: cancel the tasks, close async generators, then the loop's shutdown steps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { run, runSync } from './runners.ts';
import { getRunningLoop } from './events.ts';
import { createTask, sleep } from './tasks.ts';
import { asyncGenerator } from './asyncgen.ts';
import type { ExceptionContext } from './base-events.ts';
import type { Coroutine } from './types.ts';

describe('shutdown steps', () => {
  test('they run once, in registration order, after tasks are cancelled and async generators closed', async () => {
    const order: string[] = [];
    const ticks = asyncGenerator(function* () {
      try {
        for (;;) yield 1;
      } finally {
        order.push('async generator closed');
      }
    });
    await run(function* () {
      const loop = getRunningLoop();
      createTask(
        (function* (): Coroutine<void> {
          try {
            yield* sleep(60_000);
          } finally {
            order.push('task cancelled');
          }
        })(),
      );
      const agen = ticks();
      yield* agen.anext();
      loop._addShutdownStep(() => {
        order.push('step 1');
      });
      const removed = loop._addShutdownStep(() => {
        order.push('never');
      });
      loop._addShutdownStep(function* () {
        yield* sleep(0);
        order.push('step 3 (a coroutine, awaited)');
      });
      removed();
      yield* sleep(0);
    });
    assert.deepEqual(order, ['task cancelled', 'async generator closed', 'step 1', 'step 3 (a coroutine, awaited)']);
  });

  test('a failing step is reported and the others still run', () => {
    const reports: ExceptionContext[] = [];
    const order: string[] = [];
    runSync(function* () {
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop, context) => reports.push(context));
      loop._addShutdownStep(() => {
        throw new Error('socket already gone');
      });
      loop._addShutdownStep(() => {
        order.push('second step');
      });
    });
    assert.deepEqual(order, ['second step']);
    assert.equal(reports[0]?.message, 'an error occurred while shutting the loop down');
    assert.equal((reports[0]?.exception as Error).message, 'socket already gone');
  });
});
