/**
 * What a suspended task awaits, in words: shared by the call graph (graph.ts) and the trace
 * recorder (trace.ts). Primitives that create waiter futures label them here (in the future's own
 * `_extra` slot: nothing allocated per wait when the label is made once), which lets a report say
 * `Lock.acquire() on <Lock [locked, waiters:1]>` instead of `<Future pending>`.
 * @module
 */
import { Future } from '../futures.ts';
import { Task } from '../tasks.ts';

/**
 * What a waiter future is for: the operation and the object it was made by. It lives in the
 * future's `_extra` slot, which a plain Future leaves unused while pending and while finished with a
 * result (a WeakMap entry per wait cost ~15% of a contended Queue's time, mostly in the GC).
 */
export class AwaitLabel {
  readonly op: string;
  readonly target: object;

  constructor(op: string, target: object) {
    this.op = op;
    this.target = target;
  }
}

/**
 * @internal Names the fresh waiter future `future` (from `createFuture()`, pending, never a Task)
 * as `op` (e.g. 'Lock.acquire') on `target`. A later cancel() replaces the label with its message.
 */
export function labelAwait(future: Future<unknown>, op: string, target: object): void {
  future._extra = new AwaitLabel(op, target);
}

/** @internal `labelAwait` with a label the primitive made once (no allocation per wait). */
export function labelAwaitWith(future: Future<unknown>, label: AwaitLabel): void {
  future._extra = label;
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
  const extra = future._extra;
  return extra instanceof AwaitLabel ? extra : null;
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
  const label = awaitTarget(future);
  if (label !== null) {
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
    // The sleep is its own timer entry: armed while it holds the task.
    const armed = sleeping._task !== null && Number.isFinite(sleeping._when);
    return armed ? `sleep(${formatTime(sleeping._delay)}) until t=${formatTime(sleeping._when)}` : `sleep(${formatTime(sleeping._delay)})`;
  }
  return null;
}
