/**
 * TestLoop: an event loop whose clock moves only when the test says so.
 * @asyncio test.test_asyncio.utils.TestLoop (the loop asyncio's own tests drive by hand)
 *
 * Design notes
 * - It is a plain `EventLoop` on the virtual clock; nothing in the core knows it exists. The
 *   clock starts at 0 and only `advance(ms)` (or the inherited `runUntilCompleteSync`, which jumps
 *   to the next timer while the future is pending, and leaves the clock where it finished) moves
 *   it, so a 30-second backoff takes no real time at all.
 * - `advance(ms)` fires timers one deadline at a time and sets the clock to each deadline before
 *   running it, so a callback sees `loop.time() === timer.when()`, as it would on a real clock.
 * - The loop's callbacks run inside the core's `_runStretch(false)`, which is what makes
 *   `getRunningLoop()`, `createTask()` and `sleep()` work inside them. Outside `advance` /
 *   `runUntilIdle` no loop is running, as in asyncio between two `run_until_complete` calls.
 * @module
 */
import { EventLoop } from '../base-events.ts';
import { RuntimeError } from '../exceptions.ts';
import { getRunningLoopOrNull, type TimerHandle } from '../events.ts';
import { describeValue } from '../internal/repr.ts';
import { checkInteger, checkOptions } from '../internal/validate.ts';

/** Options of `new TestLoop()`. */
export interface TestLoopOptions {
  /** Debug mode, as `EventLoop`'s. Default false. */
  debug?: boolean;
  /**
   * How many loop iterations `advance` / `runUntilIdle` may run without the clock moving before
   * they give up with a RuntimeError (something reschedules itself forever). Default 1,000,000.
   */
  maxIterations?: number;
}

const DEFAULT_MAX_ITERATIONS = 1_000_000;

/**
 * An event loop on a manual virtual clock: `advance(ms)` moves time and runs what falls due,
 * `runUntilIdle()` runs what is ready without moving time, `pendingTimers()` shows the schedule.
 * Everything else is `EventLoop`'s: `createTask`, `callSoon`, `callLater`, `createFuture`,
 * `runUntilCompleteSync` (which jumps time to each next timer), `time()`, `close()`.
 *
 * Invariant: `time()` never goes backwards and never passes the deadline of a timer that has not
 * run yet during `advance`.
 * @asyncio test.test_asyncio.utils.TestLoop (advance_time / run_test_server-free variant)
 * Differs from asyncio: asyncio's TestLoop takes a generator of time steps; this one is driven
 * from the test, as Trio's MockClock and `loop.advance` in sinon-style fake timers.
 * @example
 * const loop = new TestLoop();
 * const task = loop.createTask((function* () { yield* sleep(30_000); return 'done'; })());
 * loop.advance(29_999);
 * assert.equal(task.done(), false);
 * loop.advance(1);
 * assert.equal(task.result(), 'done');
 */
export class TestLoop extends EventLoop {
  /** Callbacks run so far by this loop (every iteration adds its count). */
  _ranCount: number;
  /** The bound on iterations at one clock reading inside `advance` / `runUntilIdle`. */
  _maxIterations: number;
  /** Iterations run at `_iterationsAt` by the current `advance` / `runUntilIdle`; -1 outside one. */
  _iterations: number;
  _iterationsAt: number;

  /** A new loop on the virtual clock, at time 0. */
  constructor(options: TestLoopOptions = {}) {
    super(options.debug === undefined ? { clock: 'virtual' } : { clock: 'virtual', debug: options.debug });
    checkOptions(options, 'new TestLoop()', ['debug', 'maxIterations']);
    this._ranCount = 0;
    this._maxIterations = options.maxIterations === undefined ? DEFAULT_MAX_ITERATIONS : checkInteger(options.maxIterations, 'maxIterations', 1);
    this._iterations = -1;
    this._iterationsAt = 0;
  }

