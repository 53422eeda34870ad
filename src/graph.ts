/**
 * The async call graph: which task awaits what, down to the leaf future, and who awaits it.
 * @asyncio asyncio.graph (3.14: capture_call_graph, format_call_graph, print_call_graph)
 *
 * Differs from asyncio: JavaScript cannot read a suspended generator's frames (Python reads
 * `cr_frame` / `cr_await`), so the graph is made of futures, not source lines: a task's
 * `awaiting` chain follows what each task waits on (`_futWaiter`) down to the leaf future (a
 * lock waiter, a fromPromise future); a `sleep(ms)` waits on a timer and shows as `sleeping`.
 * In place of frames, the text names the leaf (`waitsFor`: `Lock.acquire() on <Lock ...> held by
 * Task 'a'`, `Queue.get() on <Queue maxsize=10 size=0>`, `sleep(300) until t=450`,
 * `gather(3 children: 2 pending)`) and the blocks around it (`scopes`: `timeout(500) expires at
 * t=600`, `TaskGroup(2 children: ...)`); primitives label their waiter futures as they make them.
 * `awaitedBy` lists the tasks waiting on a future, found by scanning the loop's unfinished tasks: capturing is O(tasks),
 * and nothing is paid while the program runs.
 * @module
 */
import { getRunningLoop } from './events.ts';
import { Future } from './futures.ts';
import { Task, currentTask } from './tasks.ts';
import type { EventLoop } from './base-events.ts';
import { describeFuture, describeScopes, describeWait } from './internal/awaits.ts';

/**
 * One node of the graph: a future (often a Task), what it waits on, and who waits on it.
 * @asyncio asyncio.FutureCallGraph (call_stack becomes `awaiting`)
 */
export interface FutureCallGraph {
  /** The future or task this node is about. */
  readonly future: Future<unknown>;
  /** What it waits on, nearest first, down to the leaf future (empty if it is not waiting). */
  readonly awaiting: readonly Future<unknown>[];
  /** When the chain ends in a `sleep(ms)` (which waits on a timer, not a Future): its `ms`. */
  readonly sleeping: number | null;
  /** The nodes of the tasks that wait on this future. */
  readonly awaitedBy: readonly FutureCallGraph[];
  /** The blocks the task is inside, outermost first: `timeout(500) expires at t=600`, `TaskGroup(2 children: ...)`. */
  readonly scopes: readonly string[];
  /** What the chain ends waiting for, in words: `Lock.acquire() on <Lock [locked, waiters:1]> held by Task 'a'`, `sleep(300) until t=450`; null if not waiting. */
  readonly waitsFor: string | null;
}

/** Options of captureCallGraph. */
export interface CallGraphOptions {
  /** How many levels of `awaitedBy` to follow (default: all). */
  limit?: number;
}

/** The task at the end of the chain (or the future itself) sleeping on a timer: the sleep's ms. */
function sleepAtEnd(future: Future<unknown>, chain: Future<unknown>[]): number | null {
  const last = chain.length > 0 ? chain[chain.length - 1] : future;
  return last instanceof Task && last._sleep !== null ? last._sleep._delay : null;
}

function awaitingChain(future: Future<unknown>): Future<unknown>[] {
  const chain: Future<unknown>[] = [];
  const seen = new Set<Future<unknown>>([future]);
  let node: Future<unknown> | null = future instanceof Task ? future._futWaiter : null;
  while (node !== null && !seen.has(node)) {
    chain.push(node);
    seen.add(node);
    node = node instanceof Task ? node._futWaiter : null;
  }
  return chain;
}

