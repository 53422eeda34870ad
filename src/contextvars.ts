/**
 * Context variables: values that follow the task, not the call stack. Each task runs in a copy of
 * the context of the code that created it, so a `set()` inside a task is invisible outside it.
 * @asyncio contextvars (ContextVar, Context, copy_context, Token)
 * @module
 */
import { RuntimeError } from './exceptions.ts';
import { getRunningLoopOrNull } from './events.ts';
import { describeValue, inspectSymbol, shortRepr } from './internal/repr.ts';

const MISSING: unique symbol = Symbol('yieldio.missing');

/** @internal A context's values. Never mutated once made: a write makes a new map. */
export type ContextValues = ReadonlyMap<ContextVar<unknown>, unknown>;

const EMPTY: ContextValues = new Map();

/** asyncio's TypeError for a mapping key that is not a ContextVar. */
function checkKey(variable: unknown): void {
  if (!(variable instanceof ContextVar)) throw new TypeError(`a ContextVar key was expected, got ${shortRepr(variable)}`);
}

/**
 * A read-only mapping of ContextVars to values, like Python's (and like a `ReadonlyMap`):
 * `ctx[var]` is `ctx.get(var)`, `var in ctx` is `ctx.has(var)`, `len(ctx)` is `ctx.size`,
 * `ctx.items()` is `ctx.entries()`, `iter(ctx)` is `ctx[Symbol.iterator]()` (the variables).
 * Its map is immutable (a `set` replaces it with a new one), so `copy()`, and the snapshot every
 * `createTask` takes, is O(1) and allocates almost nothing. Python uses a HAMT for O(log n) sets;
 * contexts hold few variables, so a copied Map is enough.
 * @asyncio contextvars.Context
 */
export class Context implements Iterable<ContextVar<unknown>> {
  _values: ContextValues;
  _entered: boolean;

  constructor() {
    this._values = EMPTY;
    this._entered = false;
  }

  /** @internal */
  static _fromValues(values: ContextValues): Context {
    const context = new Context();
    context._values = values;
    return context;
  }

  /**
   * A shallow copy: the same values, independent from now on.
   * @asyncio Context.copy()
   */
  copy(): Context {
    return Context._fromValues(this._values);
  }

  /**
   * Runs `fn(...args)` with this context current, and restores the previous one afterwards.
   * @asyncio Context.run(callable, *args)
   * @throws {RuntimeError} if this context is already entered (as asyncio's "cannot enter context").
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    if (this._entered) throw new RuntimeError(`cannot enter context: ${this} is already entered`);
    const previous = explicitContext;
    explicitContext = this;
    this._entered = true;
    try {
      return fn(...args);
    } finally {
      this._entered = false;
      explicitContext = previous;
    }
  }

  /**
   * The value of `variable` in this context, or `defaultValue` (Python's `ctx[var]` and `ctx.get`).
   * @asyncio Context.get(var, default=None), context[var]
   * @throws {TypeError} "a ContextVar key was expected, got 1" for a key that is not a ContextVar.
   */
  get<T>(variable: ContextVar<T>, defaultValue?: T): T | undefined {
    checkKey(variable);
    const value = this._values.get(variable as ContextVar<unknown>);
    return value === undefined && !this._values.has(variable as ContextVar<unknown>) ? defaultValue : (value as T);
  }

  /**
   * Whether `variable` has a value in this context.
   * @asyncio `var in context`
   * @throws {TypeError} for a key that is not a ContextVar.
   */
  has(variable: ContextVar<unknown>): boolean {
    checkKey(variable);
    return this._values.has(variable);
  }

  /** The number of variables set in this context. @asyncio len(context) */
  get size(): number {
    return this._values.size;
  }

  /** The variables set in this context. @asyncio Context.keys() */
  keys(): IterableIterator<ContextVar<unknown>> {
    return this._values.keys();
  }

  /** Their values, in the same order. @asyncio Context.values() */
  values(): IterableIterator<unknown> {
    return this._values.values();
  }

  /** `[variable, value]` pairs. @asyncio Context.items() */
  entries(): IterableIterator<[ContextVar<unknown>, unknown]> {
    return this._values.entries();
  }

  /** The variables, as Python's `iter(context)`. @asyncio Context.__iter__() */
  [Symbol.iterator](): IterableIterator<ContextVar<unknown>> {
    return this._values.keys();
  }

