/**
 * TaskGroup: structured concurrency. Every task created in the group is awaited when the block
 * ends; the first failure cancels the siblings and the block; failures come out as one
 * ExceptionGroup. Plus the `taskGroup(body)` shorthand.
 * @asyncio asyncio.taskgroups (TaskGroup; `cancel()` is 3.15's, gh-108951)
 *
 * Design notes.
 * - The parent task (the one running the block) is cancelled at most once by the group, guarded
 *   by `_parentCancelRequested`; `aexit` matches that cancel with one `uncancel()` (#95289).
 *   If requests remain after it, they are someone else's (an enclosing timeout, a caller's
 *   `cancel()`), and the CancelledError propagates (gh-155433, gh-116720).
 * - JavaScript has no SystemExit / KeyboardInterrupt, so asyncio's `_base_error` path is gone.
 * - Children are kept in creation order (PendingTasks: an array with a live count, no hashing),
 *   so an aborting group cancels them in creation order.
 * @module
 */
import { CancelledError, RuntimeError } from './exceptions.ts';
import { getRunningLoop } from './events.ts';
import type { EventLoop } from './base-events.ts';
import { DoneListener, type Future } from './futures.ts';
import { closeCoroutine, currentTask, isCoroutine, notACoroutineError } from './tasks.ts';
import type { Task } from './tasks.ts';
import type { Context } from './contextvars.ts';
import { groupOfThrown, noteErrorTask } from './exception-groups.ts';
import { checkBodyFunction } from './internal/validate.ts';
import { inspectSymbol } from './internal/repr.ts';
import { runAsyncWith } from './internal/async-with.ts';
import type { AsyncContextManager, Coroutine } from './types.ts';
import { PendingTasks } from './internal/pending-tasks.ts';
import { scopeEntered, scopeExited } from './internal/scopes.ts';
import { enterAwaitScope, exitAwaitScope, labelAwait, taskLabel } from './internal/awaits.ts';

/** Options of `TaskGroup.createTask`. */
export interface TaskGroupTaskOptions {
  /** The task's name (default `Task-N`). */
  name?: string;
  /** The context the task runs in (default: a copy of the current one). */
  context?: Context;
}

/**
 * An async context manager that owns the tasks created through it: leaving the block waits for
 * all of them. The first child that fails cancels the other children and the block; all
 * failures are raised together as `ExceptionGroup('unhandled errors in a TaskGroup', errors)`,
 * always a group, even for one error. A CancelledError from outside propagates as is.
 *
 * Invariants:
 * - `_tasks.size` counts exactly the children whose done callback has not run yet;
 * - `_parentCancelRequested` is set at most once, and then `aexit` calls `uncancel()` once;
 * - once `_aborting`, every child is cancelled and no new child may be created;
 * - `_errors` is null after `aexit` (errors are heavy objects).
 *
 * Fields: `_entered`, `_exiting`, `_aborting`, `_loop`, `_parentTask`, `_parentCancelRequested`,
 * `_tasks` (PendingTasks: creation order, no hashing), `_errors`, `_onCompletedFut` (what `aexit` waits on),
 * `_cancelOnEnter` (`cancel()` before entering), `_onTaskDone` (the one bound done callback),
 * `_listener` (it, registered without a Handle per child; made at the first createTask).
 * @asyncio asyncio.TaskGroup
 * @example
 * yield* taskGroup(function* (tg) {
 *   tg.createTask(fetchUser(1));
 *   tg.createTask(fetchUser(2));
 * }); // both are done here
 */
export class TaskGroup implements AsyncContextManager<TaskGroup> {
  _entered: boolean;
  _exiting: boolean;
  _aborting: boolean;
  _loop: EventLoop | null;
  _parentTask: Task<unknown> | null;
  _parentCancelRequested: boolean;
  _tasks: PendingTasks<Task<unknown>>;
  _errors: unknown[] | null;
  _onCompletedFut: Future<boolean> | null;
  _cancelOnEnter: boolean;
  _onTaskDone: (task: Task<unknown>) => void;
  _listener: DoneListener | null;

