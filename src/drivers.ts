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
// EventEmitter round trip (Node's signal watchers see every on/off of `process`).
const hostExitWaiters = new Set<() => void>();
let runningDrivers = 0;

function onHostExit(): void {
  // A driver that is not idle has host work pending (a macrotask): nothing to wake, and
  // scheduling one would keep an exiting host alive forever.
  if (hostExitWaiters.size === 0) return;
  // Wake the loops from a macrotask: it keeps the host alive, so if their cleanup idles again
  // with nothing left, the host emits 'beforeExit' once more instead of exiting silently.
  const fire = (): void => {
    for (const waiter of [...hostExitWaiters]) waiter();
  };
  if (typeof host.setImmediate === 'function') host.setImmediate(fire);
  else host.setTimeout(fire, 0);
}

function driverStarted(): void {
  if (runningDrivers++ === 0 && hostProcess !== null) hostProcess.on('beforeExit', onHostExit);
}

function driverEnded(): void {
  if (--runningDrivers === 0 && hostProcess !== null) hostProcess.off('beforeExit', onHostExit);
}

function watchHostExit(waiter: () => void): void {
  hostExitWaiters.add(waiter);
}

function unwatchHostExit(waiter: () => void): void {
  hostExitWaiters.delete(waiter);
}

/** @internal The host's monotonic clock, in milliseconds: what `loop.time()` reads on a real clock. */
export const hostNow: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/** Gives the thread back to the host for one macrotask (I/O callbacks, Promise reactions). */
function yieldToHost(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof host.setImmediate === 'function') host.setImmediate(resolve);
    else host.setTimeout(resolve, 0);
  });
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

/**
 * @internal The asynchronous driver of `runForever` (`until` null) and `runUntilComplete`: runs
 * budgeted stretches, yields to the host between them, and idles on the host until the next timer.
 * @throws {RuntimeError} the stuck-loop error when nothing could ever wake the loop.
 */
export async function driveAsync(loop: EventLoop, until: Future<unknown> | null): Promise<void> {
  driverStarted();
  try {
    for (;;) {
      loop._runStretch(true);
      if (loop._stopping && loop._passRemaining === 0) return;
      if (loop._ready.length > 0) {
        await yieldToHost(); // out of budget: let the host run, then go on
        continue;
      }
      const next = loop._nextDeadline();
      if (next !== null && loop._virtual) {
        // Let host callbacks run once before time jumps, so a resolved Promise gets in first.
        await yieldToHost();
        if (loop._ready.length === 0 && !loop._stopping) {
          const deadline = loop._nextDeadline();
          if (deadline !== null && deadline !== Infinity && deadline > loop._virtualNow) {
            if (loop._instruments !== null) beforeIdle(loop, loop._instruments, deadline - loop._virtualNow);
            loop._virtualNow = deadline;
            if (loop._instruments !== null) afterIdle(loop, loop._instruments);
          } else if (deadline === Infinity) {
            await idle(loop, -1);
            if (loop._hostExiting) throw stuckError(loop, until);
          }
        }
        continue;
      }
      const delay = next === null ? -1 : Math.max(0, next - loop.time());
      if (loop._instruments !== null) beforeIdle(loop, loop._instruments, delay);
      await idle(loop, delay);
      if (loop._instruments !== null) afterIdle(loop, loop._instruments);
      if (loop._hostExiting) throw stuckError(loop, until);
    }
  } finally {
    driverEnded();
  }
}

/**
 * Waits for the host: until `delay` ms pass (-1: no timer) or something is scheduled. With no
 * timer, also until the host is about to exit (`_hostExiting`): then nothing can wake the loop.
 */
function idle(loop: EventLoop, delay: number): Promise<void> {
  loop._hostExiting = false;
  return new Promise<void>((resolve) => {
    let timer: unknown = null;
    const noTimer = delay < 0 || delay === Infinity;
    const wake = (): void => {
      if (loop._wakeup !== wake) return;
      loop._wakeup = null;
      if (timer !== null) host.clearTimeout(timer);
      if (noTimer) unwatchHostExit(onExit);
      resolve();
    };
    const onExit = (): void => {
      if (loop._wakeup !== wake) return;
      loop._hostExiting = true;
      wake();
    };
    if (!noTimer) timer = host.setTimeout(wake, Math.min(Math.ceil(delay), MAX_HOST_TIMEOUT_MS));
    else watchHostExit(onExit);
    loop._wakeup = wake;
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
