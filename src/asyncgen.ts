/**
 * Async generators (PEP 525, with PEP 828's `async yield from` and `return value`), `asyncFor`
 * with `BREAK`, and the bridges to native async iteration.
 * @asyncio PEP 525 async generators, PEP 828 (draft), `async for`, sys.set_asyncgen_hooks (the loop's firstiter/finalizer hooks)
 * @module
 *
 * Design notes
 *
 * - One body, two kinds of yield. An async-generator body is a `function*`. What it yields is
 *   either an await on its way up to the task (the `sleep(0)` marker `SLEEP0`, or a Future of the
 *   loop whose `_blocking` tripwire was just set by `yield* future`) or a value for the consumer
 *   (anything else). Every yieldio awaitable bottoms out in one of those two, so the test is exact
 *   for `yield*`. The one ambiguity: `yield future` (without the star) of a pending Future produces
 *   the Future object as a value, because only `yield*` sets `_blocking`. A hand-written awaitable
 *   that suspends with a bare `yield` (undefined) would be read as the value `undefined`: inside an
 *   async generator, awaitables must suspend with `yield* sleep(0)`, as yieldio's own do.
 * - Operations are objects, not generators. `anext()`, `asend()`, `athrow()` and `aclose()` each
 *   return an `AgenOp`: a hand-written coroutine (next/throw/return) that steps the body, passes
 *   awaits up, and ends when the body yields a value. The op is also its own IteratorResult, so an
 *   `anext()` costs one small fixed-shape object and no Promise or closure. It cannot be reused
 *   ("cannot reuse already awaited anext()/asend()", as CPython), so one op per call is the floor.
 * - PEP 828 delegation is plain `yield*`. `[Symbol.iterator]()` of an AsyncGen returns an
 *   `AgenDelegate` that forwards next/throw to the delegate's body generator, so values, `asend`
 *   values, `athrow` errors, the close signal and the return value all pass through the JS engine's
 *   own `yield*`; the delegate only marks the inner generator running/finished. No helper is
 *   needed: the types tell the two apart, since a delegated AsyncGen yields `T | Suspend` and a
 *   plain `Coroutine` may yield only `Suspend`, so `yield* agen` in a coroutine does not compile.
 * - Closing never uses `return()` on a started body (style §7.1): `aclose()` throws a
 *   `GeneratorExit` at the suspended `yield`, so `finally` blocks run and may `yield*` awaitables.
 * - Shutdown (asyncio's firstiter/finalizer hooks): on its first iteration a generator registers
 *   with the running loop (`loop._registerAsyncgen`, a WeakRef) and with a FinalizationRegistry
 *   whose held value is the body generator, the loop and the name, never the AsyncGen itself.
 *   `loop.shutdownAsyncgens()` closes the ones still suspended; one collected while suspended is
 *   closed through the loop by a fresh AsyncGen shell around the same body. Limitations: a body that
 *   references its own AsyncGen (a cycle through the held value) is never collected; the
 *   finalizer callback runs only when the host gets control (with `run()`, not inside `runSync()`),
 *   and does nothing once the loop is closed, whose shutdown has already closed every generator it
 *   could still reach.
 */
import { CancelledError, GeneratorExit, RuntimeError, StopAsyncIteration } from './exceptions.ts';
import { getRunningLoopOrNull } from './events.ts';
import { isCoroutine, isSuspension } from './tasks.ts';
import { toAsyncIterable } from './asyncgen-host.ts';
import { describeValue } from './internal/repr.ts';
import type { EventLoop } from './base-events.ts';
import type { Awaitable, Coroutine, Suspend } from './types.ts';
import { isTrackingScopes, misnestingMessage, setRunningScopeOwner } from './internal/scopes.ts';


/**
 * Returned by an `asyncFor` body to leave the loop, like `break` (the iterator is then closed).
 * @asyncio break inside `async for`
 * @example
 * yield* asyncFor(ticks(), function* (t) { if (t > 3) return BREAK; });
 */
export const BREAK: Break = Symbol('yieldio.BREAK') as Break;

declare const breakBrand: unique symbol;

/**
 * The type of `BREAK`: a branded symbol rather than a `unique symbol`, because TypeScript widens a
 * `unique symbol` returned from a `function*` to `symbol`, and `return BREAK` would not compile.
 */
export type Break = symbol & { readonly [breakBrand]: true };

