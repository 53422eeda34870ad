/**
 * Context managers: `async with` / `with` as functions, generator-based context managers, and
 * AsyncExitStack.
 * @asyncio contextlib (asynccontextmanager, contextmanager, AsyncExitStack) and the `async with` / `with` statements
 *
 * Design notes
 * - `asyncWith(cm, body)` is the `async with` statement: `aenter()`, the body, then `aexit()`
 *   (no argument) on success or `aexit(error)` on failure; a truthy result of `aexit(error)`
 *   swallows the error and `asyncWith` evaluates to `undefined`. It also accepts objects that
 *   only implement the JavaScript protocols: `[Symbol.asyncDispose]` (its Promise is awaited
 *   through the loop with `fromPromise`) and `[Symbol.dispose]` (called synchronously), as
 *   `await using` accepts both. Such objects bind themselves, and never suppress.
 * - `asyncContextManager(fn)` drives the body generator itself (no `asyncgen.ts` existed when
 *   this was written). Inside the body, `yield* awaitable` awaits and a plain `yield value`
 *   produces the value: the driver tells them apart the way the task does — a yielded `sleep(0)`
 *   marker or a Future whose `_blocking` tripwire is set is an await and is passed up to the
 *   task unchanged (its resume value or error is passed back down); anything else is the value.
 * - Closing a body generator that misbehaves ("didn't stop") throws an internal `GeneratorExit`
 *   into it, as Python's `aclose()` does: library code never calls `.return()` on a coroutine.
 * - Errors raised while unwinding an AsyncExitStack are chained as Python chains `__context__`:
 *   JavaScript has only `cause`, so the earlier error is stored as `cause` at the end of the new
 *   error's cause chain (unless it is already in it). A `throw undefined` is seen by `aexit` as
 *   "no error" (JavaScript cannot tell them apart there), but `asyncWith` still re-raises it.
 * @module
 */
import { GeneratorExit, RuntimeError } from './exceptions.ts';
import { isCoroutine, isSuspension } from './tasks.ts';
import { fromPromise, toPromise } from './host.ts';
import { checkBody as checkBodyResult, checkBodyFunction, checkCallback } from './internal/validate.ts';
import { describeValue } from './internal/repr.ts';
import type { AsyncContextManager, Awaitable, ContextManager, Coroutine, Suspend } from './types.ts';

// ---------------------------------------------------------------- protocol checks

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'function';
  if (typeof value === 'object') return (value as { constructor?: { name?: string } }).constructor?.name ?? 'Object';
  return typeof value;
}

function isObjectLike(value: unknown): value is Record<PropertyKey, unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function');
}

function isAsyncCM(value: unknown): value is AsyncContextManager<unknown> {
  return isObjectLike(value) && typeof value['aenter'] === 'function' && typeof value['aexit'] === 'function';
}

function isSyncCM(value: unknown): value is ContextManager<unknown> {
  return isObjectLike(value) && typeof value['enter'] === 'function' && typeof value['exit'] === 'function';
}

function hasAsyncDispose(value: unknown): value is AsyncDisposable {
  return typeof Symbol.asyncDispose === 'symbol' && isObjectLike(value) && typeof value[Symbol.asyncDispose] === 'function';
}

function hasDispose(value: unknown): value is Disposable {
  return typeof Symbol.dispose === 'symbol' && isObjectLike(value) && typeof value[Symbol.dispose] === 'function';
}

function notAsyncCMError(what: string, value: unknown): TypeError {
  let hint: string;
  if (isSyncCM(value)) {
    hint = `It is a synchronous context manager (enter/exit): use withContext(cm, body)${what === 'enterAsyncContext' ? ' or stack.enterContext(cm)' : ''}.`;
  } else if (typeof value === 'function') {
    hint = `Call the function to get the context manager: ${what}(${value.name || 'cm'}(), ...) instead of ${what}(${value.name || 'cm'}, ...).`;
  } else {
    hint = 'Pass an object with aenter() and aexit(error) (each returning an awaitable), or one with [Symbol.asyncDispose]() or [Symbol.dispose]().';
  }
  return new TypeError(`'${typeName(value)}' object does not support the asynchronous context manager protocol. ${what}() got ${describeValue(value)}. ${hint}`);
}

