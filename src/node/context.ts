/**
 * The per-task context bridged to Node's AsyncLocalStorage, so libraries that read
 * `als.getStore()` (loggers, tracers) see the right value inside yieldio tasks.
 * @asyncio contextvars, as seen by Node's AsyncLocalStorage
 *
 * Design notes
 * - Why a bridge: a task's steps all run inside the loop's own host callbacks, so without help
 *   `als.getStore()` in a task returns whatever store was current when `run()` was called, the
 *   same for every task; and a value a task sets would leak into the next task's step.
 * - The value lives in a ContextVar (`AsyncLocalStorageVar` is one), so it follows asyncio's
 *   copy semantics: a task sees a copy of its creator's context; its own `set()` stays inside it
 *   and the tasks it creates afterwards.
 * - A step hook in the core (`setStepHook`, one null check per step when unused) mirrors it: before
 *   each step, for every bridged variable that has a value in the task's context, the current
 *   store is saved and `als.enterWith(value)` is called; after the step the saved store is put
 *   back (always, since a `set()` during the step enters one). Steps nest only under eager start, so the saved stores live on one LIFO stack (no
 *   allocation per step). Promises and Node callbacks started during a step capture the task's
 *   store, as AsyncLocalStorage always does.
 * - A task whose context has no value leaves the store alone: it sees the host's store (e.g. the
 *   one `als.run(store, () => run(main))` established).
 * - Use `variable.set(value)` / `variable.run(value, body)` inside tasks, not `als.enterWith`:
 *   a raw `enterWith` inside a step is undone when the step ends.
 * @module
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import { ContextVar, type Token } from '../contextvars.ts';
import { setStepHook, type StepHook, type Task } from '../tasks.ts';
import { describeValue } from '../internal/repr.ts';
import type { Coroutine } from '../types.ts';
import { holderValues } from '../contextvars.ts';

const UNSET: unique symbol = Symbol('yieldio.als.unset');

// Every bridged variable, in creation order; the hook walks it per step (usually 0 or 1 entries).
const bridged: AsyncLocalStorageVar<unknown>[] = [];
// The store each bridged variable had when a step began, one entry per variable per active step.
const savedStores: unknown[] = [];
let stepDepth = 0;

const hook: StepHook = {
  before(task: Task<unknown>): void {
    const values = holderValues(task);
    stepDepth++;
    for (let i = 0; i < bridged.length; i++) {
      const variable = bridged[i] as AsyncLocalStorageVar<unknown>;
      savedStores.push(variable.als.getStore());
      if (values !== null && values.has(variable)) variable.als.enterWith(values.get(variable));
    }
  },
  after(): void {
    stepDepth--;
    // Always restore: a set() during the step may have entered a store even if none was at start.
    for (let i = bridged.length - 1; i >= 0; i--) {
      (bridged[i] as AsyncLocalStorageVar<unknown>).als.enterWith(savedStores.pop());
    }
  },
};

/**
 * A ContextVar whose value, inside each yieldio task, is also the store of a Node
 * `AsyncLocalStorage`: `als.getStore()` in a task (and in Promises and callbacks it starts)
 * returns the task's value. A task without a value sees the host's store; `get()` then returns
 * that store too.
 * @asyncio contextvars.ContextVar, mirrored into node:async_hooks AsyncLocalStorage
 * Differs from asyncio: there is no AsyncLocalStorage in Python; this is the Node bridge.
 * @example
 * const als = new AsyncLocalStorage<string>();
 * const requestId = new AsyncLocalStorageVar(als, 'requestId');
 * function* handler(): Coroutine<void> {
 *   requestId.set('req-42');
 *   yield* sleep(10);
 *   logger.info('done'); // the logger reads als.getStore() === 'req-42'
 * }
 */
export class AsyncLocalStorageVar<T> extends ContextVar<T> {
  /** The AsyncLocalStorage this variable mirrors into. */
  readonly als: AsyncLocalStorage<T>;

