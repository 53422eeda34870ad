/**
 * Issue 5's workloads: producer/consumer through a bounded `Queue(100)` with 1, 10 and 100
 * producers and as many consumers (1,000,000 items in all), and a Lock handed off among 1,000
 * contending tasks. Side by side with asyncio (locks-queues.py), p-queue (queue) and
 * async-mutex (lock).
 *
 * p-queue is a promise-based job queue, not a channel, so its fairest equivalent of "bounded
 * buffer of 100 + N consumers" is: concurrency = N consumers, and each producer waits for
 * `onSizeLessThan(100)` (backpressure: at most 100 items waiting) before `add`ing the item as a
 * job that consumes it. Both sides then do the same work per item: one enqueue with
 * backpressure, one dequeue by a consumer, one add to a sum.
 */
import PQueue from 'p-queue';
import { Mutex } from 'async-mutex';
import type { BenchGroup } from './harness.ts';
import { Lock, Queue, createTask, run, runSync, sleep, type Coroutine, type Task } from '../src/index.ts';

const ITEMS = 1_000_000;
const MAXSIZE = 100;
const EXPECTED = (ITEMS * (ITEMS - 1)) / 2;

function check(sum: number, expected: number): void {
  if (sum !== expected) throw new Error(`wrong sum ${sum}, expected ${expected}`);
}

// ------------------------------------------------------------------------ producer/consumer

function* producerConsumer(workers: number): Coroutine<void> {
  const queue = new Queue<number>(MAXSIZE);
  const perProducer = ITEMS / workers;
  let sum = 0;
  function* producer(base: number): Coroutine<void> {
    const end = base + perProducer;
    for (let i = base; i < end; i++) yield* queue.put(i);
  }
  function* consumer(): Coroutine<void> {
    for (;;) {
      const item = yield* queue.get();
      if (item < 0) return; // one sentinel per consumer
      sum += item;
    }
  }
  const consumers: Task<void>[] = [];
  for (let c = 0; c < workers; c++) consumers.push(createTask(consumer()));
  const producers: Task<void>[] = [];
  for (let p = 0; p < workers; p++) producers.push(createTask(producer(p * perProducer)));
  for (const p of producers) yield* p;
  for (let c = 0; c < workers; c++) yield* queue.put(-1);
  for (const c of consumers) yield* c;
  check(sum, EXPECTED);
}

async function pQueueProducerConsumer(workers: number): Promise<void> {
  const pq = new PQueue({ concurrency: workers });
  const perProducer = ITEMS / workers;
  let sum = 0;
  async function producer(base: number): Promise<void> {
    const end = base + perProducer;
    for (let i = base; i < end; i++) {
      if (pq.size >= MAXSIZE) await pq.onSizeLessThan(MAXSIZE);
      const item = i;
      void pq.add(() => {
        sum += item;
      });
    }
  }
  const producers: Promise<void>[] = [];
  for (let p = 0; p < workers; p++) producers.push(producer(p * perProducer));
  await Promise.all(producers);
  await pq.onIdle();
  check(sum, EXPECTED);
}

// ------------------------------------------------------------------------------ lock handoff

const LOCK_TASKS = 1000;
const LOCK_ROUNDS = 500; // 500,000 acquisitions, each a handoff to the next waiter

function* lockHandoff(): Coroutine<void> {
  const lock = new Lock();
  let count = 0;
  function* worker(): Coroutine<void> {
    for (let r = 0; r < LOCK_ROUNDS; r++) {
      yield* lock.acquire();
      try {
        count++;
        yield* sleep(0); // hold the lock across a scheduler trip: everyone else queues up
      } finally {
        lock.release();
      }
    }
  }
  const tasks: Task<void>[] = [];
  for (let t = 0; t < LOCK_TASKS; t++) tasks.push(createTask(worker()));
  for (const t of tasks) yield* t;
  check(count, LOCK_TASKS * LOCK_ROUNDS);
}

async function asyncMutexHandoff(): Promise<void> {
  const mutex = new Mutex();
  let count = 0;
  async function worker(): Promise<void> {
    for (let r = 0; r < LOCK_ROUNDS; r++) {
      const release = await mutex.acquire();
      try {
        count++;
        await Promise.resolve(); // hold the lock across a scheduler trip (a microtask)
      } finally {
        release();
      }
    }
  }
  const workers: Promise<void>[] = [];
  for (let t = 0; t < LOCK_TASKS; t++) workers.push(worker());
  await Promise.all(workers);
  check(count, LOCK_TASKS * LOCK_ROUNDS);
}

function queueGroup(workers: number): BenchGroup {
  return {
    id: `queue-pc-${workers}x${workers}`,
    title: `Queue(100): ${workers} producer(s) → ${workers} consumer(s), 1,000,000 items (p-queue: concurrency ${workers}, producers wait for onSizeLessThan(100) before add)`,
    ops: ITEMS,
    opName: 'item',
    target: workers === 10 ? '≥ 12× asyncio (issue 12); ahead of p-queue.' : '≥ 10× asyncio, ahead of p-queue.',
    repeat: 3,
    cases: [
      { name: 'yieldio runSync()', run: () => runSync(producerConsumer(workers)) },
      { name: 'yieldio run()', run: () => run(producerConsumer(workers)) },
      { name: 'p-queue', run: () => pQueueProducerConsumer(workers) },
    ],
  };
}

export const groups: BenchGroup[] = [
  queueGroup(1),
  queueGroup(10),
  queueGroup(100),
  {
    id: 'lock-handoff-1000',
    title: 'Lock handed off among 1,000 contending tasks, 500,000 acquisitions (each holder yields once while holding)',
    ops: LOCK_TASKS * LOCK_ROUNDS,
    opName: 'acquire',
    target: '>= 10x asyncio, ahead of async-mutex',
    repeat: 3,
    cases: [
      { name: 'yieldio runSync()', run: () => runSync(lockHandoff()) },
      { name: 'yieldio run()', run: () => run(lockHandoff()) },
      { name: 'async-mutex', run: () => asyncMutexHandoff() },
    ],
  },
];
