// Twin of eager.py.
import { CancelledError, RuntimeError, createTask, currentTask, eagerTaskFactory, getRunningLoop, sleep, runSync, type Coroutine } from '../../src/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');

export default function main(log: Log): void {
  runSync(function* () {
    const loop = getRunningLoop();
    loop.setTaskFactory(eagerTaskFactory);
    const mainTask = currentTask();

    function* quick(): Coroutine<string> {
      log(`quick runs, current is main: ${py(currentTask() === mainTask)}`);
      return 'q';
    }
    const t = createTask(quick());
    log(`quick done=${py(t.done())} result=${t.result()} current is main again: ${py(currentTask() === mainTask)}`);

    function* slow(name: string): Coroutine<string> {
      log(`${name} start`);
      yield* sleep(0);
      log(`${name} resumed`);
      yield* sleep(10);
      log(`${name} slept`);
      return name;
    }
    const a = createTask(slow('a'));
    log(`a done=${py(a.done())}`);
    const b = createTask(slow('b'));
    loop.callSoon(log, 'callback');
    const ra = yield* a;
    const rb = yield* b;
    log(`awaited ${ra} ${rb}`);

    function* boom(): Coroutine<never> {
      throw new RuntimeError('eager boom');
    }
    const e = createTask(boom());
    log(`boom done=${py(e.done())} exc=${(e.exception() as Error).message}`);

    function* cancelledEarly(): Coroutine<void> {
      try {
        yield* sleep(1000);
      } catch (err) {
        if (err instanceof CancelledError) log('cancelled_early caught');
        throw err;
      }
    }
    const c = createTask(cancelledEarly());
    log(`cancel -> ${py(c.cancel())}`);
    try {
      yield* c;
    } catch (err) {
      if (!(err instanceof CancelledError)) throw err;
      log(`cancelled_early cancelled=${py(c.cancelled())}`);
    }

    function* childSpawner(): Coroutine<string> {
      log('spawner start');
      const inner = createTask(quick());
      log(`spawner inner done=${py(inner.done())}`);
      return yield* inner;
    }
    const sp = yield* createTask(childSpawner());
    log(`spawner -> ${sp}`);
  });
}
