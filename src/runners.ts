/**
 * The entry points: run a coroutine on a fresh loop, then shut everything down cleanly.
 * @asyncio asyncio.runners (run, Runner)
 * @module
 */
import { EventLoop, type LoopOptions } from './base-events.ts';
import { isStuckLoopError } from './stuck-run.ts';
import { getRunningLoopOrNull } from './events.ts';
import { RuntimeError } from './exceptions.ts';
import { Task, isCoroutine, notACoroutineError } from './tasks.ts';
import { copyContext, type Context } from './contextvars.ts';
import { formatCallGraph } from './graph.ts';
import { checkTraceOption, endTrace, startTrace, type TraceOption } from './trace-option.ts';
import type { Coroutine } from './types.ts';
import { checkOptions } from './internal/validate.ts';
import { presentFailure } from './internal/failures.ts';

/** What `run`, `runSync` and `Runner.run` accept: a coroutine, or a function returning one. */
export type Main<T> = Coroutine<T> | (() => Coroutine<T>);

/** Options of `run`, `runSync` and `Runner`: the loop's options, or a factory that makes the loop. */
export interface RunOptions extends LoopOptions {
  /**
   * Makes the loop (for example `() => new TestLoop()`); `debug`, when given, is then applied with
   * `setDebug`. It cannot be combined with `clock`: the factory's loop has its own.
   * @asyncio the loop_factory argument of asyncio.run / asyncio.Runner (3.12)
   */
  loopFactory?: (() => EventLoop) | undefined;
  /** Record a timeline of the whole run (see `TraceOption`); `YIELDIO_TRACE=out.json` does the same once yieldio/node is loaded. */
  trace?: TraceOption;
}

/** Throws for a loopFactory that is not a function, or that is combined with `clock`. */
function checkRunOptions(options: RunOptions | undefined): void {
  const factory = options?.loopFactory;
  if (factory === undefined) return;
  if (typeof factory !== 'function') {
    throw new TypeError(`Expected \`loopFactory\` to be a function returning an EventLoop, got ${String(factory)}`);
  }
  if (options?.clock !== undefined) {
    throw new RangeError('Expected either `clock` or `loopFactory`, not both: the loop the factory makes has its own clock');
  }
}

// RunOptions' keys: a misspelt one is a TypeError, as Python's "unexpected keyword argument".
const RUN_OPTIONS: readonly string[] = ['debug', 'clock', 'loopFactory', 'trace'];

function toCoroutine<T>(main: Main<T>, what: string): Coroutine<T> {
  if (typeof main === 'function' && main.constructor?.name !== 'AsyncFunction') {
    const coro = (main as () => Coroutine<T>)();
    if (!isCoroutine(coro)) throw notACoroutineError(what, coro);
    return coro;
  }
  if (!isCoroutine(main)) throw notACoroutineError(what, main);
  return main;
}

function checkNotNested(what: string): void {
  if (getRunningLoopOrNull() !== null) {
    throw new RuntimeError(`${what}() cannot be called from a running event loop`);
  }
}

/** Cancels every unfinished task and runs the loop until they are all done; reports their errors. */
function* cancelAllTasks(loop: EventLoop, tasks: Task<unknown>[]): Coroutine<void> {
  for (const task of tasks) task.cancel();
  for (const task of tasks) {
    try {
      yield* task;
    } catch {
      // Looked at below, as asyncio does after gather(..., return_exceptions=True).
    }
  }
  for (const task of tasks) {
    if (task.cancelled()) continue;
    const exception = task.exception();
    if (exception !== null) {
      loop.callExceptionHandler({ message: 'unhandled exception during run() shutdown', exception, task });
    }
  }
}

/** The shutdown runs as a task itself: every other unfinished task is cancelled, repeatedly, in
 * case cancelled tasks start new ones; then open async generators are closed, then the loop's
 * shutdown steps run (yieldio/node's servers, sockets and worker pool). */
function* shutdown(loop: EventLoop): Coroutine<void> {
  for (;;) {
    const self = loop._currentTask;
    const others = [...loop._tasks].filter((task) => task !== self);
    if (others.length === 0) break;
    yield* cancelAllTasks(loop, others);
  }
  yield* loop.shutdownAsyncgens();
  yield* loop._runShutdownSteps();
}

/**
 * How a stuck loop's RuntimeError describes its tasks (the loop asks when it finds it can never be
 * woken): each pending task's call graph, taken before anything is cancelled.
 */
function describeStuck(loop: EventLoop): string {
  const tasks = [...loop._tasks];
  if (tasks.length === 0) return 'No task is pending.';
  const graphs = tasks.map((task) =>
    formatCallGraph(task, { limit: 0 })
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n'),
  );
  return `${tasks.length === 1 ? 'This task waits forever (the runner cancels it, so its' : 'These tasks wait forever (the runner cancels them, so their'} finally blocks run):\n${graphs.join('\n')}`;
}

