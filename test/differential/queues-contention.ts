// Twin of queues-contention.py: who gets which item, and when, under contention (woken waiters
// that find the queue full/empty again re-wait at the back), and cancellation of woken waiters.
import { CancelledError, Queue, createTask, gather, runSync, sleep, type Coroutine, type Task } from '../../src/index.ts';

type Log = (line: string) => void;

function pyList(items: string[]): string {
  return `[${items.map((s) => `'${s}'`).join(', ')}]`;
}

function* contention(log: Log, producers: number, consumers: number, maxsize: number, items: number): Coroutine<void> {
  const q = new Queue<string | null>(maxsize);
  const got: string[] = [];
  function* producer(p: number): Coroutine<void> {
    for (let i = 0; i < items; i++) {
      yield* q.put(`p${p}-${i}`);
      got.push(`P${p}`);
    }
  }
  function* consumer(c: number): Coroutine<void> {
    for (;;) {
      const item = yield* q.get();
      if (item === null) return;
      got.push(`C${c}:${item}`);
    }
  }
  const cs: Task<void>[] = [];
  for (let c = 0; c < consumers; c++) cs.push(createTask(consumer(c)));
  const ps: Task<void>[] = [];
  for (let p = 0; p < producers; p++) ps.push(createTask(producer(p)));
  for (const p of ps) yield* p;
  for (let c = 0; c < consumers; c++) yield* q.put(null);
  for (const c of cs) yield* c;
  log(`${producers}x${consumers} maxsize=${maxsize}: ${got.join(' ')}`);
}

function* wokenGetterCancelled(log: Log): Coroutine<void> {
  const q = new Queue<string>();
  const results: string[] = [];
  function* getter(name: string): Coroutine<void> {
    try {
      results.push(`${name} got ${yield* q.get()}`);
    } catch (error) {
      if (error instanceof CancelledError) results.push(`${name} cancelled`);
      throw error;
    }
  }
  const g1 = createTask(getter('g1'));
  const g2 = createTask(getter('g2'));
  yield* sleep(0);
  q.putNowait('x'); // wakes g1
  g1.cancel(); // before g1 runs: the item must go to g2
  yield* gather([g1, g2], { returnExceptions: true });
  log(`woken getter cancelled: ${pyList(results)} qsize=${q.qsize()}`);
}

function* wokenPutterCancelled(log: Log): Coroutine<void> {
  const q = new Queue<string>(1);
  q.putNowait('a');
  const results: string[] = [];
  function* putter(name: string): Coroutine<void> {
    try {
      yield* q.put(name);
      results.push(`${name} put`);
    } catch (error) {
      if (error instanceof CancelledError) results.push(`${name} cancelled`);
      throw error;
    }
  }
  const p1 = createTask(putter('p1'));
  const p2 = createTask(putter('p2'));
  yield* sleep(0);
  results.push(`took ${q.getNowait()}`); // wakes p1
  p1.cancel(); // before p1 runs: the slot must go to p2
  yield* gather([p1, p2], { returnExceptions: true });
  const items: string[] = [];
  while (q.qsize() > 0) items.push(q.getNowait());
  log(`woken putter cancelled: ${pyList(results)} items=${pyList(items)}`);
}

function* waitingCancelled(log: Log): Coroutine<void> {
  const q = new Queue<number>(1);
  const g = createTask(q.get());
  yield* sleep(0);
  g.cancel();
  yield* gather([g], { returnExceptions: true });
  q.putNowait(1);
  const p = createTask(q.put(2));
  yield* sleep(0);
  p.cancel();
  yield* gather([p], { returnExceptions: true });
  const py = (b: boolean): string => (b ? 'True' : 'False');
  log(`cancelled while waiting: get ${py(g.cancelled())}, put ${py(p.cancelled())}, qsize=${q.qsize()}, item=${q.getNowait()}`);
}

function* barging(log: Log): Coroutine<void> {
  // A woken getter loses the item to a get that runs first, and waits again behind the others.
  const q = new Queue<number>();
  const order: string[] = [];
  function* getter(name: string): Coroutine<void> {
    order.push(`${name}:${yield* q.get()}`);
  }
  const ts = ['a', 'b'].map((n) => createTask(getter(n)));
  yield* sleep(0);
  q.putNowait(1); // wakes a
  order.push(`main:${q.getNowait()}`); // main takes it first
  q.putNowait(2); // wakes b (a is done, not in the list any more)
  yield* sleep(0);
  q.putNowait(3);
  yield* gather(ts);
  log(`barging: ${pyList(order)}`);
}

export default function main(log: Log): void {
  runSync(
    (function* (): Coroutine<void> {
      yield* contention(log, 3, 3, 2, 4);
      yield* contention(log, 1, 3, 1, 5);
      yield* contention(log, 3, 1, 1, 3);
      yield* contention(log, 2, 2, 0, 3);
      yield* wokenGetterCancelled(log);
      yield* wokenPutterCancelled(log);
      yield* waitingCancelled(log);
      yield* barging(log);
    })(),
  );
}