  /** A group not entered yet: enter it with `asyncWith`, `taskGroup(body)` or `aenter()`. */
  constructor() {
    this._entered = false;
    this._exiting = false;
    this._aborting = false;
    this._loop = null;
    this._parentTask = null;
    this._parentCancelRequested = false;
    this._tasks = new PendingTasks();
    this._errors = [];
    this._onCompletedFut = null;
    this._cancelOnEnter = false;
    this._onTaskDone = (task) => this._taskDone(task);
    this._listener = null;
  }

  /**
   * Enters the group: the current task becomes its parent.
   * @asyncio TaskGroup.__aenter__()
   * @returns a coroutine that evaluates to this group.
   * @throws {RuntimeError} "TaskGroup <...> has already been entered" (a group is used once), or
   *   "TaskGroup <...> cannot determine the parent task" outside a task.
   * @example
   * const tg = new TaskGroup();
   * yield* tg.aenter();
   */
  *aenter(): Coroutine<TaskGroup> {
    if (this._entered) throw new RuntimeError(`TaskGroup ${this} has already been entered. A TaskGroup is used once: create a new TaskGroup for each block.`);
    if (this._loop === null) this._loop = getRunningLoop();
    this._parentTask = currentTask(this._loop);
    if (this._parentTask === null) throw new RuntimeError(`TaskGroup ${this} cannot determine the parent task`);
    this._entered = true;
    enterAwaitScope(this._parentTask, this); // call graphs list the group and its children
    scopeEntered(this); // debug mode: catches a `yield` of a value inside this block (misnesting)
    if (this._cancelOnEnter) this.cancel();
    return this;
  }

  /**
   * Leaves the block: cancels the children if the block failed or was cancelled, waits for every
   * child, then raises the ExceptionGroup of the failures, or the CancelledError from outside.
   * @asyncio TaskGroup.__aexit__(et, exc, tb)
   * @param error the error the block ended with; omit (or pass undefined) when it ended normally.
   * @returns a coroutine that evaluates to `true` when it swallowed the block's error (the
   *   CancelledError that the group itself caused, after `cancel()` or a child's failure).
   * @throws {ExceptionGroup} "unhandled errors in a TaskGroup" with every failure (the block's too).
   * @throws {CancelledError} when the parent was cancelled from outside.
   * @example
   * try { yield* body(tg); } catch (e) { if (yield* tg.aexit(e)) return; throw e; }
   * yield* tg.aexit();
   */
  *aexit(error?: unknown): Coroutine<boolean> {
    if (!this._entered) throw new RuntimeError(`TaskGroup ${this} has not been entered`);
    if (this._exiting) throw new RuntimeError(`TaskGroup ${this} has already been exited: aexit() must follow aenter(), once`);
    this._exiting = true;
    scopeExited(this);
    const loop = this._loop as EventLoop;
    const parent = this._parentTask as Task<unknown>;
    const hasError = error !== undefined;
    let propagateCancellation: unknown = error instanceof CancelledError ? error : null;

    // The block failed or was cancelled (by our parent's canceller, or by us): abort the children.
    if (hasError && !this._aborting) this._abort();

    // A loop, because the wait can be cancelled repeatedly when our parent is cancelled from
    // outside (or once, while our own cancellation is already in progress).
    let pendingCancellation: unknown = null;
    while (this._tasks.size > 0) {
      if (this._onCompletedFut === null) {
        this._onCompletedFut = loop.createFuture<boolean>();
        labelAwait(this._onCompletedFut, 'TaskGroup.aexit', this);
      }
      try {
        yield* this._onCompletedFut;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        pendingCancellation = e;
        if (!this._aborting) {
          // The parent was cancelled from outside while the children were still running.
          propagateCancellation = e;
          this._abort();
        }
      }
      this._onCompletedFut = null;
    }

    const errors = this._errors as unknown[];
    this._errors = null;
    exitAwaitScope(parent, this);
    this._parentTask = null;
    if (this._parentCancelRequested) {
      // We cancelled the parent once: match it with exactly one uncancel().
      if (parent.uncancel() === 0) propagateCancellation = null;
      // gh-155433: the remaining cancellation is not ours, do not drop it.
      else if (propagateCancellation === null) propagateCancellation = pendingCancellation;
    }
    // A CancelledError propagates, unless there are failures: those have priority.
    if (propagateCancellation !== null && errors.length === 0) throw propagateCancellation;
    if (hasError && !(error instanceof CancelledError)) errors.push(error);
    if (errors.length > 0) {
      // Cancelled from outside too: uncancel and re-cancel, keeping the count stable (gh-116720).
      if (parent.cancelling() > 0) {
        parent.uncancel();
        parent.cancel();
      }
      throw groupOfThrown('unhandled errors in a TaskGroup', errors);
    }
    // Swallow what remains: the CancelledError the group itself caused.
    return true;
  }

