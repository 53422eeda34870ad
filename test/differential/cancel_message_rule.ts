// Twin of cancel_message_rule.py.
import { CancelledError, Event, Queue, createTask, currentTask, gather, getRunningLoop, sleep, runSync, timeout } from '../../src/index.ts';
import type { Coroutine, Future, Task } from '../../src/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

function msg(e: unknown): string {
  const m = (e as Error).message;
  return m === '' ? '<none>' : `'${m}'`;
}

function* outcome(log: Log, label: string, t: Future<unknown>): Coroutine<void> {
  try {
    const r = yield* t;
    log(`${label}: returned '${String(r)}'`);
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log(`${label}: CancelledError ${msg(e)} cancelled=${py(t.cancelled())}`);
  }
}

function* sleeper(): Coroutine<string> {
  yield* sleep(1000);
  return 'slept';
}

function* waiter<T>(aw: Future<T> | Coroutine<T>): Coroutine<T> {
  return yield* aw;
}

export default function main(log: Log): void {
  runSync(function* () {
    const loop = getRunningLoop();
    let t: Task<unknown> = createTask(sleeper());
    yield* sleep(0);
    t.cancel('m26');
    t.cancel('m31');
    yield* outcome(log, 'sleep m26,m31', t);
    t = createTask(sleeper());
    yield* sleep(0);
    t.cancel('m32');
    t.cancel();
    yield* outcome(log, 'sleep m32,none', t);
    t = createTask(sleeper());
    yield* sleep(0);
    t.cancel();
    t.cancel('m33');
    yield* outcome(log, 'sleep none,m33', t);
    t = createTask(sleeper());
    yield* sleep(0);
    t.cancel('stop');
    log(`uncancel -> ${t.uncancel()}`);
    yield* outcome(log, 'sleep cancel+uncancel', t);

    const ev = new Event();
    t = createTask(waiter(ev.wait()));
    yield* sleep(0);
    t.cancel('e1');
    t.cancel('e2');
    yield* outcome(log, 'event e1,e2', t);
    const q = new Queue<number>();
    t = createTask(waiter(q.get()));
    yield* sleep(0);
    t.cancel('q1');
    t.cancel('q2');
    yield* outcome(log, 'queue q1,q2', t);

    let inner: Task<unknown> = createTask(sleeper());
    t = createTask(waiter(inner));
    yield* sleep(0);
    inner.cancel('inner');
    yield* sleep(0);
    t.cancel('outer');
    yield* outcome(log, 'task inner->outer', t);

    const a0 = createTask(sleeper());
    const g0 = gather([a0]);
    t = createTask(waiter(g0));
    yield* sleep(0);
    a0.cancel('inner');
    yield* sleep(0);
    yield* sleep(0);
    log(`gather done ${py(g0.done())}`);
    t.cancel('outer');
    yield* outcome(log, 'gather inner->outer', t);

    function* selfcancel(): Coroutine<void> {
      currentTask()!.cancel('self');
      yield* sleep(1000);
    }
    t = createTask(selfcancel());
    yield* sleep(0);
    t.cancel('second');
    yield* outcome(log, 'self then second (sleep)', t);
    function* selfcancelFut(): Coroutine<void> {
      currentTask()!.cancel('self');
      yield* loop.createFuture<void>();
    }
    t = createTask(selfcancelFut());
    yield* sleep(0);
    t.cancel('second');
    yield* outcome(log, 'self then second (future)', t);
    function* selfcancelUncancel(): Coroutine<void> {
      currentTask()!.cancel('self');
      yield* sleep(2);
    }
    t = createTask(selfcancelUncancel());
    yield* sleep(0);
    log(`uncancel -> ${t.uncancel()}`);
    yield* outcome(log, 'self then uncancel (sleep)', t);
    function* to0(): Coroutine<void> {
      yield* timeout(0, function* () {
        yield* sleep(1000);
      });
    }
    t = createTask(to0());
    yield* sleep(0);
    t.cancel('outside');
    yield* outcome(log, 'timeout(0) then cancel', t);

    let a = createTask(sleeper());
    let b = createTask(sleeper());
    let g = gather([a, b]);
    yield* sleep(0);
    g.cancel('a');
    g.cancel('b');
    yield* outcome(log, 'gather.cancel a,b', g);
    a = createTask(sleeper());
    b = createTask(sleeper());
    g = gather([a, b]);
    yield* sleep(1);
    a.cancel('first');
    g.cancel('second');
    yield* outcome(log, 'gather_cancel_last_child_message', g);
  });
}