  /** @internal Writes into a new map: snapshots taken before keep the old values. */
  _set(variable: ContextVar<unknown>, value: unknown): void {
    const values = new Map(this._values);
    if (value === MISSING) values.delete(variable);
    else values.set(variable, value);
    this._values = values;
  }

  toString(): string {
    return `<Context vars=${this._values.size}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

// Which context is current, without a write per task step: a context entered with `run()` wins;
// otherwise the running task's own context (the running loop's `_currentTask`);
// otherwise the global one. The task step only sets `loop._currentTask`, which it does anyway.
const globalContext = new Context();
let explicitContext: Context | null = null;
/**
 * @internal What a task holds: its Context once made, or until then just the values it was
 * created with (an immutable snapshot), in one field.
 */
export interface ContextHolder {
  _context: Context | ContextValues;
  getContext(): Context;
}

/** @internal A holder's Context (a Handle's, a Task's), made from its values when first asked for, then kept. */
export function holderContext(holder: { _context: Context | ContextValues }): Context {
  const held = holder._context;
  if (held instanceof Context) return held;
  const context = Context._fromValues(held);
  holder._context = context;
  return context;
}

/** @internal A task's current values, without making its Context. */
export function holderValues(holder: ContextHolder): ContextValues {
  const context = holder._context;
  return context instanceof Context ? context._values : context;
}
// Read through events, not installed by tasks.ts: no module registers itself into another (sideEffects: false).
function runningTask(): ContextHolder | null {
  const loop = getRunningLoopOrNull();
  return loop === null ? null : loop._currentTask;
}

/** @internal A task step hides a context entered with `run()` around it, so the task's own is current. */
export function swapExplicitContext(context: Context | null): Context | null {
  const previous = explicitContext;
  explicitContext = context;
  return previous;
}

/** @internal Whether a context entered with `run()` is current (the task step's fast check). */
export function hasExplicitContext(): boolean {
  return explicitContext !== null;
}

// The Handle whose callback is running (asyncio's Handle._run: `self._context.run(cb, *args)`),
// consulted after the task: a task step started inside a callback (eager start) wins.
let runningCallback: ContextHolder | null = null;

/**
 * @internal Enters a Handle's context for its callback; returns the context entered with `run()`
 * that it hides, for `leaveCallbackContext`. An explicit Context already entered is refused, as
 * asyncio's `Context.run` does.
 * @throws {RuntimeError} "cannot enter context: ... is already entered".
 */
export function enterCallbackContext(holder: ContextHolder): Context | null {
  const held = holder._context;
  if (held instanceof Context) {
    if (held._entered) throw new RuntimeError(`cannot enter context: ${held} is already entered`);
    held._entered = true;
  }
  runningCallback = holder;
  const previous = explicitContext;
  explicitContext = null;
  return previous;
}

/** @internal Undoes `enterCallbackContext` (the previous callback slot is always null: loops do not nest). */
export function leaveCallbackContext(holder: ContextHolder, previous: Context | null): void {
  const held = holder._context;
  if (held instanceof Context) held._entered = false;
  runningCallback = null;
  explicitContext = previous;
}

function current(): Context {
  if (explicitContext !== null) return explicitContext;
  const task = runningTask();
  if (task !== null) return task.getContext();
  return runningCallback === null ? globalContext : runningCallback.getContext();
}

/** @internal The current values without making a Context: what createTask and callSoon snapshot. */
export function currentContextValues(): ContextValues {
  if (explicitContext !== null) return explicitContext._values;
  const task = runningTask();
  if (task !== null) return holderValues(task);
  return runningCallback === null ? globalContext._values : holderValues(runningCallback);
}

/**
 * @internal The context of the `{ context }` options object of callSoon & co. and addDoneCallback.
 * A Context passed in its place, or an unknown key, is a mistake that would otherwise be ignored.
 * @throws {TypeError} naming the mistake.
 */
export function contextFromOptions(options: object, what: string): Context | ContextValues {
  if (options instanceof Context) {
    throw new TypeError(`Expected the options of ${what} to be { context }, got a Context: write { context: ctx }`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'context') throw new TypeError(`Unknown option \`${key}\` of ${what}: the only option is \`context\``);
  }
  return contextOption((options as { context?: unknown }).context);
}

/**
 * @internal The context a callback given `{ context }` runs in: that Context, or for null/undefined
 * the current values (asyncio's `context=None`: a copy of the current context; no allocation).
 * @throws {TypeError} for anything else.
 */
export function contextOption(context: unknown): Context | ContextValues {
  if (context === undefined || context === null) return currentContextValues();
  if (!(context instanceof Context)) {
    throw new TypeError(`Expected \`context\` to be a Context (from copyContext() or new Context()), got ${String(context)}`);
  }
  return context;
}