/** Main could never finish: cancel it and let its finally blocks run (they may be stuck too). */
async function cancelStuck(loop: EventLoop, task: Task<unknown>): Promise<void> {
  task.cancel();
  try {
    await loop.runUntilComplete(task);
  } catch (error) {
    if (task.done() && !task.cancelled()) {
      loop.callExceptionHandler({ message: 'exception in the main task while it was cancelled because the loop was stuck', exception: error, task });
    }
  }
}

function noop(): void {}

function needsShutdown(loop: EventLoop): boolean {
  return loop._tasks.size > 0 || loop._asyncgens.size > 0 || loop._shutdownSteps.size > 0;
}

/** A runner's loop: the factory's (checked to be an EventLoop, `debug` applied) or a new one. */
function makeLoop(options: RunOptions): EventLoop {
  const { loopFactory, trace: _trace, ...loopOptions } = options;
  if (loopFactory === undefined) return new EventLoop(loopOptions);
  const loop = loopFactory();
  if (!(loop instanceof EventLoop)) {
    throw new TypeError(`Expected \`loopFactory\` to return an EventLoop, got ${String(loop)}`);
  }
  if (loopOptions.debug !== undefined) loop.setDebug(loopOptions.debug);
  return loop;
}

/**
 * Runner.runSync's and runSync's run: `task` to completion on this stack. If it cannot finish (it
 * waits on the host), it is cancelled, so nothing is left running silently, and `close` runs.
 */
function runTaskSync<T>(loop: EventLoop, task: Task<T>, close: () => void): T {
  try {
    return loop.runUntilCompleteSync(task);
  } catch (error) {
    if (!task.done()) {
      task.cancel();
      close();
    }
    presentFailure(error); // the stack users see: the tasks it left, no yieldio frames
    throw error;
  }
}

/** Shuts `loop` down on this stack (cancel what is left, close async generators), then closes it. */
function closeLoopSync(loop: EventLoop): void {
  try {
    if (needsShutdown(loop)) loop.runUntilCompleteSync(shutdown(loop));
  } finally {
    loop.close();
    endTrace(loop);
  }
}

/**
 * Runs coroutines on one loop that it creates on first use and closes on `close()`. Every run
 * runs in one contextvars Context (a copy of the one current when the loop was made), so a
 * ContextVar set in one run is seen by the next, as in asyncio.
 * @asyncio asyncio.Runner(*, debug=None, loop_factory=None)
 * @example
 * await using runner = new Runner();
 * const a = await runner.run(first());
 * const b = await runner.run(second());
 */
export class Runner {
  private loop: EventLoop | null;
  private closed: boolean;
  private readonly options: RunOptions;
  private context: Context | null;

  /**
   * A runner; its loop is made on first use.
   * @throws {TypeError} if `loopFactory` is not a function; {RangeError} if given with `clock`.
   */
  constructor(options: RunOptions = {}) {
    checkOptions(options, 'new Runner()', RUN_OPTIONS, "new Runner({ debug: true, clock: 'virtual' })");
    checkRunOptions(options);
    this.loop = null;
    this.closed = false;
    this.options = options;
    this.context = null;
    checkTraceOption(options.trace, 'Runner');
  }

  /**
   * The runner's loop (created on first use).
   * @asyncio Runner.get_loop()
   * @throws {RuntimeError} "Runner is closed".
   */
  getLoop(): EventLoop {
    if (this.closed) throw new RuntimeError('Runner is closed');
    if (this.loop === null) {
      const loop = makeLoop(this.options);
      loop._describeStuck = describeStuck;
      this.loop = loop;
      startTrace(loop, this.options.trace);
      // asyncio's _lazy_init: one context for every run() of this runner.
      this.context = copyContext();
    }
    return this.loop;
  }

  /**
   * Runs `main` as a task on the runner's loop until it is done; resolves with its result. It runs
   * in the runner's context (shared by all its runs), or in `options.context`.
   * @asyncio Runner.run(coro, *, context=None)
   * Differs from asyncio: if main can never finish (every task waits on something nothing will
   * deliver, and the host is about to exit), main is cancelled (its finally blocks run) and the
   * Promise rejects with a RuntimeError naming the stuck tasks; asyncio blocks forever.
   * @throws {RuntimeError} when called from a running event loop.
   */
  run<T>(main: Main<T>, options?: { context?: Context | null | undefined }): Promise<T> {
    checkNotNested('Runner.run');
    const coro = toCoroutine(main, 'Runner.run');
    const loop = this.getLoop();
    const task = loop.createTask(coro, { context: options?.context ?? (this.context as Context) });
    return loop.runUntilComplete(task).catch(async (error: unknown) => {
      if (!task.done()) await cancelStuck(loop, task);
      presentFailure(error); // the stack users see: the tasks it left, no yieldio frames
      throw error;
    });
  }