  /**
   * Moves the clock forward by `ms` and runs everything that falls due on the way: what is ready
   * now, then each timer at its own deadline (in deadline order, ties in scheduling order), and
   * what those callbacks schedule, up to and including `time() + ms`. Returns the number of
   * callbacks run.
   * @param ms milliseconds to move the clock by (0: run what is ready and due now).
   * @returns the number of callbacks (task steps included) that ran.
   * @throws {RangeError} if `ms` is negative, NaN or infinite.
   * @throws {RuntimeError} if the loop is closed or already running.
   * @example
   * loop.createTask(retryWithBackoff());
   * loop.advance(1_000); // the first retry fires; the test took no real time
   */
  advance(ms: number): number {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new (typeof ms === 'number' ? RangeError : TypeError)(
        `Expected \`ms\` to be a finite number of milliseconds >= 0, got ${describeValue(ms)}`,
      );
    }
    const target = this._virtualNow + ms;
    return this._drive(target);
  }

  /**
   * Runs callbacks until nothing is ready, without moving the clock: every task that can make
   * progress now does. Timers already due (their deadline <= `time()`) run too.
   * @returns the number of callbacks (task steps included) that ran.
   * @throws {RuntimeError} if the loop is closed or already running, or when it never goes idle
   *   (more than `maxIterations` iterations without the clock moving).
   * @example
   * const task = loop.createTask(worker(queue));
   * queue.putNowait('job');
   * loop.runUntilIdle(); // the worker took the job and is waiting for the next one
   */
  runUntilIdle(): number {
    return this._drive(this._virtualNow);
  }

  /**
   * The timers still scheduled (not cancelled, not yet run), in the order they will fire.
   * @returns a new array of timers: the TimerHandles of callLater/callAt, and for each sleeping task
   * its sleep (`when()` gives each deadline, on the `time()` scale; `cancel()` keeps it from firing).
   * @example
   * loop.createTask(sleeper(5_000));
   * loop.runUntilIdle();
   * assert.deepEqual(loop.pendingTimers().map((t) => t.when()), [5_000]);
   */
  pendingTimers(): Pick<TimerHandle, 'when' | 'cancel' | 'cancelled' | 'toString'>[] {
    return this._scheduled.inOrder((timer) => !timer._cancelled);
  }

  /** Runs until idle at `target`, jumping the clock from deadline to deadline; returns callbacks run. */
  private _drive(target: number): number {
    this._checkClosed();
    if (this._running) throw new RuntimeError('This event loop is already running');
    if (getRunningLoopOrNull() !== null) throw new RuntimeError('Cannot run the event loop while another loop is running');
    this._running = true;
    this._stopping = false;
    const before = this._ranCount;
    this._iterations = 0;
    this._iterationsAt = this._virtualNow;
    try {
      for (;;) {
        this._runStretch(false);
        if (this._stopping) break;
        const next = this._nextDeadline();
        if (next === null || next > target) break;
        if (next > this._virtualNow) this._virtualNow = next;
      }
      if (target > this._virtualNow) this._virtualNow = target;
    } finally {
      this._running = false;
      this._stopping = false;
      this._iterations = -1;
    }
    return this._ranCount - before;
  }

  /** @internal Every callback run goes through here (runOnce too): counted for advance / runUntilIdle. */
  override _runSome(limit: number): number {
    // A new iteration inside advance / runUntilIdle: bounded while the clock stands still, so a
    // callback that reschedules itself fails the test instead of hanging it.
    if (this._iterations >= 0 && this._passRemaining === 0) {
      if (this._virtualNow !== this._iterationsAt) {
        this._iterationsAt = this._virtualNow;
        this._iterations = 0;
      }
      if (++this._iterations > this._maxIterations) throw this._neverIdle();
    }
    const ran = super._runSome(limit);
    this._ranCount += ran;
    return ran;
  }

  private _neverIdle(): RuntimeError {
    const next = this._ready.peekFirst();
    return new RuntimeError(
      `the loop never went idle: ${this._maxIterations} iterations ran at time ${this._virtualNow} and ${this._ready.length} callback(s) are still ready, ` +
        `the next one ${next === undefined ? '(none)' : String(next)}. Something reschedules itself forever (a callback that calls callSoon on itself, ` +
        'a task looping on sleep(0)): give it a delay and drive it with advance(ms), or raise the bound with new TestLoop({ maxIterations }).',
    );
  }
}
