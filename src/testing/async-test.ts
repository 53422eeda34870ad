/**
 * asyncTest: a coroutine test body for node:test, vitest, or any runner that awaits a Promise.
 * @asyncio unittest.IsolatedAsyncioTestCase / pytest-asyncio's `@pytest.mark.asyncio`
 *
 * Design notes
 * - Each test gets a fresh `EventLoop` on the virtual clock: sleeps and timeouts are instant and
 *   deterministic. It runs on the asynchronous driver (`runUntilComplete`), so a body that awaits
 *   the host (`fromPromise(fetch(...))`, a local server) works too.
 * - The test fails on what asyncio only logs: a task exception nobody retrieved, a task still
 *   pending when the body returns (a leak: fire-and-forget work the test never checked), and
 *   anything reported to the loop's exception handler (an error in a callback). The core reports
 *   every unretrieved exception when the loop closes, so the handler sees those too.
 * - Leaked tasks are cancelled and awaited, and open async generators closed, before the loop is
 *   closed, so one test never leaves work behind for the next.
 * @module
 */
import { EventLoop, type ExceptionContext } from '../base-events.ts';
import { isCoroutine, type Task } from '../tasks.ts';
import { functionKind } from '../internal/validate.ts';
import { describeValue } from '../internal/repr.ts';
import type { Coroutine } from '../types.ts';

/** Options of `asyncTest`. */
export interface AsyncTestOptions {
  /** Run the loop in debug mode (slow callbacks are reported, and fail the test). Default false. */
  debug?: boolean;
}

// How many rounds of "cancel what is left" before giving up on a task that keeps spawning tasks.
const MAX_CLEANUP_ROUNDS = 10;

/**
 * Turns a coroutine function into a test function: it runs `fn(context)` as a task on a fresh
 * loop with the virtual clock, and the returned Promise rejects if the body fails, if a task
 * exception was never retrieved, if a task is still pending when the body returns, or if the
 * loop's exception handler was called. Leaked tasks are cancelled and the loop is closed either way.
 * @asyncio unittest.IsolatedAsyncioTestCase (a fresh loop per test)
 * Differs from asyncio: asyncio only logs never-retrieved exceptions and pending tasks (at garbage
 * collection); here they fail the test, deterministically, when the body returns.
 * @param fn a generator function: the test body. It receives the runner's test context (node:test's
 *   `t`, vitest's `{ expect, ... }`), if the runner passes one.
 * @param options `{ debug }`.
 * @returns a function for `test(name, fn)` that returns a Promise.
 * @throws {TypeError} if `fn` is not a function or is a native async one (at once), or does not
 *   return a coroutine (when the test runs).
 * @example
 * test('the retry client waits 1 + 2 + 4 s', asyncTest(function* () {
 *   const loop = getRunningLoop();
 *   yield* fetchWithRetry(fakeTransport);
 *   assert.equal(loop.time(), 7_000);
 * }));
 */
export function asyncTest<C = unknown>(fn: (context: C) => Coroutine<unknown>, options: AsyncTestOptions = {}): (context: C) => Promise<void> {
  if (typeof fn !== 'function') {
    const hint = isCoroutine(fn) ? '. asyncTest takes the function, not its coroutine: asyncTest(body), not asyncTest(body()).' : '';
    throw new TypeError(`Expected \`fn\` to be a generator function (the test body), got ${describeValue(fn)}${hint}`);
  }
  const kind = functionKind(fn);
  if (kind === 'async function' || kind === 'async generator function') throw notAGeneratorBody(`the native ${kind} ${fn.name || '(anonymous)'}`);
  // One parameter only: node:test treats a function with two parameters as callback-style.
  return (context: C): Promise<void> => runTest(fn, context, options);
}

async function runTest<C>(fn: (context: C) => Coroutine<unknown>, context: C, options: AsyncTestOptions): Promise<void> {
  const loop = new EventLoop(options.debug === undefined ? { clock: 'virtual' } : { clock: 'virtual', debug: options.debug });
  const reported: ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, ctx) => {
    reported.push(ctx);
  });
  let failed = false;
  let failure: unknown;
  const leaked: string[] = [];
  try {
    const coro = fn(context);
    if (!isCoroutine(coro)) throw notAGeneratorBody(`a function that returned ${describeValue(coro)}`);
    const main = loop.createTask(coro, { name: 'asyncTest' });
    try {
      await loop.runUntilComplete(main);
    } catch (error) {
      failed = true;
      failure = error;
    }
    for (const task of loop._tasks) leaked.push(String(task));
    await cleanUp(loop);
  } finally {
    if (!loop.isRunning()) loop.close();
  }
  if (failed) throw failure;
  const problems: string[] = [];
  const errors: unknown[] = [];
  if (leaked.length > 0) {
    problems.push(
      `${leaked.length === 1 ? '1 task was' : `${leaked.length} tasks were`} still pending when the test ended: ${leaked.join(', ')}. ` +
        'Await them (or run them in a TaskGroup) so the test checks their outcome; they have been cancelled.',
    );
  }
  // loop.close() reported each unretrieved exception; name those as such, first.
  const unretrieved = reported.filter(isUnretrievedReport);
  for (const ctx of unretrieved) {
    errors.push(ctx.exception);
    problems.push(`${ctx.message}: ${String(ctx.future)}`);
  }
  for (const ctx of reported) {
    if (isUnretrievedReport(ctx)) continue;
    if (ctx.exception !== undefined) errors.push(ctx.exception);
    problems.push(`the loop's exception handler was called: ${ctx.message}${ctx.exception !== undefined ? ` (${String(ctx.exception)})` : ''}`);
  }
  if (problems.length > 0) {
    throw new AggregateError(errors, `asyncTest: ${problems.join('\nasyncTest: ')}`);
  }
}

// The advice for asyncTest itself (it takes the body function, never a coroutine).
function notAGeneratorBody(got: string): TypeError {
  return new TypeError(
    `asyncTest(): the test body must be a generator function, got ${got}. Write it as function* () { ... } with yield* where it awaits: ` +
      "test('...', asyncTest(function* () { ... })).",
  );
}

function isUnretrievedReport(ctx: ExceptionContext): boolean {
  return ctx.message === 'Task exception was never retrieved' || ctx.message === 'Future exception was never retrieved';
}

/** Cancels every task still pending and awaits them, then closes open async generators. */
async function cleanUp(loop: EventLoop): Promise<void> {
  for (let round = 0; round < MAX_CLEANUP_ROUNDS && loop._tasks.size > 0; round++) {
    await loop.runUntilComplete(cancelAll(loop, [...loop._tasks]));
  }
  if (loop._asyncgens.size > 0) await loop.runUntilComplete(loop.shutdownAsyncgens());
}

function* cancelAll(loop: EventLoop, tasks: Task<unknown>[]): Coroutine<void> {
  const self = loop._currentTask;
  for (const task of tasks) if (task !== self) task.cancel();
  for (const task of tasks) {
    if (task === self) continue;
    try {
      yield* task;
    } catch {
      // A leaked task's own failure is part of the leak already reported; nothing more to say.
    }
  }
}
