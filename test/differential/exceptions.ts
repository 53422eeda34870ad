// Twin of exceptions.py.
import { RuntimeError, createTask, sleep, runSync, type Coroutine, type Task } from '../../src/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

class AppError extends Error {
  override name = 'AppError';
}

function* leaf(log: Log): Coroutine<never> {
  try {
    yield* sleep(10);
    throw new AppError('from leaf');
  } finally {
    log('leaf finally');
  }
}

function* middle(log: Log): Coroutine<void> {
  try {
    yield* leaf(log);
  } finally {
    log('middle finally');
  }
}

function* top(log: Log): Coroutine<void> {
  try {
    return yield* createTask(middle(log));
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    log(`top caught ${e.name}: ${e.message}`);
    throw new RuntimeError('wrapped', { cause: e });
  }
}

function* sibling(log: Log): Coroutine<string> {
  yield* sleep(150);
  log('sibling finished normally');
  return 'ok';
}

export default function main(log: Log): void {
  runSync(function* () {
    const t = createTask(top(log));
    const s = createTask(sibling(log));
    t.addDoneCallback((f: Task<void>) => log(`done callback: exception is ${(f.exception() as Error).message}`));
    let first: unknown = null;
    try {
      yield* t;
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      log(`main caught ${e.message}, cause: ${(e.cause as Error).message}`);
      first = e;
    }
    try {
      yield* t;
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      log(`second await raises the same object: ${py(e === first)}`);
    }
    log(`exception() is it too: ${py(t.exception() === first)}`);
    const sr = yield* s;
    log(`sibling -> ${sr}`);

    function* failsAtOnce(): Coroutine<never> {
      throw new AppError('immediate');
    }
    const f = createTask(failsAtOnce());
    yield* sleep(0);
    log(`failed task done=${py(f.done())} exception=${(f.exception() as Error).message}`);
    try {
      f.result();
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      log(`result() raises ${e.message}`);
    }
  });
}
