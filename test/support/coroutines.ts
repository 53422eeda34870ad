/** Small coroutines the test files share. */
import assert from 'node:assert/strict';
import { sleep } from '../../src/tasks.ts';
import type { Awaitable, Coroutine } from '../../src/types.ts';

/** Awaits `body` and returns what it threw; fails the test if it did not throw. */
export function* catching(body: Awaitable<unknown>): Coroutine<unknown> {
  try {
    yield* body;
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

/** Sleeps `delay` ms, then throws `new Error(message)`. */
export function* fail(delay: number, message: string): Coroutine<never> {
  yield* sleep(delay);
  throw new Error(message);
}
