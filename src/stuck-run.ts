/**
 * The report of a stuck run: the RuntimeError a loop raises when it is idle, no timer is
 * scheduled, and the host is about to exit (drivers.ts detects it), so nothing could ever wake it.
 * @asyncio none: asyncio blocks forever here
 * @module
 */
import { RuntimeError } from './exceptions.ts';
import type { EventLoop } from './base-events.ts';
import type { Future } from './futures.ts';
import type { Task } from './tasks.ts';

// The RuntimeErrors of a stuck loop, so the Runner can tell them from its tasks' own errors.
const stuckLoopErrors = new WeakSet<object>();

/** @internal Whether `error` is the RuntimeError of a loop that could never be woken. */
export function isStuckLoopError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && stuckLoopErrors.has(error);
}

/** @internal The RuntimeError for a loop that can never be woken: names what waits, and on what. */
export function stuckError(loop: EventLoop, until: Future<unknown> | null): RuntimeError {
  loop._hostExiting = false;
  const what =
    until === null
      ? 'runForever() cannot go on: nothing could ever call stop()'
      : `${until._isTask() ? `Task '${(until as Task<unknown>).getName()}'` : String(until)} can never finish`;
  const error = new RuntimeError(
    `Event loop is stuck: ${what}: no callback is ready, no timer is scheduled, and the host has nothing left that could call ` +
      'back (it is about to exit); asyncio would block forever here. ' +
      (loop._describeStuck !== null ? loop._describeStuck(loop) : pendingTasksText(loop)) +
      '\nFix: make sure something sets the Event, resolves the Future or settles the Promise each task waits on, or bound the wait with timeout().',
  );
  stuckLoopErrors.add(error);
  return error;
}

/** The pending tasks, one repr a line (a repr shows what the task waits for). */
function pendingTasksText(loop: EventLoop): string {
  if (loop._tasks.size === 0) return 'No task is pending.';
  return `Pending tasks:\n${[...loop._tasks].map((task) => `  ${task}`).join('\n')}`;
}
