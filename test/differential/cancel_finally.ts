// Twin of cancel_finally.py.
import { CancelledError, createTask, sleep, runSync, type Coroutine, type Task } from '../../src/index.ts';

type Log = (line: string) => void;

function* helper(log: Log): Coroutine<void> {
  try {
    yield* sleep(1000);
  } finally {
    log('helper cleanup start');
    yield* sleep(10);
    log('helper cleanup end');
  }
}

function* caller(log: Log): Coroutine<void> {
  yield* helper(log);
  log('caller resumed (must not happen)');
}

function* twice(log: Log): Coroutine<void> {
  try {
    yield* sleep(1000);
  } finally {
    log('twice cleanup 1');
    yield* sleep(10);
    log('twice cleanup 2 (must not happen)');
  }
}

function* swallow(log: Log): Coroutine<string> {
  try {
    yield* sleep(1000);
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    log('swallow caught');
  } finally {
    log('swallow finally');
  }
  yield* sleep(0);
  return 'swallowed';
}

function state(t: Task<unknown>): string {
  if (t.cancelled()) return 'cancelled';
  const e = t.exception();
  if (e !== null) return `error ${(e as Error).message}`;
  return `result ${t.result()}`;
}

export default function main(log: Log): void {
  runSync(function* () {
    const t1 = createTask(caller(log));
    const t2 = createTask(twice(log));
    const t3 = createTask(swallow(log));
    yield* sleep(0);
    log(`cancel returns ${py(t1.cancel())} ${py(t2.cancel())} ${py(t3.cancel())}`);
    yield* sleep(0);
    log('second cancel of twice');
    t2.cancel();
    for (const [name, t] of [['caller', t1], ['twice', t2], ['swallow', t3]] as const) {
      try {
        yield* t as Task<unknown>;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log(`awaiting ${name} raised CancelledError`);
      }
      log(`${name}: ${state(t as Task<unknown>)} cancelling=${t.cancelling()}`);
    }
    log(`cancel after done returns ${py(t1.cancel())}`);
  });
}

function py(b: boolean): string {
  return b ? 'True' : 'False';
}
