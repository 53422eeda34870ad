/**
 * A browser stand-in for `node:assert/strict`, the methods the core suite calls, with Node's
 * semantics: `equal` is `Object.is`, `deepEqual` is `deepStrictEqual` (prototypes, own enumerable
 * keys and symbols, Map/Set/Date/RegExp/Error/boxed values), `throws`/`rejects` take a class, a
 * RegExp, a validation function or an object whose properties must match.
 * scripts/browser/node-assert.check.ts runs it against Node's own assert on the same cases.
 */

/** Thrown by every failed assertion, as Node's `assert.AssertionError`. */
export class AssertionError extends Error {
  readonly code = 'ERR_ASSERTION';
  constructor(
    message: string,
    readonly actual?: unknown,
    readonly expected?: unknown,
    readonly operator?: string,
  ) {
    super(message);
    this.name = 'AssertionError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[Function: ${value.name || '(anonymous)'}]`;
  if (typeof value === 'symbol' || value === null || typeof value !== 'object') return String(value);
  if (value instanceof Error) return `[${value.name}: ${value.message}]`;
  try {
    const json = JSON.stringify(value);
    return json === undefined ? Object.prototype.toString.call(value) : json.length > 300 ? `${json.slice(0, 300)}…` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function fail(message: string | Error | undefined, fallback: string, actual?: unknown, expected?: unknown, operator?: string): never {
  if (message instanceof Error) throw message;
  throw new AssertionError(message ?? fallback, actual, expected, operator);
}

function ownKeys(value: object): PropertyKey[] {
  return Reflect.ownKeys(value).filter((k) => Object.prototype.propertyIsEnumerable.call(value, k));
}

function isDeepStrictEqual(a: unknown, b: unknown, seen: Map<object, object> = new Map()): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Object.prototype.toString.call(a) !== Object.prototype.toString.call(b)) return false;
  const known = seen.get(a);
  if (known !== undefined) return known === b;
  seen.set(a, b);
  if (a instanceof Date && b instanceof Date) {
    if (a.getTime() !== b.getTime()) return false;
  } else if (a instanceof RegExp && b instanceof RegExp) {
    if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (a instanceof Error && b instanceof Error) {
    if (a.name !== b.name || a.message !== b.message) return false;
  } else if (a instanceof Number || a instanceof String || a instanceof Boolean) {
    if (!Object.is(a.valueOf(), (b as Number | String | Boolean).valueOf())) return false;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return false;
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [key, value] of a) {
      if (!b.has(key) || !isDeepStrictEqual(value, b.get(key), seen)) return false;
    }
  } else if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    outer: for (const value of a) {
      if (b.has(value)) continue;
      if (typeof value !== 'object' || value === null) return false;
      for (const other of b) if (isDeepStrictEqual(value, other, seen)) continue outer;
      return false;
    }
  }
  const keysA = ownKeys(a);
  const keysB = ownKeys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.prototype.propertyIsEnumerable.call(b, key)) return false;
    if (!isDeepStrictEqual((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key], seen)) return false;
  }
  return true;
}

type Expected = RegExp | (new (...args: never[]) => unknown) | ((error: unknown) => boolean) | Record<string, unknown> | Error;

function check(error: unknown, expected: Expected | undefined, message: string | undefined, operator: string): void {
  if (expected === undefined) return;
  if (expected instanceof RegExp) {
    if (!expected.test(String(error))) fail(message, `The input did not match the regular expression ${expected}. Input:\n\n${show(String(error))}\n`, error, expected, operator);
    return;
  }
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && error instanceof (expected as new () => unknown)) return;
    if (Error.isPrototypeOf(expected) || expected === Error) {
      fail(message, `The error is expected to be an instance of "${expected.name}". Received ${show(error)}`, error, expected, operator);
    }
    const ok = (expected as (e: unknown) => unknown).call({}, error);
    if (ok !== true) fail(message, `The ${expected.name ? `"${expected.name}" ` : ''}validation function is expected to return "true". Received ${show(ok)}\n\nCaught error:\n\n${show(error)}`, error, expected, operator);
    return;
  }
  if (typeof error !== 'object' || error === null) fail(message, `The error is expected to be an object. Received ${show(error)}`, error, expected, operator);
  for (const key of Object.keys(expected)) {
    const want = (expected as Record<string, unknown>)[key];
    const got = (error as Record<string, unknown>)[key];
    if (want instanceof RegExp && typeof got === 'string') {
      if (!want.test(got)) fail(message, `Expected error.${key} ${show(got)} to match ${want}`, error, expected, operator);
    } else if (!isDeepStrictEqual(got, want)) {
      fail(message, `Expected values to be strictly deep-equal:\nerror.${key}: actual ${show(got)}\nerror.${key}: expected ${show(want)}`, error, expected, operator);
    }
  }
}