  /**
   * Creates a task in the group and returns it. The group waits for it on exit; its failure
   * cancels the group.
   * @asyncio TaskGroup.create_task(coro, *, name=None, context=None)
   * @param coro a coroutine (the generator object of a `function*`).
   * @param options `name` and `context`, as `createTask`.
   * @returns the new Task.
   * @throws {RuntimeError} "TaskGroup <...> has not been entered", "TaskGroup <...> is finished"
   *   (the block ended and every child is done), "TaskGroup <...> is shutting down" (aborting); the
   *   refused coroutine is closed first, as asyncio does.
   * @throws {TypeError} if `coro` is not a coroutine.
   * @example
   * const user = tg.createTask(fetchUser(1), { name: 'user-1' });
   */
  createTask<T>(coro: Coroutine<T>, options?: TaskGroupTaskOptions): Task<T> {
    // asyncio closes a refused coroutine on all three paths (test_taskgroup_finished), so it is
    // never reported as "never awaited".
    if (!this._entered) throw this._refuse(coro, 'has not been entered');
    if (this._exiting && this._tasks.size === 0) throw this._refuse(coro, 'is finished');
    if (this._aborting) throw this._refuse(coro, 'is shutting down');
    if (!isCoroutine(coro)) throw notACoroutineError('tg.createTask', coro);
    const task = (this._loop as EventLoop).createTask(coro, options) as Task<unknown>;
    // gh-128550: add the done callback even if the task finished eagerly, or its failure would
    // cancel the parent too early (while it is still running createTask).
    this._tasks.add(task);
    // One listener for the children made in one context, no Handle each; made here, in that context.
    const listener = (this._listener ??= new DoneListener(this._onTaskDone as (future: Future<unknown>) => void));
    task._addListener(listener);
    // gh-155418: an eager child can cancel the group before joining _tasks.
    if (this._aborting && !task.done()) task.cancel();
    return task as Task<T>;
  }

  private _refuse(coro: unknown, why: string): RuntimeError {
    closeCoroutine(coro);
    return new RuntimeError(`TaskGroup ${this} ${why}`);
  }

  /**
   * Cancels the group: every child not done and the block itself. The group then exits without
   * raising CancelledError. Called before entering, the group is cancelled on entry; idempotent,
   * and a no-op once the group has finished.
   * @asyncio TaskGroup.cancel() (3.15, gh-108951)
   * @example
   * yield* taskGroup(function* (tg) {
   *   tg.createTask(serveForever());
   *   yield* shutdownRequested.wait();
   *   tg.cancel();
   * });
   */
  cancel(): void {
    if (!this._entered) {
      this._cancelOnEnter = true;
      return;
    }
    if (this._exiting && this._tasks.size === 0) return;
    if (!this._aborting) {
      this._abort();
      const parent = this._parentTask;
      if (parent !== null && !this._parentCancelRequested) {
        this._parentCancelRequested = true;
        parent.cancel();
      }
    }
  }

