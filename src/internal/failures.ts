/**
 * Failure reports that say where a failure happened and who awaited it:
 * `in Task 'service-api' (created at server.ts:12), awaited by gather in Task 'main' (created at main.ts:3)`,
 * and stacks without yieldio's own frames (`Task._run`, `EventLoop._runSome`, ...).
 *
 * Design notes.
 * - Nothing here runs per step. Creation sites come from ./creations.ts (debug mode only).
 * - A failing task pays one WeakMap lookup and, the first time an error leaves a task, one set:
 *   the error's chain starts at that task. Outside debug mode each task the same error then
 *   leaves (its awaiter re-raising it) is appended by name. In debug mode the chain is read
 *   forward when the error first leaves a task: the tasks waiting on it (directly or through a
 *   gather), up to the one nobody awaits, with their creation sites. Reading forward scans the
 *   loop's tasks (O(tasks) per failure), which only debug mode can afford.
 * - The chain is formatted only when a report is: the default exception handler, and the error
 *   `run()` / `runSync()` / `Runner` reject with (its `stack` is rewritten once, on the way out).
 * - Frames are folded on the report path only (never on `err.stack` inside the program, except the
 *   one rewrite above), and kept whole once any loop runs in debug mode.
 * No value imports from tasks/futures (their modules import this one): tasks are read by shape.
 * @module
 */
import { isTrackingScopes } from './scopes.ts';
import { creationSite } from './creations.ts';
import type { Task } from '../tasks.ts';
import type { EventLoop } from '../base-events.ts';

// yieldio's own frames: those located in this package's sources or build (src/, dist/, the
// dist/bundle chunks), and a generator's resumption (`x.next (<anonymous>)`): noise in a user's
// stack. When an application bundles yieldio into its own file, no location tells the two apart:
// then only the loop's own methods are recognised, by name.
const OWN_DIR = /^(.*\/(?:src|dist)\/)(?:internal|bundle\/chunks)\/[^/]+$/.exec(import.meta.url)?.[1] ?? null;
const OWN_DIR_PATH = OWN_DIR !== null && OWN_DIR.startsWith('file:') ? decodeURIComponent(new URL(OWN_DIR).pathname) : null;
const OWN_METHOD = /^_?(?:Task|EventLoop|Handle|TimerHandle|Runner)\._[A-Za-z]+$/;
const FRAME_LOCATION = /^\s+at (?:async )?(?:(\S+) \((.*)\)|(.*))$/;

function frameLocation(line: string): { fn: string | undefined; location: string } | null {
  const match = FRAME_LOCATION.exec(line);
  return match === null ? null : { fn: match[1], location: match[2] ?? match[3] ?? '' };
}

/** @internal Whether a stack line is one of yieldio's own frames. */
export function isInternalFrame(line: string): boolean {
  const frame = frameLocation(line);
  if (frame === null) return false;
  const { fn, location } = frame;
  if (location === '<anonymous>') return fn !== undefined && fn.endsWith('.next');
  // (This repository's own tests live next to the sources: they are the user here.)
  if (OWN_DIR !== null) return (location.startsWith(OWN_DIR) || (OWN_DIR_PATH !== null && location.startsWith(OWN_DIR_PATH))) && !/\.test(?:-d)?\.ts:/.test(location);
  return fn !== undefined && OWN_METHOD.test(fn);
}

/**
 * @internal Folds each run of yieldio's own frames into one marker line, unless a loop in debug
 * mode exists (then every frame stays).
 */
