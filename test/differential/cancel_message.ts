// Twin of cancel_message.py.
import { CancelledError, createTask, getRunningLoop, sleep, runSync, type Coroutine, type Future } from '../../src/index.ts';

type Log = (line: string) => void;

function msg(e: unknown): string {
  const m = (e as Error).message;
  return m === '' ? '<none>' : `'${m}'`;
}

function* sleeper(): Coroutine<void> {
  yield* sleep(1000);
}

function* awaiter(inner: Future<void>): Coroutine<void> {
  return yield* inner;
}

function* catcher(log: Log): Coroutine<void> {
  try {
    yield* sleep(1000);
  } catch (e) {
    if (e instanceof CancelledError) log(`catcher got ${msg(e)}`);
    throw e;
  }
}

function* retrieve(log: Log, label: string, t: Future<unknown>): Coroutine<void> {
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log(`${label}: await -> ${msg(e)}`);
  }
  try {
    t.result();
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log(`${label}: result() -> ${msg(e)}`);
  }
  try {
    t.exception();
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log(`${label}: exception() -> ${msg(e)}`);
  }
}

export default function main(log: Log): void {
  runSync(function* () {
    const t = createTask(sleeper());
    yield* sleep(0);
    t.cancel('stop');
    yield* retrieve(log, 'direct', t);

    let inner = createTask(sleeper());
    let outer = createTask(awaiter(inner));
    yield* sleep(0);
    inner.cancel('inner msg');
    yield* retrieve(log, 'outer (inner cancelled)', outer);
    yield* retrieve(log, 'inner (after outer took it)', inner);

    inner = createTask(sleeper());
    outer = createTask(awaiter(inner));
    yield* sleep(0);
    outer.cancel('outer msg');
    yield* retrieve(log, 'outer (outer cancelled)', outer);
    log(`inner cancelled=${inner.cancelled() ? 'True' : 'False'}`);
    yield* retrieve(log, 'inner (cancelled through outer)', inner);

    const c = createTask(catcher(log));
    yield* sleep(0);
    c.cancel('hello');
    yield* retrieve(log, 'catcher', c);

    const early = createTask(catcher(log));
    early.cancel('early');
    yield* retrieve(log, 'early', early);

    const nomsg = createTask(sleeper());
    yield* sleep(0);
    nomsg.cancel();
    yield* retrieve(log, 'no message', nomsg);

    const f = getRunningLoop().createFuture();
    f.cancel('future msg');
    yield* retrieve(log, 'future', f);
  });
}
