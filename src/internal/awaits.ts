/**
 * What a suspended task awaits, in words: shared by the call graph (graph.ts) and the trace
 * recorder (trace.ts). Primitives that create waiter futures register them here (a WeakMap, so a
 * registration keeps nothing alive and costs one set per wait), which lets a report say
 * `Lock.acquire() on <Lock [locked, waiters:1]>` instead of `<Future pending>`.
 * @module
 */
import { Future } from '../futures.ts';
import { Task } from '../tasks.ts';

/** What a registered waiter future is for: the operation and the object it was made by. */
interface AwaitLabel {
  readonly op: string;
  readonly target: object;
}

const labels = new WeakMap<Future<unknown>, AwaitLabel>();

/** @internal Names the waiter future `future` as `op` (e.g. 'Lock.acquire') on `target`. */
export function labelAwait(future: Future<unknown>, op: string, target: object): void {
  labels.set(future, { op, target });
}

/** A block a task is inside (a timeout, a TaskGroup): describes itself while it guards `task`, else null. */
interface AwaitScope {
  _describeScope(task: Task<unknown>): string | null;
}

const scopes = new WeakMap<Task<unknown>, AwaitScope[]>();

/** @internal `task` entered the block `scope` (Timeout.aenter, TaskGroup.aenter). */
export function enterAwaitScope(task: Task<unknown>, scope: AwaitScope): void {
  const list = scopes.get(task);
  if (list === undefined) scopes.set(task, [scope]);
  else list.push(scope);
}

/** @internal The block exited. */
export function exitAwaitScope(task: Task<unknown> | null, scope: AwaitScope): void {
  const list = task !== null ? scopes.get(task) : undefined;
  if (list === undefined) return;
  const index = list.lastIndexOf(scope);
  if (index >= 0) list.splice(index, 1);
}

/** @internal The blocks `task` is inside, outermost first, in words: `timeout(500) expires at t=600`, `TaskGroup(...)`. */
export function describeScopes(task: Task<unknown>): string[] {
  const list = scopes.get(task);
  if (list === undefined) return [];
  const out: string[] = [];
  for (const scope of list) {
    const text = scope._describeScope(task);
    if (text !== null) out.push(text);
  }
  return out;
}

/** @internal What a registered waiter future was made for (its operation and object), else null. */
export function awaitTarget(future: Future<unknown>): AwaitLabel | null {
  return labels.get(future) ?? null;
}

/** @internal Formats a loop time for reports: integers as is, else to 3 decimals. */
export function formatTime(t: number): string {
  return Number.isInteger(t) ? String(t) : t.toFixed(3);
}

/** @internal The task names are shown as `Task 'name'`. */
export function taskLabel(task: Task<unknown>): string {
  return `Task '${task.getName()}'`;
}

/**
 * @internal What `future` is, for someone waiting on it: a Task by name, a registered waiter by
 * its operation (and the object's repr), anything else by its repr.
 */
export function describeFuture(future: Future<unknown>): string {
  if (future instanceof Task) return taskLabel(future);
  const label = labels.get(future);
  if (label !== undefined) {
    const describe = (label.target as { _describeAwait?: (op: string) => string })._describeAwait;
    return typeof describe === 'function' ? describe.call(label.target, label.op) : `${label.op}() on ${String(label.target)}`;
  }
  const own = (future as { _describeAwait?: () => string })._describeAwait;
  if (typeof own === 'function') return own.call(future);
  // The repr without `cb=[...]`: whoever reads this already knows who waits.
  return `<${future.constructor.name} ${future._reprInfo().filter((part) => !part.startsWith('cb=[')).join(' ')}>`;
}

/**
 * @internal What a pending `task` waits for right now: its future, its sleep (with the deadline),
 * or null when it is not waiting (scheduled, running or done).
 */
export function describeWait(task: Task<unknown>): string | null {
  if (task._futWaiter !== null) return describeFuture(task._futWaiter);
  const sleeping = task._sleep;
  if (sleeping !== null) {
    const timer = sleeping._timer;
    return timer !== null && Number.isFinite(timer._when) ? `sleep(${formatTime(sleeping._delay)}) until t=${formatTime(timer._when)}` : `sleep(${formatTime(sleeping._delay)})`;
  }
  return null;
}