function notSyncCMError(what: string, value: unknown): TypeError {
  let hint: string;
  if (isAsyncCM(value)) {
    hint = `It is an asynchronous context manager (aenter/aexit): use yield* asyncWith(cm, body)${what === 'enterContext' ? ' or yield* stack.enterAsyncContext(cm)' : ''}.`;
  } else if (typeof value === 'function') {
    hint = `Call the function to get the context manager: ${what}(${value.name || 'cm'}(), ...) instead of ${what}(${value.name || 'cm'}, ...).`;
  } else {
    hint = 'Pass an object with enter() and exit(error), or one with [Symbol.dispose]().';
  }
  return new TypeError(`'${typeName(value)}' object does not support the context manager protocol. ${what}() got ${describeValue(value)}. ${hint}`);
}

/** `yield*` on what a protocol method returned, with a clear error if it is not an awaitable. */
function checkAwaitable<T>(value: unknown, owner: unknown, method: string): Awaitable<T> {
  if (isObjectLike(value) && typeof value[Symbol.iterator] === 'function') return value as unknown as Awaitable<T>;
  const promise = isObjectLike(value) && typeof value['then'] === 'function';
  throw new TypeError(
    `${method}() of ${describeValue(owner)} returned ${describeValue(value)}, not an awaitable. ` +
      (promise
        ? `${method}() must return a coroutine: write \`*${method}() { ... }\` with yield* instead of an async method, or wrap the Promise with fromPromise().`
        : `${method}() must return a coroutine (a \`function*\` generator object) or another yieldio awaitable.`),
  );
}

// The block's coroutine, or asyncWith's TypeError naming the corrected call (shared with the shorthands).
function checkBody<R>(coro: unknown, what: string): Coroutine<R> {
  return checkBodyResult<Coroutine<R>>(coro, what, `${what}(cm, function* (value) { ... })`);
}

// ---------------------------------------------------------------- asyncWith / withContext

/**
 * Runs `body(value)` inside an asynchronous context manager: `value` is what `aenter()` returned;
 * `aexit()` runs however the body ends. Evaluates to the body's return value, or `undefined` when
 * `aexit(error)` returned a truthy value and so swallowed the body's error.
 * Also accepts any object with `[Symbol.asyncDispose]` (awaited through the loop) or only
 * `[Symbol.dispose]` (as `await using` does): the object itself is bound and never suppresses.
 * @asyncio the `async with cm as value:` statement
 * Differs from asyncio: a statement becomes a function taking the block as a generator function.
 * @param cm the context manager.
 * @param body a generator function: the block.
 * @returns the body's return value (`undefined` when an error was suppressed).
 * @throws {TypeError} if `cm` implements none of the protocols, or `body` returns no coroutine.
 * @example
 * const rows = yield* asyncWith(lock, function* () {
 *   return yield* query();
 * });
 */
export function asyncWith<T, R>(
  cm: AsyncContextManager<T> & { aexit(error?: unknown): Awaitable<void | false | undefined> },
  body: (value: T) => Coroutine<R>,
): Coroutine<R>;
export function asyncWith<T, R>(cm: AsyncContextManager<T>, body: (value: T) => Coroutine<R>): Coroutine<R | undefined>;
export function asyncWith<T extends AsyncDisposable | Disposable, R>(cm: T, body: (value: T) => Coroutine<R>): Coroutine<R>;
export function asyncWith<R>(cm: unknown, body: (value: unknown) => Coroutine<R>): Coroutine<R | undefined> {
  // Validate at call time, so the mistake shows up where it was made.
  if (!isAsyncCM(cm) && !hasAsyncDispose(cm) && !hasDispose(cm)) throw notAsyncCMError('asyncWith', cm);
  checkBodyFunction(body, 'asyncWith', 'asyncWith(cm, function* (value) { ... })');
  return asyncWithImpl(cm, body);
}

function* asyncWithImpl<R>(cm: AsyncContextManager<unknown> | AsyncDisposable | Disposable, body: (value: unknown) => Coroutine<R>): Coroutine<R | undefined> {
  if (!isAsyncCM(cm)) return yield* disposeWith(cm, body);
  const value = yield* checkAwaitable<unknown>(cm.aenter(), cm, 'aenter');
  let result: R;
  try {
    result = yield* checkBody<R>(body(value), 'asyncWith');
  } catch (error) {
    const suppress = yield* checkAwaitable<unknown>(cm.aexit(error), cm, 'aexit');
    if (suppress) return undefined;
    throw error;
  }
  yield* checkAwaitable<unknown>(cm.aexit(), cm, 'aexit');
  return result;
}

