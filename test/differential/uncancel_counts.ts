// Twin of uncancel_counts.py.
import { CancelledError, createTask, currentTask, getRunningLoop, sleep, runSync, type Coroutine, type Task } from '../../src/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

function* stubborn(log: Log): Coroutine<string> {
  for (let i = 0; i < 3; i++) {
    try {
      yield* sleep(50);
      return `slept on try ${i}`;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      const t = currentTask() as Task<unknown>;
      log(`caught ${i} cancelling=${t.cancelling()}`);
      log(`uncancel -> ${t.uncancel()}`);
    }
  }
  return 'gave up';
}

export default function main(log: Log): void {
  runSync(function* () {
    const loop = getRunningLoop();
    const t = createTask(stubborn(log));
    yield* sleep(0);
    log(`cancel -> ${py(t.cancel())} cancelling=${t.cancelling()}`);
    yield* sleep(0);
    log(`after first: cancelling=${t.cancelling()}`);
    log(`cancel -> ${py(t.cancel())} cancel -> ${py(t.cancel())} cancelling=${t.cancelling()}`);
    yield* sleep(0);
    log(`after double: cancelling=${t.cancelling()}`);
    const r = yield* t;
    log(`result=${r} cancelled=${py(t.cancelled())} cancelling=${t.cancelling()}`);

    const fut = loop.createFuture<void>();
    function* waiter(): Coroutine<number> {
      yield* fut;
      return 42;
    }
    const w = createTask(waiter());
    yield* sleep(0);
    fut.setResult();
    log(`cancel -> ${py(w.cancel())} cancelling=${w.cancelling()}`);
    log(`uncancel -> ${w.uncancel()} uncancel again -> ${w.uncancel()}`);
    const wr = yield* w;
    log(`waiter result=${wr} cancelled=${py(w.cancelled())}`);

    function* swallow(): Coroutine<string> {
      try {
        yield* sleep(1000);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
      return 'swallowed';
    }
    const s = createTask(swallow());
    yield* sleep(0);
    s.cancel();
    const sr = yield* s;
    log(`swallow result=${sr} cancelled=${py(s.cancelled())} cancelling=${s.cancelling()}`);
  });
}
