import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventLoop } from './base-events.ts';
import { TimerHandle, getRunningLoopOrNull } from './events.ts';
import { RuntimeError } from './exceptions.ts';
import { createTask, eagerTaskFactory, sleep } from './tasks.ts';
import { runSync } from './runners.ts';
import type { Coroutine } from './types.ts';
import { virtualLoop, runAll, recordErrors, captureConsoleError } from '../test/support/loop.ts';

function* nothing(): Coroutine<void> {}

describe('EventLoop ordering', () => {
  test('call_soon: callbacks run FIFO, with their arguments', () => {
    const loop = virtualLoop();
    const seen: unknown[] = [];
    loop.callSoon(() => seen.push('a'));
    loop.callSoon((x: number, y: string) => seen.push([x, y]), 1, 'two');
    loop.callSoon((x: number) => seen.push(x), 3);
    assert.equal(loop.runOnce(), 3);
    assert.deepEqual(seen, ['a', [1, 'two'], 3]);
  });

  test('call_soon/call_later without arguments call the callback with no arguments (regression: was one undefined)', () => {
    const loop = virtualLoop();
    const counts: number[] = [];
    loop.callSoon((...args: unknown[]) => counts.push(args.length));
    loop.callLater(0, (...args: unknown[]) => counts.push(args.length));
    loop.callAt(0, (...args: unknown[]) => counts.push(args.length));
    loop.callSoon((...args: unknown[]) => counts.push(args.length), undefined);
    runAll(loop);
    // As asyncio's call_soon(print) prints an empty line, callSoon(console.log) must not print "undefined".
    assert.deepEqual(counts, [0, 1, 0, 0]);
  });

  test('run_once: a callback scheduled during a pass runs in the next pass', () => {
    const loop = virtualLoop();
    const seen: string[] = [];
    loop.callSoon(() => {
      seen.push('a');
      loop.callSoon(() => seen.push('a-child'));
    });
    loop.callSoon(() => seen.push('b'));
    assert.equal(loop.runOnce(), 2);
    assert.deepEqual(seen, ['a', 'b']);
    assert.equal(loop.runOnce(), 1);
    assert.deepEqual(seen, ['a', 'b', 'a-child']);
  });

  test('call_later/call_at: timers fire by deadline, ties in scheduling order', () => {
    const loop = virtualLoop();
    const seen: string[] = [];
    loop.callLater(10, () => seen.push('a@10'));
    loop.callLater(5, () => seen.push('b@5'));
    loop.callLater(10, () => seen.push('c@10'));
    loop.callAt(5, () => seen.push('d@5'));
    loop.callAt(1, () => seen.push('e@1'));
    runAll(loop);
    assert.deepEqual(seen, ['e@1', 'b@5', 'd@5', 'a@10', 'c@10']);
    assert.equal(loop.time(), 10);
  });

  test('run_once: due timers are appended after the callbacks already ready', () => {
    const loop = virtualLoop();
    const seen: string[] = [];
    loop.callSoon(() => seen.push('soon1'));
    loop.callLater(0, () => seen.push('timer'));
    loop.callSoon(() => seen.push('soon2'));
    loop.runOnce();
    assert.deepEqual(seen, ['soon1', 'soon2', 'timer']);
  });

  test('call_later with a negative delay fires on the next iteration, before later deadlines', () => {
    const loop = virtualLoop();
    const seen: string[] = [];
    loop.callLater(1, () => seen.push('one'));
    loop.callLater(0, () => seen.push('zero'));
    loop.callLater(-5, () => seen.push('negative'));
    loop.runOnce();
    assert.deepEqual(seen, ['negative', 'zero']);
    runAll(loop);
    assert.deepEqual(seen, ['negative', 'zero', 'one']);
  });

  test('TimerHandle.when() is the absolute deadline on the loop clock, in ms', () => {
    const loop = virtualLoop();
    loop._virtualNow = 100;
    const h = loop.callLater(25, () => {});
    assert.ok(h instanceof TimerHandle);
    assert.equal(h.when(), 125);
    assert.equal(loop.callAt(7, () => {}).when(), 7);
  });

  test('handle_cancel: a cancelled handle or timer never runs', () => {
    const loop = virtualLoop();
    const seen: string[] = [];
    const h = loop.callSoon(() => seen.push('h'));
    const t = loop.callLater(5, () => seen.push('t'));
    loop.callSoon(() => seen.push('kept'));
    h.cancel();
    t.cancel();
    t.cancel(); // twice is a no-op
    assert.equal(h.cancelled(), true);
    assert.equal(t.cancelled(), true);
    runAll(loop);
    assert.deepEqual(seen, ['kept']);
    assert.equal(loop._timerCancelledCount, 0);
  });

  test('a timer cancelled by an earlier callback of the same pass does not run', () => {
    const loop = virtualLoop();
    const seen: string[] = [];
    let second: TimerHandle | null = null;
    loop.callLater(5, () => {
      seen.push('first');
      second?.cancel();
    });
    second = loop.callLater(5, () => seen.push('second'));
    runAll(loop);
    assert.deepEqual(seen, ['first']);
  });

  test('_run_once_cancelled_event_cleanup: the heap is compacted when cancelled timers dominate', () => {
    const loop = virtualLoop();
    const timers = Array.from({ length: 200 }, (_, i) => loop.callLater(1000 + i, () => {}));
    for (let i = 0; i < 150; i++) (timers[199 - i] as TimerHandle).cancel();
    assert.equal(loop._timerCancelledCount, 150);
    loop.runOnce();
    assert.equal(loop._scheduled.length, 50);
    assert.equal(loop._timerCancelledCount, 0);
    assert.ok(timers.slice(150).every((t) => t.cancelled() && !t._scheduled));
    assert.ok(timers.slice(0, 50).every((t) => !t.cancelled() && t._scheduled));
  });

  test('cancelled timers at the head of the heap are dropped lazily', () => {
    const loop = virtualLoop();
    const a = loop.callLater(1, () => {});
    loop.callLater(2, () => {});
    a.cancel();
    assert.equal(loop._scheduled.length, 2);
    assert.equal(loop._nextDeadline(), 2);
    assert.equal(loop._scheduled.length, 1);
    assert.equal(loop._timerCancelledCount, 0);
  });
});