/** `await using`: the object is the value; dispose runs at the end and never suppresses. */
function* disposeWith<R>(cm: AsyncDisposable | Disposable, body: (value: unknown) => Coroutine<R>): Coroutine<R> {
  try {
    return yield* checkBody<R>(body(cm), 'asyncWith');
  } finally {
    if (hasAsyncDispose(cm)) yield* fromPromise(Promise.resolve(cm[Symbol.asyncDispose]()));
    else (cm as Disposable)[Symbol.dispose]();
  }
}

/**
 * Runs `body(value)` inside a synchronous context manager (`enter()` / `exit(error)`, or an
 * object with `[Symbol.dispose]`). Returns the body's return value, or `undefined` when `exit`
 * swallowed the error. Usable inside and outside coroutines.
 * @asyncio the `with cm as value:` statement
 * @param cm the context manager.
 * @param body a plain function: the block.
 * @returns the body's return value (`undefined` when an error was suppressed).
 * @throws {TypeError} if `cm` implements neither protocol.
 * @example
 * const text = withContext(openLog(), (log) => log.read());
 */
export function withContext<T, R>(cm: ContextManager<T> & { exit(error?: unknown): void | false | undefined }, body: (value: T) => R): R;
export function withContext<T, R>(cm: ContextManager<T>, body: (value: T) => R): R | undefined;
export function withContext<T extends Disposable, R>(cm: T, body: (value: T) => R): R;
export function withContext<R>(cm: unknown, body: (value: unknown) => R): R | undefined {
  if (!isSyncCM(cm)) {
    if (!hasDispose(cm)) throw notSyncCMError('withContext', cm);
    checkCallback(body, 'body');
    try {
      return body(cm);
    } finally {
      cm[Symbol.dispose]();
    }
  }
  checkCallback(body, 'body');
  const value = cm.enter();
  let result: R;
  try {
    result = body(value);
  } catch (error) {
    if (cm.exit(error)) return undefined;
    throw error;
  }
  cm.exit();
  return result;
}

// ---------------------------------------------------------------- generator-based managers

type AnyGen = Generator<unknown, unknown, unknown>;

/** Whether a value an async-generator body yielded is an await (passed up to the task). */
function isAwait(value: unknown): boolean {
  return isSuspension(value);
}

/**
 * Resumes `gen` (send `arg`, or throw it when `throwing`) and passes its awaits up to the task
 * until it produces a value or finishes; returns that step. What the task sends back (a
 * `sleep(0)` resume token, a Future's wake-up, a CancelledError) goes down to the body.
 */
function* advance(gen: AnyGen, throwing: boolean, arg: unknown): Generator<Suspend, IteratorResult<unknown, unknown>, unknown> {
  let step = throwing ? gen.throw(arg) : gen.next(arg);
  for (;;) {
    if (step.done === true || !isAwait(step.value)) return step;
    let sent: unknown;
    try {
      sent = yield step.value as Suspend;
    } catch (error) {
      step = gen.throw(error);
      continue;
    }
    step = gen.next(sent);
  }
}

/** Closes a body generator that yielded too often: GeneratorExit thrown in, awaits passed up. */
function* closeGen(gen: AnyGen): Coroutine<void> {
  const exit = new GeneratorExit();
  let step: IteratorResult<unknown, unknown>;
  try {
    step = yield* advance(gen, true, exit);
  } catch (error) {
    if (error === exit) return;
    throw error;
  }
  if (step.done !== true) throw new RuntimeError('async generator ignored GeneratorExit');
}

const CREATED = 0;
const ENTERED = 1;
const EXITED = 2;

/**
 * What `asyncContextManager(fn)(...args)` returns: an async context manager around one run of
 * the generator body. Single use, as in contextlib.
 *
 * Fields: `_gen` the body generator; `_state` CREATED → ENTERED (aenter done) → EXITED.
 * @asyncio contextlib._AsyncGeneratorContextManager
 */
export class AsyncGeneratorContextManager<T> implements AsyncContextManager<T> {
  _gen: AnyGen;
  _state: number;

  /** @internal Use `asyncContextManager(fn)(...args)`. */
  constructor(gen: AnyGen) {
    this._gen = gen;
    this._state = CREATED;
  }

