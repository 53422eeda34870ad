/**
 * yieldio: Python's asyncio, one to one, in TypeScript, built on generators.
 * This entry runs on any JavaScript runtime: nothing under it imports `node:` modules.
 * Every name is listed here on purpose (asyncio's `__all__`): nothing is public by accident.
 * @module
 */
export type { Suspend, UseYieldStarNotYield, Coroutine, Awaitable, AwaitedBy, AsyncContextManager, ContextManager } from './types.ts';
export { CancelledError, TimeoutError, InvalidStateError, RuntimeError, StopAsyncIteration, GeneratorExit } from './exceptions.ts';
export { Handle, TimerHandle, getRunningLoop } from './events.ts';
export { EventLoop } from './base-events.ts';
export type { Clock, LoopOptions, CallOptions, ExceptionContext, ExceptionHandler, TaskFactory } from './base-events.ts';
export { Future, isFuture } from './futures.ts';
export type { DoneCallback } from './futures.ts';
export { Task, createTask, currentTask, allTasks, ensureFuture, eagerTaskFactory, createEagerTaskFactory, sleep, isCoroutine } from './tasks.ts';
export type { TaskOptions, TaskConstructor } from './tasks.ts';
export { Context, ContextVar, Token, copyContext } from './contextvars.ts';
export { run, runSync, Runner } from './runners.ts';
export type { Main, RunOptions } from './runners.ts';
export type { ArmedTimer, Instrument } from './instruments.ts';
export { TraceRecorder } from './trace.ts';
export type { TraceOption } from './trace-option.ts';
export type {
  TraceTrack, TraceStep, TraceWake, TraceMark, WakeReason, ExitKind, ChromeTraceEvent, ChromeTraceOptions, TimelineOptions,
} from './trace.ts';
export { captureCallGraph, formatCallGraph, printCallGraph } from './graph.ts';
export { taskTable, formatTaskTable, formatTaskTree } from './diagnostics.ts';
export type { TaskRow } from './diagnostics.ts';
export type { FutureCallGraph, CallGraphOptions } from './graph.ts';
// --- contextlib, host bridges (issue 4)
export {
  asyncWith,
  withContext,
  asyncContextManager,
  contextManager,
  AsyncGeneratorContextManager,
  GeneratorContextManager,
  AsyncExitStack,
} from './contextlib.ts';
export { fromPromise, toPromise, withAbortSignal } from './host.ts';
export type { WithAbortSignalOptions } from './host.ts';
// --- async generators, asyncFor (issue 6)
export {
  asyncGenerator,
  AsyncGen,
  asyncFor,
  BREAK,
} from './asyncgen.ts';
export { toAsyncIterable, fromAsyncIterable, HostAsyncIterator } from './asyncgen-host.ts';
export type { AsyncGenBody, Break, AsyncGenFunction, SendOf, AsyncIteratorLike, AsyncIterableLike } from './asyncgen.ts';
// --- combinators, timeouts, TaskGroup, ExceptionGroup (issue 4)
export { ExceptionGroup, catchGroup } from './exception-groups.ts';
export type { ErrorClass, Matcher, Matched, CatchClause, CatchClauses } from './exception-groups.ts';
export { Timeout, timeout, timeoutAt } from './timeouts.ts';
export { TaskGroup, taskGroup } from './taskgroups.ts';
export type { TaskGroupTaskOptions } from './taskgroups.ts';
export { gather, GatheringFuture, wait, waitFor, asCompleted, AsCompleted, shield, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from './combinators.ts';
export type { GatherResult, GatherResultOrError, GatherOptions, ReturnWhen, WaitOptions, AsCompletedOptions } from './combinators.ts';
// --- stream exceptions (yieldio/node streams raise them; pure classes, so the core exports them)
export { IncompleteReadError, LimitOverrunError } from './exceptions.ts';
// --- synchronization primitives and queues (issue 5)
export { Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier, BrokenBarrierError } from './locks.ts';
export type { Truthy } from './locks.ts';
export { Queue, LifoQueue, PriorityQueue, QueueIterator, QueueEmpty, QueueFull, QueueShutDown } from './queues.ts';
export type { PriorityQueueOptions } from './queues.ts';