describe('EventLoop argument checks', () => {
  test('NaN delay is a RangeError naming the parameter', () => {
    const loop = virtualLoop();
    assert.throws(() => loop.callLater(NaN, () => {}), {
      name: 'RangeError',
      message: 'Expected `delay` to be a number of milliseconds, got `NaN` (number)',
    });
    assert.throws(() => loop.callAt(NaN, () => {}), {
      name: 'RangeError',
      message: 'Expected `when` to be a number of milliseconds, got `NaN` (number)',
    });
  });

  test('a delay that is not a number is a TypeError', () => {
    const loop = virtualLoop();
    assert.throws(() => loop.callLater('10' as never, () => {}), {
      name: 'TypeError',
      message: 'Expected `delay` to be a number of milliseconds, got `"10"` (string)',
    });
  });

  test('a callback that is not a function is a TypeError', () => {
    const loop = virtualLoop();
    assert.throws(() => loop.callSoon(42 as never), {
      name: 'TypeError',
      message: 'Expected `callback` to be a function, got `42` (number)',
    });
    assert.throws(() => loop.callLater(1, null as never), {
      name: 'TypeError',
      message: 'Expected `callback` to be a function, got `null` (null)',
    });
    assert.throws(() => loop.setTaskFactory('x' as never), {
      name: 'TypeError',
      message: 'Expected `factory` to be a function, got `"x"` (string)',
    });
    assert.throws(() => loop.setExceptionHandler({} as never), {
      name: 'TypeError',
      message: 'Expected `handler` to be a function, got `[object Object]` (object)',
    });
  });

  test('an unknown clock is a RangeError', () => {
    assert.throws(() => new EventLoop({ clock: 'wall' as never }), {
      name: 'RangeError',
      message: `Expected \`clock\` to be 'real' or 'virtual', got "wall"`,
    });
  });
});