  /**
   * Runs the body up to its `yield` and returns the yielded value.
   * @asyncio _AsyncGeneratorContextManager.__aenter__()
   * @throws {RuntimeError} "generator didn't yield" when the body returns without yielding.
   */
  *aenter(): Coroutine<T> {
    if (this._state !== CREATED) throw new RuntimeError(`${this} cannot be entered twice: asyncContextManager objects are single use; call the factory again`);
    this._state = ENTERED;
    const step = yield* advance(this._gen, false, undefined);
    if (step.done === true) throw new RuntimeError("generator didn't yield");
    return step.value as T;
  }

  /**
   * Resumes the body after its `yield`: normally when `error` is undefined, else by throwing
   * `error` in at the `yield`. Returns true when the body swallowed the error.
   * @asyncio _AsyncGeneratorContextManager.__aexit__(typ, value, traceback)
   * @throws {RuntimeError} "generator didn't stop" (a second yield), "generator didn't stop
   *   after athrow()", or the body's own new error.
   */
  *aexit(error?: unknown): Coroutine<boolean> {
    if (this._state !== ENTERED) {
      throw new RuntimeError(`${this} was ${this._state === CREATED ? 'not entered' : 'already exited'}: aexit() must follow one aenter()`);
    }
    this._state = EXITED;
    const gen = this._gen;
    if (error === undefined) {
      const step = yield* advance(gen, false, undefined);
      if (step.done === true) return false;
      try {
        throw new RuntimeError("generator didn't stop");
      } finally {
        yield* closeGen(gen);
      }
    }
    let step: IteratorResult<unknown, unknown>;
    try {
      step = yield* advance(gen, true, error);
    } catch (raised) {
      // The body re-raised the error (not suppressed), or raised a new one (propagates).
      if (raised === error) return false;
      throw raised;
    }
    // The body returned: it swallowed the error, as a `try/except` around the yield does.
    if (step.done === true) return true;
    try {
      throw new RuntimeError("generator didn't stop after athrow()");
    } finally {
      yield* closeGen(gen);
    }
  }

  /**
   * `await using` from native async code (next to a running loop): runs the teardown as a
   * successful exit. The body's error cannot reach the generator this way (JavaScript passes
   * none to dispose); an unentered manager is just marked done.
   * @asyncio none (JavaScript's `await using`)
   */
  [Symbol.asyncDispose](): Promise<void> {
    if (this._state !== ENTERED) {
      this._state = EXITED;
      return Promise.resolve();
    }
    return toPromise(this.aexit()).then(() => undefined);
  }

  /** `<AsyncGeneratorContextManager entered>` */
  toString(): string {
    return `<AsyncGeneratorContextManager ${['created', 'entered', 'exited'][this._state]}>`;
  }
}

/**
 * Turns an async-generator body into a factory of async context managers. The body yields
 * exactly once: the value yielded is what `asyncWith` binds; an error in the block is thrown in
 * at that `yield`, so a `try/finally` around it is the teardown. Inside the body, `yield*`
 * awaits (as `await` in an `async def`) and `yield value` produces the value.
 * @asyncio contextlib.asynccontextmanager
 * @param fn a `function*` that awaits with `yield*` and yields the managed value once.
 * @returns a function with `fn`'s parameters returning an `AsyncGeneratorContextManager`.
 * @throws {TypeError} if `fn` is not a function.
 * @example
 * const connection = asyncContextManager(function* (url: string) {
 *   const conn = yield* connect(url);
 *   try { yield conn; } finally { yield* conn.close(); }
 * });
 * yield* asyncWith(connection('db://'), function* (conn) { yield* conn.query('select 1'); });
 */
export function asyncContextManager<A extends unknown[], T>(
  fn: (...args: A) => Generator<T | Suspend, unknown, unknown>,
): (...args: A) => AsyncGeneratorContextManager<T> {
  checkCallback(fn, 'fn');
  return function (this: unknown, ...args: A): AsyncGeneratorContextManager<T> {
    const gen = fn.apply(this, args);
    if (!isCoroutine(gen)) {
      throw new TypeError(`asyncContextManager(): ${fn.name || 'fn'}() must return a generator, got ${describeValue(gen)}. Write it as a \`function*\`.`);
    }
    return new AsyncGeneratorContextManager<T>(gen as AnyGen);
  };
}

/**
 * What `contextManager(fn)(...args)` returns: a synchronous context manager around one run of
 * the generator body. Single use.
 * @asyncio contextlib._GeneratorContextManager
 */
export class GeneratorContextManager<T> implements ContextManager<T> {
  _gen: Generator<T, unknown, unknown>;
  _state: number;