  /**
   * Leaves the group from `await using`: waits for the children through the loop (in a helper
   * task) and rejects with the group's errors. The block's own error is not known there.
   * Differs from asyncio: prefer `asyncWith(tg, ...)` or `taskGroup(body)`, which see the block's
   * error and run the exit in the parent task.
   */
  [Symbol.asyncDispose](): Promise<void> {
    if (!this._entered || this._exiting) return Promise.resolve();
    const task = (this._loop as EventLoop).createTask(this.aexit());
    return new Promise((resolve, reject) => {
      task.addDoneCallback((t) => {
        try {
          t.result();
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  /** `<TaskGroup tasks=2 errors=1 cancelling>`, as asyncio's repr. */
  toString(): string {
    let info = '';
    if (this._tasks.size > 0) info += ` tasks=${this._tasks.size}`;
    if (this._errors !== null && this._errors.length > 0) info += ` errors=${this._errors.length}`;
    if (this._aborting) info += ' cancelling';
    else if (this._entered) info += ' entered';
    return `<TaskGroup${info}>`;
  }

  /** @internal How a call graph shows this group around what its parent awaits: `TaskGroup(2 children: Task 'a', Task 'b')`. */
  _describeScope(task: Task<unknown>): string | null {
    if (this._parentTask !== task || this._exiting) return null;
    return `TaskGroup(${this._describeChildren()})`;
  }

  /** @internal The parent waits in aexit for the children still running. */
  _describeAwait(_op: string): string {
    return `TaskGroup exit waiting for ${this._describeChildren()}`;
  }

  private _describeChildren(): string {
    const names = [...this._tasks].map(taskLabel);
    return `${names.length} ${names.length === 1 ? 'child' : 'children'}${names.length > 0 ? ': ' + names.join(', ') : ''}`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** Cancels every child not done, in creation order. */
  _abort(): void {
    this._aborting = true;
    for (const task of this._tasks) task.cancel();
  }

  /** A child is done: record its failure, and on the first one abort and cancel the parent. */
  _taskDone(task: Task<unknown>): void {
    this._tasks.finished(task);
    const waiter = this._onCompletedFut;
    if (waiter !== null && this._tasks.size === 0 && !waiter.done()) waiter.setResult(true);
    if (task.cancelled()) return;
    const error = task.exception();
    if (error === null) return;
    const errors = this._errors;
    if (errors === null) return; // aexit already raised: cannot happen, the group waits for all
    noteErrorTask(error, task.getName()); // the group's inspect names the child it came from
    errors.push(error);
    const parent = this._parentTask as Task<unknown>;
    if (parent.done()) {
      (this._loop as EventLoop).callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${parent} is already completed`,
        exception: error,
        task,
      });
      return;
    }
    if (!this._aborting && !this._parentCancelRequested) {
      // Cancel the block too, once; aexit will uncancel the parent:
      //   yield* taskGroup(function* (tg) {
      //     tg.createTask(crashSoon());
      //     yield* something();   // <- cancelled by the group
      //   });
      this._abort();
      this._parentCancelRequested = true;
      parent.cancel();
    }
  }
}

/**
 * Runs `body(tg)` inside a new TaskGroup: returns the body's result once every child is done.
 * @asyncio `async with asyncio.TaskGroup() as tg: ...`
 * Differs from asyncio: a function instead of a statement.
 * @param body a `function*` that receives the group and creates tasks in it.
 * @returns a coroutine that evaluates to the body's result. A body that `tg.cancel()` interrupts
 *   before it returns has no result, and the coroutine evaluates to `undefined`: a body that
 *   expects that should declare `Coroutine<T | undefined>` (typed `T`, not `T | undefined`, so
 *   the common body that is never cancelled needs no `!`).
 * @throws {ExceptionGroup} "unhandled errors in a TaskGroup" when children (or the body) failed.
 * @throws {CancelledError} when the task running it was cancelled from outside.
 * @throws {TypeError} if `body` is not a function.
 * @example
 * let a!: Task<string>, b!: Task<string>;
 * yield* taskGroup(function* (tg) {
 *   a = tg.createTask(fetchA());
 *   b = tg.createTask(fetchB());
 * });
 * console.log(a.result(), b.result());
 */
export function taskGroup<T>(body: (tg: TaskGroup) => Coroutine<T>): Coroutine<T> {
  checkBodyFunction(body, 'taskGroup', 'taskGroup(function* (tg) { ... })');
  // Only a tg.cancel() that interrupts the body leaves undefined (see @returns).
  return runAsyncWith(new TaskGroup(), body, 'taskGroup', 'taskGroup(function* (tg) { ... })') as Coroutine<T>;
}
