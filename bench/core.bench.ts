/**
 * Issue 3's workloads: context switch, spawn+join, timers. yieldio first, then the anchors:
 * a raw generator round-robin loop (the physical limit of generators in JS), native async
 * functions, setImmediate, setTimeout. The asyncio twins are in core.py.
 */
import type { BenchGroup } from './harness.ts';
import { run, runSync, sleep, createTask, type Coroutine, type Task } from '../src/index.ts';
import { run as effectionRun, spawn as effectionSpawn, sleep as effectionSleep, type Operation, type Task as EffectionTask } from 'effection';
import { Effect, Fiber } from 'effect';

declare const setImmediate: (cb: () => void) => unknown;

// ------------------------------------------------------------------ context switch

function* switcher(n: number): Coroutine<void> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}

function* spawnSwitchers(tasks: number, n: number): Coroutine<void> {
  const all: Task<void>[] = [];
  for (let i = 0; i < tasks; i++) all.push(createTask(switcher(n)));
  for (const t of all) yield* t;
}

/** The limit: generators that `yield`, resumed round-robin from an array queue. */
function rawRoundRobin(tasks: number, n: number): void {
  function* gen(): Generator<undefined, void, unknown> {
    for (let i = 0; i < n; i++) yield;
  }
  let queue: Generator<undefined, void, unknown>[] = [];
  for (let i = 0; i < tasks; i++) queue.push(gen());
  while (queue.length > 0) {
    const next: Generator<undefined, void, unknown>[] = [];
    for (const g of queue) if (!g.next().done) next.push(g);
    queue = next;
  }
}

// The same loop, but each switch is `yield*` of a stateless iterator, the shape `yield* sleep(0)`
// has: the cost of the syntax alone, with no scheduler around it.
const S0 = {};
const R0 = Symbol('resume');
const y0 = { value: S0, done: false };
const d0 = { value: undefined, done: true };
const it0 = {
  next: (v?: unknown) => (v === R0 ? d0 : y0),
  throw(e: unknown): never {
    throw e;
  },
  return: (v: unknown) => ({ value: v, done: true }),
  [Symbol.iterator]() {
    return this;
  },
} as unknown as Iterable<typeof S0>;

function rawRoundRobinDelegating(tasks: number, n: number): void {
  function* gen(): Generator<unknown, void, unknown> {
    for (let i = 0; i < n; i++) yield* it0;
  }
  let queue: Generator<unknown, void, unknown>[] = [];
  for (let i = 0; i < tasks; i++) queue.push(gen());
  while (queue.length > 0) {
    const next: Generator<unknown, void, unknown>[] = [];
    for (const g of queue) if (!g.next(R0).done) next.push(g);
    queue = next;
  }
}

async function nativeAwait(tasks: number, n: number): Promise<void> {
  async function worker(): Promise<void> {
    for (let i = 0; i < n; i++) await null;
  }
  const all: Promise<void>[] = [];
  for (let i = 0; i < tasks; i++) all.push(worker());
  await Promise.all(all);
}

function viaSetImmediate(tasks: number, n: number): Promise<void> {
  return new Promise((resolve) => {
    let live = tasks;
    const step = (left: number): void => {
      if (left === 0) {
        if (--live === 0) resolve();
        return;
      }
      setImmediate(() => step(left - 1));
    };
    for (let i = 0; i < tasks; i++) step(n);
  });
}

// Peers, idiomatic: Effection v4 (structured concurrency on generators; its sleep(0) is a
// setTimeout, it has no cheaper yield) and Effect (fibers; Effect.yieldNow is its switch).
function effectionSwitch(tasks: number, n: number): Promise<void> {
  return effectionRun(function* (): Operation<void> {
    const all: EffectionTask<void>[] = [];
    for (let i = 0; i < tasks; i++) {
      all.push(
        yield* effectionSpawn(function* (): Operation<void> {
          for (let j = 0; j < n; j++) yield* effectionSleep(0);
        }),
      );
    }
    for (const t of all) yield* t;
  });
}

function effectSwitch(tasks: number, n: number): Promise<unknown> {
  const worker = Effect.gen(function* () {
    for (let j = 0; j < n; j++) yield* Effect.yieldNow;
  });
  return Effect.runPromise(Effect.forEach(Array.from({ length: tasks }), () => worker, { concurrency: 'unbounded', discard: true }));
}