describe('EventLoop lifecycle', () => {
  test('closed loop: scheduling, creating tasks and running are RuntimeErrors', async () => {
    const loop = virtualLoop();
    assert.equal(loop.isClosed(), false);
    loop.close();
    loop.close(); // a second close is a no-op
    assert.equal(loop.isClosed(), true);
    const closed = { name: 'RuntimeError', message: 'Event loop is closed' };
    assert.throws(() => loop.callSoon(() => {}), closed);
    assert.throws(() => loop.callSoonThreadsafe(() => {}), closed);
    assert.throws(() => loop.callLater(1, () => {}), closed);
    assert.throws(() => loop.callAt(1, () => {}), closed);
    assert.throws(() => loop.createTask(nothing()), closed);
    assert.throws(() => loop.runUntilCompleteSync(nothing()), closed);
    assert.throws(() => loop.runUntilComplete(nothing()), closed);
    await assert.rejects(loop.runForever(), closed);
  });

  test('close of a running loop is a RuntimeError', () => {
    const loop = virtualLoop();
    let error: unknown = null;
    function* main(): Coroutine<void> {
      try {
        loop.close();
      } catch (e) {
        error = e;
      }
    }
    loop.runUntilCompleteSync(main());
    assert.ok(error instanceof RuntimeError);
    assert.equal((error as Error).message, 'Cannot close a running event loop');
  });

  test('run_until_complete inside the same loop: "This event loop is already running"', () => {
    const loop = virtualLoop();
    function* main(): Coroutine<string> {
      try {
        loop.runUntilCompleteSync(nothing());
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    }
    assert.equal(loop.runUntilCompleteSync(main()), 'This event loop is already running');
    assert.equal(loop.isRunning(), false);
  });

  test('running a second loop from inside the first is a RuntimeError', () => {
    const outer = virtualLoop();
    const inner = virtualLoop();
    function* main(): Coroutine<string> {
      try {
        inner.runUntilCompleteSync(nothing());
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    }
    assert.equal(outer.runUntilCompleteSync(main()), 'Cannot run the event loop while another loop is running');
    assert.equal(inner.isRunning(), false);
  });

  test('run_until_complete_stopped: stop() before the future is done is a RuntimeError', () => {
    const loop = virtualLoop();
    function* main(): Coroutine<void> {
      loop.stop();
      yield* sleep(10);
    }
    assert.throws(() => loop.runUntilCompleteSync(main()), {
      name: 'RuntimeError',
      message: 'Event loop stopped before Future completed.',
    });
  });

  test('run_until_complete of a future of another loop is a RangeError (asyncio ValueError)', () => {
    const a = virtualLoop();
    const b = virtualLoop();
    const message = 'The future belongs to a different loop than the one specified as the loop argument';
    assert.throws(() => a.runUntilCompleteSync(b.createFuture()), { name: 'RangeError', message });
    assert.throws(() => a.runUntilComplete(b.createFuture()), { name: 'RangeError', message });
    assert.equal(a.isRunning(), false);
  });

  test('run_forever runs until stop(); isRunning() is true meanwhile', async () => {
    const loop = virtualLoop();
    const seen: string[] = [];
    loop.callSoon(() => seen.push(`running=${loop.isRunning()}`));
    loop.callLater(100, () => loop.stop());
    loop.callLater(200, () => seen.push('after stop'));
    await loop.runForever();
    assert.deepEqual(seen, ['running=true']);
    assert.equal(loop.isRunning(), false);
    assert.equal(loop.time(), 100);
  });

  test('getRunningLoop is set only while the loop runs callbacks', () => {
    const loop = virtualLoop();
    let inside: unknown = 'unset';
    loop.callSoon(() => {
      inside = getRunningLoopOrNull();
    });
    runAll(loop);
    assert.equal(inside, loop);
    assert.equal(getRunningLoopOrNull(), null);
  });

  test('close reports a task that is still pending as destroyed', () => {
    const loop = virtualLoop();
    const errors = recordErrors(loop);
    function* forever(): Coroutine<void> {
      yield* sleep(Infinity);
    }
    const task = loop.createTask(forever());
    runAll(loop);
    loop.close();
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.message, 'Task was destroyed but it is pending!');
    assert.equal(errors[0]?.task, task);
  });

  test('set_task_factory: createTask goes through the factory; null restores the default', () => {
    const loop = virtualLoop();
    assert.equal(loop.getTaskFactory(), null);
    loop.setTaskFactory(eagerTaskFactory);
    assert.equal(loop.getTaskFactory(), eagerTaskFactory);
    const calls: string[] = [];
    loop.setTaskFactory((l, coro, options) => {
      calls.push(options.name ?? '(none)');
      return eagerTaskFactory(l, coro, options);
    });
    const task = loop.createTask(nothing(), { name: 'named' });
    assert.deepEqual(calls, ['named']);
    assert.equal(task.getName(), 'named');
    loop.setTaskFactory(null);
    assert.equal(loop.getTaskFactory(), null);
    runAll(loop);
  });
});

describe('EventLoop async generators', () => {
  test('shutdown_asyncgens: closes every tracked generator; a failing aclose is reported, the others still close', () => {
    const loop = virtualLoop();
    const errors = recordErrors(loop);
    const closed: string[] = [];
    const failure = new Error('aclose failed');
    const good = {
      *aclose(): Coroutine<void> {
        yield* sleep(1);
        closed.push('good');
      },
    };
    const bad = {
      *aclose(): Coroutine<void> {
        throw failure;
      },
    };
    loop._registerAsyncgen(good);
    loop._registerAsyncgen(bad);
    loop.runUntilCompleteSync(loop.shutdownAsyncgens());
    assert.deepEqual(closed, ['good']);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.message, 'an error occurred during closing of asynchronous generator');
    assert.equal(errors[0]?.exception, failure);
    assert.equal(errors[0]?.asyncgen, bad);
    assert.equal(loop._asyncgens.size, 0);
  });
});

