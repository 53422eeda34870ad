/**
 * Argument checks worded with the caller's names, for callers without TypeScript.
 * Message shape: "Expected `delay` to be ..., got `NaN` (number)".
 * @module
 */
import { describeValue } from './repr.ts';

/** Throws RangeError unless `value` is a number of milliseconds that is not NaN. Negative is allowed (asyncio: fires now). */
export function checkDelay(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new (typeof value === 'number' ? RangeError : TypeError)(
      `Expected \`${name}\` to be a number of milliseconds, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** Throws TypeError unless `value` is a function. */
export function checkCallback(value: unknown, name: string): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${describeValue(value)}`);
  }
}

/** Throws RangeError unless `value` is an integer in [min, max]. */
export function checkInteger(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new (typeof value === 'number' ? RangeError : TypeError)(
      `Expected \`${name}\` to be ${range}, got ${describeValue(value)}`,
    );
  }
  return value;
}

// The prototypes of the function kinds that look like callbacks but are not (found once, compared
// once at the call: never per step).
const AsyncFunctionPrototype: unknown = Object.getPrototypeOf(async function () {});
const GeneratorFunctionPrototype: unknown = Object.getPrototypeOf(function* () {});
const AsyncGeneratorFunctionPrototype: unknown = Object.getPrototypeOf(async function* () {});

/** Which kind of function `fn` is: native `async`, `function*`, `async function*`, or plain. */
export function functionKind(fn: (...args: never[]) => unknown): 'async function' | 'generator function' | 'async generator function' | 'function' {
  const proto: unknown = Object.getPrototypeOf(fn);
  if (proto === AsyncFunctionPrototype) return 'async function';
  if (proto === GeneratorFunctionPrototype) return 'generator function';
  if (proto === AsyncGeneratorFunctionPrototype) return 'async generator function';
  return 'function';
}

/**
 * For `callSoon`/`callLater`/`callAt`/`addDoneCallback` (`method` names the call): a plain function
 * only. asyncio (debug mode) refuses coroutine functions with "coroutines cannot be used with
 * call_soon()"; here a native `async` function's rejection would escape the loop, and a `function*`
 * would only make a coroutine nobody runs, so both are refused always.
 */
export function checkHandleCallback(value: unknown, method: string): asserts value is (...args: never[]) => unknown {
  checkCallback(value, 'callback');
  const kind = functionKind(value);
  if (kind === 'function') return;
  const name = value.name || 'fn';
  const fix =
    kind === 'generator function'
      ? `${name} is a generator function: calling it only creates a coroutine, and its body would never run. Run it as a task instead: createTask(${name}()).`
      : `${name} is a native ${kind}: the loop would drop its Promise, and a failure would escape the loop as an unhandled rejection. Write it as a function* and run it as a task: createTask(${name}()).`;
  throw new TypeError(`coroutines cannot be used with ${method}(): ${fix}`);
}

/**
 * For `setExceptionHandler`: a plain `(loop, context) => void`, called synchronously. A native
 * `async` handler's failure would escape as an unhandled rejection; a `function*` would never run.
 */
export function checkExceptionHandler(value: unknown): asserts value is (...args: never[]) => unknown {
  checkCallback(value, 'handler');
  const kind = functionKind(value);
  if (kind === 'function') return;
  const name = value.name || 'handler';
  throw new TypeError(
    `Expected \`handler\` to be a plain function (loop, context) => void, got the ${kind} ${name}: the loop calls it synchronously and ` +
      (kind === 'generator function' ? 'its body would never run.' : 'would drop its Promise, so its failure would escape the loop.') +
      ' To await inside it, start a task from a plain handler: (loop, context) => loop.createTask(report(context)), with report a function*.',
  );
}

/**
 * For the shorthands that take a block (`timeout(delay, body)`, `taskGroup(body)`, `useFixture(f,
 * body)`, `asyncWith(cm, body)`): a function, and not a native `async` one, whose body would run
 * outside the loop and whose Promise `yield*` cannot await. `example` is the corrected call.
 */
export function checkBodyFunction(value: unknown, what: string, example: string): asserts value is (...args: never[]) => unknown {
  checkCallback(value, 'body');
  const kind = functionKind(value);
  if (kind === 'async function' || kind === 'async generator function') {
    throw new TypeError(
      `${what}(): the body must return a coroutine, got the native ${kind} ${value.name || '(anonymous)'}. Write the body as a generator function, with yield* where it has await: ${example}.`,
    );
  }
}

/** The coroutine a body returned, or the TypeError `asyncWith` gives (`example` is the corrected call). */
export function checkBody<R>(coro: unknown, what: string, example: string): R {
  if (isGeneratorObject(coro)) return coro as R;
  throw new TypeError(`${what}(): the body must return a coroutine, got ${describeValue(coro)}. Write the body as a generator function: ${example}.`);
}

function isGeneratorObject(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { next?: unknown }).next === 'function' &&
    typeof (value as { throw?: unknown }).throw === 'function' &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/**
 * An options bag: `undefined` or an object whose keys are all in `known` (`call` names the
 * function, as Python's "gather() got an unexpected keyword argument 'x'" does; `example` is the
 * corrected call shown when `value` is not an object).
 */
export function checkOptions(value: unknown, call: string, known: readonly string[], example = ''): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(value)}${example === '' ? '' : `. Write ${example}`}`);
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const lower = key.toLowerCase();
    const near = known.find((k) => k.toLowerCase() === lower || (lower.length >= 3 && (k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase()))));
    throw new TypeError(
      `${call} got an unexpected option '${key}'.${near === undefined ? '' : ` Did you mean '${near}'?`} Its options are: ${known.join(', ')}.`,
    );
  }
}

/** Whether `value` is an Error (also one from another realm: a vm context, a worker's structured clone). */
export function isErrorObject(value: unknown): value is Error {
  return value instanceof Error || (value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Error]');
}