function splitArgs(expected: Expected | string | undefined, message: string | undefined): [Expected | undefined, string | undefined] {
  return typeof expected === 'string' ? [undefined, expected] : [expected, message];
}

const methods = {
  ok(value: unknown, message?: string | Error): void {
    if (!value) fail(message, `The expression evaluated to a falsy value:\n\n  assert.ok(${show(value)})\n`, value, true, '==');
  },
  equal(actual: unknown, expected: unknown, message?: string | Error): void {
    if (!Object.is(actual, expected)) fail(message, `Expected values to be strictly equal:\n\n${show(actual)} !== ${show(expected)}\n`, actual, expected, 'strictEqual');
  },
  notEqual(actual: unknown, expected: unknown, message?: string | Error): void {
    if (Object.is(actual, expected)) fail(message, `Expected "actual" to be strictly unequal to: ${show(expected)}`, actual, expected, 'notStrictEqual');
  },
  deepEqual(actual: unknown, expected: unknown, message?: string | Error): void {
    if (!isDeepStrictEqual(actual, expected)) fail(message, `Expected values to be strictly deep-equal:\n+ actual - expected\n\n+ ${show(actual)}\n- ${show(expected)}\n`, actual, expected, 'deepStrictEqual');
  },
  notDeepEqual(actual: unknown, expected: unknown, message?: string | Error): void {
    if (isDeepStrictEqual(actual, expected)) fail(message, `Expected "actual" not to be strictly deep-equal to: ${show(expected)}`, actual, expected, 'notDeepStrictEqual');
  },
  match(value: string, pattern: RegExp, message?: string | Error): void {
    if (typeof value !== 'string' || !pattern.test(value)) fail(message, `The input did not match the regular expression ${pattern}. Input:\n\n${show(value)}\n`, value, pattern, 'match');
  },
  doesNotMatch(value: string, pattern: RegExp, message?: string | Error): void {
    if (typeof value !== 'string' || pattern.test(value)) fail(message, `The input was expected to not match the regular expression ${pattern}. Input:\n\n${show(value)}\n`, value, pattern, 'doesNotMatch');
  },
  fail(message?: string | Error): never {
    return fail(message, 'Failed', undefined, undefined, 'fail');
  },
  throws(fn: () => unknown, expected?: Expected | string, message?: string): void {
    const [want, msg] = splitArgs(expected, message);
    let threw = false;
    let error: unknown;
    try {
      fn();
    } catch (e) {
      threw = true;
      error = e;
    }
    if (!threw) fail(msg, `Missing expected exception${want !== undefined && typeof want === 'function' && want.name ? ` (${want.name})` : ''}.`, undefined, want, 'throws');
    check(error, want, msg, 'throws');
  },
  doesNotThrow(fn: () => unknown, message?: string): void {
    try {
      fn();
    } catch (e) {
      fail(message, `Got unwanted exception.\nActual message: "${e instanceof Error ? e.message : String(e)}"`, e, undefined, 'doesNotThrow');
    }
  },
  async rejects(promiseOrFn: Promise<unknown> | (() => Promise<unknown>), expected?: Expected | string, message?: string): Promise<void> {
    const [want, msg] = splitArgs(expected, message);
    let threw = false;
    let error: unknown;
    try {
      await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
    } catch (e) {
      threw = true;
      error = e;
    }
    if (!threw) fail(msg, `Missing expected rejection${want !== undefined && typeof want === 'function' && want.name ? ` (${want.name})` : ''}.`, undefined, want, 'rejects');
    check(error, want, msg, 'rejects');
  },
};

/** `assert(value)` is `assert.ok(value)`; the strict aliases are the same functions, as in `node:assert/strict`. */
const assert = Object.assign((value: unknown, message?: string | Error): void => methods.ok(value, message), methods, {
  AssertionError,
  strictEqual: methods.equal,
  deepStrictEqual: methods.deepEqual,
  notStrictEqual: methods.notEqual,
  notDeepStrictEqual: methods.notDeepEqual,
});

export default assert;
export const { ok, equal, notEqual, deepEqual, notDeepEqual, match, doesNotMatch, throws, doesNotThrow, rejects } = methods;