  /** @internal Use `contextManager(fn)(...args)`. */
  constructor(gen: Generator<T, unknown, unknown>) {
    this._gen = gen;
    this._state = CREATED;
  }

  /**
   * Runs the body up to its `yield` and returns the yielded value.
   * @asyncio _GeneratorContextManager.__enter__()
   * @throws {RuntimeError} "generator didn't yield".
   */
  enter(): T {
    if (this._state !== CREATED) throw new RuntimeError(`${this} cannot be entered twice: contextManager objects are single use; call the factory again`);
    this._state = ENTERED;
    const step = this._gen.next();
    if (step.done === true) throw new RuntimeError("generator didn't yield");
    return step.value;
  }

  /**
   * Resumes the body after its `yield` (throwing `error` in when given). Returns true when the
   * body swallowed the error.
   * @asyncio _GeneratorContextManager.__exit__(typ, value, traceback)
   * @throws {RuntimeError} "generator didn't stop" / "generator didn't stop after throw()".
   */
  exit(error?: unknown): boolean {
    if (this._state !== ENTERED) {
      throw new RuntimeError(`${this} was ${this._state === CREATED ? 'not entered' : 'already exited'}: exit() must follow one enter()`);
    }
    this._state = EXITED;
    const gen = this._gen;
    if (error === undefined) {
      if (gen.next().done === true) return false;
      // A plain generator, not a coroutine: return() is JavaScript's gen.close().
      gen.return(undefined);
      throw new RuntimeError("generator didn't stop");
    }
    let step: IteratorResult<T, unknown>;
    try {
      step = gen.throw(error);
    } catch (raised) {
      if (raised === error) return false;
      throw raised;
    }
    if (step.done === true) return true;
    gen.return(undefined);
    throw new RuntimeError("generator didn't stop after throw()");
  }

  /** `using cm = factory()` runs the teardown as a successful exit (if entered). */
  [Symbol.dispose](): void {
    if (this._state !== ENTERED) {
      this._state = EXITED;
      return;
    }
    this.exit();
  }

  /** `<GeneratorContextManager entered>` */
  toString(): string {
    return `<GeneratorContextManager ${['created', 'entered', 'exited'][this._state]}>`;
  }
}

/**
 * Turns a generator body into a factory of synchronous context managers (for `withContext` and
 * `AsyncExitStack.enterContext`). The body yields exactly once; an error in the block is thrown
 * in at that `yield`.
 * @asyncio contextlib.contextmanager
 * @param fn a plain `function*` that yields the managed value once.
 * @returns a function with `fn`'s parameters returning a `GeneratorContextManager`.
 * @example
 * const tag = contextManager(function* (name: string) {
 *   out.push(`<${name}>`);
 *   try { yield name; } finally { out.push(`</${name}>`); }
 * });
 * withContext(tag('p'), () => out.push('text'));
 */
export function contextManager<A extends unknown[], T>(fn: (...args: A) => Generator<T, unknown, unknown>): (...args: A) => GeneratorContextManager<T> {
  checkCallback(fn, 'fn');
  return function (this: unknown, ...args: A): GeneratorContextManager<T> {
    const gen = fn.apply(this, args);
    if (!isCoroutine(gen)) {
      throw new TypeError(`contextManager(): ${fn.name || 'fn'}() must return a generator, got ${describeValue(gen)}. Write it as a \`function*\`.`);
    }
    return new GeneratorContextManager<T>(gen);
  };
}

// ---------------------------------------------------------------- AsyncExitStack

/** An exit callback as AsyncExitStack stores it: sync or async, called with the error or nothing. */
type ExitCallback = (...error: [] | [unknown]) => unknown;

/**
 * Stores `earlier` as the context of `raised`, as Python sets `__context__`: at the end of
 * `raised`'s cause chain, unless `earlier` is already in it. Best effort on frozen objects.
 */
function chainError(raised: unknown, earlier: unknown, hasEarlier: boolean): void {
  if (!hasEarlier || raised === earlier || !isObjectLike(raised)) return;
  const seen = new Set<unknown>();
  let current: Record<PropertyKey, unknown> = raised;
  for (;;) {
    if (seen.has(current)) return;
    seen.add(current);
    const cause = current['cause'];
    if (cause === earlier) return;
    if (cause === undefined) {
      try {
        Object.defineProperty(current, 'cause', { value: earlier, writable: true, configurable: true, enumerable: false });
      } catch {
        // A frozen error cannot record its context; it still propagates.
      }
      return;
    }
    if (!isObjectLike(cause)) return;
    current = cause;
  }
}

