/**
 * @internal Releases a loop's Node resources (open sockets, servers, signal listeners, the worker
 * pool) when `run()` / `Runner.close()` shuts the loop down, without a hook in the core.
 *
 * Design notes
 * - asyncio's `run()` ends with `shutdown_asyncgens()` then `shutdown_default_executor()`, and its
 *   `loop.close()` removes signal handlers. yieldio's core has one such step: it closes every object
 *   registered with `loop._registerAsyncgen` by awaiting its `aclose()`. yieldio/node registers one
 *   closer per loop there, so `run()` releases the Node resources its program left open. Without
 *   it a listening server or a SIGINT listener would outlive the loop (Node would never exit, or
 *   would ignore Ctrl-C).
 * - The loop holds closers by WeakRef: this module keeps them alive in a WeakMap keyed by the loop.
 * - Closers run in registration order, after the program's tasks were cancelled and awaited.
 * @module
 */
import type { EventLoop } from '../base-events.ts';
import type { Coroutine } from '../types.ts';

/** What runs at shutdown: a plain function, or a coroutine function. */
export type ShutdownStep = () => void | Coroutine<void>;

class LoopCloser {
  readonly steps: Set<ShutdownStep>;
  registered: boolean; // in loop._asyncgens (shutdownAsyncgens() empties that set)
  constructor() {
    this.steps = new Set();
    this.registered = false;
  }

  *aclose(): Coroutine<void> {
    this.registered = false;
    const errors: unknown[] = [];
    for (const step of [...this.steps]) {
      this.steps.delete(step);
      try {
        const result = step();
        if (result !== undefined) yield* result;
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'yieldio/node: several resources failed to close at loop shutdown');
  }
}

const closers = new WeakMap<EventLoop, LoopCloser>();

/** Runs `step` when `loop` shuts down (once); returns a function that unregisters it. */
export function atLoopShutdown(loop: EventLoop, step: ShutdownStep): () => void {
  let closer = closers.get(loop);
  if (closer === undefined) {
    closer = new LoopCloser();
    closers.set(loop, closer);
  }
  // shutdownAsyncgens() forgets what it closed: register again for a loop reused after it.
  if (!closer.registered && !loop.isClosed()) {
    closer.registered = true;
    loop._registerAsyncgen(closer);
  }
  closer.steps.add(step);
  const steps = closer.steps;
  return () => {
    steps.delete(step);
  };
}
