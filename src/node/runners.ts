/**
 * `runMain`: `run()` for a program's entry point, with asyncio.Runner's Ctrl-C handling.
 * @asyncio asyncio.run / asyncio.Runner (their SIGINT handler)
 *
 * Design notes
 * - asyncio.Runner installs a SIGINT handler while it runs (only if SIGINT still has Python's
 *   default handler). The first Ctrl-C cancels the main task; if main then ends cancelled, `run`
 *   raises KeyboardInterrupt after the usual shutdown (other tasks cancelled, their `finally`
 *   blocks run). A second Ctrl-C raises KeyboardInterrupt at once, abandoning the cleanup.
 * - The JavaScript equivalent: the first SIGINT cancels main (through `callSoonThreadsafe`); when
 *   main ends cancelled, the shutdown runs and the Promise rejects with `KeyboardInterrupt`. A
 *   second SIGINT removes the handler and re-sends SIGINT to the process, so Node's default action
 *   ends it at once (exit by signal, shell status 130) — the "press Ctrl-C again to force" path.
 *   If main catches the cancellation and returns, its value is returned, as in asyncio.
 * - The handler is installed only if nothing else listens for SIGINT (asyncio's "default handler"
 *   check), and removed when `runMain` settles.
 * - Exit status: Python exits 130 on an uncaught KeyboardInterrupt. Write
 *   `runMain(main).catch(exitOnInterrupt)`; it sets `process.exitCode = 130` for KeyboardInterrupt
 *   and rethrows anything else.
 * @module
 */
import { Runner, type Main, type RunOptions } from '../runners.ts';
import { getRunningLoopOrNull } from '../events.ts';
import { CancelledError, RuntimeError } from '../exceptions.ts';
import { isCoroutine, notACoroutineError, type Task } from '../tasks.ts';
import type { Coroutine } from '../types.ts';

/**
 * The program was interrupted by SIGINT (Ctrl-C): `runMain` rejects with it after the shutdown.
 * @asyncio KeyboardInterrupt
 * Differs from asyncio: an `Error` subclass (JavaScript has no BaseException).
 * @example
 * runMain(main).catch((e) => { if (e instanceof KeyboardInterrupt) process.exitCode = 130; else throw e; });
 */
export class KeyboardInterrupt extends Error {
  override name = 'KeyboardInterrupt';
}

function toCoroutine<T>(main: Main<T>): Coroutine<T> {
  const coro = typeof main === 'function' && main.constructor?.name !== 'AsyncFunction' ? (main as () => Coroutine<T>)() : main;
  if (!isCoroutine(coro)) throw notACoroutineError('runMain', typeof main === 'function' ? main : coro);
  return coro as Coroutine<T>;
}

/**
 * Runs `main` like `run()`, and makes Ctrl-C behave as in asyncio: the first SIGINT cancels the
 * main task (its `finally` blocks run, then every other task is cancelled and awaited) and the
 * Promise rejects with `KeyboardInterrupt`; a second SIGINT ends the process at once.
 * @asyncio asyncio.run(main) (asyncio.Runner's SIGINT handling)
 * Differs from asyncio: a second SIGINT exits through Node's default action instead of raising in the loop.
 * @param main a coroutine, or a function returning one.
 * @param options as for `run()`.
 * @returns main's result.
 * @throws {KeyboardInterrupt} when SIGINT cancelled main; main's own error otherwise.
 * @throws {RuntimeError} "runMain() cannot be called from a running event loop".
 * @example
 * runMain(function* () {
 *   const server = yield* startServer(handle, { host: '127.0.0.1', port: 8888 });
 *   yield* server.serveForever(); // Ctrl-C: closes the server, then exits 130
 * }).catch(exitOnInterrupt);
 */
export async function runMain<T>(main: Main<T>, options?: RunOptions): Promise<T> {
  if (getRunningLoopOrNull() !== null) throw new RuntimeError('runMain() cannot be called from a running event loop');
  const coro = toCoroutine(main);
  const runner = new Runner(options);
  const loop = runner.getLoop();
  let task: Task<T> | null = null;
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1 && task !== null && !task.done() && !loop.isClosed()) {
      const t = task;
      loop.callSoonThreadsafe(() => t.cancel());
      return;
    }
    // Second Ctrl-C: give up on the cleanup, as asyncio's KeyboardInterrupt in the loop does.
    process.off('SIGINT', onSigint);
    process.kill(process.pid, 'SIGINT');
  };
  const install = process.listenerCount('SIGINT') === 0;
  if (install) process.on('SIGINT', onSigint);
  try {
    task = loop.createTask(coro);
    try {
      return await loop.runUntilComplete(task);
    } catch (error) {
      // asyncio: uncancel() == 0 means the only cancellation was ours.
      if (error instanceof CancelledError && interrupts > 0 && task.uncancel() === 0) {
        throw new KeyboardInterrupt('', { cause: error });
      }
      throw error;
    } finally {
      await runner.close();
    }
  } finally {
    if (install) process.off('SIGINT', onSigint);
  }
}

/**
 * The `.catch` for `runMain` in a script: a KeyboardInterrupt sets `process.exitCode = 130`
 * (what a shell reports for Ctrl-C); any other error is rethrown.
 * @asyncio none (Python's interpreter does this for an uncaught KeyboardInterrupt)
 * @param error what `runMain` rejected with.
 * @throws the error, unless it is a KeyboardInterrupt.
 * @example
 * runMain(main).catch(exitOnInterrupt);
 */
export function exitOnInterrupt(error: unknown): void {
  if (error instanceof KeyboardInterrupt) {
    process.exitCode = 130;
    return;
  }
  throw error;
}