/**
 * A stack of exit callbacks and context managers, unwound in reverse order when the stack
 * exits: the way to enter a number of context managers known only at run time.
 *
 * Unwinding matches contextlib: each callback sees the error still in flight (or none); a
 * truthy result swallows it; a callback that throws replaces it, and the error it replaced is
 * chained to the new one (Python's `__context__`; here `cause`, at the end of its cause chain).
 * Fields: `_callbacks` the exits, `[isAsync, callback]` pairs, run last-in first-out.
 * @asyncio contextlib.AsyncExitStack
 * @example
 * yield* asyncWith(new AsyncExitStack(), function* (stack) {
 *   const conns = [];
 *   for (const url of urls) conns.push(yield* stack.enterAsyncContext(connect(url)));
 *   yield* useAll(conns);
 * }); // every connection is closed here, last first
 */
export class AsyncExitStack implements AsyncContextManager<AsyncExitStack> {
  _callbacks: [boolean, ExitCallback][];

  /** An empty stack. */
  constructor() {
    this._callbacks = [];
  }

  /**
   * Enters `cm` (awaits `aenter()`) and pushes its `aexit`; returns what `aenter()` returned.
   * Objects with only `[Symbol.asyncDispose]` or `[Symbol.dispose]` are accepted too.
   * @asyncio AsyncExitStack.enter_async_context(cm)
   * @throws {TypeError} if `cm` is not an async context manager (checked before anything runs).
   */
  enterAsyncContext<T>(cm: AsyncContextManager<T>): Coroutine<T>;
  enterAsyncContext<T extends AsyncDisposable | Disposable>(cm: T): Coroutine<T>;
  enterAsyncContext(cm: unknown): Coroutine<unknown> {
    if (!isAsyncCM(cm) && !hasAsyncDispose(cm) && !hasDispose(cm)) throw notAsyncCMError('enterAsyncContext', cm);
    return this._enterAsync(cm);
  }

  private *_enterAsync(cm: AsyncContextManager<unknown> | AsyncDisposable | Disposable): Coroutine<unknown> {
    if (!isAsyncCM(cm)) {
      this._pushDispose(cm);
      return cm;
    }
    const value = yield* checkAwaitable<unknown>(cm.aenter(), cm, 'aenter');
    this._callbacks.push([true, (...error) => checkAwaitable(cm.aexit(...error), cm, 'aexit')]);
    return value;
  }

  private _pushDispose(cm: AsyncDisposable | Disposable): void {
    if (hasAsyncDispose(cm)) {
      this._callbacks.push([true, () => fromPromise(Promise.resolve(cm[Symbol.asyncDispose]()))]);
    } else {
      this._callbacks.push([false, () => void (cm as Disposable)[Symbol.dispose]()]);
    }
  }

  /**
   * Enters a synchronous context manager and pushes its `exit`; returns what `enter()` returned.
   * @asyncio AsyncExitStack.enter_context(cm)
   * @throws {TypeError} if `cm` is not a context manager.
   */
  enterContext<T>(cm: ContextManager<T>): T;
  enterContext<T extends Disposable>(cm: T): T;
  enterContext(cm: unknown): unknown {
    if (!isSyncCM(cm)) {
      if (!hasDispose(cm)) throw notSyncCMError('enterContext', cm);
      this._pushDispose(cm);
      return cm;
    }
    const value = cm.enter();
    this._callbacks.push([false, (...error) => cm.exit(...error)]);
    return value;
  }

  /**
   * Pushes an async exit: an async context manager's `aexit`, or a function `(error?) =>
   * awaitable` called like `aexit` (a truthy result swallows the error). Returns `exit`.
   * @asyncio AsyncExitStack.push_async_exit(exit)
   * @throws {TypeError} if `exit` is neither.
   */
  pushAsyncExit<E extends AsyncContextManager<unknown> | ((error?: unknown) => Awaitable<unknown>)>(exit: E): E {
    if (isAsyncCM(exit)) {
      this._callbacks.push([true, (...error) => checkAwaitable(exit.aexit(...error), exit, 'aexit')]);
    } else {
      checkCallback(exit, 'exit');
      this._callbacks.push([true, (...error) => checkAwaitable((exit as (error?: unknown) => unknown)(...error), exit, 'exit callback')]);
    }
    return exit;
  }

