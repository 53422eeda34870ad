// Debug mode: an async generator that yields a value inside a timeout() or TaskGroup it opened.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventLoop, type ExceptionContext } from '../base-events.ts';
import { asyncGenerator, asyncFor, BREAK } from '../asyncgen.ts';
import { timeout } from '../timeouts.ts';
import { taskGroup } from '../taskgroups.ts';
import { sleep } from '../tasks.ts';
import type { Coroutine } from '../types.ts';
import { catching } from '../../test/support/coroutines.ts';

function runDebug(main: () => Coroutine<void>, debug = true): ExceptionContext[] {
  const reports: ExceptionContext[] = [];
  const loop = new EventLoop({ clock: 'virtual', debug });
  loop.setExceptionHandler((_loop, context) => reports.push(context));
  loop.runUntilCompleteSync(loop.createTask(main()));
  loop.close();
  return reports;
}

const misnested = asyncGenerator(function* misnested() {
  yield* timeout(1_000, function* () {
    yield* sleep(1);
    // The bug. TypeScript already rejects it (the body is a Coroutine); plain-JS callers and casts
    // get here, and debug mode reports it.
    yield 'inside the timeout' as never;
  });
});

const nested = asyncGenerator(function* nested() {
  const value = yield* timeout(1_000, function* () {
    yield* sleep(1);
    return 'computed inside';
  });
  yield value; // fine: the scope is closed
});

const inGroup = asyncGenerator(function* inGroup() {
  yield* taskGroup(function* () {
    yield 1 as never;
  });
});

describe('misnesting (debug mode)', () => {
  test('a value yielded inside a timeout() the generator opened is reported with the advice (anext)', () => {
    const reports = runDebug(function* () {
      const agen = misnested();
      assert.equal(yield* agen.anext(), 'inside the timeout');
      yield* agen.aclose();
    });
    assert.equal(reports.length, 1);
    assert.match(reports[0]?.message ?? '', /yielded a value while a timeout\(\) or TaskGroup it opened is still open\. The scope now covers the consumer's code/);
  });

  test('the same through asyncFor, and inside a TaskGroup', () => {
    const reports = runDebug(function* () {
      // Closing it throws GeneratorExit into the group, which raises it as a group, as CPython
      // 3.13 does (BaseExceptionGroup there): one more reason not to yield inside the scope.
      const error = yield* catching(asyncFor(inGroup(), () => BREAK));
      assert.equal((error as Error).message, 'unhandled errors in a TaskGroup');
    });
    assert.equal(reports.length, 1);
    assert.match(reports[0]?.message ?? '', /TaskGroup it opened is still open/);
  });

  test('a value yielded after the scope closed is not reported', () => {
    const reports = runDebug(function* () {
      yield* asyncFor(nested(), (v) => {
        assert.equal(v, 'computed inside');
      });
    });
    assert.deepEqual(reports, []);
  });

  test('without debug mode nothing is reported', () => {
    const reports = runDebug(function* () {
      const agen = misnested();
      yield* agen.anext();
      yield* agen.aclose();
    }, false);
    assert.deepEqual(reports, []);
  });
});