/**
 * The async-iterator protocol of yieldio, what `asyncFor` consumes: `anext()` returns an awaitable
 * of the next item and throws `StopAsyncIteration` at the end; `aclose()`, when present, releases
 * the iterator early (asyncFor calls it on `BREAK`, on an error and on cancellation).
 * @asyncio collections.abc.AsyncIterator (`__anext__`; `aclose` as async generators have it)
 */
export interface AsyncIteratorLike<T> {
  anext(): Awaitable<T>;
  aclose?(): Awaitable<unknown>;
}

/**
 * An object that makes a fresh async iterator on demand: `aiter()` is `__aiter__`.
 * @asyncio collections.abc.AsyncIterable
 */
export interface AsyncIterableLike<T> {
  aiter(): AsyncIteratorLike<T>;
}

/**
 * The generator an async-generator body returns: it yields values (`T`) and awaits (`yield*`,
 * which yields `Suspend`), returns `TReturn`, and `yield` evaluates to what `asend` sent
 * (`undefined` for `anext`).
 * @asyncio the body of an `async def` containing `yield`
 */
export type AsyncGenBody<T, TReturn = void, TSend = undefined> = Generator<T | Suspend, TReturn, TSend | undefined>;

/**
 * The send type of a body: an unannotated body's `yield` is typed `unknown`, and then only
 * `undefined` may be sent; annotate the body with `AsyncGenBody<T, TReturn, TSend>` to `asend` values.
 */
export type SendOf<TSend> = unknown extends TSend ? undefined : TSend;

/** What `asyncGenerator(fn)` returns: calling it makes an AsyncGen, as calling an `async def` with `yield` does. */
export type AsyncGenFunction<A extends unknown[], T, TReturn, TSend> = (...args: A) => AsyncGen<T, TReturn, TSend>;

// AsyncGen states (ag_frame state), as small integers.
const AG_CREATED = 0; // never stepped: needs no close
const AG_STARTED = 1; // stepped at least once, not finished
const AG_FINISHED = 2; // returned, raised, or closed

// AgenOp kinds, states, and the names CPython's messages use for them.
const OP_ANEXT = 0;
const OP_ASEND = 1;
const OP_ATHROW = 2;
const OP_ACLOSE = 3;
const OP_NAMES = ['anext', 'anext', 'athrow', 'aclose'];
const OP_INIT = 0;
const OP_RUNNING = 1;
const OP_DONE = 2;

// Every native generator's `next`, called through AsyncGen.prototype (a constant after the map
// check) so the call site stays monomorphic however many generator functions step through it.
const GenNext = (function* () {})().next as (this: unknown, value: unknown) => IteratorResult<unknown, unknown>;

/** What the finalizer needs to close a collected generator: never the AsyncGen itself. */
interface Finalizable {
  gen: Generator<unknown, unknown, unknown>;
  name: string;
  loop: EventLoop;
  ref: WeakRef<object>;
}

// asyncio's finalizer hook: a generator collected while suspended is closed through its loop.
const finalizer = new FinalizationRegistry<Finalizable>((held) => {
  const loop = held.loop;
  loop._asyncgens.delete(held.ref as never);
  // A closed loop already ran shutdownAsyncgens(); nothing can run the body's finally now.
  if (loop.isClosed()) return;
  loop.callSoonThreadsafe(closeCollected, held);
});

function closeCollected(held: Finalizable): void {
  if (held.loop.isClosed()) return;
  const shell = new AsyncGen<unknown, unknown, unknown>(held.gen as AsyncGenBody<unknown, unknown, unknown>, held.name);
  shell._state = AG_STARTED;
  held.loop.createTask(closeReporting(held.loop, shell));
}

function* closeReporting(loop: EventLoop, agen: AsyncGen<unknown, unknown, unknown>): Coroutine<void> {
  try {
    yield* agen.aclose();
  } catch (error) {
    loop.callExceptionHandler({ message: 'an error occurred during closing of asynchronous generator', exception: error, asyncgen: agen });
  }
}

