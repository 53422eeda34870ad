/**
 * Unix signal handlers whose callbacks run in the event loop.
 * @asyncio loop.add_signal_handler / loop.remove_signal_handler (asyncio.unix_events)
 *
 * Design notes
 * - Free functions taking the loop, not methods: the core `EventLoop` runs on any JavaScript
 *   runtime and must not import `node:`; a Node subclass or a mixin would make the loop `run()`
 *   creates the wrong class (or patch it globally). `addSignalHandler(loop, sig, cb)` reads as
 *   asyncio's `loop.add_signal_handler(sig, cb)` with the receiver moved into the arguments.
 * - The Node listener only posts `callback(...args)` with `loop.callSoonThreadsafe`, as asyncio's
 *   handler only writes to the self-pipe: the callback runs between loop callbacks, never inside
 *   a task step. One handler per signal per loop; adding another replaces it.
 * - Handlers are removed when `run()` shuts the loop down (asyncio's `loop.close()` does the
 *   same); a leftover SIGINT listener would make Node ignore Ctrl-C.
 * - A loop waiting only for a signal keeps Node alive while a handler is installed (a listener
 *   alone would not), as asyncio's loop blocks in select().
 * - For Ctrl-C cancelling the main task, use `runMain` (./runners.ts), not a handler.
 * @module
 */
import { constants as osConstants } from 'node:os';
import { RuntimeError } from '../exceptions.ts';
import { describeValue } from '../internal/repr.ts';
import { checkCallback } from '../internal/validate.ts';
import { atLoopShutdown } from './loop-shutdown.ts';
import type { EventLoop } from '../base-events.ts';

const signalNames = new Map<number, NodeJS.Signals>();
for (const [name, number] of Object.entries(osConstants.signals)) {
  if (!signalNames.has(number)) signalNames.set(number, name as NodeJS.Signals);
}

/** The name of a valid signal, or the asyncio error for an invalid one. */
function checkSignal(sig: unknown): NodeJS.Signals {
  if (typeof sig === 'number') {
    const name = signalNames.get(sig);
    if (name === undefined) throw new RangeError(`invalid signal number ${sig}`);
    return name;
  }
  if (typeof sig === 'string') {
    if (!Object.hasOwn(osConstants.signals, sig)) throw new RangeError(`invalid signal name ${JSON.stringify(sig)}`);
    return sig as NodeJS.Signals;
  }
  throw new TypeError(`sig must be a signal name or number, not ${describeValue(sig)}`);
}

interface Installed {
  readonly listener: () => void;
  readonly unregister: () => void;
}

const installed = new WeakMap<EventLoop, Map<NodeJS.Signals, Installed>>();

// A signal listener does not keep Node alive, but a loop waiting for a signal must (asyncio's
// loop blocks in select()): one long timer is kept while any handler is installed.
let installedCount = 0;
let keepAlive: ReturnType<typeof setInterval> | null = null;

function removeAll(loop: EventLoop): void {
  const table = installed.get(loop);
  if (table === undefined) return;
  for (const sig of [...table.keys()]) removeSignalHandler(loop, sig);
}

/**
 * Calls `callback(...args)` in `loop` whenever the process receives `sig`. Replaces the handler
 * this loop had for `sig`. While a handler is installed, Node's default action for the signal
 * (e.g. exiting on SIGINT) does not happen.
 * @asyncio loop.add_signal_handler(sig, callback, *args)
 * Differs from asyncio: a free function taking the loop (the core loop cannot import node:); `sig` may be a name ('SIGTERM') or a number.
 * @param loop the loop to run the callback in.
 * @param sig a signal name or number.
 * @param callback a plain function (not a `function*`: start a task from it instead).
 * @param args the callback's arguments.
 * @throws {TypeError} "coroutines cannot be used with addSignalHandler()", or a bad `sig` / `callback`.
 * @throws {RangeError} "invalid signal number 99" / "invalid signal name ...".
 * @throws {RuntimeError} "sig SIGKILL cannot be caught", "Event loop is closed".
 * @example
 * const stop = loop.createFuture<void>();
 * addSignalHandler(loop, 'SIGTERM', () => stop.setResult());
 * yield* stop; // until `kill <pid>`
 */
export function addSignalHandler<A extends unknown[]>(loop: EventLoop, sig: NodeJS.Signals | number, callback: (...args: A) => unknown, ...args: A): void {
  if (typeof callback === 'function' && callback.constructor?.name === 'GeneratorFunction') {
    throw new TypeError('coroutines cannot be used with addSignalHandler(): pass a plain function that starts a task, e.g. () => loop.createTask(onSignal()).');
  }
  checkCallback(callback, 'callback');
  const name = checkSignal(sig);
  if (name === 'SIGKILL' || name === 'SIGSTOP') throw new RuntimeError(`sig ${name} cannot be caught`);
  loop._checkClosed();
  removeSignalHandler(loop, name);
  let table = installed.get(loop);
  if (table === undefined) {
    table = new Map();
    installed.set(loop, table);
  }
  const listener = (): void => {
    if (loop.isClosed()) {
      removeSignalHandler(loop, name);
      return;
    }
    loop.callSoonThreadsafe(callback, ...args);
  };
  process.on(name, listener);
  if (installedCount++ === 0) keepAlive = setInterval(() => {}, 0x7fffffff);
  table.set(name, { listener, unregister: atLoopShutdown(loop, () => removeAll(loop)) });
}

/**
 * Removes the handler `loop` has for `sig`.
 * @asyncio loop.remove_signal_handler(sig)
 * @param loop the loop the handler was added to.
 * @param sig a signal name or number.
 * @returns true if a handler was removed, false if there was none.
 * @throws {RangeError} / {TypeError} for an invalid `sig`.
 * @example
 * removeSignalHandler(loop, 'SIGTERM'); // true
 */
export function removeSignalHandler(loop: EventLoop, sig: NodeJS.Signals | number): boolean {
  const name = checkSignal(sig);
  const table = installed.get(loop);
  const entry = table?.get(name);
  if (table === undefined || entry === undefined) return false;
  table.delete(name);
  process.off(name, entry.listener);
  entry.unregister();
  if (--installedCount === 0 && keepAlive !== null) {
    clearInterval(keepAlive);
    keepAlive = null;
  }
  return true;
}
