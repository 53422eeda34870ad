// sleep(delay > 0) is a trap: the task arms a timer that wakes it directly (no Future). These
// tests pin the behaviour asyncio's Future-based sleep has, through that different mechanism.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError, RuntimeError } from './exceptions.ts';
import { getRunningLoop } from './events.ts';
import { createTask, sleep, type Task } from './tasks.ts';
import { runSync } from './runners.ts';
import { captureCallGraph, formatCallGraph } from './graph.ts';
import { asyncFor, asyncGenerator } from './asyncgen.ts';
import { flavours } from '../test/support/flavours.ts';
import { catching } from '../test/support/coroutines.ts';
import type { Coroutine } from './types.ts';

function* sleeper(ms: number, log: string[]): Coroutine<string> {
  try {
    return yield* sleep(ms, 'woke');
  } catch (e) {
    log.push(`caught ${(e as Error).name} '${(e as Error).message}' at ${getRunningLoop().time()}`);
    throw e;
  }
}

describe('sleep as a trap', () => {
  flavours('sleep returns its value at its deadline', function* () {
    const loop = getRunningLoop();
    const start = loop.time();
    assert.equal(yield* sleep(250, 'v'), 'v');
    assert.equal(loop.time() - start, 250);
  });

  flavours('cancel(msg) while sleeping: CancelledError(msg) at the sleep, at once, and the timer is gone', function* () {
    const loop = getRunningLoop();
    const log: string[] = [];
    const t = createTask(sleeper(10_000, log));
    yield* sleep(100);
    assert.match(String(t), /wait_for=<sleep 10000 ms>/);
    const timersBefore = loop._scheduled.items.filter((h) => !h._cancelled).length;
    assert.equal(t.cancel('stop'), true);
    const e = yield* catching(t);
    assert.ok(e instanceof CancelledError);
    assert.deepEqual(log, [`caught CancelledError 'stop' at ${loop.time()}`]);
    assert.equal(loop.time(), 100);
    assert.equal(loop._scheduled.items.filter((h) => !h._cancelled).length, timersBefore - 1);
  });

  flavours('a task that cancels itself and then sleeps is cancelled at that sleep, without waiting', function* () {
    const loop = getRunningLoop();
    const log: string[] = [];
    const t = createTask(
      (function* (): Coroutine<string> {
        (getRunningLoop()._currentTask as Task<unknown>).cancel('self');
        return yield* sleeper(5_000, log);
      })(),
    );
    yield* catching(t);
    assert.equal(t.cancelled(), true);
    assert.deepEqual(log, ["caught CancelledError 'self' at 0"]);
    assert.equal(loop.time(), 0);
  });

  flavours('a cancellation caught inside the sleeper lets it sleep again (uncancel)', function* () {
    const t = createTask(
      (function* (): Coroutine<string> {
        try {
          yield* sleep(1_000);
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          getRunningLoop()._currentTask?.uncancel();
        }
        return yield* sleep(50, 'second sleep');
      })(),
    );
    yield* sleep(10);
    t.cancel();
    assert.equal(yield* t, 'second sleep');
  });

  // CPython's sleep awaits a Future, so cancel(msg) cancels that future: the first message wins and
  // uncancel() cannot withdraw it (twins in test/differential/cancel_message_rule.py).
  flavours('cancel twice while sleeping: the first message wins (CPython: m26, m31 -> m26; m32, None -> m32)', function* () {
    for (const [first, second, expected] of [
      ['m26', 'm31', 'm26'],
      ['m32', undefined, 'm32'],
      [undefined, 'm33', ''],
    ] as const) {
      const log: string[] = [];
      const t = createTask(sleeper(10_000, log));
      yield* sleep(0);
      assert.equal(t.cancel(first), true);
      assert.equal(t.cancel(second), true); // CPython: True (the task is pending), _must_cancel set
      assert.equal(t.cancelling(), 2);
      const e = yield* catching(t);
      assert.ok(e instanceof CancelledError);
      assert.equal(e.message, expected);
      assert.deepEqual(log, [`caught CancelledError '${expected}' at ${getRunningLoop().time()}`]);
      assert.equal(t.cancelled(), true);
    }
  });

  flavours('cancel(msg) then uncancel() on a sleeping task: the sleep still raises CancelledError(msg)', function* () {
    // CPython 3.13: uncancel -> 0, then "CancelledError 'stop' cancelled=True", at once.
    const loop = getRunningLoop();
    const log: string[] = [];
    const t = createTask(sleeper(1_000, log));
    yield* sleep(0);
    const start = loop.time();
    t.cancel('stop');
    assert.equal(t.uncancel(), 0);
    const e = yield* catching(t);
    assert.ok(e instanceof CancelledError);
    assert.equal(e.message, 'stop');
    assert.equal(t.cancelled(), true);
    assert.equal(loop.time(), start); // never a sleep that returns early or late
  });

  flavours('a task that cancels itself, then sleeps, then is cancelled again keeps its own message', function* () {
    // CPython 3.13: "self then second (sleep): CancelledError 'self'"; with uncancel() instead of the
    // second cancel: "CancelledError 'self'" too (the sleep future was already cancelled).
    for (const withdraw of [false, true]) {
      const log: string[] = [];
      const t = createTask(
        (function* (): Coroutine<string> {
          (getRunningLoop()._currentTask as Task<unknown>).cancel('self');
          return yield* sleeper(5_000, log);
        })(),
      );
      yield* sleep(0);
      if (withdraw) assert.equal(t.uncancel(), 0);
      else t.cancel('second');
      const e = yield* catching(t);
      assert.ok(e instanceof CancelledError);
      assert.equal(e.message, 'self');
      assert.deepEqual(log, ["caught CancelledError 'self' at 0"]);
    }
  });

  test('`yield sleep(10)` without the star is caught, as a bare `yield future` is', () => {
    const error = runSync(function* () {
      return yield* catching(
        (function* (): Coroutine<void> {
          yield sleep(10) as never;
        })(),
      );
    });
    assert.ok(error instanceof RuntimeError);
    assert.match((error as Error).message, /^yield was used instead of yield\* in task <Task .*> with <sleep 10 ms>\. Write `yield\* sleep\(\.\.\.\)`\.$/);
  });

  test('the call graph shows a task sleeping at the end of its chain', () => {
    runSync(function* () {
      const inner = createTask(sleep(300), { name: 'inner' });
      const outer = createTask(
        (function* (): Coroutine<void> {
          yield* inner;
        })(),
        { name: 'outer' },
      );
      yield* sleep(0);
      assert.equal(captureCallGraph(inner)?.sleeping, 300);
      assert.equal(captureCallGraph(outer)?.sleeping, 300);
      assert.equal(
        formatCallGraph(outer),
        ["* Task(name='outer', state=pending)", '  + Awaiting:', "  |   Task(name='inner', state=pending)", '  |   sleep(300) until t=300'].join('\n'),
      );
      yield* outer;
    });
  });

  // The value rides on the task while it sleeps (the trap hands it over when armed, the task sends
  // it back): it must survive forwarding through an async generator's body, and a cancel replaces it.
  flavours('a value sleep inside an async generator body returns its value; a cancelled one raises instead', function* () {
    const values = asyncGenerator(function* values() {
      yield yield* sleep(10, 'a');
      yield yield* sleep(20, { b: 2 });
    });
    const seen: unknown[] = [];
    yield* asyncFor(values(), function* (v) {
      seen.push(v);
    });
    assert.deepEqual(seen, ['a', { b: 2 }]);
    const t = createTask(sleep(1_000, 'never'));
    yield* sleep(1);
    t.cancel('stop');
    const e = yield* catching(t);
    assert.ok(e instanceof CancelledError);
    assert.equal(e.message, 'stop');
  });
});