function switchGroup(id: string, tasks: number, n: number): BenchGroup {
  return {
    id,
    title: `Context switch: ${tasks.toLocaleString('en-US')} tasks × ${n.toLocaleString('en-US')} \`yield* sleep(0)\``,
    ops: tasks * n,
    opName: 'switches',
    target: '≤ 1.1× the `yield*` raw loop and ≤ 0.8× native `await`, cold and warm (the bare-`yield` loop is the floor of generators; the `yield*` loop is the floor of this syntax).',
    cases: [
      { name: 'yieldio runSync()', run: () => runSync(spawnSwitchers(tasks, n)) },
      { name: 'yieldio run()', run: () => run(spawnSwitchers(tasks, n)) },
      { name: 'raw generator round-robin, bare `yield`', run: () => rawRoundRobin(tasks, n) },
      { name: 'raw generator round-robin, `yield*` iterator', run: () => rawRoundRobinDelegating(tasks, n) },
      { name: 'native async, await null', run: () => nativeAwait(tasks, n) },
      { name: 'setImmediate chain', run: () => viaSetImmediate(tasks, n) },
      // A setTimeout per switch: ~20 s cold on 1,000 × 1,000, so one warm repetition only.
      { name: 'Effection v4: spawn + sleep(0)', run: () => effectionSwitch(tasks, n), repeat: 1, slow: true },
      { name: 'Effect: forEach unbounded + yieldNow', run: () => effectSwitch(tasks, n) },
    ],
  };
}

// ------------------------------------------------------------------ spawn and join

const SPAWN = 1_000_000;

function* once(): Coroutine<void> {
  yield* sleep(0);
}

function* spawnJoin(n: number): Coroutine<void> {
  const all = new Array<Task<void>>(n);
  for (let i = 0; i < n; i++) all[i] = createTask(once());
  for (let i = 0; i < n; i++) yield* all[i] as Task<void>;
}

async function nativeSpawnJoin(n: number): Promise<void> {
  async function one(): Promise<void> {
    await null;
  }
  const all = new Array<Promise<void>>(n);
  for (let i = 0; i < n; i++) all[i] = one();
  await Promise.all(all);
}

function effectionSpawnJoin(n: number): Promise<void> {
  return effectionRun(function* (): Operation<void> {
    const all = new Array<EffectionTask<void>>(n);
    for (let i = 0; i < n; i++) {
      all[i] = yield* effectionSpawn(function* (): Operation<void> {
        yield* effectionSleep(0);
      });
    }
    for (let i = 0; i < n; i++) yield* all[i] as EffectionTask<void>;
  });
}

function effectSpawnJoin(n: number): Promise<unknown> {
  return Effect.runPromise(
    Effect.gen(function* () {
      const fibers = new Array<Fiber.Fiber<void>>(n);
      for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(Effect.yieldNow);
      for (let i = 0; i < n; i++) yield* Fiber.join(fibers[i] as Fiber.Fiber<void>);
    }),
  );
}

// ------------------------------------------------------------------ timers

const TIMERS = 100_000;
const MAX_DELAY = 1000;
// A fixed pseudo-random sequence, the same in every process (and in core.py).
function delays(): number[] {
  let x = 12345;
  const out = new Array<number>(TIMERS);
  for (let i = 0; i < TIMERS; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out[i] = (x / 2147483648) * MAX_DELAY;
  }
  return out;
}

// The metric for real clocks: how long after the last deadline the last timer's work is
// done, task creation included: every deadline counts from the moment before the first task (or
// timer) is made, so the time spent making 100,000 of them is part of the overhead.
const lastDelay = (ds: number[]): number => ds.reduce((a, b) => Math.max(a, b), 0);

function* sleeper(ms: number): Coroutine<void> {
  yield* sleep(ms);
}

function* timers(ds: number[]): Coroutine<void> {
  const all = ds.map((d) => createTask(sleeper(d)));
  for (const t of all) yield* t;
}

function* timedTimers(ds: number[]): Coroutine<number> {
  const lastDeadline = performance.now() + lastDelay(ds);
  yield* timers(ds);
  return performance.now() - lastDeadline;
}