describe('EventLoop exception handler', () => {
  test('default_exc_handler_callback: a failing callback is reported with message, exception, handle', () => {
    const loop = virtualLoop();
    const errors = recordErrors(loop);
    const boom = new Error('boom');
    const handle = loop.callSoon(function failing(x: number) {
      throw boom;
    }, 1);
    const seen: string[] = [];
    loop.callSoon(() => seen.push('next callback still runs'));
    runAll(loop);
    assert.equal(errors.length, 1);
    assert.deepEqual(Object.keys(errors[0] ?? {}).sort(), ['exception', 'handle', 'message']);
    assert.equal(errors[0]?.message, 'Exception in callback failing(1)');
    assert.equal(errors[0]?.exception, boom);
    assert.equal(errors[0]?.handle, handle);
    assert.deepEqual(seen, ['next callback still runs']);
  });

  test('set_exc_handler_custom: get/set round-trip; the handler gets the loop and the context', () => {
    const loop = virtualLoop();
    const calls: unknown[] = [];
    const handler = (l: EventLoop, context: { message: string }) => calls.push([l, context.message]);
    loop.setExceptionHandler(handler);
    assert.equal(loop.getExceptionHandler(), handler);
    loop.callExceptionHandler({ message: 'hello' });
    assert.deepEqual(calls, [[loop, 'hello']]);
    loop.setExceptionHandler(null);
    assert.equal(loop.getExceptionHandler(), null);
  });

  test('default_exc_handler: logs the message, the other keys sorted, and the stack', () => {
    const loop = virtualLoop();
    const error = new Error('kaput');
    const printed = captureConsoleError(() => loop.callExceptionHandler({ message: 'Something failed', exception: error, zeta: 1, alpha: 'a' }));
    assert.equal(printed.length, 1);
    const lines = (printed[0] as string).split('\n');
    assert.deepEqual(lines.slice(0, 3), ['Something failed', 'alpha: a', 'zeta: 1']);
    assert.equal(lines[3], 'Error: kaput');
  });

  test('default_exc_handler without a message says so', () => {
    const loop = virtualLoop();
    const printed = captureConsoleError(() => loop.defaultExceptionHandler({ message: '' }));
    assert.deepEqual(printed, ['Unhandled exception in event loop']);
  });

  test('set_exc_handler_broken: an error in the custom handler goes to the default handler', () => {
    const loop = virtualLoop();
    loop.setExceptionHandler(() => {
      throw new Error('handler is broken');
    });
    const printed = captureConsoleError(() => loop.callExceptionHandler({ message: 'original' }));
    assert.equal(printed.length, 1);
    // CPython: "context: {'message': 'original'}" then the handler's traceback.
    assert.match(printed[0] as string, /^Unhandled error in exception handler\ncontext: \{ message: 'original' \}\nError: handler is broken/);
  });

  test('debug mode reports a slow callback through the exception handler', () => {
    const loop = virtualLoop();
    const errors = recordErrors(loop);
    assert.equal(loop.getDebug(), false);
    loop.setDebug(true);
    assert.equal(loop.getDebug(), true);
    loop.slowCallbackDuration = 1;
    const handle = loop.callSoon(function busy() {
      const end = performance.now() + 2; // ~ 2 × slowCallbackDuration: the report is what we check
      while (performance.now() < end) {
        /* spin */
      }
    });
    loop.callSoon(function quick() {});
    runAll(loop);
    const slow = errors.filter((e) => e.handle === handle);
    assert.equal(slow.length, 1);
    assert.match(slow[0]?.message ?? '', /^Executing busy\(\) took \d+\.\d{3} ms$/);
  });

  test('debug mode reports a slow task step with the task name', () => {
    const loop = virtualLoop();
    const errors = recordErrors(loop);
    loop.setDebug(true);
    loop.slowCallbackDuration = 1;
    function* busy(): Coroutine<void> {
      const end = performance.now() + 2;
      while (performance.now() < end) {
        /* spin */
      }
    }
    loop.runUntilCompleteSync(loop.createTask(busy(), { name: 'busy-task' }));
    assert.ok(errors.some((e) => /^Executing <Task .*name='busy-task'.*> took \d+\.\d{3} ms$/.test(e.message)), JSON.stringify(errors.map((e) => e.message)));
  });
});

