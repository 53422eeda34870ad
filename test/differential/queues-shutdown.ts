// Twin of queues-shutdown.py.
import {
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueShutDown,
  createTask,
  gather,
  runSync,
  sleep,
  type Coroutine,
  type Task,
} from '../../src/index.ts';

type Log = (line: string) => void;

/** Python's repr for the values this trace prints. */
function pyRepr(value: unknown): string {
  if (value === undefined || value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return String(value);
}

function* tick(n = 1): Coroutine<void> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}

function outcome(task: Task<unknown>): string {
  if (task.cancelled()) return 'cancelled';
  const exc = task.exception();
  if (exc !== null) return (exc as Error).name;
  return `ok ${task.result() === undefined ? 'None' : String(task.result())}`;
}

function* orderPart(log: Log): Coroutine<void> {
  for (const Cls of [Queue, LifoQueue, PriorityQueue]) {
    const q = new Cls<number>();
    for (const x of [3, 1, 2]) q.putNowait(x);
    log(`${Cls.name}: ${pyRepr([q.getNowait(), q.getNowait(), q.getNowait()])}`);
  }
  const pq = new PriorityQueue<unknown[]>();
  for (const item of [[2, 'b'], [1, 'z'], [1, 'a'], [1]]) pq.putNowait(item);
  log(`tuples: ${pyRepr([pq.getNowait(), pq.getNowait(), pq.getNowait(), pq.getNowait()])}`);
}

function* racePart(log: Log): Coroutine<void> {
  const q = new Queue<string>(1);
  const getters = [0, 1, 2].map(() => createTask(q.get()));
  yield* tick();
  q.putNowait('a');
  getters[0]?.cancel(); // woken, then cancelled before it runs
  yield* tick(3);
  log(`getters: ${pyRepr(getters.map((g) => (g.done() ? outcome(g) : 'pending')))} qsize=${q.qsize()}`);
  q.putNowait('b');
  yield* tick(2);
  q.putNowait('c');
  const putters = ['d', 'e'].map((x) => createTask(q.put(x)));
  yield* tick();
  log(`got ${q.getNowait()} full=${pyRepr(q.full())}`);
  putters[0]?.cancel();
  yield* tick(3);
  log(`putters: ${pyRepr(putters.map(outcome))} items=${q.getNowait()} empty=${pyRepr(q.empty())}`);
}

function* joinPart(log: Log): Coroutine<void> {
  const q = new Queue<number>(2);
  const done: number[] = [];
  function* worker(name: string): Coroutine<void> {
    for (;;) {
      let item: number;
      try {
        item = yield* q.get();
      } catch (e) {
        if (!(e instanceof QueueShutDown)) throw e;
        log(`worker ${name} sees shutdown`);
        return;
      }
      yield* sleep(0);
      done.push(item);
      q.taskDone();
    }
  }
  const workers = ['A', 'B'].map((n) => createTask(worker(n)));
  for (let i = 0; i < 6; i++) yield* q.put(i);
  yield* q.join();
  log(`joined: ${pyRepr([...done].sort((a, b) => a - b))}`);
  q.shutdown();
  yield* gather(workers);
  try {
    q.taskDone();
  } catch (e) {
    if (e instanceof RangeError) log('task_done: refused');
  }
}

function* shutdownPart(log: Log): Coroutine<void> {
  const q = new Queue<number>(2);
  q.putNowait(1);
  q.putNowait(2);
  const putters = [3, 4].map((x) => createTask(q.put(x)));
  yield* tick();
  q.shutdown();
  yield* tick();
  log(`putters after shutdown: ${pyRepr(putters.map(outcome))}`);
  log(`drain: ${yield* q.get()} ${q.getNowait()}`);
  try {
    yield* q.get();
  } catch (e) {
    if (e instanceof QueueShutDown) log('get on empty shut-down queue: QueueShutDown');
  }
  try {
    q.putNowait(5);
  } catch (e) {
    if (e instanceof QueueShutDown) log('put_nowait after shutdown: QueueShutDown');
  }

  const q2 = new Queue<string>(1);
  q2.putNowait('x');
  const putter = createTask(q2.put('y'));
  const empty = new Queue<string>();
  const getters = [0, 1].map(() => createTask(empty.get()));
  const joiner = createTask(q2.join());
  yield* tick();
  q2.shutdown(true);
  empty.shutdown(true);
  yield* tick(2);
  log(
    `immediate: putter=${outcome(putter)} getters=${pyRepr(getters.map(outcome))} ` +
      `qsize=${q2.qsize()} unfinished=${q2._unfinishedTasks} joined=${pyRepr(joiner.done())}`,
  );
}

export default function main(log: Log): void {
  runSync(function* () {
    yield* orderPart(log);
    yield* racePart(log);
    yield* joinPart(log);
    yield* shutdownPart(log);
  });
}
