import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { asyncTest } from './index.ts';
import { sleep, createTask, getRunningLoop, CancelledError, type Coroutine, type Task } from '../index.ts';

describe('asyncTest', () => {
  test('runs the body on a fresh loop with the virtual clock: 30 s of sleeping take no time', async () => {
    let seen: number | null = null;
    const started = performance.now();
    await asyncTest(function* () {
      yield* sleep(30_000);
      seen = getRunningLoop().time();
    })(undefined);
    assert.equal(seen, 30_000);
    assert.ok(performance.now() - started < 30_000);
  });

  test('each test gets its own loop, starting at time 0', async () => {
    const loops: unknown[] = [];
    const times: number[] = [];
    const body = asyncTest(function* () {
      loops.push(getRunningLoop());
      times.push(getRunningLoop().time());
      yield* sleep(10);
    });
    await body(undefined);
    await body(undefined);
    assert.notEqual(loops[0], loops[1]);
    assert.deepEqual(times, [0, 0]);
  });

  test('passes the runner\'s test context to the body', async () => {
    let received: unknown = null;
    await asyncTest(function* (context: { id: number }) {
      received = context;
      yield* sleep(0);
    })({ id: 7 });
    assert.deepEqual(received, { id: 7 });
  });

  test('the returned function declares one parameter, so node:test does not treat it as callback-style', () => {
    assert.equal(asyncTest(function* () {}).length, 1);
  });

  test('a failing body rejects with its own error', async () => {
    const error = new Error('assertion failed');
    await assert.rejects(asyncTest(function* () {
      yield* sleep(5);
      throw error;
    })(undefined), (e) => e === error);
  });

  test('a task exception nobody retrieved fails the test, naming the task', async () => {
    await assert.rejects(asyncTest(function* () {
      createTask((function* (): Coroutine<void> {
        throw new Error('boom');
      })(), { name: 'forgotten' });
      yield* sleep(10);
    })(undefined), (e: unknown) => {
      assert.ok(e instanceof AggregateError);
      assert.equal(e.message, "asyncTest: Task exception was never retrieved: <Task finished name='forgotten' coro=<coroutine> exception=Error('boom')>");
      assert.equal((e.errors[0] as Error).message, 'boom');
      return true;
    });
  });

  test('a retrieved task exception does not fail the test', async () => {
    await asyncTest(function* () {
      const task = createTask((function* (): Coroutine<void> {
        throw new Error('boom');
      })());
      yield* sleep(10);
      assert.equal((task.exception() as Error).message, 'boom');
    })(undefined);
  });

  test('a task still pending when the body returns fails the test, and is cancelled', async () => {
    let child: Task<void> | null = null;
    let cleanedUp = false;
    await assert.rejects(asyncTest(function* () {
      child = createTask((function* (): Coroutine<void> {
        try {
          yield* sleep(60_000);
        } finally {
          cleanedUp = true;
        }
      })(), { name: 'heartbeat' });
      yield* sleep(0);
    })(undefined), {
      name: 'AggregateError',
      message:
        "asyncTest: 1 task was still pending when the test ended: <Task pending name='heartbeat' coro=<coroutine> wait_for=<sleep 60000 ms>>. " +
        'Await them (or run them in a TaskGroup) so the test checks their outcome; they have been cancelled.',
    });
    assert.equal(cleanedUp, true);
    assert.equal((child as unknown as Task<void>).cancelled(), true);
  });

  test('an error in a loop callback fails the test with the exception handler\'s message', async () => {
    await assert.rejects(asyncTest(function* () {
      getRunningLoop().callSoon(function tick() {
        throw new Error('callback broke');
      });
      yield* sleep(1);
    })(undefined), {
      name: 'AggregateError',
      message: "asyncTest: the loop's exception handler was called: Exception in callback tick() (Error: callback broke)",
    });
  });

  test('a cancelled body rejects with CancelledError', async () => {
    await assert.rejects(asyncTest(function* () {
      const loop = getRunningLoop();
      const self = loop._currentTask as Task<unknown>;
      loop.callLater(5, () => self.cancel('stop'));
      yield* sleep(1_000);
    })(undefined), (e: unknown) => e instanceof CancelledError && e.message === 'stop');
  });

  test('a body that is not a generator function is refused with a hint', async () => {
    assert.throws(() => asyncTest(42 as never), {
      name: 'TypeError',
      message: 'Expected `fn` to be a generator function (the test body), got `42` (number)',
    });
    await assert.rejects(asyncTest((() => 42) as never)(undefined), { name: 'TypeError' });
  });
});