export function hideInternalFrames(lines: string[]): string[] {
  if (isTrackingScopes()) return lines;
  const out: string[] = [];
  let hidden = 0;
  let indent = '    ';
  const flush = (): void => {
    if (hidden > 0) out.push(`${indent}at <yieldio loop> (${hidden} frame${hidden === 1 ? '' : 's'} hidden; debug mode shows them)`);
    hidden = 0;
  };
  for (const line of lines) {
    if (isInternalFrame(line)) {
      indent = /^\s*/.exec(line)?.[0] ?? indent;
      hidden++;
    } else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out;
}

/** The first frame of `site`'s stack outside yieldio, as `file.ts:12`; null if none. */
function siteOf(site: Error | null): string | null {
  if (site === null || typeof site.stack !== 'string') return null;
  for (const line of site.stack.split('\n').slice(1)) {
    if (isInternalFrame(line)) continue;
    const location = frameLocation(line)?.location;
    if (location === undefined) continue;
    const place = /([^/\\]+?):(\d+)(?::\d+)?$/.exec(location);
    return place !== null ? `${place[1]}:${place[2]}` : location;
  }
  return null;
}

/** One task of a failure's chain: its name, how it awaited the previous one, where it was created. */
interface Link {
  readonly name: string;
  readonly via: string | null;
  readonly site: Error | null;
}

/** A chain read forward (debug mode) is complete: later failures of the same error add nothing. */
interface Chain {
  readonly links: Link[];
  readonly forward: boolean;
}

const chains = new WeakMap<object, Chain>();
// One error object thrown by many tasks (a shared constant) must not grow a chain without end.
const MAX_LINKS = 16;

function link(task: Task<unknown>, via: string | null): Link {
  return { name: task.getName(), via, site: task._loop._debug ? creationSite(task) : null };
}

/** The first unfinished task of the loop that waits on `future`, directly or through a gather. */
function awaiterOf(loop: EventLoop, future: object): { task: Task<unknown>; via: string | null } | null {
  for (const task of loop._tasks) {
    const waiter = task._futWaiter;
    if (waiter === null) continue;
    if (waiter === future) return { task, via: null };
    const children = (waiter as { _children?: unknown })._children;
    if (Array.isArray(children) && children.includes(future)) return { task, via: 'gather' };
  }
  return null;
}

/**
 * @internal `task` failed with `error` (called by the step before the exception is set, while
 * its awaiters still wait on it). Cost: one WeakMap lookup; the first time, one set.
 */
export function noteTaskFailure(task: Task<unknown>, error: unknown): void {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return;
  const chain = chains.get(error);
  if (chain === undefined) {
    const loop = task._loop;
    const links = [link(task, null)];
    if (loop._debug) {
      const seen = new Set<object>([task]);
      let next = awaiterOf(loop, task);
      while (next !== null && !seen.has(next.task)) {
        seen.add(next.task);
        links.push(link(next.task, next.via));
        next = awaiterOf(loop, next.task);
      }
    }
    chains.set(error, { links, forward: loop._debug });
  } else if (!chain.forward && chain.links.length < MAX_LINKS && chain.links[chain.links.length - 1]?.name !== task.getName()) {
    chain.links.push(link(task, null));
  }
}

/**
 * @internal The chain of `error` in words, or null if it never left a task:
 * `in Task 'service-api' (created at server.ts:12), awaited by gather in Task 'main' (created at main.ts:3)`.
 */
export function describeFailureChain(error: unknown): string | null {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return null;
  const chain = chains.get(error);
  if (chain === undefined) return null;
  return chain.links
    .map((l, i) => {
      const site = siteOf(l.site);
      const task = `Task '${l.name}'${site !== null ? ` (created at ${site})` : ''}`;
      return i === 0 ? `in ${task}` : `awaited by ${l.via !== null ? `${l.via} in ` : ''}${task}`;
    })
    .join(', ');
}

/**
 * @internal The error as a report shows it: its stack with yieldio's frames folded (outside debug
 * mode) and, last, the chain of tasks it left.
 */
export function formatFailure(error: unknown): string {
  if (!(error instanceof Error) || typeof error.stack !== 'string' || error.stack === '') return String(error);
  return presented.has(error) ? error.stack : presentedStack(error, error.stack);
}

function presentedStack(error: unknown, stack: string): string {
  const lines = hideInternalFrames(stack.split('\n'));
  const chain = describeFailureChain(error);
  if (chain !== null) lines.push(`    ${chain}`);
  return lines.join('\n');
}

const presented = new WeakSet<object>();

/**
 * @internal Rewrites the `stack` of the error a runner rejects with, once: folded frames and the
 * chain, so whoever prints it (Node's unhandled-rejection report, `console.error`) sees them.
 */
export function presentFailure(error: unknown): void {
  if (!(error instanceof Error) || presented.has(error)) return;
  presented.add(error);
  try {
    const stack = error.stack;
    if (typeof stack !== 'string' || stack === '') return;
    error.stack = presentedStack(error, stack);
  } catch {
    // A frozen error or a hostile getter: it is reported as it is.
  }
}
