/**
 * The loop's drivers: what a loop does when nothing is ready. The loop itself (base-events.ts)
 * only runs what is ready and moves due timers; a driver decides how to wait for the next thing.
 * @asyncio the selector wait of BaseEventLoop._run_once (`self._selector.select(timeout)`) and
 *   the loop of run_forever
 *
 * Design notes
 * - The asynchronous driver (`run`, `runUntilComplete`, `runForever`) gives the thread back to the
 *   host between stretches (so Node I/O and Promise reactions run), sleeps on `setTimeout` until
 *   the next timer, and is woken early by `callSoon` / `callSoonThreadsafe` from host callbacks
 *   (the loop's `_wakeup`). With no timer it also wakes when the host is about to exit: then
 *   nothing can ever wake the loop, and stuck-run.ts builds the report.
 * - The synchronous driver (`runSync`, `TestLoop`) jumps virtual time to the next timer, or blocks
 *   the thread on a real clock; it cannot let host callbacks in.
 * - The real clock (`hostNow`) lives here too: it is what the drivers wait on.
 * @module
 */
import { RuntimeError } from './exceptions.ts';
import { setRunningLoop } from './events.ts';
import { stuckError } from './stuck-run.ts';
import type { EventLoop } from './base-events.ts';
import type { Future } from './futures.ts';
import type { InstrumentRegistry } from './instruments.ts';

// setTimeout takes at most a signed 32-bit delay; longer ones are slept in chunks.
const MAX_HOST_TIMEOUT_MS = 0x7fffffff;

interface HostTimers {
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  setImmediate?: (cb: () => void) => unknown;
}
const host = globalThis as unknown as HostTimers;

// Node (and Bun, Deno's `process`) emit 'beforeExit' when their own event loop has nothing left:
// no socket, timer, worker or child that could ever call back. That is the exact test for "a
// loop idle without a timer can never be woken", with no bookkeeping of ours (a counter of
// pending host work would keep a never-settling Promise alive, and miss a plain host callback
// that calls callSoonThreadsafe). Hosts without it (browsers) never exit: the loop waits, as asyncio does.
interface HostProcess {
  on(event: 'beforeExit', listener: () => void): unknown;
  off(event: 'beforeExit', listener: () => void): unknown;
}
const hostProcessCandidate = (globalThis as { process?: Partial<HostProcess> }).process;
const hostProcess: HostProcess | null =
  hostProcessCandidate !== undefined && typeof hostProcessCandidate.on === 'function' && typeof hostProcessCandidate.off === 'function'
    ? (hostProcessCandidate as HostProcess)
    : null;
// One listener for every idle loop (many loops must not trip Node's MaxListeners warning). It stays
// on while any async driver runs: adding and removing it on every idle cost each I/O wake-up an
// EventEmitter round trip (Node's signal watchers see every on/off of `process`). The waiters are
// the running drivers' (each ignores the call unless idle without a timer), so an idle adds
// nothing to the Set: a Set that grows to one and shrinks to none reallocates its table each time.
const hostExitWaiters = new Set<() => void>();
let idleWithoutTimer = 0;

function onHostExit(): void {
  // A driver that is not idle has host work pending (a macrotask): nothing to wake, and
  // scheduling one would keep an exiting host alive forever.
  if (idleWithoutTimer === 0) return;
  // Wake the loops from a macrotask: it keeps the host alive, so if their cleanup idles again
  // with nothing left, the host emits 'beforeExit' once more instead of exiting silently.
  const fire = (): void => {
    for (const waiter of [...hostExitWaiters]) waiter();
  };
  if (typeof host.setImmediate === 'function') host.setImmediate(fire);
  else host.setTimeout(fire, 0);
}

function driverStarted(waiter: () => void): void {
  if (hostExitWaiters.size === 0 && hostProcess !== null) hostProcess.on('beforeExit', onHostExit);
  hostExitWaiters.add(waiter);
}

function driverEnded(waiter: () => void): void {
  hostExitWaiters.delete(waiter);
  if (hostExitWaiters.size === 0 && hostProcess !== null) hostProcess.off('beforeExit', onHostExit);
}

