// Twin of misuse.py.
import {
  EventLoop,
  ExceptionGroup,
  GeneratorExit,
  Queue,
  RuntimeError,
  TaskGroup,
  asyncGenerator,
  asyncWith,
  createTask,
  gather,
  getRunningLoop,
  run,
  runSync,
  sleep,
  type AsyncGenBody,
  type Coroutine,
} from '../../src/index.ts';

type Log = (line: string) => void;

function first(e: unknown): string {
  return (e as Error).message.split(':')[0] as string;
}

const foo = asyncGenerator(function* foo() {
  yield 1;
  yield* sleep(10);
  try {
    yield 2;
    yield 3;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    yield 1000;
  }
  yield* sleep(10);
  yield 4;
});

const echo = asyncGenerator(function* echo(): AsyncGenBody<number, void, number> {
  let v = yield 1;
  v = yield v as number;
  yield (v as number) * 100;
});

const two = asyncGenerator(function* two() {
  yield 1;
  yield 2;
});

function* main(log: Log): Coroutine<void> {
  const loop = getRunningLoop();

  const other = new EventLoop({ clock: 'virtual' });
  const fut = other.createFuture<number>();
  fut.addDoneCallback(() => {});
  other.close();
  try {
    fut.setResult(1);
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e;
    log(`closed loop: ${e.name} ${e.message} done ${fut.done() ? 'True' : 'False'}`);
  }
  const quiet = other.createFuture<number>();
  quiet.setResult(2);
  log(`closed loop, no callbacks: ${quiet.result()}`);

  try {
    loop.createFuture().setException('str');
  } catch (e) {
    log(`set_exception str: ${(e as Error).name} ${first(e)}`);
  }

  const t = createTask(sleep(1000));
  yield* sleep(0);
  t.cancel(42 as never);
  try {
    yield* t;
  } catch (e) {
    log(`cancel(42): ${(e as Error).message} ${t.cancelled() ? 'True' : 'False'}`);
  }

  const q = new Queue<number>(1.3);
  q.putNowait(1);
  const f1 = q.full();
  q.putNowait(2);
  log(`Queue(1.3): ${q.maxsize} ${f1 ? 'True' : 'False'} ${q.full() ? 'True' : 'False'}`);

  try {
    new ExceptionGroup('x', [new RangeError('ok'), 1]);
  } catch (e) {
    log(`ExceptionGroup: ${first(e)}`);
  }

  const pending = loop.createFuture<number>();
  const it = pending[Symbol.iterator]();
  it.next();
  try {
    it.next();
  } catch (e) {
    log(`iter: ${(e as Error).name} ${(e as Error).message}`);
  }
  pending.cancel();

  const ran: string[] = [];
  function* job(): Coroutine<void> {
    ran.push('ran');
  }
  const tg = new TaskGroup();
  yield* asyncWith(tg, function* () {});
  const coro = job();
  try {
    tg.createTask(coro);
  } catch (e) {
    const closed = coro.next().done === true && ran.length === 0;
    log(`taskgroup finished: ${(e as Error).name} ${(e as Error).message.endsWith('is finished') ? 'True' : 'False'} closed ${closed ? 'True' : 'False'} [${ran.map((r) => `'${r}'`).join(', ')}]`);
  }

  const g = foo();
  const a = yield* g.anext();
  const b = yield* g.anext();
  const thrown = g.anext().throw(new RangeError('division by zero'));
  log(`anext_04: ${a} ${b} ${String(thrown.value)} ${yield* g.anext()}`);
  const e5 = echo();
  const vals: unknown[] = [];
  for (const sent of [undefined, 10, 12]) vals.push((e5.anext() as Generator<unknown, unknown, unknown>).next(sent).value);
  log(`anext_05: [${vals.join(', ')}]`);
  const nxt = two().aclose();
  if (nxt.throw(new GeneratorExit()).done === true) log('aclose throw GeneratorExit: closed');
  try {
    nxt.throw(new GeneratorExit());
  } catch (e) {
    log(`again: ${(e as Error).name} ${(e as Error).message}`);
  }

  try {
    gather([sleep(0)], { returnException: true } as never);
  } catch (e) {
    log(`gather misspelt: ${(e as Error).name}`);
  }

  const c = m();
  try {
    createTask(c, { names: 'worker' } as never);
  } catch (e) {
    log(`create_task misspelt: ${(e as Error).name} near ${/Did you mean ('\w+'\?)/.exec((e as Error).message)?.[1]}`);
  }
  log(`create_task after: ${yield* createTask(c, { name: 'worker' })}`);
}

function* m(): Coroutine<number> {
  return 1;
}

export default function differential(log: Log): void {
  runSync(() => main(log));
  try {
    void run(m, 'debug' as never);
  } catch (e) {
    log(`run(main, debug): ${(e as Error).name}`);
  }
}