describe('scheduler properties (fast-check)', () => {
  test('property: callSoon runs callbacks exactly once each, in FIFO order (children after everything already queued)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 40 }), fc.nat({ max: 20 }), (fanout, roots) => {
        // Callback number n schedules fanout[n % len] new callbacks (up to 300 in all).
        const loop = virtualLoop();
        const ran: number[] = [];
        let created = 0;
        const childrenOf = (n: number): number => fanout[n % fanout.length] as number;
        const schedule = (): void => {
          const id = created++;
          loop.callSoon(() => {
            ran.push(id);
            for (let k = 0; k < childrenOf(id) && created < 300; k++) schedule();
          });
        };
        for (let i = 0; i < roots; i++) schedule();
        runAll(loop);
        // Model: a plain FIFO queue gives ids in creation order, each exactly once.
        assert.deepEqual(ran, Array.from({ length: created }, (_, i) => i));
      }),
      { numRuns: 100 },
    );
  });

  test('property: timers fire in (deadline, scheduling order), all of them, once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 50 }), { maxLength: 80 }), (delays) => {
        const loop = virtualLoop();
        const fired: number[] = [];
        delays.forEach((d, i) => loop.callLater(d, () => fired.push(i)));
        runAll(loop);
        const expected = delays.map((d, i) => ({ d, i })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.i);
        // Negative delays all mean "due now": asyncio orders them by their (past) deadline too.
        assert.deepEqual(fired, expected);
      }),
      { numRuns: 150 },
    );
  });

  type Op =
    | { kind: 'soon' }
    | { kind: 'later'; delay: number }
    | { kind: 'cancel'; index: number }
    | { kind: 'advance'; ms: number }
    | { kind: 'runOnce' };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.constant<Op>({ kind: 'soon' }),
    fc.integer({ min: 0, max: 30 }).map<Op>((delay) => ({ kind: 'later', delay })),
    fc.nat({ max: 200 }).map<Op>((index) => ({ kind: 'cancel', index })),
    fc.integer({ min: 0, max: 20 }).map<Op>((ms) => ({ kind: 'advance', ms })),
    fc.constant<Op>({ kind: 'runOnce' }),
  );

  test('property: no lost or duplicated callback under random schedule / cancel / advance', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 150 }), (ops) => {
        const loop = virtualLoop();
        const handles: { h: { cancel(): void }; ran: number; cancelledBeforeRun: boolean; when: number; id: number }[] = [];
        const order: number[] = [];
        for (const op of ops) {
          if (op.kind === 'soon' || op.kind === 'later') {
            const entry = { h: { cancel() {} }, ran: 0, cancelledBeforeRun: false, when: op.kind === 'soon' ? -Infinity : loop.time() + op.delay, id: handles.length };
            const cb = (): void => {
              entry.ran++;
              order.push(entry.id);
            };
            entry.h = op.kind === 'soon' ? loop.callSoon(cb) : loop.callLater(op.delay, cb);
            handles.push(entry);
          } else if (op.kind === 'cancel') {
            const entry = handles[op.index % Math.max(handles.length, 1)];
            if (entry !== undefined) {
              if (entry.ran === 0) entry.cancelledBeforeRun = true;
              entry.h.cancel();
            }
          } else if (op.kind === 'advance') {
            loop._virtualNow += op.ms;
          } else {
            loop.runOnce();
          }
        }
        runAll(loop);
        for (const entry of handles) {
          assert.equal(entry.ran, entry.cancelledBeforeRun ? 0 : 1, `callback ${entry.id} ran ${entry.ran} times`);
        }
        assert.equal(loop._ready.length, 0);
        assert.equal(loop._nextDeadline(), null);
        assert.equal(loop._timerCancelledCount, 0);
      }),
      { numRuns: 150 },
    );
  });

  test('property: timers cancelled in bulk are compacted and the rest still fire in order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean()), { minLength: 101, maxLength: 300 }), (spec) => {
        const loop = virtualLoop();
        const fired: number[] = [];
        const handles = spec.map(([delay], i) => loop.callLater(delay, () => fired.push(i)));
        spec.forEach(([, cancel], i) => {
          if (cancel) handles[i]?.cancel();
        });
        runAll(loop);
        const expected = spec
          .map(([d, c], i) => ({ d, c, i }))
          .filter((x) => !x.c)
          .sort((a, b) => a.d - b.d || a.i - b.i)
          .map((x) => x.i);
        assert.deepEqual(fired, expected);
        assert.equal(loop._scheduled.length, 0);
        assert.equal(loop._timerCancelledCount, 0);
      }),
      { numRuns: 40 },
    );
  });
});

test('sleep(0) tasks interleave round-robin with callSoon callbacks (one trip each)', () => {
  const seen: string[] = [];
  runSync(function* () {
    const loop = createTask(nothing()).getLoop();
    function* worker(name: string): Coroutine<void> {
      for (let i = 0; i < 2; i++) {
        seen.push(`${name}${i}`);
        yield* sleep(0);
      }
    }
    const a = createTask(worker('a'));
    const b = createTask(worker('b'));
    loop.callSoon(() => seen.push('cb'));
    yield* a;
    yield* b;
  });
  assert.deepEqual(seen, ['a0', 'b0', 'cb', 'a1', 'b1']);
});
