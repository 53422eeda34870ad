/**
 * Type-level tests for the `{ context }` options of the scheduling methods (checked by
 * `tsc --noEmit -p .`, never run): the options come before the callback and `...args` stay typed.
 */
import type { EventLoop } from './base-events.ts';
import type { Context } from './contextvars.ts';
import type { Handle, TimerHandle } from './events.ts';
import type { Future } from './futures.ts';

declare const loop: EventLoop;
declare const ctx: Context;
declare const fut: Future<number>;
const add = (a: number, b: string): void => void [a, b];

export const h1: Handle = loop.callSoon(add, 1, 'x');
export const h2: Handle = loop.callSoon({ context: ctx }, add, 1, 'x');
export const h3: Handle = loop.callSoonThreadsafe({ context: null }, add, 1, 'x');
export const t1: TimerHandle = loop.callLater(5, { context: ctx }, add, 1, 'x');
export const t2: TimerHandle = loop.callAt(5, {}, add, 1, 'x');
fut.addDoneCallback((f) => void f.result(), { context: ctx });
export const c: Context = h2.getContext();

// @ts-expect-error the arguments are still checked after the options
loop.callSoon({ context: ctx }, add, 'not a number', 'x');
// @ts-expect-error context must be a Context
loop.callLater(5, { context: 42 }, add, 1, 'x');
// @ts-expect-error the options go before the callback, never after its arguments
loop.callSoon(add, 1, 'x', { context: ctx });