  /**
   * The synchronous `run`: drives the loop on this stack (virtual time jumps; a real clock blocks).
   * Same context rule as `run`.
   * @throws {RuntimeError} if the program waits on the host with nothing else to run.
   */
  runSync<T>(main: Main<T>, options?: { context?: Context | null | undefined }): T {
    checkNotNested('Runner.runSync');
    const coro = toCoroutine(main, 'Runner.runSync');
    const loop = this.getLoop();
    const task = loop.createTask(coro, { context: options?.context ?? (this.context as Context) });
    return runTaskSync(loop, task, () => this.closeSync());
  }

  /**
   * Cancels the tasks still running, closes open async generators, closes the loop.
   * @asyncio Runner.close()
   */
  async close(): Promise<void> {
    if (this.closed) return;
    const loop = this.loop;
    this.closed = true;
    if (loop === null) return;
    try {
      if (needsShutdown(loop)) await loop.runUntilComplete(shutdown(loop));
    } catch (error) {
      // The shutdown itself can never finish (a finally block waits forever): say so, then close,
      // which reports the tasks still pending.
      if (!isStuckLoopError(error)) throw error;
      loop.callExceptionHandler({ message: 'run() shutdown cannot finish', exception: error });
    } finally {
      loop.close();
      endTrace(loop);
    }
  }

  /** The synchronous `close`, for `runSync`. */
  closeSync(): void {
    if (this.closed) return;
    const loop = this.loop;
    this.closed = true;
    if (loop !== null) closeLoopSync(loop);
  }

  /** `await using runner = new Runner()` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Runs `main` on a new event loop and resolves with its result. At the end every remaining task
 * is cancelled and awaited, open async generators are closed, and the loop is closed.
 * The loop lets the host in between stretches, so Promises, timers and Node I/O work.
 * @asyncio asyncio.run(main, *, debug=None, loop_factory=None)
 * @param main a coroutine, or a function returning one.
 * @param options `clock: 'real'` (default) or `'virtual'`; `debug`; `loopFactory` (instead of `clock`).
 * Differs from asyncio: a program that can never finish (every task waits on something nothing
 * will deliver, and the host has nothing left that could call back) does not block forever: its
 * tasks are cancelled, so their `finally` blocks run, and the Promise rejects.
 * @throws {RuntimeError} "run() cannot be called from a running event loop" (thrown at once).
 * @throws {RuntimeError} "Event loop is stuck: Task 'Task-1' can never finish: ..." with each
 *   stuck task's call graph, when nothing can wake the loop (Node's `beforeExit`).
 * @throws {TypeError} if `main` is not a coroutine, or `options` is not an object of known keys.
 * @example
 * const answer = await run(function* () {
 *   yield* sleep(100);
 *   return 42;
 * });
 */
export function run<T>(main: Main<T>, options?: RunOptions): Promise<T> {
  checkNotNested('run');
  checkOptions(options, 'run()', RUN_OPTIONS, 'run(main, { debug: true })');
  const coro = toCoroutine(main, 'run');
  const runner = new Runner(options);
  let result: Promise<T>;
  try {
    result = runner.run(coro);
  } catch (error) {
    return runner.close().then(() => Promise.reject(error));
  }
  return result.then(
    async (value) => {
      await runner.close();
      return value;
    },
    async (error: unknown) => {
      await runner.close();
      throw error;
    },
  );
}

/**
 * Runs `main` to completion synchronously and returns its result. Default clock `'virtual'`:
 * when nothing is ready, time jumps to the next timer, so `sleep(60_000)` returns at once.
 * With `clock: 'real'` it blocks the thread until each timer is due, like the article's
 * MiniEventLoop.
 * @asyncio asyncio.run(main), synchronously
 * @throws {RuntimeError} if `main` waits on the host (a Promise, I/O) with nothing else to run:
 *   use `await run(main)` for that.
 * @example
 * const n = runSync(function* () { yield* sleep(1000); return 1; }); // instant: virtual clock
 */
export function runSync<T>(main: Main<T>, options?: RunOptions): T {
  checkNotNested('runSync');
  checkOptions(options, 'runSync()', RUN_OPTIONS, 'runSync(main, { debug: true })');
  const coro = toCoroutine(main, 'runSync');
  // Runner.runSync's steps without the Runner: a runSync program does not carry run()'s async
  // path (the stuck-run report and its call graph), which only the async driver can need.
  const runOptions = options?.loopFactory !== undefined ? options : { ...options, clock: options?.clock ?? 'virtual' };
  checkRunOptions(runOptions);
  checkTraceOption(runOptions.trace, 'Runner');
  const loop = makeLoop(runOptions);
  let value: T;
  try {
    startTrace(loop, runOptions.trace);
    value = runTaskSync(loop, loop.createTask(coro, { context: copyContext() }), noop); // closed below
  } catch (error) {
    closeLoopSync(loop);
    throw error;
  }
  closeLoopSync(loop);
  return value;
}

export type { Task };