/**
 * An async generator object: what a function made by `asyncGenerator(fn)` returns. Consume it
 * with `asyncFor`, or step it by hand with `anext()`, `asend(v)`, `athrow(e)`, `aclose()`; each
 * returns a coroutine to `yield*`. Inside another async-generator body, `yield* agen` delegates
 * to it completely (PEP 828's `async yield from`) and evaluates to its return value.
 *
 * Invariants:
 * - `_state` is AG_CREATED until an operation first steps the body, AG_FINISHED once the body
 *   returned or threw (or was closed before it started); `_finish()` is the only way to FINISHED.
 * - `_running` (CPython's `ag_running_async`) is true while an operation (or a delegating `yield*`)
 *   is inside the body; any other operation then fails with "already running".
 * - `_ref` is non-null exactly while the generator is registered with `_loop` (started, unfinished).
 *
 * Fields:
 * - `_gen`      the body generator
 * - `_name`     the generator function's name, for messages and the repr
 * - `_loop`     the loop it registered with on first iteration (before that: the loop running when it was made)
 * - `_ref`      the WeakRef held in `_loop._asyncgens`, to deregister on finish
 * @asyncio async_generator (the object an `async def` with `yield` returns)
 * @example
 * const ticks = asyncGenerator(function* (n: number) {
 *   for (let i = 1; i <= n; i++) { yield* sleep(10); yield i; }
 * });
 * const it = ticks(3);
 * const first = yield* it.anext(); // 1
 * yield* it.aclose();
 */
export class AsyncGen<T, TReturn = void, TSend = undefined> implements AsyncIteratorLike<T>, AsyncIterableLike<T> {
  _gen: AsyncGenBody<T, TReturn, TSend>;
  _name: string;
  _state: number;
  _running: boolean;
  _loop: EventLoop | null;
  _ref: WeakRef<object> | null;
  /** Debug mode: timeouts/TaskGroups its body opened that are still open (internal/scopes.ts). */
  _openScopes: number;
  /** The body's `next` is the native one: step it through `_genNext` (see GenNext). */
  _native: boolean;
  /** GenNext, on the prototype (see below the class). */
  declare _genNext: typeof GenNext;

  /** @internal Made by the function `asyncGenerator(fn)` returns. */
  constructor(gen: AsyncGenBody<T, TReturn, TSend>, name: string) {
    this._gen = gen;
    this._name = name;
    this._state = AG_CREATED;
    this._running = false;
    this._loop = getRunningLoopOrNull();
    this._ref = null;
    this._openScopes = 0;
    this._native = gen.next === GenNext;
  }

  /**
   * Resumes the body until it yields the next value, and returns it.
   * @asyncio agen.__anext__() / anext(agen)
   * @returns a coroutine of the next value.
   * @throws {StopAsyncIteration} when the body returns; `.value` is its return value (PEP 828).
   * @throws {RuntimeError} "anext(): asynchronous generator is already running" while another
   *   operation is inside the body.
   * @example
   * const value = yield* agen.anext();
   */
  anext(): Coroutine<T> {
    return new AgenOp<T>(this as AsyncGen<unknown, unknown, unknown>, OP_ANEXT, undefined) as unknown as Coroutine<T>;
  }

  /**
   * Resumes the body with `value` as the result of its suspended `yield`; returns the next value.
   * @asyncio agen.asend(value)
   * @param value what the `yield` evaluates to (`undefined` is `anext()`).
   * @throws {TypeError} "can't send non-None value to a just-started async generator".
   * @throws {StopAsyncIteration} when the body returns (`.value` is its return value).
   * @example
   * yield* acc.anext();
   * const total = yield* acc.asend(10);
   */
  asend(value: TSend | undefined): Coroutine<T> {
    return new AgenOp<T>(this as AsyncGen<unknown, unknown, unknown>, OP_ASEND, value) as unknown as Coroutine<T>;
  }

  /**
   * Throws `error` into the body at its suspended `yield`; returns the next value it yields.
   * On a finished generator it does nothing and returns `undefined` (CPython 3.13).
   * @asyncio agen.athrow(exc)
   * @param error the error to raise at the `yield`.
   * @throws the error, if the body does not catch it; `StopAsyncIteration` if the body returns.
   * @example
   * const recovered = yield* agen.athrow(new Error('retry'));
   */
  athrow(error: unknown): Coroutine<T | undefined> {
    return new AgenOp<T>(this as AsyncGen<unknown, unknown, unknown>, OP_ATHROW, error) as unknown as Coroutine<T | undefined>;
  }

