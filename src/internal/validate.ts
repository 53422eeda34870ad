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
