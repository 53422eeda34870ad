/**
 * The task table and await tree of the running loops, for `yieldio ps` / `yieldio pstree`
 * (yieldio/node serves them to another process) and for printing from inside a program.
 * @asyncio asyncio.tools (3.14: `python -m asyncio ps PID`, `pstree PID`)
 * @module
 */
import { activeLoops } from './events.ts';
import { Task } from './tasks.ts';
import type { EventLoop } from './base-events.ts';
import { awaitTarget, describeScopes, describeWait } from './internal/awaits.ts';
import { taskCreatedAt } from './internal/creations.ts';

/** One row of `yieldio ps`. */
export interface TaskRow {
  /** Which running loop (1-based, in the order they started running). */
  readonly loop: number;
  readonly name: string;
  /** `pending` or, for the task whose step is on the stack, `running`. */
  readonly state: string;
  /**
   * Loop time since the task was created, in ms; null when not recorded (creation times are kept
   * only in debug mode and while `yieldio ps` serves the loop).
   */
  readonly age: number | null;
  /** What it waits for in words (`sleep(300) until t=450`, `Lock.acquire() on ...`), `ready` if scheduled. */
  readonly awaits: string;
  /** The blocks it is inside (`timeout(500) expires at t=600`, `TaskGroup(...)`). */
  readonly scopes: readonly string[];
  /** The names of the tasks waiting on it. */
  readonly awaitedBy: readonly string[];
}

function awaitedTasks(task: Task<unknown>): Task<unknown>[] {
  const waiter = task._futWaiter;
  if (waiter === null) return [];
  if (waiter instanceof Task) return [waiter];
  // A gather or a TaskGroup exit: the tasks behind it.
  const children = (waiter as { _children?: unknown })._children;
  if (Array.isArray(children)) return children.filter((c): c is Task<unknown> => c instanceof Task && !c.done());
  const target = awaitTarget(waiter);
  if (target !== null && target.op === 'TaskGroup.aexit') {
    return [...(target.target as { _tasks: Iterable<Task<unknown>> })._tasks].filter((c) => !c.done());
  }
  return [];
}

function rowsOf(loop: EventLoop, index: number): { rows: TaskRow[]; edges: Map<Task<unknown>, Task<unknown>[]> } {
  const tasks = [...loop._tasks];
  const edges = new Map<Task<unknown>, Task<unknown>[]>();
  for (const task of tasks) edges.set(task, awaitedTasks(task));
  const rows = tasks.map((task) => {
    const by = tasks.filter((t) => (edges.get(t) as Task<unknown>[]).includes(task)).map((t) => t.getName());
    const waiting = describeWait(task);
    const running = loop._currentTask === task;
    const created = taskCreatedAt(task);
    return {
      loop: index,
      name: task.getName(),
      state: running ? 'running' : 'pending',
      age: created !== null ? loop.time() - created : null,
      awaits: waiting ?? (running ? '-' : 'ready'),
      scopes: describeScopes(task),
      awaitedBy: by,
    };
  });
  return { rows, edges };
}

/**
 * The unfinished tasks of every running loop (or of `loop`): name, state, what each awaits, the
 * blocks it is inside, who awaits it.
 * @asyncio the data of `python -m asyncio ps PID` (3.14)
 */
export function taskTable(loop?: EventLoop): TaskRow[] {
  const loops = loop !== undefined ? [loop] : [...activeLoops];
  return loops.flatMap((l, i) => rowsOf(l, i + 1).rows);
}

// An age as a person reads it: `450ms`, `12.5s`; `-` when not recorded.
function formatAge(ms: number | null): string {
  if (ms === null) return '-';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** The table as text, one task a line, as `python -m asyncio ps` prints it. */
export function formatTaskTable(rows: readonly TaskRow[]): string {
  const head = ['loop', 'task', 'state', 'age', 'awaits', 'awaited by'];
  const body = rows.map((r) => [String(r.loop), r.name, r.state, formatAge(r.age), [...r.scopes, r.awaits].join(' > '), r.awaitedBy.join(', ') || '-']);
  const widths = head.map((h, i) => Math.min(80, Math.max(h.length, ...body.map((b) => (b[i] as string).length))));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/**
 * The await tree of every running loop (or of `loop`): each task awaited by no other task is a
 * root; below a task, the tasks it awaits (directly, or through a gather), each with what it waits for.
 * @asyncio the output of `python -m asyncio pstree PID` (3.14)
 */
export function formatTaskTree(loop?: EventLoop): string {
  const loops = loop !== undefined ? [loop] : [...activeLoops];
  const lines: string[] = [];
  loops.forEach((l, i) => {
    const { edges } = rowsOf(l, i + 1);
    const awaited = new Set<Task<unknown>>();
    for (const list of edges.values()) for (const t of list) awaited.add(t);
    if (loops.length > 1) lines.push(`loop ${i + 1}`);
    const seen = new Set<Task<unknown>>();
    const walk = (task: Task<unknown>, prefix: string, last: boolean, root: boolean): void => {
      const leaf = describeWait(task);
      const waitsOn = task._futWaiter;
      const what = leaf !== null && !(waitsOn instanceof Task) ? ` ← ${leaf}` : '';
      lines.push(`${prefix}${root ? '' : last ? '└── ' : '├── '}(T) ${task.getName()}${what}`);
      if (seen.has(task)) return;
      seen.add(task);
      const children = edges.get(task) ?? [];
      const inner = root ? prefix : prefix + (last ? '    ' : '│   ');
      children.forEach((child, k) => walk(child, inner, k === children.length - 1, false));
    };
    for (const task of edges.keys()) if (!awaited.has(task)) walk(task, '', true, true);
  });
  return lines.join('\n');
}
