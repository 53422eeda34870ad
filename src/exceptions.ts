/**
 * The exception classes every other module raises, mapped from asyncio's by api.md's table.
 * @asyncio asyncio.exceptions
 * @module
 */

/**
 * The task or future was cancelled. Thrown into the coroutine at its suspension point.
 *
 * JavaScript has no `BaseException`: a `catch (e)` that handles everything must rethrow
 * `CancelledError`, or `timeout()` and `TaskGroup` stop working (cpython #111379).
 * @asyncio asyncio.CancelledError
 * @example
 * try { yield* sleep(1000); } catch (e) { if (e instanceof CancelledError) throw e; log(e); }
 */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = '', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * A deadline passed (`timeout`, `waitFor`, `wait(..., { timeout })`).
 * @asyncio TimeoutError (asyncio.TimeoutError is the builtin since 3.11)
 */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(message = '', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * An operation that the object's state forbids: `result()` of a pending future, `setResult` twice.
 * @asyncio asyncio.InvalidStateError
 */
export class InvalidStateError extends Error {
  override name = 'InvalidStateError';
}

/**
 * Python's `RuntimeError`: misuse of the loop or of a task (closed loop, bad yield, nested run).
 * @asyncio RuntimeError
 */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/**
 * An async iterator is exhausted. `value` carries the async generator's return value (PEP 828).
 * @asyncio StopAsyncIteration
 */
export class StopAsyncIteration extends Error {
  override name = 'StopAsyncIteration';
  /** The value the async generator returned, `undefined` when it just ended. */
  readonly value: unknown;
  constructor(value?: unknown) {
    super('');
    this.value = value;
  }
}

/**
 * The close signal: `aclose()` throws it into an async generator at its suspended `yield`.
 * A `catch` that handles everything must rethrow it (or return), never `yield` a value after it.
 * @asyncio GeneratorExit
 * Differs from asyncio: an `Error` subclass (JavaScript has no BaseException).
 * @example
 * try { yield row; } catch (e) { if (e instanceof GeneratorExit) throw e; log(e); }
 */
export class GeneratorExit extends Error {
  override name = 'GeneratorExit';
}

/**
 * @internal A broken invariant inside yieldio itself: never a user error. Please report it.
 * Kept apart from user-facing classes, as Trio and curio do.
 */
export function internalError(what: string, cause?: unknown): Error {
  return new Error(`yieldio internal error: ${what} (please report this)`, { cause });
}

/**
 * The stream ended before the requested bytes arrived (`readexactly`, `readuntil`).
 * @asyncio asyncio.IncompleteReadError(partial, expected)
 * Differs from asyncio: an `Error` (Python's is an EOFError); `expected` is `null` for "undefined".
 * @example
 * try { yield* reader.readexactly(4); } catch (e) { if (e instanceof IncompleteReadError) use(e.partial); else throw e; }
 */
export class IncompleteReadError extends Error {
  override name = 'IncompleteReadError';
  /** The bytes read before the end of the stream. */
  readonly partial: Uint8Array;
  /** How many bytes were expected, or `null` when the read had no fixed size (`readuntil`). */
  readonly expected: number | null;
  constructor(partial: Uint8Array, expected: number | null) {
    super(`${partial.length} bytes read on a total of ${expected === null ? 'undefined' : expected} expected bytes`);
    this.partial = partial;
    this.expected = expected;
  }
}

/**
 * A separator was not found within the reader's `limit` (`readuntil`); the bytes stay buffered.
 * @asyncio asyncio.LimitOverrunError(message, consumed)
 * @example
 * try { yield* reader.readuntil('\r\n'); } catch (e) { if (e instanceof LimitOverrunError) yield* reader.read(e.consumed); else throw e; }
 */
export class LimitOverrunError extends Error {
  override name = 'LimitOverrunError';
  /** How many bytes to consume to skip past the data checked so far. */
  readonly consumed: number;
  constructor(message: string, consumed: number) {
    super(message);
    this.consumed = consumed;
  }
}