  /**
   * Pushes a synchronous exit: a context manager's `exit`, or a function `(error?) => boolean`.
   * @asyncio AsyncExitStack.push(exit)
   * @throws {TypeError} if `exit` is neither.
   */
  push<E extends ContextManager<unknown> | ((error?: unknown) => unknown)>(exit: E): E {
    if (isSyncCM(exit)) {
      this._callbacks.push([false, (...error) => exit.exit(...error)]);
    } else {
      checkCallback(exit, 'exit');
      this._callbacks.push([false, exit as ExitCallback]);
    }
    return exit;
  }

  /**
   * Pushes `fn(...args)`, a function returning an awaitable, to be awaited at exit. It does not
   * see the error and cannot swallow it. Returns `fn`.
   * @asyncio AsyncExitStack.push_async_callback(callback, /, *args, **kwds)
   * @throws {TypeError} if `fn` is not a function.
   */
  pushAsyncCallback<A extends unknown[]>(fn: (...args: A) => Awaitable<unknown>, ...args: A): (...args: A) => Awaitable<unknown> {
    checkCallback(fn, 'fn');
    this._callbacks.push([
      true,
      function* () {
        yield* checkAwaitable<unknown>(fn(...args), fn, 'callback');
        return false;
      },
    ]);
    return fn;
  }

  /**
   * Pushes a synchronous `fn(...args)` to be called at exit. It does not see the error and
   * cannot swallow it. Returns `fn`.
   * @asyncio AsyncExitStack.callback(callback, /, *args, **kwds)
   * @throws {TypeError} if `fn` is not a function.
   */
  callback<A extends unknown[], F extends (...args: A) => unknown>(fn: F, ...args: A): F {
    checkCallback(fn, 'fn');
    this._callbacks.push([
      false,
      () => {
        fn(...args);
        return false;
      },
    ]);
    return fn;
  }

  /**
   * Moves every callback to a new stack and returns it; this stack is left empty (so exiting it
   * does nothing: the usual way to keep resources open on success).
   * @asyncio AsyncExitStack.pop_all()
   */
  popAll(): AsyncExitStack {
    const stack = new AsyncExitStack();
    stack._callbacks = this._callbacks;
    this._callbacks = [];
    return stack;
  }

  /**
   * Unwinds the stack now, as a successful exit.
   * @asyncio AsyncExitStack.aclose()
   * @throws whatever a callback raised and no later callback swallowed.
   */
  *aclose(): Coroutine<void> {
    yield* this._unwind(false, undefined);
  }

  /**
   * Returns the stack itself.
   * @asyncio AsyncExitStack.__aenter__()
   */
  *aenter(): Coroutine<AsyncExitStack> {
    return this;
  }

  /**
   * Unwinds the stack with `error` in flight (undefined: none). Returns true when `error` was
   * given and a callback swallowed it.
   * @asyncio AsyncExitStack.__aexit__(*exc_details)
   * @throws the last error a callback raised and no later callback swallowed.
   */
  *aexit(error?: unknown): Coroutine<boolean> {
    return yield* this._unwind(error !== undefined, error);
  }

  private *_unwind(received: boolean, error: unknown): Coroutine<boolean> {
    let exc = error;
    let hasExc = received;
    let suppressed = false;
    let pendingRaise = false;
    const callbacks = this._callbacks;
    while (callbacks.length > 0) {
      const [isAsync, callback] = callbacks.pop() as [boolean, ExitCallback];
      try {
        const result = hasExc ? callback(exc) : callback();
        const suppress = isAsync ? yield* result as Awaitable<unknown> : result;
        if (suppress && hasExc) {
          suppressed = true;
          pendingRaise = false;
          hasExc = false;
          exc = undefined;
        }
      } catch (raised) {
        chainError(raised, exc, hasExc);
        pendingRaise = true;
        hasExc = true;
        exc = raised;
      }
    }
    if (pendingRaise) throw exc;
    return received && suppressed;
  }

  /** `await using stack = new AsyncExitStack()` from native async code: `aclose()` via the loop. */
  [Symbol.asyncDispose](): Promise<void> {
    return toPromise(this.aclose());
  }

  /** `<AsyncExitStack callbacks=2>` */
  toString(): string {
    return `<AsyncExitStack callbacks=${this._callbacks.length}>`;
  }
}
