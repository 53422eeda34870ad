/**
 * Where and when each task was created, in side tables keyed by the task (WeakMaps: no Task
 * field, nothing kept alive). Filled by loop.createTask only when someone will read them: in
 * debug mode (the creation site, a stack captured at createTask, named in failure reports) and
 * while `yieldio ps` serves the loop (the creation time, shown as the task's age).
 * @module
 */
import type { Task } from '../tasks.ts';
import type { EventLoop } from '../base-events.ts';

const times = new WeakMap<object, number>();
const sites = new WeakMap<object, Error>();
// Loops whose tasks record their creation time (the `yieldio ps` responder registers them).
let timedLoops: WeakSet<object> | null = null;

/** @internal Whether loop.createTask must record the new task (debug mode, or ps serving the loop). */
export function recordsCreation(loop: EventLoop): boolean {
  return loop._debug || (timedLoops !== null && timedLoops.has(loop));
}

/** @internal `yieldio ps` serves `loop`: record each new task's creation time (for its age). */
export function recordCreationTimes(loop: EventLoop): void {
  (timedLoops ??= new WeakSet()).add(loop);
}

/** @internal loop.createTask made `task` (only when recordsCreation said so). */
export function noteTaskCreated(task: Task<unknown>): void {
  const loop = task._loop;
  times.set(task, loop.time());
  // The stack is captured now and formatted only if a report names the site.
  if (loop._debug) sites.set(task, new Error('created here'));
}

/** @internal The loop time `task` was created at, or null if it was not recorded. */
export function taskCreatedAt(task: Task<unknown>): number | null {
  return times.get(task) ?? null;
}

/** @internal The Error captured where `task` was created (debug mode), or null. */
export function creationSite(task: Task<unknown>): Error | null {
  return sites.get(task) ?? null;
}
