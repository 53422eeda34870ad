/**
 * The `async with` driver the shorthands (`timeout(delay, body)`, `taskGroup(body)`) use, so they
 * do not depend on contextlib: enter, run the body, exit with the body's error (if any).
 * @module
 */
import type { AsyncContextManager, Coroutine } from '../types.ts';
import { checkBody } from './validate.ts';

/**
 * `async with cm as value: return body(value)`. An error suppressed by `aexit` (it returned a
 * truthy value) makes the result `undefined`, as `asyncWith` does.
 */
export function* runAsyncWith<C, T>(cm: AsyncContextManager<C>, body: (value: C) => Coroutine<T>, what: string, example: string): Coroutine<T | undefined> {
  const value = yield* cm.aenter();
  let result: T;
  try {
    result = yield* checkBody<Coroutine<T>>(body(value), what, example);
  } catch (error) {
    if (yield* cm.aexit(error)) return undefined;
    throw error;
  }
  yield* cm.aexit();
  return result;
}
