// Twin of locks-fairness.py.
import {
  Barrier,
  BoundedSemaphore,
  BrokenBarrierError,
  CancelledError,
  Condition,
  Lock,
  RuntimeError,
  Semaphore,
  asyncWith,
  createTask,
  gather,
  runSync,
  sleep,
  type Coroutine,
} from '../../src/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

function* tick(n = 1): Coroutine<void> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}

function* lockPart(log: Log): Coroutine<void> {
  const lock = new Lock();
  yield* lock.acquire();
  function* waiter(name: string): Coroutine<void> {
    try {
      yield* lock.acquire();
    } catch (e) {
      if (e instanceof CancelledError) log(`lock ${name} cancelled, locked=${py(lock.locked())}`);
      throw e;
    }
    log(`lock ${name} acquired`);
    yield* sleep(0);
    lock.release();
    log(`lock ${name} released`);
  }
  const tasks = ['a', 'b', 'c', 'd'].map((n) => createTask(waiter(n)));
  yield* tick();
  lock.release();
  tasks[0]?.cancel(); // woken and cancelled in the same iteration
  const newcomer = createTask(waiter('new'));
  yield* gather([...tasks, newcomer], { returnExceptions: true });
  log(`lock done locked=${py(lock.locked())}`);
}

function* semaphorePart(log: Log): Coroutine<void> {
  const sem = new Semaphore(0);
  function* worker(n: number): Coroutine<void> {
    try {
      yield* sem.acquire();
      log(`sem ${n} acquired value=${sem._value}`);
    } catch (e) {
      if (e instanceof CancelledError) log(`sem ${n} cancelled`);
      throw e;
    }
  }
  const tasks = [0, 1, 2, 3].map((n) => createTask(worker(n)));
  yield* tick();
  sem.release();
  sem.release();
  tasks[0]?.cancel();
  yield* tick(4);
  log(`sem value=${sem._value} locked=${py(sem.locked())}`);
  sem.release();
  yield* gather(tasks, { returnExceptions: true });
  const bounded = new BoundedSemaphore(1);
  try {
    bounded.release();
  } catch (e) {
    if (e instanceof RangeError) log(`bounded: ${e.message}`);
  }
}

function* conditionPart(log: Log): Coroutine<void> {
  const cond = new Condition();
  function* waiter(name: string): Coroutine<void> {
    yield* asyncWith(cond, function* () {
      try {
        yield* cond.wait();
        log(`cond ${name} woke, locked=${py(cond.locked())}`);
      } catch (e) {
        if (e instanceof CancelledError) log(`cond ${name} cancelled, locked=${py(cond.locked())}`);
        throw e;
      }
    });
  }
  const tasks = ['x', 'y', 'z'].map((n) => createTask(waiter(n)));
  yield* tick(2);
  yield* asyncWith(cond, function* () {
    cond.notify(1);
    tasks[0]?.cancel();
  });
  yield* tick(6);
  yield* asyncWith(cond, function* () {
    cond.notifyAll();
  });
  yield* gather(tasks, { returnExceptions: true });
  try {
    yield* cond.wait();
  } catch (e) {
    if (e instanceof RuntimeError) log(`cond: ${e.message}`);
  }
}

function* barrierPart(log: Log): Coroutine<void> {
  const barrier = new Barrier(3);
  function* party(name: string): Coroutine<void> {
    try {
      const index = yield* barrier.wait();
      log(`barrier ${name} index=${index}`);
    } catch (e) {
      if (!(e instanceof BrokenBarrierError)) throw e;
      log(`barrier ${name} broken: ${e.message}`);
    }
  }
  yield* gather(['p', 'q', 'r'].map((n) => createTask(party(n))));
  const tasks = ['s', 't'].map((n) => createTask(party(n)));
  yield* tick(3);
  log(`n_waiting=${barrier.nWaiting}`);
  yield* barrier.reset();
  yield* gather(tasks);
  yield* barrier.abort();
  log(`broken=${py(barrier.broken)}`);
  yield* party('late');
  yield* barrier.reset();
  log(`broken=${py(barrier.broken)} n_waiting=${barrier.nWaiting} parties=${barrier.parties}`);
}

export default function main(log: Log): void {
  runSync(function* () {
    yield* lockPart(log);
    yield* semaphorePart(log);
    yield* conditionPart(log);
    yield* barrierPart(log);
  });
}
