/**
 * Child of task-bytes.test.ts (run under --expose-gc): counts the heap bytes live per suspended
 * task (the Task, its generator, one pending sleep and its timer entry) over 100,000 tasks and
 * prints one JSON line `{ "bytesPerTask": n }`.
 */
import { EventLoop } from '../../src/base-events.ts';
import { createTask, sleep } from '../../src/tasks.ts';
import type { Task } from '../../src/tasks.ts';
import type { Coroutine } from '../../src/types.ts';

const N = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (typeof gc !== 'function') throw new Error('task-bytes.child.ts needs --expose-gc');

function heapUsed(): number {
  (gc as () => void)();
  (gc as () => void)();
  return process.memoryUsage().heapUsed;
}

function* sleeper(): Coroutine<void> {
  yield* sleep(1_000_000);
}

let bytesPerTask = 0;
function* main(): Coroutine<void> {
  // Made before the baseline, so the array that keeps the tasks alive is not counted.
  const tasks = new Array<Task<void> | null>(N).fill(null);
  // A first round of tasks grows the loop's timer heap and ready queue to size: capacity that
  // stays allocated is the loop's, not a task's.
  for (let i = 0; i < N; i++) tasks[i] = createTask(sleeper());
  yield* sleep(0);
  for (let i = 0; i < N; i++) (tasks[i] as Task<void>).cancel();
  yield* sleep(0);
  tasks.fill(null);
  const before = heapUsed();
  for (let i = 0; i < N; i++) tasks[i] = createTask(sleeper());
  yield* sleep(0); // one iteration: every task has run its first step and sleeps
  const after = heapUsed();
  bytesPerTask = (after - before) / N;
  for (let i = 0; i < N; i++) (tasks[i] as Task<void>).cancel();
  yield* sleep(0);
}

const loop = new EventLoop({ clock: 'virtual' });
loop.runUntilCompleteSync(main());
loop.close();
console.log(JSON.stringify({ bytesPerTask }));