  /**
   * Closes the generator: throws `GeneratorExit` at its suspended `yield`, so its `finally` blocks
   * run (they may await with `yield*`). A generator never started, or finished, needs nothing.
   * @asyncio agen.aclose()
   * @throws {RuntimeError} "async generator ignored GeneratorExit" if the body yields a value instead.
   * @example
   * yield* agen.aclose();
   */
  aclose(): Coroutine<void> {
    return new AgenOp<void>(this as AsyncGen<unknown, unknown, unknown>, OP_ACLOSE, undefined) as unknown as Coroutine<void>;
  }

  /**
   * The generator itself, as `__aiter__` returns self.
   * @asyncio agen.__aiter__()
   */
  aiter(): this {
    return this;
  }

  /**
   * PEP 828 delegation: `const r = yield* other` inside an async-generator body passes every value,
   * `asend`, `athrow` and `aclose` through to `other` and evaluates to its return value.
   */
  [Symbol.iterator](): Generator<T | Suspend, TReturn, TSend | undefined> {
    return new AgenDelegate(this as AsyncGen<unknown, unknown, unknown>) as unknown as Generator<T | Suspend, TReturn, TSend | undefined>;
  }

  /**
   * Native `for await (const x of agen)`: each step runs as a task on the generator's loop, which
   * must be running (inside `run()`); breaking out of the loop closes the generator.
   * See `toAsyncIterable`.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return toAsyncIterable(this);
  }

  /** @internal asyncio's firstiter hook: track the generator so shutdown can close it. */
  _firstIter(): void {
    this._state = AG_STARTED;
    const loop = getRunningLoopOrNull() ?? this._loop;
    if (loop === null || loop.isClosed()) return;
    this._loop = loop;
    const ref = loop._registerAsyncgen(this) as WeakRef<object>;
    this._ref = ref;
    finalizer.register(this, { gen: this._gen as Generator<unknown, unknown, unknown>, name: this._name, loop, ref }, this);
  }

  /** @internal The body returned or threw: nothing left to close. */
  _finish(): void {
    this._state = AG_FINISHED;
    this._running = false;
    const ref = this._ref;
    if (ref !== null) {
      this._ref = null;
      (this._loop as EventLoop)._asyncgens.delete(ref as never);
      finalizer.unregister(this);
    }
  }

  /** `<async_generator counter>`, as CPython's repr without the address. */
  toString(): string {
    return `<async_generator ${this._name}>`;
  }
}

AsyncGen.prototype._genNext = GenNext;

/** Debug mode: a value left the generator while a scope it opened is open (internal/scopes.ts). */
function reportMisnesting(agen: AsyncGen<unknown, unknown, unknown>): void {
  const loop = agen._loop ?? getRunningLoopOrNull();
  if (loop !== null && loop._debug) loop.callExceptionHandler({ message: misnestingMessage(agen), asyncgen: agen });
}

function isAwait(yielded: unknown): boolean {
  return isSuspension(yielded);
}

/**
 * One `anext` / `asend` / `athrow` / `aclose` call: a coroutine that steps the body until it
 * yields a value. It is its own IteratorResult (`value`, `done`), read at once by the task or by
 * the engine's `yield*`, so stepping allocates nothing.
 *
 * States: OP_INIT (not awaited yet) → OP_RUNNING (inside the body, passing awaits up) → OP_DONE.
 */
class AgenOp<T> {
  value: unknown;
  done: boolean;
  _agen: AsyncGen<unknown, unknown, unknown>;
  _kind: number;
  _state: number;

  constructor(agen: AsyncGen<unknown, unknown, unknown>, kind: number, arg: unknown) {
    this.value = arg; // until the op starts: asend's value or athrow's error (no field of its own)
    this.done = false;
    this._agen = agen;
    this._kind = kind;
    this._state = OP_INIT;
  }

  next(sent?: unknown): IteratorResult<Suspend, T> {
    if (this._state === OP_RUNNING) return this._step(false, sent);
    if (this._state === OP_INIT) return this._start(sent);
    throw this._reuseError();
  }

  throw(error: unknown): IteratorResult<Suspend, T> {
    if (this._state === OP_RUNNING) return this._step(true, error);
    // Never stepped (CPython's async_gen_asend_throw / async_gen_athrow_throw in the INIT state):
    // the error goes into the body at its current `yield`, which may catch it (test_asyncgen
    // anext_04, anext_tuple); a GeneratorExit into aclose() means the close is done.
    if (this._state === OP_INIT) {
      const agen = this._agen;
      this._state = OP_DONE;
      if (agen._running) {
        throw new RuntimeError(`${OP_NAMES[this._kind]}(): asynchronous generator is already running: ${agen}`);
      }
      agen._running = true;
      this._state = OP_RUNNING;
      return this._step(true, error);
    }
    throw this._reuseError();
  }

