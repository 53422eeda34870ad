// Twin of tg-timeout-gather.py.
import {
  CancelledError,
  ExceptionGroup,
  TimeoutError,
  currentTask,
  gather,
  runSync,
  sleep,
  taskGroup,
  timeout,
  waitFor,
  type Coroutine,
  type Task,
} from '../../src/index.ts';

type Log = (line: string) => void;

function* child(log: Log, name: string, ms: number, fail = false): Coroutine<string> {
  try {
    yield* sleep(ms);
    if (fail) throw new Error(`${name} failed`);
    log(`${name} done`);
    return name;
  } catch (e) {
    if (e instanceof CancelledError) log(`${name} cancelled`);
    throw e;
  } finally {
    log(`${name} finally`);
  }
}

const list = (xs: readonly unknown[]): string => `[${xs.map((x) => `'${x instanceof Error ? x.message : String(x)}'`).join(', ')}]`;

export default function main(log: Log): void {
  runSync(function* () {
    const me = currentTask() as Task<unknown>;
    try {
      yield* taskGroup(function* (tg) {
        tg.createTask(child(log, 'a', 200));
        tg.createTask(child(log, 'b', 400, true));
        tg.createTask(child(log, 'c', 1000));
        yield* sleep(2000);
        log('body not reached');
      });
    } catch (eg) {
      if (!(eg instanceof ExceptionGroup)) throw eg;
      log(`group: ${eg.message}: ${list(eg.exceptions)}`);
    }

    try {
      yield* timeout(1000, function* () {
        try {
          yield* timeout(200, function* () {
            yield* child(log, 'inner', 1000);
          });
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          log(`inner timeout, cancelling=${me.cancelling()}`);
        }
        yield* child(log, 'after', 200);
      });
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('outer timeout (wrong)');
    }
    log(`outer ok, cancelling=${me.cancelling()}`);

    const r = yield* gather(child(log, 'g1', 400), child(log, 'g2', 200));
    log(`gather ${list(r)}`);
    const r2 = yield* gather([child(log, 'h1', 200, true), child(log, 'h2', 400)], { returnExceptions: true });
    log(`gather return_exceptions ${list(r2)}`);

    const g = gather(child(log, 'k1', 1000), child(log, 'k2', 1000));
    yield* sleep(200);
    g.cancel();
    try {
      yield* g;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log(`gather cancelled=${g.cancelled() ? 'True' : 'False'}`);
    }

    try {
      yield* waitFor(child(log, 'slow', 1000), 200);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('wait_for timed out');
    }
  });
}
