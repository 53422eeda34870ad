/**
 * Context variables: values that follow the task, not the call stack. Each task runs in a copy of
 * the context of the code that created it, so a `set()` inside a task is invisible outside it.
 * @asyncio contextvars (ContextVar, Context, copy_context, Token)
 * @module
 */
import { RuntimeError } from './exceptions.ts';

const MISSING: unique symbol = Symbol('yieldio.missing');

/**
 * A mapping of ContextVars to values. `copy()` is O(1): the map is shared until one side writes
 * (copy-on-write), so the copy every `createTask` makes costs almost nothing.
 * @asyncio contextvars.Context
 */
export class Context {
  _values: Map<ContextVar<unknown>, unknown>;
  _shared: boolean;
  _entered: boolean;

  constructor() {
    this._values = new Map();
    this._shared = false;
    this._entered = false;
  }

  /**
   * A shallow copy: the same values, independent from now on.
   * @asyncio Context.copy()
   */
  copy(): Context {
    const copy = new Context();
    copy._values = this._values;
    copy._shared = true;
    this._shared = true;
    return copy;
  }

  /**
   * Runs `fn(...args)` with this context current, and restores the previous one afterwards.
   * @asyncio Context.run(callable, *args)
   * @throws {RuntimeError} if this context is already entered (as asyncio's "cannot enter context").
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    if (this._entered) throw new RuntimeError(`cannot enter context: ${this} is already entered`);
    const previous = enterContext(this);
    this._entered = true;
    try {
      return fn(...args);
    } finally {
      this._entered = false;
      enterContext(previous);
    }
  }

  /**
   * The value of `variable` in this context, or `defaultValue`.
   * @asyncio Context.get(var, default=None)
   */
  get<T>(variable: ContextVar<T>, defaultValue?: T): T | undefined {
    const value = this._values.get(variable as ContextVar<unknown>);
    return value === undefined && !this._values.has(variable as ContextVar<unknown>) ? defaultValue : (value as T);
  }

  /**
   * Whether `variable` has a value in this context.
   * @asyncio `var in context`
   */
  has(variable: ContextVar<unknown>): boolean {
    return this._values.has(variable);
  }

  /** The variables set in this context. @asyncio Context.keys() */
  keys(): ContextVar<unknown>[] {
    return [...this._values.keys()];
  }

  /** @internal Writes, copying the shared map first. */
  _set(variable: ContextVar<unknown>, value: unknown): void {
    if (this._shared) {
      this._values = new Map(this._values);
      this._shared = false;
    }
    if (value === MISSING) this._values.delete(variable);
    else this._values.set(variable, value);
  }

  toString(): string {
    return `<Context vars=${this._values.size}>`;
  }
}

let currentContext = new Context();

/** @internal Makes `context` current; returns the previous one (the task step uses this). */
export function enterContext(context: Context): Context {
  const previous = currentContext;
  currentContext = context;
  return previous;
}

/**
 * A copy of the current context (what `createTask` gives a new task).
 * @asyncio contextvars.copy_context()
 */
export function copyContext(): Context {
  return currentContext.copy();
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
  /** The variable's name. @asyncio ContextVar.name */
  readonly name: string;
  private readonly defaultValue: T | typeof MISSING;

  constructor(name: string, options?: { default: T }) {
    if (typeof name !== 'string') throw new TypeError(`Expected \`name\` to be a string, got ${typeof name}`);
    this.name = name;
    this.defaultValue = options !== undefined && 'default' in options ? options.default : MISSING;
  }

  /**
   * The value in the current context; else `defaultValue`; else the variable's default.
   * @asyncio ContextVar.get([default])
   * @throws {RangeError} (Python's LookupError) when there is no value and no default.
   */
  get(defaultValue?: T): T {
    const values = currentContext._values;
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
    const context = currentContext;
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
    if (token._context !== currentContext) throw new RangeError(`${token} was created in a different Context`);
    token._used = true;
    currentContext._set(this as ContextVar<unknown>, token.oldValue);
  }

  toString(): string {
    return `<ContextVar name='${this.name}'>`;
  }
}
