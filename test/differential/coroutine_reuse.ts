// Twin of coroutine_reuse.py.
import { CancelledError, RuntimeError, createTask, eagerTaskFactory, gather, getRunningLoop, sleep, runSync } from '../../src/index.ts';
import type { Coroutine, Task } from '../../src/index.ts';

type Log = (line: string) => void;

function* quick(): Coroutine<string> {
  return 'q';
}

function* slow(): Coroutine<string> {
  yield* sleep(10);
  return 's';
}

function* outcome(log: Log, label: string, t: Task<unknown>): Coroutine<void> {
  try {
    log(`${label} returned ${String(yield* t)}`);
  } catch (e) {
    if (e instanceof CancelledError) log(`${label} cancelled`);
    else if (e instanceof RuntimeError) log(`${label} RuntimeError ${e.message.split(':')[0]}`);
    else throw e;
  }
}

function errorName(r: unknown): string {
  return r instanceof Error ? r.name : typeof r;
}

export default function main(log: Log): void {
  runSync(function* () {
    for (const eager of [false, true]) {
      getRunningLoop().setTaskFactory(eager ? eagerTaskFactory : null);
      log(eager ? 'eager' : 'lazy');
      for (const make of [quick, slow]) {
        const c = make();
        const t1 = createTask(c);
        const t2 = createTask(c);
        yield* outcome(log, `${make.name} t2`, t2);
        yield* outcome(log, `${make.name} t1`, t1);
        const t3 = createTask(c);
        yield* outcome(log, `${make.name} t3 (finished)`, t3);
      }
      if (!eager) {
        let c = quick();
        yield* createTask(c);
        let t2 = createTask(c);
        t2.cancel();
        yield* outcome(log, 'finished then cancelled', t2);
        c = slow();
        const t1 = createTask(c);
        t1.cancel();
        t2 = createTask(c);
        yield* outcome(log, 'cancelled first t1', t1);
        yield* outcome(log, 'cancelled first t2', t2);
        // gather wraps a coroutine a task already holds: the task steps first and keeps it.
        c = quick();
        const t0 = createTask(c);
        let g = gather([c], { returnExceptions: true });
        yield* outcome(log, 'task then gather t1', t0);
        log(`task then gather ['${(yield* g).map(errorName).join("', '")}']`);
        // An eager task given gather's coroutine steps before gather's task: it keeps it.
        c = quick();
        g = gather([c], { returnExceptions: true });
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        const te = createTask(c);
        getRunningLoop().setTaskFactory(null);
        yield* outcome(log, 'gather then eager task t2', te);
        log(`gather then eager task ['${(yield* g).map(errorName).join("', '")}']`);
      }
      const c = quick();
      log(`gather ['${(yield* gather([c, c])).join("', '")}']`);
    }
  });
}
