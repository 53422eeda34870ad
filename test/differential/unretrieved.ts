// Twin of unretrieved.py.
import { CancelledError, Task, createTask, getRunningLoop, runSync, shield, sleep, type Coroutine, type ExceptionContext } from '../../src/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

class AppError extends Error {
  override name = 'AppError';
}

function* boom(msg: string, delay = 0): Coroutine<never> {
  if (delay) yield* sleep(delay);
  throw new AppError(msg);
}

export default function main(log: Log): void {
  const reports: string[] = [];
  const handler = (_loop: unknown, ctx: ExceptionContext): void => {
    const fut = ctx.future;
    const name = fut instanceof Task ? fut.getName() : (/name='([^']*)'/.exec(String(fut))?.[1] ?? '-');
    reports.push(`${ctx.message}: ${(ctx.exception as Error).message} (task ${name})`);
  };
  runSync(function* () {
    const loop = getRunningLoop();
    loop.setExceptionHandler(handler);
    createTask(boom('forgotten'), { name: 'forgotten' });
    const awaited = createTask(boom('awaited'), { name: 'awaited' });
    try {
      yield* awaited;
    } catch (e) {
      log(`caught ${(e as Error).message}`);
    }
    const looked = createTask(boom('looked at'), { name: 'looked' });
    yield* sleep(10);
    log(`exception() is ${(looked.exception() as Error).message}`);
    const fut = loop.createFuture();
    fut.setException(new AppError('future then cancel'));
    log(`cancel() on a failed future returns ${py(fut.cancel())}`);
    const failed = createTask(boom('task then cancel'), { name: 'cancelled-after' });
    yield* sleep(10);
    log(`cancel() on a failed task returns ${py(failed.cancel())}`);
    const bare = loop.createFuture();
    bare.setException(new AppError('bare future'));
    const inner = createTask(boom('shielded', 50), { name: 'shielded' });
    const outer = shield(inner);
    outer.cancel();
    try {
      yield* outer;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log('outer cancelled');
    }
    yield* sleep(100);
    log('main returns');
  });
  for (const line of reports.sort()) log(line);
  log(`${reports.length} reports`);
}