/**
 * A copy of the current context (what `createTask` gives a new task).
 * @asyncio contextvars.copy_context()
 */
export function copyContext(): Context {
  return Context._fromValues(currentContextValues());
}

/**
 * The token `ContextVar.set` returns, to undo that set with `reset(token)`.
 * @asyncio contextvars.Token
 */
export class Token<T> {
  /** @internal */
  readonly _context: Context;
  /** The variable this token belongs to. @asyncio Token.var */
  readonly variable: ContextVar<T>;
  /** The value before the set, or `Token.MISSING`. @asyncio Token.old_value */
  readonly oldValue: T | typeof Token.MISSING;
  /** @internal */
  _used: boolean;
  /** Marks "the variable had no value". @asyncio Token.MISSING */
  static readonly MISSING: typeof MISSING = MISSING;

  /** @internal */
  constructor(context: Context, variable: ContextVar<T>, oldValue: T | typeof MISSING) {
    this._context = context;
    this.variable = variable;
    this.oldValue = oldValue;
    this._used = false;
  }

  /** The variable, under Python's name. @asyncio Token.var */
  get var(): ContextVar<T> {
    return this.variable;
  }

  /** `<Token var=<ContextVar name='x'>>`, `<Token used var=...>` once reset, as Python's repr. */
  toString(): string {
    return `<Token${this._used ? ' used' : ''} var=${this.variable}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A variable whose value depends on the current context (so, on the current task).
 * @asyncio contextvars.ContextVar(name, *, default)
 * @example
 * const requestId = new ContextVar<string>('requestId', { default: '-' });
 * requestId.set('abc');
 * createTask(handler()); // handler sees 'abc'; its own set() stays inside it
 */
export class ContextVar<T> {
  private readonly _name: string;
  private readonly defaultValue: T | typeof MISSING;

  /**
   * A new variable, with an optional default.
   * @throws {TypeError} "context variable name must be a string" for a name that is not one.
   */
  constructor(name: string, options?: { default: T }) {
    if (typeof name !== 'string') throw new TypeError(`context variable name must be a string, got ${describeValue(name)}`);
    this._name = name;
    this.defaultValue = options !== undefined && 'default' in options ? options.default : MISSING;
  }

  /** The variable's name; read-only (assigning it throws a TypeError, as Python's AttributeError). @asyncio ContextVar.name */
  get name(): string {
    return this._name;
  }

  /**
   * The value in the current context; else `defaultValue`; else the variable's default.
   * @asyncio ContextVar.get([default])
   * @throws {RangeError} (Python's LookupError) when there is no value and no default.
   */
  get(defaultValue?: T): T {
    const values = currentContextValues();
    const value = values.get(this as ContextVar<unknown>);
    if (value !== undefined || values.has(this as ContextVar<unknown>)) return value as T;
    if (arguments.length > 0) return defaultValue as T;
    if (this.defaultValue !== MISSING) return this.defaultValue;
    throw new RangeError(`ContextVar '${this.name}' has no value in this context and no default; pass a default to get() or to the constructor`);
  }

  /**
   * Sets the value in the current context; returns a Token for `reset`.
   * @asyncio ContextVar.set(value)
   */
  set(value: T): Token<T> {
    const context = current();
    const values = context._values;
    const old = values.has(this as ContextVar<unknown>) ? (values.get(this as ContextVar<unknown>) as T) : MISSING;
    context._set(this as ContextVar<unknown>, value);
    return new Token(context, this, old);
  }

  /**
   * Restores the value the variable had before the `set` that returned `token`.
   * @asyncio ContextVar.reset(token)
   * @throws {RuntimeError} if the token was already used; {RangeError} if it belongs to another
   *   variable or another context.
   */
  reset(token: Token<T>): void {
    if (token._used) throw new RuntimeError(`${token} has already been used once`);
    if (token.variable !== this) throw new RangeError(`${token} was created by a different ContextVar`);
    const context = current();
    if (token._context !== context) throw new RangeError(`${token} was created in a different Context`);
    token._used = true;
    context._set(this as ContextVar<unknown>, token.oldValue);
  }

  /** `<ContextVar name='x' default=1>`, as Python's repr (without the address). */
  toString(): string {
    return `<ContextVar name='${this._name}'${this.defaultValue === MISSING ? '' : ` default=${shortRepr(this.defaultValue)}`}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}