/** @internal The host's monotonic clock, in milliseconds: what `loop.time()` reads on a real clock. */
export const hostNow: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/** Gives the thread back to the host for one macrotask (I/O callbacks, Promise reactions), then calls `then`. */
function yieldToHost(then: () => void): void {
  if (typeof host.setImmediate === 'function') host.setImmediate(then);
  else host.setTimeout(then, 0);
}

/** Blocks the thread for `ms` (runSync on a real clock). Atomics.wait where the host allows it. */
function blockThread(ms: number): void {
  if (ms <= 0) return;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return;
  } catch {
    // Browsers forbid Atomics.wait on the main thread: spin instead.
  }
  const end = hostNow() + ms;
  while (hostNow() < end) {
    /* spin */
  }
}

// The idle hooks run inside the loop, as asyncio's selector wait does inside run_forever: the
// loop is running, so getRunningLoop() works in them, though no callback is on the stack.
function beforeIdle(loop: EventLoop, instruments: InstrumentRegistry, timeout: number): void {
  const previous = setRunningLoop(loop);
  try {
    instruments.beforeIdle(timeout);
  } finally {
    setRunningLoop(previous);
  }
}

function afterIdle(loop: EventLoop, instruments: InstrumentRegistry): void {
  const previous = setRunningLoop(loop);
  try {
    instruments.afterIdle();
  } finally {
    setRunningLoop(previous);
  }
}

// Where an async driver goes on when the host calls it back.
const AT_TOP = 0; // after a host yield: the next stretch
const AT_VIRTUAL = 1; // after the host yield before a virtual time jump
const AT_IDLED = 2; // after an idle on the host: afterIdle, then the exit check
const AT_VIRTUAL_IDLED = 3; // after an idle with no timer on a virtual clock: the exit check

// The microtask a wake-up resumes the driver in: the same turn as an `await` of a Promise resolved
// then, but with no Promise, resolving functions or closures per idle (issue #12: two idles per
// TCP round trip). Node's queueMicrotask would allocate an AsyncResource per call.
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The state of one asynchronous driver: a loop driven by host callbacks instead of an async
 * function, so idling allocates nothing but the host timer (one wake-up per driver, bound once).
 *
 * Fields:
 * - `_at`        where `_resume` goes on (AT_*)
 * - `_timer`     the host timer of the current idle, or null
 * - `_watching`  the current idle (no timer) watches for the host's exit
 * - `_wake`      the loop's `_wakeup` while idle; also the idle timer's callback
 * - `_resume`    runs the loop again (a microtask after a wake-up, a macrotask after a host yield)
 * - `_onExit`    its host-exit waiter, in hostExitWaiters for the whole run; it acts only while
 *                idle without a timer
 */
class AsyncDriver {
  readonly loop: EventLoop;
  readonly until: Future<unknown> | null;
  private readonly _resolve: () => void;
  private readonly _reject: (error: unknown) => void;
  private _at: number;
  private _timer: unknown;
  private _watching: boolean;
  readonly _wake: () => void;
  readonly _resume: () => void;
  readonly _onExit: () => void;

  constructor(loop: EventLoop, until: Future<unknown> | null, resolve: () => void, reject: (error: unknown) => void) {
    this.loop = loop;
    this.until = until;
    this._resolve = resolve;
    this._reject = reject;
    this._at = AT_TOP;
    this._timer = null;
    this._watching = false;
    this._wake = () => this._wakeUp();
    this._resume = () => this._pump(this._at);
    this._onExit = () => {
      if (this.loop._wakeup !== this._wake || !this._watching) return;
      this.loop._hostExiting = true;
      this._wakeUp();
    };
  }