  return(value?: unknown): IteratorResult<Suspend, T> {
    if (this._state === OP_RUNNING) {
      throw new RuntimeError(
        `${OP_NAMES[this._kind]}() of ${this._agen} cannot be stopped with return() while it awaits: cancel the task instead (yieldio cancels by throwing CancelledError).`,
      );
    }
    this._state = OP_DONE;
    return { value: value as T, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  private _start(sent: unknown): IteratorResult<Suspend, T> {
    const agen = this._agen;
    const kind = this._kind;
    const arg = this.value;
    this.value = undefined;
    // CPython's async_gen_asend_send: a first send of a value other than None replaces the op's
    // own (anext's None): `agen.anext().next(10)` sends 10 in (test_asyncgen anext_05).
    const input = (kind === OP_ANEXT || kind === OP_ASEND) && sent !== undefined ? sent : arg;
    this._state = OP_DONE; // until the body is entered below
    if (agen._running) {
      throw new RuntimeError(`${OP_NAMES[kind]}(): asynchronous generator is already running: ${agen}`);
    }
    if (agen._state === AG_FINISHED) {
      if (kind === OP_ANEXT || kind === OP_ASEND) throw new StopAsyncIteration();
      return this._complete(undefined); // athrow/aclose of a finished generator: nothing to do (3.13)
    }
    if (agen._state === AG_CREATED) {
      if ((kind === OP_ASEND || kind === OP_ANEXT) && input !== undefined) {
        throw new TypeError(
          `can't send non-None value to a just-started async generator: ${agen}. Start it with anext() (or asend(undefined)) first.`,
        );
      }
      if (kind === OP_ACLOSE) {
        // Never started: no finally can run, so return() is safe and frees the frame.
        agen._gen.return(undefined as never);
        agen._finish();
        return this._complete(undefined);
      }
      agen._firstIter();
    }
    agen._running = true;
    this._state = OP_RUNNING;
    if (kind === OP_ACLOSE) return this._step(true, new GeneratorExit());
    if (kind === OP_ATHROW) return this._step(true, arg);
    return this._step(false, input);
  }

  /** Steps the body once; an await goes up to the task, a value or the end completes the op. */
  private _step(isThrow: boolean, input: unknown): IteratorResult<Suspend, T> {
    const agen = this._agen;
    let result: IteratorResult<unknown, unknown>;
    const tracking = isTrackingScopes();
    const previousOwner = tracking ? setRunningScopeOwner(agen) : null;
    try {
      if (isThrow) result = agen._gen.throw(input);
      else result = agen._native ? agen._genNext.call(agen._gen, input) : agen._gen.next(input as undefined);
    } catch (error) {
      if (tracking) setRunningScopeOwner(previousOwner);
      this._state = OP_DONE;
      agen._finish();
      // aclose(): the body let GeneratorExit out (or raised another one): closed as asked.
      if (this._kind === OP_ACLOSE && error instanceof GeneratorExit) return this._complete(undefined);
      // PEP 479 for async generators: a stray StopAsyncIteration must not end an outer loop silently.
      if (error instanceof StopAsyncIteration) {
        throw new RuntimeError(`async generator raised StopAsyncIteration: ${agen}`, { cause: error });
      }
      throw error;
    }
    if (tracking) setRunningScopeOwner(previousOwner);
    if (result.done === true) {
      this._state = OP_DONE;
      agen._finish();
      if (this._kind === OP_ACLOSE) return this._complete(undefined);
      throw new StopAsyncIteration(result.value);
    }
    const yielded = result.value;
    if (isAwait(yielded)) {
      this.value = yielded;
      this.done = false;
      return this as unknown as IteratorResult<Suspend, T>;
    }
    if (agen._openScopes > 0) reportMisnesting(agen);
    // A value for the consumer: the body is suspended at a `yield` again.
    this._state = OP_DONE;
    agen._running = false;
    if (this._kind === OP_ACLOSE) {
      throw new RuntimeError(
        `async generator ignored GeneratorExit: ${agen} yielded a value while closing. Do not \`yield\` values in finally or after catching GeneratorExit (awaiting with \`yield*\` is fine).`,
      );
    }
    return this._complete(yielded);
  }

  private _complete(value: unknown): IteratorResult<Suspend, T> {
    this.value = value;
    this.done = true;
    return this as unknown as IteratorResult<Suspend, T>;
  }

  private _reuseError(): RuntimeError {
    const k = this._kind;
    return new RuntimeError(
      k === OP_ANEXT || k === OP_ASEND ? 'cannot reuse already awaited anext()/asend()' : 'cannot reuse already awaited aclose()/athrow()',
    );
  }

  toString(): string {
    return `<${OP_NAMES[this._kind]}() of ${this._agen}>`;
  }
}

/**
 * The iterator `yield* agen` runs inside another body (PEP 828). It forwards to the delegate's
 * body, so the engine's own `yield*` carries values, sends, throws and the return value; it only
 * keeps the delegate's bookkeeping (running while delegated, finished at the end).
 */
class AgenDelegate {
  _agen: AsyncGen<unknown, unknown, unknown>;
  _started: boolean;

  constructor(agen: AsyncGen<unknown, unknown, unknown>) {
    this._agen = agen;
    this._started = false;
  }

  next(sent?: unknown): IteratorResult<unknown, unknown> {
    if (!this._started) {
      this._started = true;
      const agen = this._agen;
      if (agen._running) throw new RuntimeError(`yield*: asynchronous generator is already running: ${agen}`);
      // Delegating to an exhausted generator evaluates to undefined at once, as `yield from` does.
      if (agen._state === AG_FINISHED) return { value: undefined, done: true };
      if (agen._state === AG_CREATED) agen._firstIter();
      agen._running = true;
    }
    return this._forward(false, sent);
  }

  throw(error: unknown): IteratorResult<unknown, unknown> {
    if (!this._started) {
      this._started = true;
      throw error;
    }
    return this._forward(true, error);
  }

  return(value?: unknown): IteratorResult<unknown, unknown> {
    // Only reached if the delegating body is itself return()-ed, which yieldio never does.
    const agen = this._agen;
    if (!this._started || agen._state === AG_FINISHED) return { value, done: true };
    try {
      return agen._gen.return(value as never);
    } finally {
      agen._finish();
    }
  }

  [Symbol.iterator](): this {
    return this;
  }

  private _forward(isThrow: boolean, input: unknown): IteratorResult<unknown, unknown> {
    const agen = this._agen;
    let result: IteratorResult<unknown, unknown>;
    try {
      result = isThrow ? agen._gen.throw(input) : agen._gen.next(input as undefined);
    } catch (error) {
      agen._finish();
      throw error;
    }
    if (result.done === true) agen._finish();
    return result;
  }
}

/**
 * Turns a `function*` into an async-generator function: inside the body, `yield value` produces a
 * value for the consumer and `yield* awaitable` awaits, exactly as `yield` and `await` inside a
 * Python `async def`. `return value` ends the iteration, carried by `StopAsyncIteration.value`
 * (PEP 828), and `yield* otherAgen` delegates to another async generator.
 * @asyncio `async def` with `yield` (PEP 525), plus PEP 828's `async yield from` and `return value`
 * Differs from asyncio: `yield future` without the star produces the Future as a value.
 * @param fn the body: a generator function; its name names the generator in errors.
 * @returns a function that makes a fresh `AsyncGen` per call.
 * @throws {TypeError} if `fn` is not a function, or is a native async (generator) function.
 * @example
 * const counter = asyncGenerator(function* counter(n: number) {
 *   for (let i = 1; i <= n; i++) {
 *     yield* sleep(10);
 *     yield i;
 *   }
 * });
 * yield* asyncFor(counter(3), function* (i) { console.log(i); });
 */
export function asyncGenerator<A extends unknown[], T, TReturn = void, TSend = undefined>(
  fn: (...args: A) => Generator<T | Suspend, TReturn, TSend | undefined>,
): AsyncGenFunction<A, T, TReturn, SendOf<TSend>> {
  if (typeof fn !== 'function') {
    throw new TypeError(`Expected \`fn\` to be a generator function (function*), got ${describeValue(fn)}`);
  }
  const kind = fn.constructor?.name;
  if (kind === 'AsyncGeneratorFunction' || kind === 'AsyncFunction') {
    throw new TypeError(
      `Expected \`fn\` to be a generator function (function*), got the native ${kind} ${fn.name || '(anonymous)'}: ` +
        'write `function*` with `yield*` instead of `await`, or wrap a native async iterable with fromAsyncIterable().',
    );
  }
  const name = fn.name || '(anonymous)';
  const make = function (this: unknown, ...args: A): AsyncGen<T, TReturn, SendOf<TSend>> {
    const gen = fn.apply(this, args);
    if (!isCoroutine(gen as unknown)) {
      throw new TypeError(
        `asyncGenerator(): ${name}() returned ${describeValue(gen)}, not a generator: the body must be a \`function*\`.`,
      );
    }
    return new AsyncGen(gen as AsyncGenBody<T, TReturn, SendOf<TSend>>, name);
  };
  Object.defineProperty(make, 'name', { value: name });
  return make;
}

// ------------------------------------------------------------------------------------ asyncFor

/** @internal Also used by asyncgen-host.ts. */
export function asyncIteratorOf<T>(ait: unknown): AsyncIteratorLike<T> {
  if (ait !== null && typeof ait === 'object') {
    if (typeof (ait as AsyncIteratorLike<T>).anext === 'function') return ait as AsyncIteratorLike<T>;
    if (typeof (ait as AsyncIterableLike<T>).aiter === 'function') {
      const it = (ait as AsyncIterableLike<T>).aiter();
      if (it === null || typeof it !== 'object' || typeof it.anext !== 'function') {
        throw new TypeError(`asyncFor() received an object whose aiter() returned ${describeValue(it)}, which has no anext() method`);
      }
      return it;
    }
  }
  let hint = '';
  if (ait !== null && typeof ait === 'object' && typeof (ait as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function') {
    hint = ' A native async iterable needs the adapter: asyncFor(fromAsyncIterable(it), body).';
  } else if (typeof ait === 'function') {
    hint = ` Call the async-generator function first: asyncFor(${ait.name || 'gen'}(), body).`;
  }
  throw new TypeError(`'async for' requires an object with an anext() or aiter() method, got ${describeValue(ait)}.${hint}`);
}

/** @internal Closes an iterator that has `aclose()`; also used by asyncgen-host.ts. */
export function* closeIterator<T>(it: AsyncIteratorLike<T>): Coroutine<void> {
  if (it instanceof AsyncGen) {
    // A finished generator needs nothing; a running one belongs to whoever runs it.
    if (it._state === AG_FINISHED || it._running) return;
    yield* it.aclose();
  } else if (typeof it.aclose === 'function') {
    yield* it.aclose();
  }
}

/**
 * `async for`: runs `body(item)` for each item of a yieldio async iterable. The body may be a
 * `function*` (it may await with `yield*`, and inside an async-generator body it may `yield`
 * values up) or a plain function. Returning `BREAK` leaves the loop; leaving early (by `BREAK`, an
 * error or cancellation) calls `aclose()` on the iterator and waits for it.
 * @asyncio `async for item in ait: body`
 * Differs from asyncio: the body returns `BREAK` for `break`; an early exit closes the iterator,
 * as `contextlib.aclosing` would (api.md "asyncFor closes").
 * @param ait an object with `anext()` (an AsyncGen, `fromAsyncIterable(...)`, any AsyncIteratorLike)
 *   or with `aiter()` returning one.
 * @param body called with each item; return `BREAK` to stop.
 * @returns a coroutine that ends when the iterator is exhausted or the body breaks.
 * @throws {TypeError} if `ait` is not a yieldio async iterable, or `body` is not a function or returns something else than a generator, `BREAK` or undefined.
 * @example
 * yield* asyncFor(qualityCheck(), function* (status) {
 *   console.log(status);
 *   if (status === '✓ hops') return BREAK;
 * });
 */
export function asyncFor<T, Y = never>(
  ait: AsyncIteratorLike<T> | AsyncIterableLike<T>,
  body: (item: T) => Generator<Y | Suspend, void | typeof BREAK, unknown> | void | typeof BREAK,
): Generator<Y | Suspend, void, unknown> {
  const it = asyncIteratorOf<T>(ait);
  if (typeof body !== 'function') throw new TypeError(`Expected \`body\` to be a function, got ${describeValue(body)}`);
  if (it instanceof AsyncGen) return asyncForAgen(it as AsyncGen<T, unknown, unknown>, body);
  return asyncForLoop(it, body);
}

/**
 * asyncFor's fast path over an AsyncGen: the same steps as `AgenOp` for `anext()`, inlined, so an
 * item costs no op object and one less iterator-protocol hop per stage of a pipeline.
 */
function* asyncForAgen<T, Y>(
  agen: AsyncGen<T, unknown, unknown>,
  body: (item: T) => Generator<Y | Suspend, void | typeof BREAK, unknown> | void | typeof BREAK,
): Generator<Y | Suspend, void, unknown> {
  const gen = agen._gen;
  for (;;) {
    if (agen._running) throw new RuntimeError(`anext(): asynchronous generator is already running: ${agen}`);
    if (agen._state === AG_FINISHED) return;
    if (agen._state === AG_CREATED) agen._firstIter();
    agen._running = true;
    let input: unknown = undefined;
    let isThrow = false;
    let item: T;
    for (;;) {
      let result: IteratorResult<unknown, unknown>;
      const tracking = isTrackingScopes();
      const previousOwner = tracking ? setRunningScopeOwner(agen) : null;
      try {
        if (isThrow) result = gen.throw(input);
        else result = agen._native ? agen._genNext.call(gen, input) : gen.next(input as undefined);
      } catch (error) {
        if (tracking) setRunningScopeOwner(previousOwner);
        // The body raised: it is finished, nothing to close (AgenOp._step's rules).
        agen._finish();
        if (error instanceof StopAsyncIteration) {
          throw new RuntimeError(`async generator raised StopAsyncIteration: ${agen}`, { cause: error });
        }
        throw error;
      }
      if (tracking) setRunningScopeOwner(previousOwner);
      if (result.done === true) {
        agen._finish();
        return;
      }
      const yielded = result.value;
      if (!isAwait(yielded)) {
        if (agen._openScopes > 0) reportMisnesting(agen);
        item = yielded as T;
        break;
      }
      // An await inside the source: pass it up to the task, hand back what the task sends or throws.
      try {
        input = yield yielded as Suspend;
        isThrow = false;
      } catch (error) {
        input = error;
        isThrow = true;
      }
    }
    agen._running = false;
    let outcome: unknown;
    try {
      outcome = body(item);
      if (outcome !== undefined && outcome !== BREAK) {
        if (typeof (outcome as { next?: unknown }).next !== 'function') throw badBodyResult(body, outcome);
        outcome = yield* outcome as Generator<Y | Suspend, unknown, unknown>;
      }
    } catch (error) {
      yield* closeIterator(agen);
      throw error;
    }
    if (outcome === BREAK) {
      yield* closeIterator(agen);
      return;
    }
  }
}

function* asyncForLoop<T, Y>(
  it: AsyncIteratorLike<T>,
  body: (item: T) => Generator<Y | Suspend, void | typeof BREAK, unknown> | void | typeof BREAK,
): Generator<Y | Suspend, void, unknown> {
  for (;;) {
    let item: T;
    try {
      item = yield* it.anext();
    } catch (error) {
      if (error instanceof StopAsyncIteration) return;
      yield* closeIterator(it);
      throw error;
    }
    let outcome: unknown;
    try {
      outcome = body(item);
      if (outcome !== undefined && outcome !== BREAK) {
        // One property check per item (not isCoroutine's four): a generator has `next`.
        if (typeof (outcome as { next?: unknown }).next !== 'function') throw badBodyResult(body, outcome);
        outcome = yield* outcome as Generator<Y | Suspend, unknown, unknown>;
      }
    } catch (error) {
      yield* closeIterator(it);
      throw error;
    }
    if (outcome === BREAK) {
      yield* closeIterator(it);
      return;
    }
  }
}

function badBodyResult(body: { name: string }, outcome: unknown): TypeError {
  const hint =
    outcome !== null && typeof outcome === 'object' && typeof (outcome as { then?: unknown }).then === 'function'
      ? ' A native async function cannot be the body: write `function*` and await with `yield*` (fromPromise for Promises).'
      : '';
  return new TypeError(
    `asyncFor() body ${body.name || '(anonymous)'} returned ${describeValue(outcome)}: expected a generator (a function* body), BREAK or undefined.${hint}`,
  );
}
