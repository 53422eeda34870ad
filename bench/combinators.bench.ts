/**
 * Issue 4's workloads: gather of 100,000 tasks and a TaskGroup of 100,000 tasks, each task doing
 * `yield* sleep(0)` once, side by side with native async functions (`await null`) + Promise.all.
 * The asyncio twins are in combinators.py.
 */
import type { BenchGroup } from './harness.ts';
import { run, runSync, sleep, createTask, gather, taskGroup, type Coroutine, type Task } from '../src/index.ts';

const N = 100_000;

function* once(): Coroutine<void> {
  yield* sleep(0);
}

/** gather over coroutines, as `asyncio.gather(*[once() for _ in range(N)])`. */
function* gatherCoroutines(n: number): Coroutine<void> {
  const coros: Coroutine<void>[] = new Array(n);
  for (let i = 0; i < n; i++) coros[i] = once();
  yield* gather(coros);
}

/** gather over tasks created first. */
function* gatherTasks(n: number): Coroutine<void> {
  const tasks: Task<void>[] = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = createTask(once());
  yield* gather(tasks);
}

function* group(n: number): Coroutine<void> {
  yield* taskGroup(function* (tg) {
    for (let i = 0; i < n; i++) tg.createTask(once());
  });
}

async function nativeOnce(): Promise<void> {
  await null;
}

async function nativeAll(n: number): Promise<void> {
  const ps: Promise<void>[] = new Array(n);
  for (let i = 0; i < n; i++) ps[i] = nativeOnce();
  await Promise.all(ps);
}


export const groups: BenchGroup[] = [
  {
    id: 'gather-100k',
    title: '`gather` of 100,000 tasks (each `yield* sleep(0)` once)',
    ops: N,
    opName: 'tasks',
    target: 'gather of coroutines ≤ 1.5× native async + `Promise.all` (cold).',
    cases: [
      { name: 'yieldio runSync() gather(coroutines)', run: () => runSync(gatherCoroutines(N)) },
      { name: 'yieldio runSync() gather(tasks)', run: () => runSync(gatherTasks(N)) },
      { name: 'yieldio run() gather(coroutines)', run: () => run(gatherCoroutines(N)) },
      { name: 'native async (await null) + Promise.all', run: () => nativeAll(N) },
    ],
  },
  {
    id: 'taskgroup-100k',
    title: 'TaskGroup of 100,000 tasks (each `yield* sleep(0)` once)',
    ops: N,
    opName: 'tasks',
    target: '≤ 1.2× native async + `Promise.all`.',
    cases: [
      { name: 'yieldio runSync() taskGroup', run: () => runSync(group(N)) },
      { name: 'yieldio run() taskGroup', run: () => run(group(N)) },
      { name: 'native async (await null) + Promise.all', run: () => nativeAll(N) },
    ],
  },
];
