// Where control goes: an instrument prints every step of every task and every time the loop
// idles, and the call graph shows who waits on whom. Run: node --import tsx examples/where-control-goes.ts
import {
  createTask,
  currentTask,
  formatCallGraph,
  getRunningLoop,
  Lock,
  runSync,
  sleep,
  type Coroutine,
  type Instrument,
  type Task,
} from '../src/index.ts';

function* worker(name: string, lock: Lock, ms: number): Coroutine<string> {
  yield* lock.acquire();
  try {
    yield* sleep(ms); // holds the lock while "working"
  } finally {
    lock.release();
  }
  return `${name} done`;
}

function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  currentTask()?.setName('main');
  const t0 = loop.time();
  const at = (): string => `t=${String(loop.time() - t0).padStart(3)}`;
  const tracer: Instrument = {
    taskSpawned: (task) => console.log(`${at()}  spawn  ${task.getName()}`),
    beforeTaskStep: (task) => console.log(`${at()}  step → ${task.getName()}`),
    taskExited: (task) => console.log(`${at()}  exit   ${task.getName()}: ${String(task.result())}`),
    beforeIdle: (timeout) => console.log(`${at()}  idle   nothing ready: time jumps ${timeout} ms`),
  };
  loop.addInstrument(tracer);

  const lock = new Lock();
  const a = createTask(worker('a', lock, 100), { name: 'a' });
  const b = createTask(worker('b', lock, 50), { name: 'b' });
  yield* sleep(10);
  console.log('--- call graph of b while it waits for the lock a holds:');
  console.log(formatCallGraph(b as Task<unknown>));
  console.log('---');
  yield* a;
  yield* b;
  loop.removeInstrument(tracer);
}

export function runExample(): void {
  runSync(main, { clock: 'virtual' });
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) runExample();
