import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { asyncTest, fixture, useFixture } from './index.ts';
import { sleep, getRunningLoop, CancelledError, RuntimeError, type Coroutine, type Task } from '../index.ts';

function makeDb(log: string[]) {
  return fixture(function* db() {
    yield* sleep(10);
    log.push(`setup@${getRunningLoop().time()}`);
    yield { name: 'conn' };
    yield* sleep(5);
    log.push(`teardown@${getRunningLoop().time()}`);
  });
}

describe('fixture / useFixture', () => {
  test('setup runs, the body gets the yielded value, teardown runs after, all awaiting on the loop', asyncTest(function* () {
    const log: string[] = [];
    const result = yield* useFixture(makeDb(log), function* (conn) {
      log.push(`body ${conn.name}`);
      yield* sleep(100);
      return 'result';
    });
    assert.equal(result, 'result');
    assert.deepEqual(log, ['setup@10', 'body conn', 'teardown@115']);
  }));

  test('teardown runs when the body fails, then the body\'s error is raised', asyncTest(function* () {
    const log: string[] = [];
    const error = new Error('assertion failed');
    let caught: unknown = null;
    try {
      yield* useFixture(makeDb(log), function* () {
        throw error;
      });
    } catch (e) {
      caught = e;
    }
    assert.equal(caught, error);
    assert.deepEqual(log, ['setup@10', 'teardown@15']);
  }));

  test('teardown runs when the body is cancelled, and the task ends cancelled', asyncTest(function* () {
    const log: string[] = [];
    const loop = getRunningLoop();
    const task: Task<void> = loop.createTask(useFixture(makeDb(log), function* () {
      yield* sleep(1_000);
      log.push('body finished');
    }));
    yield* sleep(50);
    task.cancel();
    try {
      yield* task;
    } catch (e) {
      assert.ok(e instanceof CancelledError);
    }
    assert.equal(task.cancelled(), true);
    assert.deepEqual(log, ['setup@10', 'teardown@55']);
  }));

  test('try/finally teardown in the fixture body works too', asyncTest(function* () {
    const log: string[] = [];
    const f = fixture(function* () {
      try {
        yield 1;
      } finally {
        yield* sleep(1);
        log.push('finally');
      }
    });
    yield* useFixture(f, function* (n) {
      log.push(`body ${n}`);
    });
    assert.deepEqual(log, ['body 1', 'finally']);
  }));

  test('a teardown error is raised when the body passed', asyncTest(function* () {
    const f = fixture(function* () {
      yield 1;
      throw new Error('teardown broke');
    });
    let caught: unknown = null;
    try {
      yield* useFixture(f, function* () {});
    } catch (e) {
      caught = e;
    }
    assert.equal((caught as Error).message, 'teardown broke');
  }));

  test('when both the body and the teardown fail, both errors are raised together', asyncTest(function* () {
    const f = fixture(function* conn() {
      yield 1;
      throw new Error('teardown broke');
    });
    let caught: unknown = null;
    try {
      yield* useFixture(f, function* () {
        throw new Error('body broke');
      });
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof AggregateError);
    assert.equal(caught.message, 'the test body and the teardown of fixture conn both failed');
    assert.deepEqual(caught.errors.map((e: Error) => e.message), ['body broke', 'teardown broke']);
  }));

  test('a fixture that never yields is refused', asyncTest(function* () {
    const f = fixture(function* empty(): Generator<never, void, unknown> {});
    let caught: unknown = null;
    try {
      yield* useFixture(f, function* () {});
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof RuntimeError);
    assert.equal((caught as Error).message, 'fixture function did not yield a value: empty. Put `yield value` between the setup and the teardown.');
  }));

  test('a fixture that yields twice is refused after the body ran', asyncTest(function* () {
    const f = fixture(function* twice() {
      yield 1;
      yield 2;
    });
    let caught: unknown = null;
    let ran = false;
    try {
      yield* useFixture(f, function* () {
        ran = true;
      });
    } catch (e) {
      caught = e;
    }
    assert.equal(ran, true);
    assert.equal((caught as Error).message, "fixture function has more than one 'yield': twice. A fixture yields its value once.");
  }));

  test('bad arguments are refused, naming the parameter', () => {
    assert.throws(() => fixture(null as never), {
      name: 'TypeError',
      message: 'Expected `fn` to be a generator function (the fixture body), got `null` (null)',
    });
    assert.throws(() => useFixture({} as never, function* () {}).next(), {
      name: 'TypeError',
      message: 'Expected `f` to be a fixture made by fixture(fn), got `[object Object]` (object)',
    });
    assert.throws(() => useFixture(fixture(function* () { yield 1; }), 5 as never).next(), {
      name: 'TypeError',
      message: "Expected `body` to be a generator function receiving the fixture's value, got `5` (number)",
    });
  });
});

// Keep the type of a fixture's value flowing into the body.
function* typed(): Coroutine<number> {
  return yield* useFixture(fixture(function* () { yield 41; }), function* (n: number) { return n + 1; });
}
void typed;