  /**
   * Bridges `als`; `name` names the ContextVar.
   * @throws {TypeError} if `als` is not an AsyncLocalStorage, or is already bridged.
   */
  constructor(als: AsyncLocalStorage<T>, name = 'AsyncLocalStorage', options?: { default: T }) {
    super(name, options);
    if (als === null || typeof als !== 'object' || typeof als.getStore !== 'function' || typeof als.enterWith !== 'function') {
      throw new TypeError(`Expected \`als\` to be an AsyncLocalStorage, got ${describeValue(als)}`);
    }
    if (bridged.some((v) => v.als === (als as AsyncLocalStorage<unknown>))) {
      throw new TypeError('This AsyncLocalStorage is already bridged: use the AsyncLocalStorageVar created for it (one bridge per AsyncLocalStorage).');
    }
    this.als = als;
    if (stepDepth > 0) throw new TypeError('Create AsyncLocalStorageVar at module level, not inside a task step.');
    bridged.push(this as AsyncLocalStorageVar<unknown>);
    setStepHook(hook);
  }

  /**
   * The value in the current task's context; without one, the AsyncLocalStorage's store; else
   * `defaultValue`, else the variable's default.
   * @asyncio ContextVar.get([default])
   * @throws {RangeError} when there is no value anywhere and no default.
   */
  override get(defaultValue?: T): T {
    const value = super.get(UNSET as T);
    if (value !== (UNSET as unknown)) return value;
    const store = this.als.getStore();
    if (store !== undefined) return store;
    return arguments.length > 0 ? (defaultValue as T) : super.get();
  }

  /**
   * Sets the value in the current context and, inside a task step, makes it the store at once.
   * @asyncio ContextVar.set(value)
   */
  override set(value: T): Token<T> {
    const token = super.set(value);
    if (stepDepth > 0) this.als.enterWith(value);
    return token;
  }

  /**
   * Undoes a `set`, in the context and (inside a task step) in the store.
   * @asyncio ContextVar.reset(token)
   */
  override reset(token: Token<T>): void {
    super.reset(token);
    if (stepDepth > 0) {
      const value = super.get(UNSET as T);
      // Back to "no value in this context": the store the step started with.
      if (value === (UNSET as unknown)) this.als.enterWith(this._stepStartStore() as T);
      else this.als.enterWith(value);
    }
  }

  /**
   * Runs `body` with the variable set to `value`, and restores it afterwards, however `body` ends.
   * The `als.run(value, fn)` of coroutines.
   * @asyncio `token = var.set(value); try: await body() finally: var.reset(token)`
   * @returns the body's result.
   * @example
   * yield* requestId.run('req-1', function* () { yield* handle(); });
   */
  *run<R>(value: T, body: () => Coroutine<R>): Coroutine<R> {
    const token = this.set(value);
    try {
      return yield* body();
    } finally {
      this.reset(token);
    }
  }

  /** The store this variable had when the current step began (the host's store). */
  private _stepStartStore(): T | undefined {
    const index = bridged.indexOf(this as AsyncLocalStorageVar<unknown>);
    return savedStores[savedStores.length - bridged.length + index] as T | undefined;
  }

  override toString(): string {
    return `<AsyncLocalStorageVar name='${this.name}'>`;
  }
}

/**
 * Bridges an AsyncLocalStorage to yieldio tasks: shorthand for `new AsyncLocalStorageVar(als)`.
 * @asyncio none (the Node bridge of contextvars)
 * @param als the AsyncLocalStorage whose store should follow the task.
 * @returns the ContextVar that holds the per-task value.
 * @throws {TypeError} if `als` is not an AsyncLocalStorage or is already bridged.
 * @example
 * const user = bindAsyncLocalStorage(new AsyncLocalStorage<string>());
 * yield* user.run('ada', function* () { yield* work(); });
 */
export function bindAsyncLocalStorage<T>(als: AsyncLocalStorage<T>, name?: string): AsyncLocalStorageVar<T> {
  return new AsyncLocalStorageVar(als, name);
}