function capture(loop: EventLoop, future: Future<unknown>, depth: number, seen: Set<Future<unknown>>): FutureCallGraph {
  seen.add(future);
  const awaitedBy: FutureCallGraph[] = [];
  if (depth > 0) {
    for (const task of loop._tasks) {
      if (task._futWaiter === future && !seen.has(task)) awaitedBy.push(capture(loop, task, depth - 1, seen));
    }
  }
  const awaiting = awaitingChain(future);
  const last = awaiting.length > 0 ? (awaiting[awaiting.length - 1] as Future<unknown>) : future;
  const waitsFor = last instanceof Task ? describeWait(last) : last !== future ? describeFuture(last) : null;
  const scopes = future instanceof Task ? describeScopes(future) : [];
  return { future, awaiting, sleeping: sleepAtEnd(future, awaiting), awaitedBy, scopes, waitsFor };
}

/**
 * Captures the call graph of `future` (default: the current task): what it awaits, down to the
 * leaf future, and, recursively, the tasks that await it. Returns null outside a task when no
 * future is given.
 * @asyncio asyncio.capture_call_graph(future=None, *, depth=1, limit=None) (3.14)
 * @example
 * const graph = captureCallGraph(workerTask);
 * graph?.awaitedBy[0]?.future; // the task that awaits workerTask
 */
export function captureCallGraph(future?: Future<unknown>, options: CallGraphOptions = {}): FutureCallGraph | null {
  let target: Future<unknown> | null;
  if (future === undefined) {
    target = currentTask();
  } else {
    if (!(future instanceof Future)) {
      throw new TypeError(`captureCallGraph() expects a Future or Task, got ${String(future)}`);
    }
    target = future;
  }
  if (target === null) return null;
  const loop = future === undefined ? getRunningLoop() : target._loop;
  return capture(loop, target, options.limit ?? Infinity, new Set());
}

function label(future: Future<unknown>): string {
  if (future instanceof Task) return `Task(name='${future.getName()}', state=${future._stateName()})`;
  // The repr without `cb=[...]`: the graph's "Awaited by" already says who waits.
  return `<${future.constructor.name} ${future._reprInfo().filter((part) => !part.startsWith('cb=[')).join(' ')}>`;
}

function formatNode(node: FutureCallGraph, indent: string, lines: string[]): void {
  lines.push(`${indent}* ${label(node.future)}`);
  if (node.awaiting.length > 0 || node.waitsFor !== null || node.scopes.length > 0) {
    lines.push(`${indent}  + Awaiting:`);
    for (const scope of node.scopes) lines.push(`${indent}  |   ${scope}`);
    // The tasks of the chain by name and state; the leaf in words (what it is, on what, until when).
    for (const f of node.awaiting) if (f instanceof Task) lines.push(`${indent}  |   ${label(f)}`);
    if (node.waitsFor !== null) lines.push(`${indent}  |   ${node.waitsFor}`);
  }
  if (node.awaitedBy.length > 0) {
    lines.push(`${indent}  + Awaited by:`);
    for (const child of node.awaitedBy) formatNode(child, `${indent}     `, lines);
  }
}

/**
 * The call graph of `future` (default: the current task) as text, in asyncio's layout.
 * @asyncio asyncio.format_call_graph(future=None, *, depth=1, limit=None) (3.14)
 * @example
 * console.log(formatCallGraph(task));
 * // * Task(name='worker', state=pending)
 * //   + Awaiting:
 * //   |   <Future pending>
 * //   + Awaited by:
 * //      * Task(name='main', state=pending)
 */
export function formatCallGraph(future?: Future<unknown>, options?: CallGraphOptions): string {
  const graph = captureCallGraph(future, options);
  if (graph === null) return '';
  const lines: string[] = [];
  formatNode(graph, '', lines);
  return lines.join('\n');
}

/**
 * Prints `formatCallGraph(future)` with `console.log`.
 * @asyncio asyncio.print_call_graph(future=None, *, file=None, depth=1, limit=None) (3.14)
 */
export function printCallGraph(future?: Future<unknown>, options?: CallGraphOptions): void {
  const text = formatCallGraph(future, options);
  if (text !== '') console.log(text);
}