  /** Runs stretches until the loop stops, must yield to the host, or idles. Never throws. */
  _pump(at: number): void {
    const loop = this.loop;
    try {
      if (at === AT_IDLED) {
        if (loop._instruments !== null) afterIdle(loop, loop._instruments);
        if (loop._hostExiting) throw stuckError(loop, this.until);
      } else if (at === AT_VIRTUAL_IDLED) {
        if (loop._hostExiting) throw stuckError(loop, this.until);
      } else if (at === AT_VIRTUAL && loop._ready.length === 0 && !loop._stopping) {
        // The host ran once before time jumps, so a resolved Promise got in first.
        const deadline = loop._nextDeadline();
        if (deadline !== null && deadline !== Infinity && deadline > loop._virtualNow) {
          if (loop._instruments !== null) beforeIdle(loop, loop._instruments, deadline - loop._virtualNow);
          loop._virtualNow = deadline;
          if (loop._instruments !== null) afterIdle(loop, loop._instruments);
        } else if (deadline === Infinity) {
          this._idle(-1, AT_VIRTUAL_IDLED);
          return;
        }
      }
      for (;;) {
        loop._runStretch(true);
        if (loop._stopping && loop._passRemaining === 0) {
          driverEnded(this._onExit);
          this._resolve();
          return;
        }
        if (loop._ready.length > 0) {
          this._at = AT_TOP; // out of budget: let the host run, then go on
          yieldToHost(this._resume);
          return;
        }
        const next = loop._nextDeadline();
        if (next !== null && loop._virtual) {
          this._at = AT_VIRTUAL;
          yieldToHost(this._resume);
          return;
        }
        const delay = next === null ? -1 : Math.max(0, next - loop.time());
        if (loop._instruments !== null) beforeIdle(loop, loop._instruments, delay);
        this._idle(delay, AT_IDLED);
        return;
      }
    } catch (error) {
      this._clearIdle();
      driverEnded(this._onExit);
      this._reject(error);
    }
  }

  /**
   * Waits for the host: until `delay` ms pass (-1: no timer) or something is scheduled. With no
   * timer, also until the host is about to exit (`_hostExiting`): then nothing can wake the loop.
   */
  private _idle(delay: number, then: number): void {
    const loop = this.loop;
    loop._hostExiting = false;
    this._at = then;
    if (delay >= 0 && delay !== Infinity) {
      this._timer = host.setTimeout(this._wake, Math.min(Math.ceil(delay), MAX_HOST_TIMEOUT_MS));
    } else {
      this._watching = true;
      idleWithoutTimer++;
    }
    loop._wakeup = this._wake;
  }

  /** The loop's `_wakeup`: stops idling and resumes the driver in a microtask. */
  private _wakeUp(): void {
    if (this.loop._wakeup !== this._wake) return;
    this.loop._wakeup = null;
    this._clearIdle();
    void RESOLVED.then(this._resume);
  }

  private _clearIdle(): void {
    if (this._timer !== null) {
      host.clearTimeout(this._timer);
      this._timer = null;
    }
    if (this._watching) {
      this._watching = false;
      idleWithoutTimer--;
    }
  }
}

/**
 * @internal The asynchronous driver of `runForever` (`until` null) and `runUntilComplete`: runs
 * budgeted stretches, yields to the host between them, and idles on the host until the next timer.
 * The first stretch runs at once, on the caller's stack.
 * @returns a Promise that resolves when the loop stops; it rejects with the stuck-loop
 *   RuntimeError when nothing could ever wake the loop, or with what a stretch raised.
 */
export function driveAsync(loop: EventLoop, until: Future<unknown> | null): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const driver = new AsyncDriver(loop, until, resolve, reject);
    driverStarted(driver._onExit);
    driver._pump(AT_TOP);
  });
}

/**
 * @internal The synchronous driver of `runUntilCompleteSync` (`runSync`, `TestLoop`): when nothing
 * is ready, jumps virtual time to the next timer or blocks the thread on a real clock.
 * @throws {RuntimeError} when every task waits on the host: only `run()` can let it in.
 */
export function driveSync(loop: EventLoop, until: Future<unknown>): void {
  for (;;) {
    loop._runStretch(false, loop._virtual);
    if (loop._stopping) return;
    if (loop._ready.length > 0) continue;
    const next = loop._nextDeadline();
    if (next === null || next === Infinity) {
      throw new RuntimeError(
        `runSync() cannot finish: ${until} waits on something only the host can deliver (a Promise, I/O, a host callback) ` +
          'and no callback or timer is left to run. Use `await run(main)` instead, which lets host callbacks in.',
      );
    }
    const instruments = loop._instruments;
    if (instruments !== null) beforeIdle(loop, instruments, Math.max(0, next - loop.time()));
    if (loop._virtual) {
      if (next > loop._virtualNow) loop._virtualNow = next;
    } else {
      blockThread(next - loop.time());
    }
    if (instruments !== null) afterIdle(loop, instruments);
  }
}
