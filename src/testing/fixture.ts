/**
 * Generator fixtures: setup, `yield value`, teardown, as pytest's `yield` fixtures.
 * @asyncio pytest's `@pytest.fixture` generator fixtures (and pytest-asyncio's async ones)
 *
 * Design notes
 * - A fixture body is a `function*` that awaits with `yield*` (setup, teardown) and hands its
 *   value to the test with one plain `yield value`. Driving it is the async-generator trick: what
 *   the body yields is either a suspension for the event loop (a Future of the loop, or the
 *   `sleep(0)` marker), passed up to the task and answered back, or the fixture's value.
 * - Teardown resumes the body with `next()`, as pytest does, not with `throw()`: the code after
 *   `yield` runs whether the test passed, failed or was cancelled, even without `try/finally`.
 *   The test's error is re-raised afterwards.
 * @module
 */
import { CancelledError, RuntimeError } from '../exceptions.ts';
import { Future } from '../futures.ts';
import { isSuspension as isAwaitForTask } from '../tasks.ts';
import { describeValue } from '../internal/repr.ts';
import { getRunningLoopOrNull } from '../events.ts';
import { checkBody, checkBodyFunction } from '../internal/validate.ts';
import type { Coroutine, Suspend } from '../types.ts';

/** The body of a fixture: awaits with `yield*`, yields its value once with `yield value`. */
export type FixtureBody<T> = () => Generator<Suspend | T, void, unknown>;

/**
 * A fixture made by `fixture(fn)`: use it with `useFixture(f, body)`.
 * @asyncio a pytest fixture function
 */
export interface Fixture<T> {
  /** The fixture body given to `fixture`. */
  readonly body: FixtureBody<T>;
  /** The body's function name, for error messages. */
  readonly name: string;
}

/**
 * Declares a generator fixture: the code before `yield` is the setup, the yielded value is what
 * the test receives, the code after it is the teardown, which always runs.
 * @asyncio `@pytest.fixture` on a generator function (`yield conn` between setup and teardown)
 * @param fn a `function*` that awaits with `yield*` and yields its value exactly once.
 * @returns a Fixture for `useFixture`.
 * @throws {TypeError} if `fn` is not a function.
 * @example
 * const db = fixture(function* () {
 *   const conn = yield* connect('test://localhost');
 *   yield conn;
 *   yield* conn.rollback();
 *   yield* conn.close();
 * });
 */
export function fixture<T>(fn: FixtureBody<T>): Fixture<T> {
  if (typeof fn !== 'function') {
    throw new TypeError(`Expected \`fn\` to be a generator function (the fixture body), got ${describeValue(fn)}`);
  }
  return Object.freeze({ body: fn, name: fn.name || 'fixture' });
}

// The corrected call the body checks show.
const USE_FIXTURE_EXAMPLE = 'useFixture(f, function* (value) { ... })';

// What one drive of the body ended on: its yielded value, or its end.
interface Stop<T> {
  done: boolean;
  value: T | undefined;
}

// A yield the event loop must see (a Future being awaited, a sleep, sleep(0)); anything else the
// body yields is the fixture's value. A Future of another loop is a value too.
function isSuspension(value: unknown): value is Suspend {
  return isAwaitForTask(value) && (!(value instanceof Future) || value._loop === getRunningLoopOrNull());
}

/** Runs the body until it yields a value or returns, passing its awaits through to the task. */
function* drive<T>(gen: Generator<Suspend | T, void, unknown>): Coroutine<Stop<T>> {
  let step = gen.next();
  for (;;) {
    if (step.done === true) return { done: true, value: undefined };
    const value = step.value;
    if (!isSuspension(value)) return { done: false, value: value as T };
    let sent: unknown;
    try {
      sent = yield value;
    } catch (error) {
      // Cancellation (or an error thrown into the task) lands in the body at its await.
      step = gen.throw(error);
      continue;
    }
    step = gen.next(sent);
  }
}

/**
 * Runs a fixture around `body`: setup up to the fixture's `yield`, then `body(value)`, then the
 * teardown (the rest of the fixture), which runs even when the body fails or is cancelled. The
 * body's error, if any, is re-raised after the teardown.
 * @asyncio what pytest does around a test that requests a generator fixture
 * @param f a Fixture from `fixture(fn)`.
 * @param body a function receiving the fixture's value and returning a coroutine (the test).
 * @returns the body's result.
 * @throws {RuntimeError} "fixture function did not yield a value" when the setup ends without
 *   yielding; "fixture function has more than one 'yield'" when the teardown yields again.
 * @throws the body's error (after the teardown); an `AggregateError` of both when the teardown
 *   fails too (a cancelled body stays a `CancelledError`; the teardown error is then reported to
 *   the loop's exception handler).
 * @example
 * test('the query returns the users', asyncTest(function* () {
 *   yield* useFixture(db, function* (conn) {
 *     const rows = yield* conn.execute('SELECT * FROM users');
 *     assert.equal(rows.length, 2);
 *   });
 * }));
 */
export function* useFixture<T, R>(f: Fixture<T>, body: (value: T) => Coroutine<R>): Coroutine<R> {
  if (f === null || typeof f !== 'object' || typeof f.body !== 'function') {
    throw new TypeError(`Expected \`f\` to be a fixture made by fixture(fn), got ${describeValue(f)}`);
  }
  if (typeof body !== 'function') {
    throw new TypeError(`Expected \`body\` to be a generator function receiving the fixture's value, got ${describeValue(body)}`);
  }
  checkBodyFunction(body, 'useFixture', USE_FIXTURE_EXAMPLE);
  const gen = f.body();
  const setup = yield* drive(gen);
  if (setup.done) {
    throw new RuntimeError(`fixture function did not yield a value: ${f.name}. Put \`yield value\` between the setup and the teardown.`);
  }
  let result: R | undefined;
  let failed = false;
  let failure: unknown;
  try {
    result = yield* checkBody<Coroutine<R>>(body(setup.value as T), 'useFixture', USE_FIXTURE_EXAMPLE);
  } catch (error) {
    failed = true;
    failure = error;
  }
  let teardownFailed = false;
  let teardownError: unknown;
  try {
    const end = yield* drive(gen);
    if (!end.done) {
      throw new RuntimeError(`fixture function has more than one 'yield': ${f.name}. A fixture yields its value once.`);
    }
  } catch (error) {
    teardownFailed = true;
    teardownError = error;
  }
  if (failed) {
    if (teardownFailed) {
      if (failure instanceof CancelledError) {
        reportTeardownError(f, teardownError);
        throw failure;
      }
      throw new AggregateError([failure, teardownError], `the test body and the teardown of fixture ${f.name} both failed`);
    }
    throw failure;
  }
  if (teardownFailed) throw teardownError;
  return result as R;
}

function reportTeardownError(f: Fixture<unknown>, error: unknown): void {
  const loop = getRunningLoopOrNull();
  if (loop !== null) loop.callExceptionHandler({ message: `teardown of fixture ${f.name} failed while the test was cancelled`, exception: error });
}
