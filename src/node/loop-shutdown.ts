/**
 * @internal Releases a loop's Node resources (open sockets, servers, signal listeners, child
 * processes, the worker pool) when `run()` / `Runner.close()` shuts the loop down.
 *
 * Design notes: asyncio's `run()` ends with `shutdown_asyncgens()` then
 * `shutdown_default_executor()`, and its `loop.close()` removes signal handlers. The core runs
 * the loop's shutdown steps at that second place, after the program's tasks were cancelled and
 * awaited and its async generators closed; each resource registers one step and unregisters it
 * when it is closed by the program. Without this, a listening server or a SIGINT listener would
 * outlive the loop (Node would never exit, or would ignore Ctrl-C).
 * @module
 */
import type { EventLoop } from '../base-events.ts';
import type { Coroutine } from '../types.ts';

/** What runs at shutdown: a plain function, or a coroutine function. */
export type ShutdownStep = () => void | Coroutine<void>;

/** @internal Runs `step` when `loop` shuts down (once); returns a function that unregisters it. */
export function atLoopShutdown(loop: EventLoop, step: ShutdownStep): () => void {
  return loop._addShutdownStep(step);
}