function overheadOfRun(): Promise<number> {
  return run(timedTimers(delays()));
}

function nativeTimers(ds: number[]): Promise<number> {
  return new Promise((resolve) => {
    let live = ds.length;
    const last = performance.now() + lastDelay(ds);
    for (const d of ds) setTimeout(() => --live === 0 && resolve(performance.now() - last), d);
  });
}

async function nativeSleepers(ds: number[]): Promise<number> {
  const last = performance.now() + lastDelay(ds);
  await Promise.all(ds.map((d) => new Promise<void>((r) => setTimeout(r, d))));
  return performance.now() - last;
}

// ------------------------------------------------------------------ bytes per suspended task

const BYTES_TASKS = 100_000;

function* sleepLong(): Coroutine<void> {
  yield* sleep(1000);
}

/** heapUsed per task with 100,000 tasks suspended in `sleep(1000)`, after full collections. */
function* bytesPerTask(): Coroutine<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('task-bytes needs node --expose-gc (bench/run.ts passes it)');
  // The array is made before the baseline: its slots are not the task's bytes.
  const all = new Array<Task<void> | undefined>(BYTES_TASKS).fill(undefined);
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < BYTES_TASKS; i++) all[i] = createTask(sleepLong());
  yield* sleep(0); // every task has started and is suspended in its sleep
  gc();
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / BYTES_TASKS;
  for (const t of all) yield* t as Task<void>;
  return bytes;
}

export const groups: BenchGroup[] = [
  switchGroup('switch-1000x1000', 1000, 1000),
  switchGroup('switch-100000x10', 100_000, 10),
  {
    id: 'spawn-join-1M',
    title: 'Spawn and join 1,000,000 tasks (each `yield* sleep(0)` once)',
    ops: SPAWN,
    opName: 'tasks',
    target: '≤ 0.6× native async + `Promise.all`; peak RSS ≤ 400 MB.',
    repeat: 3,
    cases: [
      { name: 'yieldio runSync()', run: () => runSync(spawnJoin(SPAWN)) },
      { name: 'yieldio run()', run: () => run(spawnJoin(SPAWN)) },
      { name: 'native async + Promise.all', run: () => nativeSpawnJoin(SPAWN) },
      { name: 'Effection v4: spawn + sleep(0), join', run: () => effectionSpawnJoin(SPAWN), repeat: 1 },
      { name: 'Effect: forkChild + yieldNow, Fiber.join', run: () => effectSpawnJoin(SPAWN) },
    ],
  },
  {
    id: 'task-bytes',
    title: 'Bytes live per suspended task: 100,000 tasks, each suspended in `sleep(1000)` (Task + generator + the pending sleep)',
    ops: BYTES_TASKS,
    opName: 'tasks',
    metric: 'process.memoryUsage().heapUsed after two full collections, minus the baseline, over 100,000',
    unit: 'B',
    target: '≤ 250 B.',
    repeat: 2,
    cases: [{ name: 'yieldio runSync(): tasks in sleep(1000)', run: () => runSync(bytesPerTask()) }],
  },
  {
    id: 'timers-100k',
    title: `100,000 timers at pseudo-random delays in [0, ${MAX_DELAY}) ms, real clock`,
    ops: TIMERS,
    opName: 'timers',
    metric: 'overhead past the last deadline: when the last timer\'s work is done, minus the latest deadline, every deadline counted from before the first task or timer is made (creation included)',
    target: 'overhead past the last deadline (task creation included) ≤ the same with `setTimeout`.',
    repeat: 3,
    cases: [
      { name: 'yieldio run(): tasks that sleep', run: overheadOfRun },
      { name: 'setTimeout callbacks', run: () => nativeTimers(delays()) },
      { name: 'native async: a Promise per setTimeout', run: () => nativeSleepers(delays()) },
    ],
  },
  {
    id: 'timers-100k-virtual',
    title: '100,000 tasks sleeping pseudo-random delays in [0, 1000) ms, virtual clock (runSync): total time',
    ops: TIMERS,
    opName: 'timers',
    target: '< 100 ms wall in total.',
    repeat: 3,
    cases: [{ name: 'yieldio runSync() (virtual clock)', run: () => runSync(timers(delays())) }],
  },
];
